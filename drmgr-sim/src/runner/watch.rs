//! Following a started script: bounded reads of its two pipes, its time limit, and
//! the signals that end it. One thread, `poll(2)` on the pipes, no unbounded memory.

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

use super::end::End;
use super::group;

/// How long one `poll` may sleep before the script's state is looked at again.
const TICK: Duration = Duration::from_millis(50);
/// The longest pause between two looks at a script whose pipes are closed.
const MAX_PAUSE: Duration = Duration::from_millis(5);
/// The longest wait for end of file on the pipes once the script has exited.
const DRAIN_WAIT: Duration = Duration::from_millis(250);
/// The longest wait for a script to die after SIGKILL (it may be stuck in the kernel).
const KILL_WAIT: Duration = Duration::from_secs(2);
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
    /// Whether the script leads its own process group, which is then signalled
    /// with it; otherwise only its pid is (it shares drmgr-sim's group).
    pub(crate) own_group: bool,
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
    pub(crate) ending: Ending,
    pub(crate) stdout: Capture,
    pub(crate) stderr: Capture,
    /// A pipe was still open when the script had exited (a background process holds it).
    pub(crate) left_open: bool,
    /// What was signalled when time ran out and what was still alive, in order, in words.
    pub(crate) signals: Vec<String>,
}

/// Whether the script ended within its time limit.
#[derive(Debug)]
pub(crate) enum Ending {
    /// It exited (or was killed by someone else) before its limit.
    Exited(ExitStatus),
    /// It ran past its limit and was signalled; `killed` if SIGKILL was sent.
    TimedOut { killed: bool },
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

/// Follows `child` until it has exited: reads its stdout and stderr (when they are
/// pipes) within the limits; when time runs out, sends SIGTERM to the script and to
/// its process group (when it leads one), and at the end of the grace period
/// SIGKILL to both — to the group even when the script itself has gone, so that no
/// member outlives the limit. Every wait is
/// bounded: a script still alive [`KILL_WAIT`] after SIGKILL is left behind, and
/// the trace says so.
pub(crate) fn watch(child: &mut Child, limits: &Limits) -> io::Result<Watched> {
    let pid = libc::pid_t::try_from(child.id()).map_err(io::Error::other)?;
    // A script that leads a new group (process_group(0)) has its pid as group id.
    let group = limits.own_group.then_some(pid);
    let mut pipes = [Pipe::new(child.stdout.take(), limits.stdout), Pipe::new(child.stderr.take(), limits.stderr)];
    let mut buf = vec![0u8; CHUNK];
    let mut deadline = later(Instant::now(), limits.time);
    let mut stage = Stage::Running;
    let mut pause = Duration::from_micros(50);
    let mut exited = None;
    let mut signals = Vec::new();
    loop {
        if exited.is_none() {
            exited = child.try_wait()?;
        }
        // Once the script has exited, it is waited for only while a timed-out group
        // still has members that the grace period's SIGKILL must reach.
        let done = match (exited, stage) {
            (None, _) => false,
            (Some(_), Stage::Terminating) => group.is_none_or(|group| !group::has_live_members(group)),
            (Some(_), Stage::Running | Stage::Killed) => true,
        };
        if done {
            drain(&mut pipes, &mut buf, limits.grace.min(DRAIN_WAIT))?;
            let left_open = pipes.iter().any(|p| p.file.is_some());
            let [stdout, stderr] = pipes.map(|p| p.capture);
            let ending = match (stage, exited) {
                (Stage::Running, Some(status)) => Ending::Exited(status),
                _ => Ending::TimedOut { killed: stage == Stage::Killed },
            };
            return Ok(Watched { ending, stdout, stderr, left_open, signals });
        }
        let now = Instant::now();
        if now >= deadline {
            let alive = exited.is_none().then_some(pid);
            (stage, deadline) = match stage {
                Stage::Running => {
                    signals.push(format!("time limit reached: {}", group::signal(libc::SIGTERM, alive, group)));
                    (Stage::Terminating, later(now, limits.grace))
                }
                Stage::Terminating => {
                    let still = match (alive, group) {
                        (Some(pid), _) => format!("pid {pid} still running"),
                        (None, Some(group)) => {
                            format!("the script had exited but process group {group} still had members")
                        }
                        // Not reached: without a group, an exited script ends the watch.
                        (None, None) => "the script had exited".to_owned(),
                    };
                    signals.push(format!("grace period over, {still}: {}", group::signal(libc::SIGKILL, alive, group)));
                    (Stage::Killed, later(now, KILL_WAIT))
                }
                Stage::Killed => {
                    signals.push(format!(
                        "pid {pid} was still alive {} s after SIGKILL: drmgr-sim stopped waiting and left it behind",
                        KILL_WAIT.as_secs()
                    ));
                    let [stdout, stderr] = pipes.map(|p| p.capture);
                    return Ok(Watched {
                        ending: Ending::TimedOut { killed: true },
                        stdout,
                        stderr,
                        left_open: true,
                        signals,
                    });
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

/// Ends `child` after [`watch`] failed with `error` (it can no longer be
/// followed, so it is not left behind), and says so for the trace; `what` names
/// it ("the script", "the program").
pub(crate) fn lost_track(child: &mut Child, error: &io::Error, what: &str) -> String {
    if kill_and_reap(child) {
        format!("drmgr-sim lost track of {what} ({error}) and killed it")
    } else {
        format!("drmgr-sim lost track of {what} ({error}); SIGKILL did not end it, it was left behind")
    }
}

/// Kills `child` and reaps it within [`KILL_WAIT`]. Returns whether it was reaped.
fn kill_and_reap(child: &mut Child) -> bool {
    let _ = child.kill();
    let until = later(Instant::now(), KILL_WAIT);
    while Instant::now() < until {
        if !matches!(child.try_wait(), Ok(None)) {
            return true;
        }
        std::thread::sleep(MAX_PAUSE);
    }
    false
}

/// `now + wait`, or a century from now when a huge limit would overflow the clock.
fn later(now: Instant, wait: Duration) -> Instant {
    const CENTURY: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
    now.checked_add(wait.min(CENTURY)).unwrap_or(now)
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

impl Watched {
    /// How the followed program ended, given the limit it had.
    pub(crate) fn end(&self, limit: Duration) -> End {
        match self.ending {
            Ending::TimedOut { killed } => End::TimedOut { limit, killed },
            Ending::Exited(status) => match status.code() {
                Some(code) => End::Exited(code),
                None => End::Signalled(status.signal().unwrap_or(0)),
            },
        }
    }

    /// The notes about stderr being cut and pipes left open.
    pub(crate) fn stderr_notes(&self, limit: usize) -> Vec<String> {
        let mut notes = Vec::new();
        if self.stderr.discarded() > 0 {
            notes.push(format!(
                "stderr: the script wrote {} bytes; only the first {} were kept",
                self.stderr.total, limit
            ));
        }
        if self.left_open {
            notes.push(
                "stdout or stderr was still open after the script exited (a background process holds it); \
                 reading stopped there"
                    .to_owned(),
            );
        }
        notes
    }
}
