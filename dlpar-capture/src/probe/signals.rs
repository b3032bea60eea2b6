//! Signal names, and the signal state the process started with.

use crate::record::Signals;

/// The highest signal number examined (Linux has 64, AIX 63).
pub(crate) const MAX_SIGNAL: i32 = 64;

/// Names of the signals both systems have, by this system's numbers.
const COMMON: [(i32, &str); 27] = [
    (libc::SIGHUP, "SIGHUP"),
    (libc::SIGINT, "SIGINT"),
    (libc::SIGQUIT, "SIGQUIT"),
    (libc::SIGILL, "SIGILL"),
    (libc::SIGTRAP, "SIGTRAP"),
    (libc::SIGABRT, "SIGABRT"),
    (libc::SIGBUS, "SIGBUS"),
    (libc::SIGFPE, "SIGFPE"),
    (libc::SIGKILL, "SIGKILL"),
    (libc::SIGUSR1, "SIGUSR1"),
    (libc::SIGSEGV, "SIGSEGV"),
    (libc::SIGUSR2, "SIGUSR2"),
    (libc::SIGPIPE, "SIGPIPE"),
    (libc::SIGALRM, "SIGALRM"),
    (libc::SIGTERM, "SIGTERM"),
    (libc::SIGCHLD, "SIGCHLD"),
    (libc::SIGCONT, "SIGCONT"),
    (libc::SIGSTOP, "SIGSTOP"),
    (libc::SIGTSTP, "SIGTSTP"),
    (libc::SIGTTIN, "SIGTTIN"),
    (libc::SIGTTOU, "SIGTTOU"),
    (libc::SIGURG, "SIGURG"),
    (libc::SIGXCPU, "SIGXCPU"),
    (libc::SIGXFSZ, "SIGXFSZ"),
    (libc::SIGVTALRM, "SIGVTALRM"),
    (libc::SIGPROF, "SIGPROF"),
    (libc::SIGWINCH, "SIGWINCH"),
];

/// Names only this system has.
#[cfg(target_os = "aix")]
const OWN: [(i32, &str); 6] = [
    (libc::SIGIO, "SIGIO"),
    (libc::SIGSYS, "SIGSYS"),
    (libc::SIGPWR, "SIGPWR"),
    (libc::SIGEMT, "SIGEMT"),
    // AIX: sys/signal.h numbers, not in the libc crate: SIGDANGER (paging space low)
    // and SIGRECONFIG (sent for dynamic reconfiguration); verify on a partition.
    (33, "SIGDANGER"),
    (58, "SIGRECONFIG"),
];

#[cfg(not(target_os = "aix"))]
const OWN: [(i32, &str); 3] = [(libc::SIGIO, "SIGIO"), (libc::SIGSYS, "SIGSYS"), (libc::SIGPWR, "SIGPWR")];

/// The name of signal `number` on this system (AIX and Linux number some signals
/// differently), or `SIG<number>` for one without a name here.
///
/// ```
/// assert_eq!(dlpar_capture::signal_name(libc::SIGTERM), "SIGTERM");
/// assert_eq!(dlpar_capture::signal_name(200), "SIG200");
/// ```
pub fn name(number: i32) -> String {
    COMMON
        .iter()
        .chain(OWN.iter())
        .find(|(n, _)| *n == number)
        .map_or_else(|| format!("SIG{number}"), |(_, name)| (*name).to_owned())
}

/// The signal numbers this system accepts (`sigaddset` succeeds), in order.
pub(crate) fn numbers() -> impl Iterator<Item = i32> {
    (1..=MAX_SIGNAL).filter(|&n| {
        // SAFETY: an all-zero sigset is a valid set to initialise.
        let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
        // SAFETY: `set` is valid; sigaddset reports an invalid number with -1.
        // AIX: sigemptyset, sigaddset documented.
        unsafe { libc::sigemptyset(&mut set) == 0 && libc::sigaddset(&mut set, n) == 0 }
    })
}

/// The mask and the dispositions, read without changing them.
pub(crate) fn state() -> Signals {
    // SAFETY: an all-zero sigset is a valid set to write into.
    let mut mask: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: a null `set` only reads the mask into `mask`.
    // AIX: sigprocmask documented (single-threaded here).
    let mask_ok = unsafe { libc::sigprocmask(libc::SIG_BLOCK, std::ptr::null(), &mut mask) } == 0;
    let mut signals = Signals::default();
    for n in numbers() {
        // SAFETY: `mask` was filled by sigprocmask.
        if mask_ok && unsafe { libc::sigismember(&mask, n) } == 1 {
            signals.blocked.push(name(n));
        }
        // SAFETY: an all-zero sigaction is valid to write into.
        let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
        // SAFETY: a null `act` only reads the disposition.
        // AIX: sigaction documented.
        if unsafe { libc::sigaction(n, std::ptr::null(), &mut old) } != 0 {
            continue;
        }
        match old.sa_sigaction {
            libc::SIG_IGN => signals.ignored.push(name(n)),
            libc::SIG_DFL => {}
            _ => signals.caught.push(name(n)),
        }
    }
    signals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_use_this_systems_numbers() {
        assert_eq!(name(libc::SIGTERM), "SIGTERM");
        assert_eq!(name(libc::SIGKILL), "SIGKILL");
        assert_eq!(name(200), "SIG200");
        assert!(numbers().any(|n| n == libc::SIGUSR2));
    }
}
