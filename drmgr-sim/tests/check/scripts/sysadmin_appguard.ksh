#!/usr/bin/ksh
# The README's example ("Checking an existing script"): a debugging print left
# on standard output, an unquoted DR_ERROR, and exit 0 for any other word.
case "$1" in
scriptinfo) print DR_VERSION=1; print DR_DATE=04122026; print 'DR_SCRIPTINFO="app guard"'; print 'DR_VENDOR="sysadmin"' ;;
register) print DR_RESOURCE=cpu ;;
usage) print 'DR_USAGE="keeps CPU 0 for the application server"' ;;
checkrelease)
    print "checking CPU $DR_BCPUID"
    [ "$DR_BCPUID" != 0 ] || { print 'DR_ERROR=CPU 0 runs the application server'; exit 1; } ;;
esac
exit 0
