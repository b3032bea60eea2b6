#!/bin/sh
# The shell equivalent of acme_cpuguard, for the startup benchmark: the same
# answers, written the way DLPAR scripts are usually written by hand.
case "$1" in
scriptinfo)
    echo "DR_VERSION=1"
    echo "DR_DATE=22112026"
    echo 'DR_SCRIPTINFO="Acme guard: keeps a minimum of processors online"'
    echo 'DR_VENDOR="Acme"'
    echo "DR_TIMEOUT=10"
    ;;
register)
    echo "DR_RESOURCE=cpu"
    ;;
usage)
    echo 'DR_USAGE="Acme application threads need at least 2 processors online"'
    ;;
checkrelease)
    if [ "$DR_BCPUID" -lt 2 ]; then
        echo "DR_ERROR=\"Acme needs 2 processors online; bind CPU $DR_BCPUID cannot be released\""
        exit 1
    fi
    ;;
prerelease|postrelease|undoprerelease|checkacquire|preacquire|postacquire|undopreacquire) ;;
*)
    echo "DR_ERROR=\"command $1 is not supported by this script\""
    exit 10
    ;;
esac
exit 0
