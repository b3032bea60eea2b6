#!/bin/sh
# Reports the environment drmgr-sim gives it, as DR_LOG_INFO lines.
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=22112026 'DR_SCRIPTINFO="env check"' 'DR_VENDOR="Tests"' ;;
register) echo DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="reports its environment"' ;;
*)
    echo "DR_LOG_INFO=\"args=$*\""
    echo "DR_LOG_INFO=\"cwd=$(pwd)\""
    echo "DR_LOG_INFO=\"uid=$(id -u) gid=$(id -g)\""
    pgrp=$(cut -d' ' -f5 /proc/$$/stat)
    if [ "$pgrp" = "$$" ]; then echo 'DR_LOG_INFO="leads its process group"'; fi
    env | cut -d= -f1 | grep -v -e '^PWD$' -e '^SHLVL$' -e '^_$' | sort | while read -r var; do
        eval "value=\${$var}"
        echo "DR_LOG_DEBUG=\"$var=$value\""
    done
    ;;
esac
exit 0
