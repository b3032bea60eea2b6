#!/bin/sh
# Defect: DR_ERROR without its double quotes.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=04122026 'DR_SCRIPTINFO="guard"' 'DR_VENDOR="Acme"' ;;
register) echo DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="Acme keeps CPU 0"' ;;
checkrelease) [ "$DR_BCPUID" != 0 ] || { echo 'DR_ERROR=CPU 0 stays'; exit 1; } ;;
*release|*acquire) ;;
*) exit 10 ;;
esac
