//! Signalling a process: `kill(2)` directly, no subprocess.

use std::io;

use super::{AixError, Pid};
use crate::protocol::word_enum;

word_enum! {
    /// A signal a DLPAR script may send to a process holding a resource.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum Signal {
        /// `SIGHUP`: reread configuration, by convention.
        Hup = "HUP",
        /// `SIGINT`.
        Int = "INT",
        /// `SIGTERM`: end cleanly.
        Term = "TERM",
        /// `SIGKILL`: end now.
        Kill = "KILL",
        /// `SIGUSR1`: application-defined.
        Usr1 = "USR1",
        /// `SIGUSR2`: application-defined.
        Usr2 = "USR2",
        /// `SIGSTOP`: suspend.
        Stop = "STOP",
        /// `SIGCONT`: resume.
        Cont = "CONT",
    }
}

impl Signal {
    fn number(self) -> libc::c_int {
        match self {
            Signal::Hup => libc::SIGHUP,
            Signal::Int => libc::SIGINT,
            Signal::Term => libc::SIGTERM,
            Signal::Kill => libc::SIGKILL,
            Signal::Usr1 => libc::SIGUSR1,
            Signal::Usr2 => libc::SIGUSR2,
            Signal::Stop => libc::SIGSTOP,
            Signal::Cont => libc::SIGCONT,
        }
    }
}

/// Sends `signal` to the process `pid`.
///
/// Process id 0 is refused: `kill(2)` would signal the script's own process group.
///
/// ```
/// use dlpar_script::aix::{send_signal, Pid, Signal};
///
/// let err = send_signal(Pid(0), Signal::Term).unwrap_err();
/// assert_eq!(err.to_string(), "cannot signal process 0: it would signal the caller's own process group");
/// ```
pub fn send_signal(pid: Pid, signal: Signal) -> Result<(), AixError> {
    let fail = |source| AixError::Signal { pid, source };
    let target = libc::pid_t::try_from(pid.0)
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| fail(io::Error::new(io::ErrorKind::InvalidInput, refusal(pid))))?;
    // AIX (kill subroutine): pid > 0 is one process; needs root or a matching uid. Numbers from libc's AIX table.
    // SAFETY: kill(2) has no memory-safety preconditions; `target` is a positive pid,
    // so exactly one process is addressed.
    if unsafe { libc::kill(target, signal.number()) } == 0 { Ok(()) } else { Err(fail(io::Error::last_os_error())) }
}

fn refusal(pid: Pid) -> &'static str {
    if pid.0 == 0 { "it would signal the caller's own process group" } else { "not a process id" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_is_ended_by_sigterm() {
        let mut child = std::process::Command::new("/bin/sleep").arg("30").spawn().unwrap();
        send_signal(Pid(child.id()), Signal::Term).unwrap();
        let status = child.wait().unwrap();
        assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(libc::SIGTERM));
    }

    #[test]
    fn impossible_pids_are_refused_before_any_call() {
        let err = send_signal(Pid(u32::MAX), Signal::Kill).unwrap_err();
        assert_eq!(err.to_string(), "cannot signal process 4294967295: not a process id");
        assert_eq!(Signal::Usr1.to_string(), "USR1");
    }
}
