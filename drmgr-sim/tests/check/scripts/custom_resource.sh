#!/bin/sh
# Defect: registers a resource name drmgr never sends by itself.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=04122026 'DR_SCRIPTINFO="gpu guard"' 'DR_VENDOR="Acme"' ;;
register) echo DR_RESOURCE=acme_gpu ;;
usage) echo 'DR_USAGE="Acme offloads to its GPU"' ;;
*accevent) ;;
*) exit 10 ;;
esac
