//! The process group a script leads: signalling it together with the script, and
//! telling whether anything in it is still alive.

/// Sends `sig` to the script `pid` (when it has not been reaped) and to the process
/// group `group` it leads (when it leads one), and says in words what was reached.
pub(super) fn signal(sig: libc::c_int, pid: Option<libc::pid_t>, group: Option<libc::pid_t>) -> String {
    let name = super::end::End::Signalled(sig).signal_name().unwrap_or_default();
    // SAFETY: kill(2) has no memory preconditions. `pid` is only given while the child
    // has not been reaped, so the id cannot have been reused. A group id cannot be
    // reused while the group has a member; once empty, kill(-group) answers ESRCH.
    let reached = |target: libc::pid_t| unsafe { libc::kill(target, sig) } == 0;
    let Some(group) = group else {
        // The script shares drmgr-sim's group: signalling the group would reach
        // drmgr-sim itself, so only the script is.
        return match pid {
            Some(pid) if reached(pid) => format!("{name} sent to pid {pid} (its process group is drmgr-sim's own)"),
            Some(pid) => format!("{name} reached nothing: pid {pid} had already exited"),
            None => format!("{name} not sent: the script had exited"),
        };
    };
    let to_group = reached(-group);
    let to_pid = pid.map(|pid| (pid, reached(pid)));
    match (to_pid, to_group) {
        (Some((pid, true)), true) => format!("{name} sent to pid {pid} and to its process group {group}"),
        (Some((pid, true)), false) => {
            format!("{name} sent to pid {pid}; its process group {group} was empty (the script had left it)")
        }
        (Some((pid, false)), true) => format!("{name} sent to process group {group}; pid {pid} had already exited"),
        (None, true) => format!("{name} sent to process group {group}"),
        (_, false) => format!("{name} reached nothing: pid {group} and its process group had already gone"),
    }
}

/// Whether process group `group` has a member that is still running. A zombie does
/// not count: it is dead, waiting for its new parent (init, which may take a second)
/// to reap it. Linux answers from `/proc`.
#[cfg(target_os = "linux")]
pub(super) fn has_live_members(group: libc::pid_t) -> bool {
    let Ok(processes) = std::fs::read_dir("/proc") else { return exists(group) };
    processes.flatten().any(|process| {
        let Ok(stat) = std::fs::read_to_string(process.path().join("stat")) else { return false };
        // pid (comm) state ppid pgrp …; comm may hold anything but ends at the last ')'.
        let mut fields = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace();
        let state = fields.next();
        let pgrp = fields.nth(1).and_then(|pgrp| pgrp.parse::<libc::pid_t>().ok());
        pgrp == Some(group) && state != Some("Z")
    })
}

/// Whether process group `group` still has a member (a zombie counts until reaped).
#[cfg(not(target_os = "linux"))]
pub(super) fn has_live_members(group: libc::pid_t) -> bool {
    exists(group)
}

/// Whether process group `group` exists.
fn exists(group: libc::pid_t) -> bool {
    // SAFETY: signal 0 only checks that the group exists; nothing is delivered.
    unsafe { libc::kill(-group, 0) == 0 }
}
