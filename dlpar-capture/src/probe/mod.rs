//! What the host gave the process, read before anything changes it.
//!
//! Every probe only reads: no descriptor is opened before the descriptors are
//! listed, no signal disposition or mask is changed (the umask is read by setting
//! it and putting it back at once, the only way POSIX offers). Each failure is kept
//! in the record's `problems`, never fatal.

mod fds;
mod limits;
pub(crate) mod signals;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use crate::record::{HostKind, Ids, Invocation, Process, Stamp};

/// Both clocks now.
pub(crate) fn now() -> Stamp {
    Stamp { monotonic_ns: clock(libc::CLOCK_MONOTONIC), wall_ns: clock(libc::CLOCK_REALTIME) }
}

/// One clock in nanoseconds (0 if the clock cannot be read). Async-signal-safe.
pub(crate) fn clock(id: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec to write into.
    // AIX: clock_gettime with CLOCK_MONOTONIC and CLOCK_REALTIME documented (libc.a).
    if unsafe { libc::clock_gettime(id, &mut ts) } != 0 {
        return 0;
    }
    u64::try_from(ts.tv_sec).unwrap_or(0).saturating_mul(1_000_000_000).saturating_add(ts.tv_nsec as u64)
}

/// The environment exactly as `environ` holds it: every entry, in order, even one
/// without `=` (which `std::env::vars_os` would skip).
pub(crate) fn environment() -> Vec<String> {
    unsafe extern "C" {
        // AIX: environ is the POSIX global of libc.a.
        static environ: *const *const std::ffi::c_char;
    }
    let mut entries = Vec::new();
    // SAFETY: environ is a NULL-terminated array of C strings; nothing changes it
    // while this single-threaded start-up reads it.
    unsafe {
        let mut at = environ;
        while !at.is_null() && !(*at).is_null() {
            entries.push(text(OsStr::from_bytes(std::ffi::CStr::from_ptr(*at).to_bytes())));
            at = at.add(1);
        }
    }
    entries
}

/// Lossy text of raw bytes.
pub(crate) fn text(bytes: &OsStr) -> String {
    String::from_utf8_lossy(bytes.as_bytes()).into_owned()
}

/// How the host started the process: the runtime's own rule (arguments mean AIX;
/// none, with `PHASE` and `DRC_TYPE`, a powerpc-utils hook).
pub(crate) fn host_kind(argv: &[String], env: &[String]) -> HostKind {
    let has = |name: &str| env.iter().any(|entry| entry.strip_prefix(name).is_some_and(|r| r.starts_with('=')));
    if argv.len() > 1 {
        HostKind::Aix
    } else if has("PHASE") && has("DRC_TYPE") {
        HostKind::Hook
    } else {
        HostKind::Unknown
    }
}

/// Everything but the control file's outcome, the experiment and the capture file,
/// which the caller fills in.
pub(crate) fn invocation(argv: Vec<String>, env: Vec<String>) -> Invocation {
    let at = now();
    let mut problems = Vec::new();
    let (stdio, other_fds, fd_scan_limit) = fds::all();
    let cwd = std::env::current_dir().map_err(|e| problems.push(format!("cwd: {e}"))).ok();
    let installed_name = argv.first().map(|a| a.rsplit('/').next().unwrap_or(a).to_owned()).unwrap_or_default();
    Invocation {
        at,
        capture_version: env!("CARGO_PKG_VERSION").to_owned(),
        host: host_kind(&argv, &env),
        installed_name,
        argv,
        env,
        cwd: cwd.map(|c| text(c.as_os_str())),
        ids: ids(&mut problems),
        umask: umask(),
        process: process(),
        signals: signals::state(),
        stdio,
        other_fds,
        fd_scan_limit,
        rlimits: limits::all(),
        hostname: hostname(&mut problems),
        problems,
        ..Invocation::default()
    }
}

fn ids(problems: &mut Vec<String>) -> Ids {
    let mut groups = vec![0 as libc::gid_t; 256];
    // SAFETY: `groups` has room for the 256 entries we say it has.
    // AIX: getgroups documented (NGROUPS_MAX is 2048; more than 256 is reported).
    let n = unsafe { libc::getgroups(256, groups.as_mut_ptr()) };
    match usize::try_from(n) {
        Ok(n) => groups.truncate(n),
        Err(_) => {
            problems.push(format!("groups: {}", std::io::Error::last_os_error()));
            groups.clear();
        }
    }
    // SAFETY: these four calls have no preconditions and cannot fail.
    // AIX: getuid, geteuid, getgid, getegid documented.
    unsafe { Ids { uid: libc::getuid(), euid: libc::geteuid(), gid: libc::getgid(), egid: libc::getegid(), groups } }
}

fn umask() -> u32 {
    // SAFETY: umask cannot fail; the mask is put back at once (no threads yet).
    // AIX: umask documented.
    let mask = unsafe { libc::umask(0o077) };
    // SAFETY: as above.
    unsafe { libc::umask(mask) };
    mask
}

fn process() -> Process {
    // SAFETY: none of these calls has preconditions; getsid(0) is this process's session.
    // AIX: getpid, getppid, getpgrp, getsid documented.
    unsafe { Process { pid: libc::getpid(), ppid: libc::getppid(), pgid: libc::getpgrp(), sid: libc::getsid(0) } }
}

fn hostname(problems: &mut Vec<String>) -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: `buf` has the length given; the last byte stays 0.
    // AIX: gethostname documented (MAXHOSTNAMELEN 256).
    if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) } != 0 {
        problems.push(format!("hostname: {}", std::io::Error::last_os_error()));
        return None;
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Some(String::from_utf8_lossy(&buf[..end]).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_kind_follows_the_runtimes_rule() {
        let hook_env = ["PHASE=pre".to_owned(), "DRC_TYPE=cpu".to_owned()];
        assert_eq!(host_kind(&["x".into(), "scriptinfo".into()], &hook_env), HostKind::Aix);
        assert_eq!(host_kind(&["x".into()], &hook_env), HostKind::Hook);
        assert_eq!(host_kind(&["x".into()], &hook_env[..1]), HostKind::Unknown);
    }

    #[test]
    fn the_umask_is_put_back() {
        let before = umask();
        assert_eq!(umask(), before);
    }
}
