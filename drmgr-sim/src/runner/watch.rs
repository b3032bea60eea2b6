//! Following a started script: bounded reads of its two pipes, its time limit, and
//! the signals that end it. One thread, `poll(2)` on the pipes, no unbounded memory.

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, OwnedFd};
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

/// How long one `poll` may sleep before the script's state is looked at again.
const TICK: Duration = Duration::from_millis(50);
/// The longest pause between two looks at a script whose pipes are closed.
const MAX_PAUSE: Duration = Duration::from_millis(5);
/// The longest wait for end of file on the pipes once the script has exited.
const DRAIN_WAIT: Duration = Duration::from_millis(250);
/// Bytes read from a pipe at a time.
const CHUNK: usize = 64 * 1024;

/// The bounds of one invocation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The time limit.
    pub(crate) time: Duration,
    /// How long after SIGTERM before SIGKILL.
    pub(crate) grace: Duration,
    /// Bytes of stdout kept.
    pub(crate) stdout: usize,
    /// Bytes of stderr kept.
    pub(crate) stderr: usize,
}

/// What was read from one pipe: the first bytes up to a limit, and the total count.
#[derive(Debug, Default)]
pub(crate) struct Capture {
    pub(crate) kept: Vec<u8>,
    pub(crate) total: u64,
}

impl Capture {
    fn push(&mut self, chunk: &[u8], limit: usize) {
        let room = limit.saturating_sub(self.kept.len());
        self.kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
        self.total += chunk.len() as u64;
    }

    /// Bytes read but not kept.
    pub(crate) fn discarded(&self) -> u64 {
        self.total - self.kept.len() as u64
    }
}

/// How a followed script ended.
#[derive(Debug)]
pub(crate) struct Watched {
    pub(crate) status: ExitStatus,
    /// `Some(killed)` when the time limit was reached: `killed` if SIGKILL was needed.
    pub(crate) timed_out: Option<bool>,
    pub(crate) stdout: Capture,
    pub(crate) stderr: Capture,
    /// A pipe was still open when the script had exited (a background process holds it).
    pub(crate) left_open: bool,
}

struct Pipe {
    file: Option<File>,
    capture: Capture,
    limit: usize,
}

impl Pipe {
    fn new(fd: Option<impl Into<OwnedFd>>, limit: usize) -> Pipe {
        Pipe { file: fd.map(|fd| File::from(fd.into())), capture: Capture::default(), limit }
    }

    /// One read; closes the pipe at end of file or on an error.
    fn read_once(&mut self, buf: &mut [u8]) {
        let Some(file) = &mut self.file else { return };
        match file.read(buf) {
            Ok(0) => self.file = None,
            Ok(n) => self.capture.push(&buf[..n], self.limit),
            Err(e) if matches!(e.kind(), io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock) => {}
            Err(_) => self.file = None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Running,
    Terminating,
    Killed,
}

/// Follows `child` until it has exited: reads its stdout and stderr within the
/// limits, sends SIGTERM then SIGKILL to its process group when time runs out.
pub(crate) fn watch(child: &mut Child, limits: &Limits) -> io::Result<Watched> {
    let group = libc::pid_t::try_from(child.id()).map_err(io::Error::other)?;
    let mut pipes = [Pipe::new(child.stdout.take(), limits.stdout), Pipe::new(child.stderr.take(), limits.stderr)];
    let mut buf = vec![0u8; CHUNK];
    let mut deadline = later(Instant::now(), limits.time);
    let mut stage = Stage::Running;
    let mut pause = Duration::from_micros(50);
    loop {
        if let Some(status) = child.try_wait()? {
            drain(&mut pipes, &mut buf, limits.grace.min(DRAIN_WAIT))?;
            let left_open = pipes.iter().any(|p| p.file.is_some());
            let [stdout, stderr] = pipes.map(|p| p.capture);
            let timed_out = (stage != Stage::Running).then_some(stage == Stage::Killed);
            return Ok(Watched { status, timed_out, stdout, stderr, left_open });
        }
        let now = Instant::now();
        if now >= deadline {
            (stage, deadline) = match stage {
                Stage::Running => (Stage::Terminating, later(now, signal_group(group, libc::SIGTERM, limits.grace))),
                Stage::Terminating | Stage::Killed => {
                    (Stage::Killed, later(now, signal_group(group, libc::SIGKILL, TICK)))
                }
            };
            continue;
        }
        let wait = (deadline - now).min(TICK);
        if pipes.iter().any(|p| p.file.is_some()) {
            poll_and_read(&mut pipes, &mut buf, wait)?;
        } else {
            std::thread::sleep(pause.min(wait));
            pause = (pause * 2).min(MAX_PAUSE);
        }
    }
}

/// `now + wait`, or a century from now when a huge limit would overflow the clock.
fn later(now: Instant, wait: Duration) -> Instant {
    const CENTURY: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
    now.checked_add(wait.min(CENTURY)).unwrap_or(now)
}

/// Sends `signal` to the process group `group` and returns how long to wait next.
fn signal_group(group: libc::pid_t, signal: libc::c_int, next: Duration) -> Duration {
    // SAFETY: kill(2) with a negative pid signals that process group; the group is the
    // child's own (process_group(0)) and the child has not been reaped yet, so the id
    // cannot have been reused. An error (the group is already gone) needs no action.
    unsafe {
        libc::kill(-group, signal);
    }
    next
}

/// Reads what the pipes still hold after the script exited, until they close, for
/// at most `bound`. A pipe can stay open a moment after the exit even without a
/// background process: another thread of this process may be between fork and exec
/// with a copy of it (parallel tests), so end of file is waited for, not assumed.
fn drain(pipes: &mut [Pipe; 2], buf: &mut [u8], bound: Duration) -> io::Result<()> {
    let until = later(Instant::now(), bound);
    while pipes.iter().any(|p| p.file.is_some()) {
        let now = Instant::now();
        if now >= until {
            break;
        }
        poll_and_read(pipes, buf, until - now)?;
    }
    Ok(())
}

/// Waits up to `wait` for the open pipes to be readable and reads each ready one once.
/// Returns how many were ready.
fn poll_and_read(pipes: &mut [Pipe; 2], buf: &mut [u8], wait: Duration) -> io::Result<usize> {
    let mut fds = [libc::pollfd { fd: -1, events: libc::POLLIN, revents: 0 }; 2];
    for (slot, pipe) in fds.iter_mut().zip(pipes.iter()) {
        // A negative fd is ignored by poll(2).
        slot.fd = pipe.file.as_ref().map_or(-1, AsRawFd::as_raw_fd);
    }
    let millis = libc::c_int::try_from(wait.as_micros().div_ceil(1000)).unwrap_or(libc::c_int::MAX);
    // SAFETY: `fds` is a valid array of two pollfd structures for the whole call.
    let ready = unsafe { libc::poll(fds.as_mut_ptr(), 2, millis) };
    if ready < 0 {
        let error = io::Error::last_os_error();
        return if error.kind() == io::ErrorKind::Interrupted { Ok(0) } else { Err(error) };
    }
    for (slot, pipe) in fds.iter().zip(pipes.iter_mut()) {
        if slot.fd >= 0 && slot.revents != 0 {
            pipe.read_once(buf);
        }
    }
    Ok(usize::try_from(ready).unwrap_or(0))
}
