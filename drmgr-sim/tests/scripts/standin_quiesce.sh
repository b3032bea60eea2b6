#!/bin/sh
# Stand-in for acme_quiesce in the demo test: registers pmig and cpu, agrees to
# everything; started without arguments (a powerpc-utils hook) it says so.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=01122026 'DR_SCRIPTINFO="quiesce stand-in"' 'DR_VENDOR="Acme"' ;;
register) printf '%s\n' DR_RESOURCE=pmig DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="stand-in"' ;;
'') echo "hook $DRC_TYPE $PHASE $ACTION $DRC_COUNT" >&2 ;;
esac
exit 0
