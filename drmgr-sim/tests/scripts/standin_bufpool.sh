#!/bin/sh
# A stand-in for the acme_bufpool example in the demo test: registers memory and
# agrees to everything.
case "$1" in
scriptinfo)
    echo "DR_VERSION=1"
    echo "DR_DATE=22112026"
    echo 'DR_SCRIPTINFO="buffer pool stand-in"'
    echo 'DR_VENDOR="Acme"'
    ;;
register) echo "DR_RESOURCE=mem" ;;
usage) echo 'DR_USAGE="a buffer pool in memory"' ;;
esac
exit 0
