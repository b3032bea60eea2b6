#!/bin/sh
# Defect: postrelease fails when its marker from the last run is still there.
marker=${DLPAR_STATE_DIR:-/tmp}/post_twice.resumed
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=04122026 'DR_SCRIPTINFO="guard"' 'DR_VENDOR="Acme"' ;;
register) echo DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="Acme keeps CPU 0"' ;;
postrelease)
    if [ -e "$marker" ]; then rm -f "$marker"; echo 'DR_ERROR="already resumed"'; exit 1; fi
    : > "$marker" ;;
*release|*acquire) ;;
*) exit 10 ;;
esac
