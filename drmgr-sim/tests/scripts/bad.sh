#!/bin/sh
# Bad behaviour on purpose, chosen by the name it is installed under. The install
# commands answer well unless the name says otherwise.
name=${0##*/}
case $name:$1 in
bad_info:scriptinfo) echo DR_DATE=2026; exit 0 ;;
bad_infofail:scriptinfo) echo 'DR_ERROR="no licence file"'; exit 1 ;;
bad_infoctrl:scriptinfo) printf 'DR_ERROR="\033[2Jgone"\n'; exit 1 ;;
bad_installhang:scriptinfo) sleep 30; exit 0 ;;
bad_doubled:scriptinfo) printf '%s\n' DR_VERSION=1 DR_VERSION=2 DR_DATE=22112026 DR_DATE=01012027 'DR_SCRIPTINFO="a"' 'DR_SCRIPTINFO="b"' 'DR_VENDOR="Tests"'; exit 0 ;;
bad_separator:scriptinfo) printf 'DR_VERSION=1\nDR_DATE=22112026\nDR_SCRIPTINFO="one\342\200\250two"\nDR_VENDOR="Tests"\n'; exit 0 ;;
bad_forever:scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=22112026 'DR_SCRIPTINFO="x"' 'DR_VENDOR="Tests"' DR_TIMEOUT=4294967295; exit 0 ;;
bad_longinfo:scriptinfo)
    printf '%s\n' DR_VERSION=1 DR_DATE=22112026 "DR_SCRIPTINFO=\"$(head -c 4984 /dev/zero | tr '\0' x)\"" 'DR_VENDOR="Tests"'
    exit 0
    ;;
*:scriptinfo)
    date=22112026
    [ "$name" = bad_nodate ] && date=99999999
    printf '%s\n' DR_VERSION=1 DR_DATE=$date "DR_SCRIPTINFO=\"$name\"" 'DR_VENDOR="Tests"'
    [ "$name" = bad_hang ] && echo DR_TIMEOUT=1
    [ "$name" = bad_day ] && echo DR_TIMEOUT=86400
    # A flood is about memory, not time: a loaded machine must not turn it into a timeout.
    case $name in bad_flood*) echo DR_TIMEOUT=600 ;; esac
    exit 0
    ;;
bad_register:register) echo DR_RESOURCE=Memory; exit 0 ;;
bad_twice:register) printf '%s\n' DR_RESOURCE=cpu DR_RESOURCE=cpu; exit 0 ;;
bad_none:register) echo DR_VERSION=1; exit 0 ;;
bad_custom:register) printf '%s\n' DR_RESOURCE=cpu DR_RESOURCE=memory; exit 0 ;;
*:register) echo DR_RESOURCE=cpu; exit 0 ;;
bad_usage:usage) echo 'DR_LOG_INFO="no usage here"'; exit 0 ;;
bad_usagetwice:usage) printf '%s\n' 'DR_USAGE="first"' 'DR_USAGE="second"'; exit 0 ;;
bad_longusage:usage) echo "DR_USAGE=\"$(head -c 199990 /dev/zero | tr '\0' y)\""; exit 0 ;;
*:usage) echo "DR_USAGE=\"$name misbehaves\""; exit 0 ;;
bad_hang:*) sleep 30 & echo $! >"$DLPAR_STATE_DIR/bad_hang.sleep"; wait ;;
bad_stubborn:*) trap '' TERM; sleep 30 ;;
bad_leaver:*)
    # Leaves its own process group for its parent's (drmgr-sim's), then ignores SIGTERM.
    echo $$ >"$DLPAR_STATE_DIR/bad_leaver.pid"
    exec perl -e 'setpgrp(0, getpgrp(getppid())) or die "setpgrp: $!"; $SIG{TERM} = "IGNORE"; sleep 30'
    ;;
bad_orphan:*)
    # The leader dies on SIGTERM; a member of its group ignores it.
    (trap '' TERM; exec sleep 30) &
    echo $$ $! >"$DLPAR_STATE_DIR/bad_orphan.pids"
    wait
    ;;
bad_segv:*) kill -SEGV $$ ;;
bad_exit10:*) echo 'DR_ERROR="checkrelease is not for me"'; exit 10 ;;
bad_noise:*)
    echo hello
    echo FOO=bar
    echo 'DR_ERROR="noisy"'
    exit 1
    ;;
bad_okerror:*) printf '%s\n' 'DR_LOG_INFO="written first"' 'DR_ERROR="an error that exit 0 hides"' 'DR_LOG_INFO="last"'; exit 0 ;;
bad_glued:*) printf '%s\n' 'DR_ERROR="no"DR_LOG_INFO="glued"'; exit 1 ;;
bad_binary:*) printf '\377\376\000\001garbage\nDR_\377=1\n'; exit 0 ;;
bad_huge:*) yes 'DR_LOG_DEBUG="spam"' | head -c 3000000; exit 0 ;;
bad_flood*:*)
    # 1 MiB of one-byte lines on each of stdout and stderr.
    yes x | head -c 1048576
    yes x | head -c 1048576 >&2
    exit 0
    ;;
bad_ctrl:*)
    # Terminal controls: cursor up, erase line, NUL, CR, a C1 CSI (U+009B) and U+2028.
    printf 'DR_LOG_INFO="\033[1A\033[2Kall fine"\n'
    printf 'DR_ERROR="no\000pe\rX\302\2332J\342\200\250"\n'
    printf 'stderr \033]0;title\007\n' >&2
    exit 1
    ;;
bad_stderr:*) echo 'to stderr' >&2; exit 2 ;;
bad_daemon:*) sleep 5 & exit 0 ;;
esac
exit 0
