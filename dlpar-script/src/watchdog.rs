//! Answering drmgr before it ends a script that runs past its time limit.
//!
//! drmgr ends a script that is still running when its declared `DR_TIMEOUT` (or
//! the administrator's `drmgr -w`) runs out, and all it can report is that the
//! script was killed. When a handler runs in a real process
//! ([`Script::run`](crate::Script::run)) and the script declares a timeout, the
//! runtime starts a watchdog thread (unless [`Script::watchdog`](crate::Script::watchdog)
//! turned it off). If the handler is still running [`margin`] before the limit,
//! the watchdog adds `DR_ERROR="time limit reached in <handler> …"` to the reply,
//! writes it (the log lines so far included), and ends the process with status
//! [`EXIT_TIME_LIMIT`]. The reply is written once, so the watchdog and a handler
//! finishing at the same moment cannot both answer.
//!
//! The limit is counted from the start of the command's dispatch, a few
//! milliseconds after drmgr started the process; the margin covers that. A limit
//! set with `drmgr -w` is invisible to the script: a script meant to run longer
//! than its own `DR_TIMEOUT` must turn the watchdog off.
//!
//! In-process runs ([`Script::run_with`](crate::Script::run_with),
//! [`testing::invoke`](crate::testing::invoke)) never start a watchdog: ending the
//! process would end the caller too.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::script::Output;

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

/// A thread that runs an action at a given instant unless disarmed first.
#[derive(Debug)]
pub(crate) struct Watchdog {
    disarmed: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Watchdog {
    /// Runs `action` at `at` unless [`Watchdog::disarm`] comes first. The action
    /// runs while holding the lock `disarm` takes, so once it has started, `disarm`
    /// waits for it (forever, if the action ends the process). Returns `None` if no
    /// thread can be started; the script then runs without a watchdog.
    pub(crate) fn arm(at: Instant, action: impl FnOnce() + Send + 'static) -> Option<Watchdog> {
        let disarmed = Arc::new((Mutex::new(false), Condvar::new()));
        let shared = Arc::clone(&disarmed);
        let thread = thread::Builder::new()
            .name("dlpar-script watchdog".to_owned())
            .spawn(move || {
                let (lock, wake) = &*shared;
                let mut done = lock.lock().unwrap_or_else(PoisonError::into_inner);
                loop {
                    if *done {
                        return;
                    }
                    let now = Instant::now();
                    if now >= at {
                        break;
                    }
                    done = wake.wait_timeout(done, at - now).unwrap_or_else(PoisonError::into_inner).0;
                }
                action();
            })
            .ok()?;
        Some(Watchdog { disarmed, thread: Some(thread) })
    }

    /// Stops the watchdog; if its action is running, waits for it to end.
    pub(crate) fn disarm(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let (lock, wake) = &*self.disarmed;
        *lock.lock().unwrap_or_else(PoisonError::into_inner) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The watchdog of a real process: at `margin(limit)` before `started + limit`,
/// answers `DR_ERROR` through `output` on stdout and exits with [`EXIT_TIME_LIMIT`].
pub(crate) fn guard(output: Output, handler: &str, started: Instant, limit: Duration) -> Option<Watchdog> {
    let margin = margin(limit);
    let at = started + (limit - margin);
    let message = format!(
        "time limit reached in {handler}: still running {} before the end of DR_TIMEOUT={} s",
        tenths(margin),
        limit.as_secs()
    );
    log::debug!("watchdog armed: it answers after {}", tenths(limit - margin));
    Watchdog::arm(at, move || {
        let mut stdout = std::io::stdout().lock();
        if output.fail_and_finish(&message, &mut stdout) {
            let _ = stdout.flush();
            std::process::exit(EXIT_TIME_LIMIT.into());
        }
    })
}

/// `d` in seconds with one decimal, `2.5 s` (integer arithmetic: formatting an
/// `f64` would add its whole machinery to every script binary).
fn tenths(d: Duration) -> String {
    format!("{}.{} s", d.as_secs(), d.subsec_millis() / 100)
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

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

    #[test]
    fn an_armed_watchdog_fires_once_its_time_comes() {
        let (tx, rx) = mpsc::channel();
        let dog = Watchdog::arm(Instant::now() + Duration::from_millis(20), move || tx.send(()).unwrap()).unwrap();
        rx.recv().unwrap();
        dog.disarm();
    }

    #[test]
    fn a_disarmed_watchdog_never_fires() {
        let (tx, rx) = mpsc::channel::<()>();
        let dog = Watchdog::arm(Instant::now() + Duration::from_secs(3600), move || tx.send(()).unwrap()).unwrap();
        dog.disarm();
        // The action, and with it the sender, is dropped unrun.
        assert!(rx.recv().is_err());
    }
}
