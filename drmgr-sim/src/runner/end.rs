use std::fmt;
use std::time::Duration;

use dlpar_capture::signal_name;

/// How one invocation of a script ended.
///
/// ```
/// use std::time::Duration;
/// use drmgr_sim::End;
///
/// assert_eq!(End::Exited(1).to_string(), "exit 1");
/// assert_eq!(End::Signalled(libc::SIGSEGV).to_string(), "killed by SIGSEGV");
/// let timeout = End::TimedOut { limit: Duration::from_secs(1), killed: false };
/// assert_eq!(timeout.to_string(), "timed out after 1 s (SIGTERM sent to its process group)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// The script exited with this status.
    Exited(i32),
    /// A signal ended the script (not one drmgr-sim sent).
    Signalled(i32),
    /// The script ran past its time limit and was ended: SIGTERM to it and its
    /// process group, then SIGKILL to both if it or a member of its group was still
    /// running after the grace period. The invocation's notes say what each signal
    /// reached.
    TimedOut {
        /// The limit it ran past.
        limit: Duration,
        /// Whether SIGKILL was needed.
        killed: bool,
    },
    /// The script could not be started at all; the reason.
    NotStarted(String),
}

impl End {
    /// The exit status, when the script exited by itself.
    pub fn exit_code(&self) -> Option<i32> {
        match self {
            End::Exited(code) => Some(*code),
            _ => None,
        }
    }

    /// The name of the signal that ended the script (`SIGSEGV`, or `SIGTERM`/`SIGKILL`
    /// after a timeout), if a signal did.
    pub fn signal_name(&self) -> Option<String> {
        match self {
            End::Signalled(signal) => Some(signal_name(*signal)),
            End::TimedOut { killed, .. } => Some(signal_name(if *killed { libc::SIGKILL } else { libc::SIGTERM })),
            End::Exited(_) | End::NotStarted(_) => None,
        }
    }
}

impl fmt::Display for End {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            End::Exited(code) => write!(f, "exit {code}"),
            End::Signalled(signal) => write!(f, "killed by {}", signal_name(*signal)),
            End::TimedOut { limit, killed } => f.write_str(&timed_out(*limit, *killed, "its process group")),
            End::NotStarted(reason) => write!(f, "not started: {reason}"),
        }
    }
}

/// `timed out after 1 s (SIGTERM sent to WHOM[, SIGKILL after the grace period])`.
pub(crate) fn timed_out(limit: Duration, killed: bool, whom: &str) -> String {
    let kill = if killed { ", SIGKILL after the grace period" } else { "" };
    format!("timed out after {} (SIGTERM sent to {whom}{kill})", seconds(limit))
}

/// A duration in seconds as a person would write it: `1 s`, `0.25 s`.
fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if duration.subsec_nanos() == 0 { format!("{} s", duration.as_secs()) } else { format!("{secs} s") }
}
