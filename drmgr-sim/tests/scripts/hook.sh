#!/bin/sh
# A powerpc-utils hook for drmgr-sim's `linux` tests. It reports its name,
# arguments, working directory and whole environment on stderr; what else it
# does depends on its installed name, so that its environment stays exact:
# *veto* fails in check, *segv* kills itself in pre, *hang* ignores SIGTERM and
# becomes a 30 s sleep in pre, *nap* sleeps 1 s in pre, *fail* fails in every
# phase. `register` lists HOOK_REGISTER.
name=${0##*/}
if [ "$1" = register ]; then
    for resource in ${HOOK_REGISTER:-cpu pmig}; do echo "DR_RESOURCE=$resource"; done
    exit 0
fi
printf '%s args=%s pwd=%s env=' "$name" "$#" "$(pwd)" >&2
/usr/bin/tr '\0' ' ' < /proc/$$/environ >&2
echo >&2
case "$name:$PHASE" in
*veto*:check | *fail*:*) exit 1 ;;
*segv*:pre) kill -SEGV $$ ;;
*hang*:pre) trap '' TERM; exec /bin/sleep 30 ;;
*nap*:pre) /bin/sleep 1 ;;
esac
exit 0
