#!/bin/sh
# Defect: checkrelease uses most of its DR_TIMEOUT.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=04122026 'DR_SCRIPTINFO="guard"' 'DR_VENDOR="Acme"' DR_TIMEOUT=4 ;;
register) echo DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="Acme keeps CPU 0"' ;;
checkrelease) sleep 2.5 ;;
*release|*acquire) ;;
*) exit 10 ;;
esac
