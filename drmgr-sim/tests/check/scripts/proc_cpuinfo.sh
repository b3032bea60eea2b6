#!/bin/sh
# Defect: counts processors in /proc/cpuinfo, which AIX does not have.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=04122026 'DR_SCRIPTINFO="guard"' 'DR_VENDOR="Acme"' ;;
register) echo DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="Acme keeps two processors"' ;;
checkrelease) n=$(grep -c ^processor /proc/cpuinfo 2>/dev/null) ;;
*release|*acquire) ;;
*) exit 10 ;;
esac
exit 0
