#!/bin/sh
# A clean POSIX shell script: every rule holds.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=04122026 'DR_SCRIPTINFO="clean guard"' 'DR_VENDOR="Acme"' ;;
register) echo DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="Acme keeps CPU 0"' ;;
checkrelease) [ "$DR_BCPUID" != 0 ] || { echo 'DR_ERROR="CPU 0 stays"'; exit 1; } ;;
prerelease|postrelease|undoprerelease|checkacquire|preacquire|postacquire|undopreacquire) ;;
*) exit 10 ;;
esac
