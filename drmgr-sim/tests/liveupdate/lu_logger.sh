#!/bin/sh
# A DLPAR script that logs every command it receives (DR_LOG_INFO), for the test of
# `drmgr-sim -S ID liveupdate`.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=22112026 'DR_SCRIPTINFO="Live Update logger"' 'DR_VENDOR="Tests"' ;;
register) echo DR_RESOURCE=pmig ;;
usage) echo 'DR_USAGE="logs every Live Update command it receives"' ;;
*) echo "DR_LOG_INFO=\"received $1 $2\"" ;;
esac
