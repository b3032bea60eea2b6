#!/bin/sh
# A configurable test script: installed under several names (a_probe, b_probe, …),
# it answers every command, and fails or answers "not supported" where the test says.
#   PROBE_RESOURCES  the resources it registers (default: every family's word)
#   PROBE_FAIL       space-separated NAME:COMMAND pairs that fail (exit 1, DR_ERROR)
#   PROBE_EXIT10     space-separated NAME:COMMAND pairs that exit 10
name=${0##*/}
case $1 in
scriptinfo)
    printf '%s\n' DR_VERSION=1 DR_DATE=22112026 "DR_SCRIPTINFO=\"probe $name\"" 'DR_VENDOR="Tests"'
    exit 0
    ;;
register)
    for r in ${PROBE_RESOURCES:-cpu mem capacity var_weight pmig phib acc topology}; do echo "DR_RESOURCE=$r"; done
    exit 0
    ;;
usage)
    echo "DR_USAGE=\"probe $name uses $2\""
    exit 0
    ;;
esac
for pair in ${PROBE_FAIL:-}; do
    if [ "$pair" = "$name:$1" ]; then
        echo "DR_ERROR=\"$name refuses $1\""
        exit 1
    fi
done
for pair in ${PROBE_EXIT10:-}; do
    if [ "$pair" = "$name:$1" ]; then
        echo "DR_ERROR=\"$name does not know $1\""
        exit 10
    fi
done
exit 0
