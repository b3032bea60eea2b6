#!/bin/sh
# Defect: a debugging echo left on standard output.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=04122026 'DR_SCRIPTINFO="guard"' 'DR_VENDOR="Acme"' ;;
register) echo DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="Acme keeps CPU 0"' ;;
checkrelease) echo "checking cpu $DR_BCPUID	now" ;;
*release|*acquire) ;;
*) exit 10 ;;
esac
