#!/bin/sh
# Defect: scriptinfo has no DR_VENDOR.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=04122026 'DR_SCRIPTINFO="guard"' ;;
register) echo DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="Acme keeps CPU 0"' ;;
*release|*acquire) ;;
*) exit 10 ;;
esac
