#!/bin/sh
# acme_shellpool: the drmgr-sim demo's memory script, in plain POSIX shell, to show
# that drmgr-sim runs any executable (and what the Rust runtime saves you from).
#
# Acme's buffer pool follows the partition's memory: half of each memory change goes
# to or comes from the pool. The pool size (MB) lives in
# $DLPAR_STATE_DIR/acme_shellpool.pool; what prerelease took is recorded in
# $DLPAR_STATE_DIR/acme_shellpool.shrunk, so that postrelease can forget it and
# undoprerelease can give it back.

STATE=${DLPAR_STATE_DIR:-/var/lib/acme_shellpool}
POOL=$STATE/acme_shellpool.pool
SHRUNK=$STATE/acme_shellpool.shrunk
START_MB=1024
MIN_MB=128

say() { printf '%s\n' "$1"; }
fail() { say "DR_ERROR=\"$1\""; exit 1; }
info() { if [ "${DR_DETAIL_LEVEL:-0}" -ge 2 ]; then say "DR_LOG_INFO=\"$1\""; fi; }

pool() { if [ -f "$POOL" ]; then cat "$POOL"; else say "$START_MB"; fi; }
set_pool() { mkdir -p "$STATE" && say "$1" >"$POOL.new" && mv "$POOL.new" "$POOL" || fail "cannot write $POOL"; }

# Sets $share, the MB this event moves to or from the pool: half the request.
take_share() {
    case ${DR_MEM_SIZE_REQUEST:-} in
    '' | *[!0-9]*) fail "DR_MEM_SIZE_REQUEST=\"${DR_MEM_SIZE_REQUEST:-}\" is not a decimal number of MB" ;;
    esac
    share=$((DR_MEM_SIZE_REQUEST / 2))
}

if [ -n "$2" ] && [ "$2" != mem ]; then
    fail "acme_shellpool manages mem, not $2"
fi

case $1 in
scriptinfo)
    say "DR_VERSION=1"
    say "DR_DATE=22112026"
    say 'DR_SCRIPTINFO="Acme shell pool: a buffer pool that follows memory (drmgr-sim demo, POSIX sh)"'
    say 'DR_VENDOR="Acme"'
    say "DR_TIMEOUT=10"
    ;;
register) say "DR_RESOURCE=mem" ;;
usage) say 'DR_USAGE="Acme buffer pool: gives back half of removed memory, takes half of added memory"' ;;
checkrelease)
    take_share
    left=$(($(pool) - share))
    [ "$left" -ge "$MIN_MB" ] || fail "the pool would shrink to $left MB, below its $MIN_MB MB minimum"
    info "the pool can give up $share MB"
    ;;
prerelease)
    take_share
    before=$(pool)
    set_pool $((before - share))
    say "$share" >"$SHRUNK" || fail "cannot record the shrink in $SHRUNK"
    info "pool shrunk from $before to $((before - share)) MB"
    ;;
postrelease)
    rm -f "$SHRUNK"
    info "memory removed; the pool stays at $(pool) MB"
    ;;
undoprerelease)
    [ -f "$SHRUNK" ] || { info "prerelease took nothing: nothing to give back"; exit 0; }
    taken=$(cat "$SHRUNK")
    set_pool $(($(pool) + taken))
    rm -f "$SHRUNK"
    info "removal failed: pool restored to $(pool) MB"
    ;;
checkacquire | preacquire | undopreacquire) info "nothing to do for $1" ;;
postacquire)
    take_share
    before=$(pool)
    set_pool $((before + share))
    info "pool grown from $before to $((before + share)) MB"
    ;;
*)
    say "DR_ERROR=\"acme_shellpool does not support the command '$1'\""
    exit 10
    ;;
esac
exit 0
