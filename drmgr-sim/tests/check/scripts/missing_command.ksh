#!/usr/bin/ksh
# Defect: calls an AIX command by name, which drmgr's PATH may not find.
case "$1" in
scriptinfo) print 'DR_VERSION=1'; print 'DR_DATE=04122026'; print 'DR_SCRIPTINFO="guard"'; print 'DR_VENDOR="Acme"' ;;
register) print 'DR_RESOURCE=cpu' ;;
usage) print 'DR_USAGE="Acme keeps CPU 0"' ;;
prerelease) acme_rset_move -c "$DR_LCPUID" ;;
*release|*acquire) ;;
*) exit 10 ;;
esac
