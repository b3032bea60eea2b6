#!/usr/bin/ksh
# sysadmin_cpuguard - keep the batch scheduler's processors through DLPAR.
#
# Installed with:  drmgr -i /usr/local/dr/sysadmin_cpuguard.ksh
# Refuses to give up a processor while fewer than MIN_CPUS would stay online,
# and refuses bind CPU 0, where the scheduler's dispatcher is bound.
#
# drmgr gives us PATH=/usr/bin:/etc:/usr/sbin and nothing else: every command
# is named by its full path, and messages for people go to stderr.

MIN_CPUS=2
LOG=/usr/bin/logger

err()  { print -r -- "DR_ERROR=\"$*\""; }
info() { print -r -- "DR_LOG_INFO=\"$*\""; }

# Online processors: bindprocessor -q prints "The available processors are: 0 1 2 3"
online_cpus()
{
    if [[ -x /usr/sbin/bindprocessor ]]; then
        set -- $(/usr/sbin/bindprocessor -q 2>/dev/null)
        shift 4
        print $#
    else
        print 4    # not AIX (drmgr-sim on Linux): assume a small partition
    fi
}

case "$1" in
scriptinfo)
    print "DR_VERSION=1"
    print "DR_DATE=04122026"
    print "DR_SCRIPTINFO=\"Batch scheduler processor guard\""
    print "DR_VENDOR=\"sysadmin\""
    print "DR_TIMEOUT=10"
    ;;
register)
    print "DR_RESOURCE=cpu"
    ;;
usage)
    print "DR_USAGE=\"The batch scheduler keeps CPU 0 and at least $MIN_CPUS processors\""
    ;;
checkrelease)
    if [[ "$DR_BCPUID" = 0 ]]; then
        err "CPU 0 runs the batch dispatcher"
        exit 1
    fi
    n=$(online_cpus)
    if (( n - 1 < MIN_CPUS )); then
        err "only $n processors online; the scheduler needs $MIN_CPUS"
        exit 1
    fi
    [[ ${DR_DETAIL_LEVEL:-0} -ge 2 ]] && info "releasing CPU $DR_BCPUID leaves $((n - 1)) online"
    ;;
prerelease|postrelease|undoprerelease|checkacquire|preacquire|postacquire|undopreacquire)
    [[ ${DR_DETAIL_LEVEL:-0} -ge 3 ]] && print -r -- "DR_LOG_DEBUG=\"$1 cpu $DR_BCPUID\""
    ;;
*)
    exit 10    # a command this script does not know
    ;;
esac
exit 0
