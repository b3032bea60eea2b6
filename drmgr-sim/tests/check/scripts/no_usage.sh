#!/bin/sh
# Defect: usage answers for cpu but not for mem.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=04122026 'DR_SCRIPTINFO="guard"' 'DR_VENDOR="Acme"' ;;
register) printf '%s\n' DR_RESOURCE=cpu DR_RESOURCE=mem ;;
usage) [ "$2" = cpu ] && echo 'DR_USAGE="Acme keeps CPU 0"' ;;
*release|*acquire) ;;
*) exit 10 ;;
esac
exit 0
