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
//! # When the host ends the command first
//!
//! drmgr may end a script sooner than its `DR_TIMEOUT` (an administrator's
//! `drmgr -w`): it sends `SIGTERM`, then `SIGKILL`. While a handler runs in a real
//! process, whether or not the watchdog is on, the runtime answers `SIGTERM` the
//! same way: the log lines so far, then `DR_ERROR="<handler> was ended by the host
//! after N s (SIGTERM) …"`, and exit status [`EXIT_ENDED_BY_HOST`]. That handler
//! too allocates nothing: the seconds are formatted into a buffer on its stack. A
//! `SIGTERM` before the handler ends the process as usual, and a handler may
//! install its own `SIGTERM` handler, which replaces the runtime's. Once the
//! handler has returned, the answer is decided and `SIGTERM` is ignored until the
//! reply is written (a large reply may wait on a full pipe): finishing it takes
//! priority. A host that never reads keeps the script in `write` until its
//! `SIGKILL`, or until it closes the pipe.
//!
//! Both answers go to the reply's private descriptor (see
//! [`Script::run`](crate::Script::run)), never to whatever fd 1 is at that moment.
//!
//! In-process runs ([`Script::run_with`](crate::Script::run_with),
//! [`testing::invoke`](crate::testing::invoke)) never arm a watchdog: ending the
//! process would end the caller too; nor do they answer `SIGTERM`.

use std::ffi::c_int;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::wire::{Idle, LOST_COPY, Output, Reply, write_fd};

/// The exit status after the watchdog answered: 124, as `timeout(1)` uses.
/// drmgr only distinguishes zero from non-zero (and 10); the distinct value tells a
/// person reading a trace what happened.
pub const EXIT_TIME_LIMIT: u8 = 124;

/// The exit status after the runtime answered the host's `SIGTERM`: 143, which a
/// shell reports for a process that `SIGTERM` (15) ended (128 + 15).
pub const EXIT_ENDED_BY_HOST: u8 = 143;

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

/// How many times the answer to `SIGTERM` is tried again when no time limit set
/// the number: 100 ms in all, well within the host's grace before `SIGKILL`.
const TERM_RETRIES: u32 = 20;

/// What the signal handlers need, prepared before the handler runs.
struct Alarm {
    output: Output,
    /// The encoded time-limit `DR_ERROR` line.
    line: Vec<u8>,
    /// The encoded `DR_ERROR` line answering `SIGTERM`, before and after its seconds.
    ended: (Vec<u8>, Vec<u8>),
    started: Instant,
    /// Retries left before answering with the `DR_ERROR` line alone.
    retries: AtomicU32,
    /// A powerpc-utils hook: readable lines on stderr instead of the reply on stdout.
    readable: bool,
}

/// The armed alarm. Whoever swaps it out owns it: a signal handler or
/// [`Watchdog`]'s drop, never both.
static ARMED: AtomicPtr<Alarm> = AtomicPtr::new(ptr::null_mut());
/// Whether `SIGTERM` came while a handler ran.
static ENDED: AtomicBool = AtomicBool::new(false);
/// Held by the signal handler deciding the answer; a signal arriving meanwhile
/// (nested, or on another thread) only leaves its mark in [`ENDED`].
static ANSWERING: AtomicBool = AtomicBool::new(false);

/// An armed watchdog; dropping it disarms it.
#[derive(Debug)]
pub(crate) struct Watchdog {
    /// Whether the time-limit timer is armed (else `ITIMER_REAL` is the script's).
    timer: bool,
}

impl Watchdog {
    /// Stops the watchdog.
    pub(crate) fn disarm(self) {}
}

impl Drop for Watchdog {
    /// The handler has returned, so the answer is decided: from here on `SIGTERM`
    /// is ignored, and writing the reply takes priority over the host's request to
    /// stop (a reply cut mid-line would lose its `DR_ERROR`). A host that never
    /// reads the reply keeps the script blocked in `write` until it sends
    /// `SIGKILL`, which cannot be ignored, or closes the pipe (the write then fails
    /// with `EPIPE`, noted on stderr, and the script exits with its status).
    fn drop(&mut self) {
        // AIX: SIG_IGN through signal(), as install() below; verify a SIGTERM after the handler is ignored there.
        // SAFETY: setting a signal's disposition to "ignore" has no preconditions.
        unsafe { libc::signal(libc::SIGTERM, libc::SIG_IGN) };
        if self.timer {
            set_timer(Duration::ZERO);
        }
        let alarm = ARMED.swap(ptr::null_mut(), Ordering::SeqCst);
        if !alarm.is_null() {
            // SAFETY: swapped out of ARMED, so this is the only owner of the box.
            drop(unsafe { Box::from_raw(alarm) });
        }
    }
}

/// Guards a handler of a real process, whose reply is `output`: answers `SIGTERM`
/// and, given a `limit`, answers at `margin(limit)` before `started + limit`; each
/// answer is `DR_ERROR` on the reply's descriptor (`readable`: as readable lines
/// on stderr, for a [hook](crate::hook)), then the process exits.
pub(crate) fn guard(
    output: Output,
    handler: &str,
    started: Instant,
    limit: Option<Duration>,
    readable: bool,
) -> Watchdog {
    let mut line = Reply::new();
    let mut retries = TERM_RETRIES;
    if let Some(limit) = limit {
        let margin = margin(limit);
        line.error(&format!(
            "time limit reached in {handler}: still running {} before the end of DR_TIMEOUT={} s",
            tenths(margin),
            limit.as_secs()
        ));
        log::debug!("watchdog armed: it answers after {}", tenths(limit - margin));
        retries = u32::try_from((margin / 2).as_millis() / RETRY.as_millis()).unwrap_or(u32::MAX);
    }
    let alarm = Box::new(Alarm {
        output,
        line: line.as_bytes().to_vec(),
        ended: ended_line(handler),
        started,
        retries: AtomicU32::new(retries),
        readable,
    });
    ENDED.store(false, Ordering::SeqCst);
    ANSWERING.store(false, Ordering::SeqCst);
    let previous = ARMED.swap(Box::into_raw(alarm), Ordering::SeqCst);
    if !previous.is_null() {
        // SAFETY: swapped out of ARMED, so this is the only owner of the box.
        drop(unsafe { Box::from_raw(previous) });
    }
    // AIX: SIGTERM (15) through signal(), as SIGALRM; which signal drmgr sends at -w is undocumented: verify there.
    install(libc::SIGTERM, on_term);
    if let Some(limit) = limit {
        install(libc::SIGALRM, on_alarm);
        let at = started + (limit - margin(limit));
        // At least a microsecond: a zero `it_value` would disarm instead.
        set_timer(at.saturating_duration_since(Instant::now()).max(Duration::from_micros(1)));
    }
    Watchdog { timer: limit.is_some() }
}

/// The `DR_ERROR` line answering `SIGTERM`, split where its seconds go.
fn ended_line(handler: &str) -> (Vec<u8>, Vec<u8>) {
    const SECONDS: &str = "<seconds>";
    // Short enough that the value limit never cuts the line before the seconds.
    let handler: String = handler.chars().take(200).collect();
    let mut line = Reply::new();
    line.error(&format!(
        "{handler} was ended by the host after {SECONDS} s (SIGTERM): the host's time limit \
         (drmgr -w) is shorter than the command needs"
    ));
    let bytes = line.as_bytes();
    let at = bytes.windows(SECONDS.len()).rposition(|w| w == SECONDS.as_bytes()).unwrap_or(bytes.len());
    (bytes[..at].to_vec(), bytes[(at + SECONDS.len()).min(bytes.len())..].to_vec())
}

fn install(signal: c_int, handler: extern "C" fn(c_int)) {
    // AIX (signal subroutine): reset on delivery is not documented either way; on_alarm re-installs it.
    // SAFETY: `handler` only does what a signal handler may. `signal` rather than
    // `sigaction`: its use is the same on every Unix, where the layout of
    // `struct sigaction` is not.
    unsafe { libc::signal(signal, handler as libc::sighandler_t) };
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

/// The `SIGALRM` handler: the time limit, or a retry.
extern "C" fn on_alarm(_: c_int) {
    answer_if_due(false);
}

/// The `SIGTERM` handler.
extern "C" fn on_term(_: c_int) {
    ENDED.store(true, Ordering::SeqCst);
    answer_if_due(true);
}

/// Answers for the running handler, or tries again shortly if the reply is in use.
/// Only atomics, `write(2)`, `setitimer(2)`, `signal(2)`, `raise(3)`,
/// `clock_gettime(2)` and `_exit(2)`: no allocation, no waiting.
fn answer_if_due(term: bool) {
    if ANSWERING.swap(true, Ordering::SeqCst) {
        return;
    }
    let armed = ARMED.swap(ptr::null_mut(), Ordering::SeqCst);
    if armed.is_null() {
        ANSWERING.store(false, Ordering::SeqCst);
        if term {
            end_as_usual();
        }
        return;
    }
    // SAFETY: swapped out of ARMED, so this handler owns the alarm; it is never
    // freed here (freeing is not allowed in a signal handler).
    let alarm = unsafe { &*armed };
    match alarm.output.take_if_idle() {
        Idle::Busy if alarm.retries.fetch_sub(1, Ordering::SeqCst) > 0 => {
            install(libc::SIGALRM, on_alarm); // also where `signal` resets it after delivery
            ARMED.store(armed, Ordering::SeqCst);
            ANSWERING.store(false, Ordering::SeqCst);
            set_timer(RETRY);
        }
        Idle::Busy => answer(alarm, &[]),
        Idle::Taken(Some(reply)) => answer(alarm, reply.as_bytes()),
        // The handler finished and its reply is out: nothing left to answer.
        Idle::Taken(None) if term => end_as_usual(),
        Idle::Taken(None) => {}
    }
}

/// `SIGTERM`'s own action: the process ends.
fn end_as_usual() {
    // SAFETY: restoring the default action and raising the signal again are
    // allowed in a signal handler; it is delivered once this handler returns.
    unsafe {
        libc::signal(libc::SIGTERM, libc::SIG_DFL);
        libc::raise(libc::SIGTERM);
    }
}

/// Writes the reply and the `DR_ERROR` line to the reply's descriptor (a hook's:
/// as readable lines on stderr) and ends the process. Allocates nothing.
fn answer(alarm: &Alarm, reply: &[u8]) -> ! {
    // The private copy of stdout, unless a handler closed or replaced it: then
    // stderr, after a note (never whatever now holds its number).
    let fd = match alarm.output.destination() {
        Some(Ok(fd)) => fd,
        Some(Err(_)) => {
            write_fd(libc::STDERR_FILENO, LOST_COPY);
            libc::STDERR_FILENO
        }
        None => libc::STDOUT_FILENO,
    };
    let emit = |bytes: &[u8]| match alarm.readable {
        false => write_fd(fd, bytes),
        true => crate::wire::each_line(bytes, |piece| write_fd(libc::STDERR_FILENO, piece)),
    };
    emit(reply);
    let code = if ENDED.load(Ordering::SeqCst) {
        let (mut seconds, mut line) = ([0; 24], [0; 2048]);
        let seconds = tenths_into(alarm.started.elapsed(), &mut seconds);
        emit(join_into(&mut line, [&alarm.ended.0[..], seconds, &alarm.ended.1[..]]));
        EXIT_ENDED_BY_HOST
    } else {
        emit(&alarm.line);
        EXIT_TIME_LIMIT
    };
    // AIX: write(2) and _exit(2) are POSIX async-signal-safe; verify on a partition: drmgr sees exit 124/143.
    // SAFETY: `_exit` ends the process at once, as a signal handler may.
    unsafe { libc::_exit(code.into()) }
}

/// `pieces` one after the other in `buf` (cut at its end), without allocating.
fn join_into<'b>(buf: &'b mut [u8], pieces: [&[u8]; 3]) -> &'b [u8] {
    let mut len = 0;
    for piece in pieces {
        let n = piece.len().min(buf.len() - len);
        buf[len..len + n].copy_from_slice(&piece[..n]);
        len += n;
    }
    &buf[..len]
}

/// `d` in seconds with one decimal, `2.5`, written at the end of `buf` without
/// allocating; returns the digits.
fn tenths_into(d: Duration, buf: &mut [u8; 24]) -> &[u8] {
    let mut at = buf.len() - 1;
    buf[at] = b'0' + (d.subsec_millis() / 100) as u8;
    at -= 1;
    buf[at] = b'.';
    let mut secs = d.as_secs();
    loop {
        at -= 1;
        buf[at] = b'0' + (secs % 10) as u8;
        secs /= 10;
        if secs == 0 {
            return &buf[at..];
        }
    }
}

/// `d` in seconds with one decimal, `2.5 s` (integer arithmetic: formatting an
/// `f64` would add its whole machinery to every script binary).
fn tenths(d: Duration) -> String {
    let mut buf = [0; 24];
    format!("{} s", String::from_utf8_lossy(tenths_into(d, &mut buf)))
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
        assert_eq!(tenths(Duration::from_secs(u64::MAX)), format!("{}.0 s", u64::MAX));
    }

    #[test]
    fn the_answer_to_sigterm_is_one_dr_error_line_around_its_seconds() {
        let (before, after) = ended_line("slow_check");
        let mut buf = [0; 24];
        let line = [&before[..], tenths_into(Duration::from_millis(3250), &mut buf), &after[..]].concat();
        assert_eq!(
            String::from_utf8(line).unwrap(),
            "DR_ERROR=\"slow_check was ended by the host after 3.2 s (SIGTERM): the host's time limit \
             (drmgr -w) is shorter than the command needs\"\n"
        );
    }
}
