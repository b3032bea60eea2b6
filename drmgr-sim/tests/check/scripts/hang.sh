#!/bin/sh
# Defect: prerelease waits for ever.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=04122026 'DR_SCRIPTINFO="guard"' 'DR_VENDOR="Acme"' DR_TIMEOUT=1 ;;
register) echo DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="Acme keeps CPU 0"' ;;
prerelease) sleep 1000 ;;
*release|*acquire) ;;
*) exit 10 ;;
esac
