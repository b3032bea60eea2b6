//! Answering drmgr before it ends a script that runs past its time limit.
//!
//! drmgr ends a script that is still running when its declared `DR_TIMEOUT` (or
//! the administrator's `drmgr -w`) runs out, and all it can report is that the
//! script was killed. When a handler runs in a real process
//! ([`Script::run`](crate::Script::run), [`Script::run_c_main`](crate::Script::run_c_main))
//! and the script declares a timeout, the runtime arms a watchdog (unless
//! [`Script::watchdog`](crate::Script::watchdog) turned it off). If the handler is
//! still running [`margin`] before the limit, the watchdog writes the reply — the
//! log lines so far, then `DR_ERROR="time limit reached in <handler> …"` — and ends
//! the process with status [`EXIT_TIME_LIMIT`]. The reply is written once, so the
//! watchdog and a handler finishing at the same moment cannot both answer.
//!
//! The watchdog is a one-shot `ITIMER_REAL` timer and its `SIGALRM` handler, not a
//! thread: starting and joining a thread on every command would cost more than the
//! rest of the command. The signal handler allocates nothing and never waits: if
//! another thread is adding to the reply at that instant, it tries again 5 ms
//! later, and as a last resort answers with the `DR_ERROR` line alone. A script
//! that uses `alarm`/`setitimer(ITIMER_REAL)` itself must turn the watchdog off.
//!
//! The limit is counted from the start of the command's dispatch, a few
//! milliseconds after drmgr started the process; the margin covers that. A limit
//! set with `drmgr -w` is invisible to the script: a script meant to run longer
//! than its own `DR_TIMEOUT` must turn the watchdog off.
//!
//! In-process runs ([`Script::run_with`](crate::Script::run_with),
//! [`testing::invoke`](crate::testing::invoke)) never arm a watchdog: ending the
//! process would end the caller too.

use std::ffi::c_int;
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::script::{Idle, Output};
use crate::wire::Reply;

/// The exit status after the watchdog answered: 124, as `timeout(1)` uses.
/// drmgr only distinguishes zero from non-zero (and 10); the distinct value tells a
/// person reading a trace what happened.
pub const EXIT_TIME_LIMIT: u8 = 124;

/// How long before the limit the watchdog answers: a tenth of the limit, at least
/// 500 ms, at most 5 s. Enough for the reply to reach drmgr before it kills, not
/// so much that a long limit loses much of its time.
///
/// | `DR_TIMEOUT` | answers after |
/// |---|---|
/// | 1 s | 0.5 s |
/// | 10 s | 9 s |
/// | 30 s | 27 s |
/// | 120 s | 115 s |
///
/// ```
/// use std::time::Duration;
/// use dlpar_script::watchdog::margin;
///
/// assert_eq!(margin(Duration::from_secs(30)), Duration::from_secs(3));
/// ```
pub fn margin(limit: Duration) -> Duration {
    (limit / 10).clamp(Duration::from_millis(500), Duration::from_secs(5)).min(limit)
}

/// How long the signal handler waits before trying again when the reply is in use.
const RETRY: Duration = Duration::from_millis(5);

/// What the signal handler needs, prepared before the timer is armed.
struct Alarm {
    output: Output,
    /// The encoded `DR_ERROR` line.
    line: Vec<u8>,
    /// Retries left before answering with `line` alone.
    retries: AtomicU32,
}

/// The armed alarm. Whoever swaps it out owns it: the signal handler or
/// [`Watchdog`]'s drop, never both.
static ARMED: AtomicPtr<Alarm> = AtomicPtr::new(ptr::null_mut());

/// An armed watchdog; dropping it disarms it.
#[derive(Debug)]
pub(crate) struct Watchdog(());

impl Watchdog {
    /// Stops the watchdog.
    pub(crate) fn disarm(self) {}
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        set_timer(Duration::ZERO);
        let alarm = ARMED.swap(ptr::null_mut(), Ordering::SeqCst);
        if !alarm.is_null() {
            // SAFETY: swapped out of ARMED, so this is the only owner of the box.
            drop(unsafe { Box::from_raw(alarm) });
        }
    }
}

/// The watchdog of a real process: at `margin(limit)` before `started + limit`,
/// answers `DR_ERROR` through `output` on stdout and exits with [`EXIT_TIME_LIMIT`].
pub(crate) fn guard(output: Output, handler: &str, started: Instant, limit: Duration) -> Watchdog {
    let margin = margin(limit);
    let at = started + (limit - margin);
    let mut line = Reply::new();
    line.error(&format!(
        "time limit reached in {handler}: still running {} before the end of DR_TIMEOUT={} s",
        tenths(margin),
        limit.as_secs()
    ));
    log::debug!("watchdog armed: it answers after {}", tenths(limit - margin));
    let retries = u32::try_from((margin / 2).as_millis() / RETRY.as_millis()).unwrap_or(u32::MAX);
    let alarm = Box::new(Alarm { output, line: line.as_bytes().to_vec(), retries: AtomicU32::new(retries) });
    let previous = ARMED.swap(Box::into_raw(alarm), Ordering::SeqCst);
    if !previous.is_null() {
        // SAFETY: swapped out of ARMED, so this is the only owner of the box.
        drop(unsafe { Box::from_raw(previous) });
    }
    install_handler();
    // At least a microsecond: a zero `it_value` would disarm instead.
    set_timer(at.saturating_duration_since(Instant::now()).max(Duration::from_micros(1)));
    Watchdog(())
}

fn install_handler() {
    // AIX (signal subroutine): reset on delivery is not documented either way; on_alarm re-installs it.
    // SAFETY: `on_alarm` is an `extern "C" fn(c_int)` that only does what a signal
    // handler may. `signal` rather than `sigaction`: its use is the same on every
    // Unix, where the layout of `struct sigaction` is not.
    unsafe { libc::signal(libc::SIGALRM, on_alarm as extern "C" fn(c_int) as libc::sighandler_t) };
}

/// Arms `ITIMER_REAL` to fire once after `after`; zero disarms it.
fn set_timer(after: Duration) {
    let zero = libc::timeval { tv_sec: 0, tv_usec: 0 };
    let value = libc::timeval { tv_sec: after.as_secs() as libc::time_t, tv_usec: after.subsec_micros() as _ };
    let timer = libc::itimerval { it_interval: zero, it_value: value };
    // AIX (setitimer subroutine): ITIMER_REAL, one-shot when it_interval is 0; verify SIGALRM timing there.
    // SAFETY: a valid itimerval; the old value is not asked for.
    unsafe { libc::setitimer(libc::ITIMER_REAL, &timer, ptr::null_mut()) };
}

/// The `SIGALRM` handler: only atomics, `write(2)`, `setitimer(2)`, `signal(2)` and
/// `_exit(2)`, no allocation, no waiting.
extern "C" fn on_alarm(_: c_int) {
    let armed = ARMED.swap(ptr::null_mut(), Ordering::SeqCst);
    if armed.is_null() {
        return;
    }
    // SAFETY: swapped out of ARMED, so this handler owns the alarm; it is never
    // freed here (freeing is not allowed in a signal handler).
    let alarm = unsafe { &*armed };
    match alarm.output.take_if_idle() {
        Idle::Busy if alarm.retries.fetch_sub(1, Ordering::SeqCst) > 0 => {
            install_handler(); // where `signal` resets the handler after delivery
            ARMED.store(armed, Ordering::SeqCst);
            set_timer(RETRY);
        }
        Idle::Busy => answer(&[], &alarm.line),
        Idle::Taken(Some(reply)) => answer(reply.as_bytes(), &alarm.line),
        // The handler finished and its reply is out: nothing left to do.
        Idle::Taken(None) => {}
    }
}

/// Writes the reply and the `DR_ERROR` line to stdout and ends the process.
fn answer(reply: &[u8], line: &[u8]) -> ! {
    write_all(reply);
    write_all(line);
    // AIX: write(2) and _exit(2) are POSIX async-signal-safe; verify on a partition: drmgr sees exit 124.
    // SAFETY: `_exit` ends the process at once, as a signal handler may.
    unsafe { libc::_exit(EXIT_TIME_LIMIT.into()) }
}

fn write_all(mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: `bytes` is valid for reads of its length.
        let written = unsafe { libc::write(libc::STDOUT_FILENO, bytes.as_ptr().cast(), bytes.len()) };
        match written {
            n if n > 0 => bytes = &bytes[n as usize..],
            _ if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted => {}
            _ => return,
        }
    }
}

/// `d` in seconds with one decimal, `2.5 s` (integer arithmetic: formatting an
/// `f64` would add its whole machinery to every script binary).
fn tenths(d: Duration) -> String {
    format!("{}.{} s", d.as_secs(), d.subsec_millis() / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_margin_is_a_tenth_between_half_a_second_and_five_seconds() {
        let secs = |s: f64| Duration::from_secs_f64(s);
        let table = [(1.0, 0.5), (4.0, 0.5), (10.0, 1.0), (30.0, 3.0), (50.0, 5.0), (120.0, 5.0), (0.2, 0.2)];
        for (limit, expected) in table {
            assert_eq!(margin(secs(limit)), secs(expected), "limit {limit} s");
        }
    }

    #[test]
    fn durations_read_in_tenths_of_seconds() {
        assert_eq!(tenths(Duration::from_millis(500)), "0.5 s");
        assert_eq!(tenths(Duration::from_millis(27_049)), "27.0 s");
    }
}
