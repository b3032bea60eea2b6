//! Reading a child's stdout and stderr up to a bound and a deadline, on the
//! calling thread: one `poll` loop over both pipes, no helper thread (a thread and
//! its channel would cost every script that runs an AIX command about a fifth of
//! its size; README.md, "Cargo features", has the measured difference).

use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

/// What was read from one stream.
#[derive(Debug, Default)]
pub(super) struct Captured {
    pub(super) bytes: Vec<u8>,
    /// More than the bound was written; the rest was read and dropped.
    pub(super) overflowed: bool,
}

/// The longest pause between two looks at a child that has closed its pipes but
/// not yet ended.
const MAX_POLL: Duration = Duration::from_millis(20);

/// Reads the child's stdout and stderr to their ends (keeping at most `limits`
/// bytes of each; both are always drained, so a chatty child never blocks on a
/// full pipe) and waits for it to end, all before `deadline`. `None` when the
/// deadline came first: the child is still running, or something it started still
/// holds a pipe open.
pub(super) fn collect(
    child: &mut Child,
    limits: (usize, usize),
    deadline: Instant,
) -> Option<(ExitStatus, Captured, Captured)> {
    let mut streams = [
        Stream { pipe: child.stdout.take().map(Pipe::Out), limit: limits.0, captured: Captured::default() },
        Stream { pipe: child.stderr.take().map(Pipe::Err), limit: limits.1, captured: Captured::default() },
    ];
    let mut status = None;
    let mut pause = Duration::from_millis(1);
    loop {
        if status.is_none() {
            match child.try_wait() {
                Ok(found) => status = found,
                // The child cannot be waited for: treat it like one that never ends.
                Err(_) => return None,
            }
        }
        let open: Vec<usize> = (0..2).filter(|&i| streams[i].pipe.is_some()).collect();
        if let (Some(status), true) = (status, open.is_empty()) {
            let [out, err] = streams.map(|s| s.captured);
            return Some((status, out, err));
        }
        let now = Instant::now();
        if now >= deadline {
            return None;
        }
        // While a pipe is open, wait on it (data or its end wakes the loop); once
        // both are closed, only the child's end is awaited, in growing pauses.
        let wait = if open.is_empty() { pause } else { MAX_POLL }.min(deadline - now);
        if open.is_empty() {
            std::thread::sleep(wait);
            pause = (pause * 2).min(MAX_POLL);
            continue;
        }
        let mut fds: Vec<libc::pollfd> =
            open.iter().map(|&i| libc::pollfd { fd: streams[i].fd(), events: libc::POLLIN, revents: 0 }).collect();
        // AIX: poll(2) is POSIX; stdio.rs uses it as well; POLLHUP at a pipe's end is to verify there.
        // SAFETY: `fds` is a valid array of `fds.len()` pollfd entries for the call.
        let ready = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, wait.as_millis() as libc::c_int) };
        if ready < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return None;
        }
        for (entry, &i) in fds.iter().zip(&open) {
            if entry.revents != 0 {
                streams[i].read_some();
            }
        }
    }
}

/// One of the child's output pipes.
enum Pipe {
    Out(std::process::ChildStdout),
    Err(std::process::ChildStderr),
}

struct Stream {
    /// `None` once the pipe reached its end (or failed).
    pipe: Option<Pipe>,
    limit: usize,
    captured: Captured,
}

impl Stream {
    fn fd(&self) -> libc::c_int {
        match &self.pipe {
            Some(Pipe::Out(pipe)) => pipe.as_raw_fd(),
            Some(Pipe::Err(pipe)) => pipe.as_raw_fd(),
            None => -1,
        }
    }

    /// One read, after `poll` said the pipe is readable or closed: it does not block.
    fn read_some(&mut self) {
        let mut chunk = [0u8; 8192];
        let read = match &mut self.pipe {
            Some(Pipe::Out(pipe)) => pipe.read(&mut chunk),
            Some(Pipe::Err(pipe)) => pipe.read(&mut chunk),
            None => return,
        };
        match read {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Ok(0) | Err(_) => self.pipe = None,
            Ok(n) => {
                let room = self.limit - self.captured.bytes.len();
                self.captured.bytes.extend_from_slice(&chunk[..n.min(room)]);
                self.captured.overflowed |= n > room;
            }
        }
    }
}
