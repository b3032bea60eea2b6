#!/bin/sh
# A stand-in for the acme_licmgr example in the demo test: a licence that is full.
case "$1" in
scriptinfo)
    echo "DR_VERSION=1"
    echo "DR_DATE=22112026"
    echo 'DR_SCRIPTINFO="licence manager stand-in"'
    echo 'DR_VENDOR="Acme"'
    ;;
register) echo "DR_RESOURCE=cpu" ;;
usage) echo 'DR_USAGE="licensed per processor"' ;;
checkacquire)
    echo 'DR_ERROR="the licence is full"'
    exit 1
    ;;
esac
exit 0
