#!/bin/sh
# Hostile: checkrelease starts 100 background sleepers, then hangs.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=04122026 'DR_SCRIPTINFO="guard"' 'DR_VENDOR="Acme"' DR_TIMEOUT=1 ;;
register) echo DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="Acme keeps CPU 0"' ;;
checkrelease)
    i=0
    while [ $i -lt 100 ]; do sleep 1000 & i=$((i + 1)); done
    wait ;;
*release|*acquire) ;;
*) exit 10 ;;
esac
