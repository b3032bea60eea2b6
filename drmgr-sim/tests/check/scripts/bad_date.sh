#!/bin/sh
# Defect: DR_DATE in YYYYMMDD order.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=20261204 'DR_SCRIPTINFO="guard"' 'DR_VENDOR="Acme"' ;;
register) echo DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="Acme keeps CPU 0"' ;;
*release|*acquire) ;;
*) exit 10 ;;
esac
