#!/usr/bin/ksh
# Defect: GNU sed's in-place option, which AIX's sed does not have.
conf=/etc/acme/threads.conf
set_threads() { sed -i "s/^threads=.*/threads=$1/" "$conf"; }
case "$1" in
scriptinfo) print 'DR_VERSION=1'; print 'DR_DATE=04122026'; print 'DR_SCRIPTINFO="guard"'; print 'DR_VENDOR="Acme"' ;;
register) print 'DR_RESOURCE=cpu' ;;
usage) print 'DR_USAGE="Acme sizes its thread pool to the processors"' ;;
*release|*acquire) ;;
*) exit 10 ;;
esac
