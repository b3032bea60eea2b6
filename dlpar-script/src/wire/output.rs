//! The reply of the running command and how it leaves the process.

use std::ffi::c_int;
use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, TryLockError};

use super::{LogLevel, Reply};

/// The reply of the running command, shared by the dispatcher, the logger, the
/// panic hook and the watchdog. It is written out exactly once; lines added after
/// that are dropped, so two writers can never interleave on stdout.
#[derive(Debug, Clone)]
pub(crate) struct Output(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    reply: Mutex<Option<Reply>>,
    /// How many threads are inside [`Output::locked`]: the watchdog's signal handler
    /// may only take the lock when none is, or it could wait on the very thread it
    /// interrupted.
    inside: AtomicUsize,
    /// In the script's own process, the descriptor the reply goes to (stdout, or
    /// its private copy while handlers run); [`NO_FD`] when answered in-process.
    fd: AtomicI32,
}

/// [`Shared::fd`] of a reply answered in somebody else's process.
const NO_FD: c_int = -1;

/// What [`Output::take_if_idle`] found.
#[derive(Debug)]
pub(crate) enum Idle {
    /// A thread is using the reply: try again shortly.
    Busy,
    /// The reply, or `None` if it was already written.
    Taken(Option<Reply>),
}

/// Counts a thread in [`Shared::inside`] for as long as it lives (panics included).
struct Inside<'a>(&'a AtomicUsize);

impl<'a> Inside<'a> {
    fn enter(count: &'a AtomicUsize) -> Inside<'a> {
        count.fetch_add(1, Ordering::SeqCst);
        Inside(count)
    }
}

impl Drop for Inside<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Output {
    /// The reply of a command answered in-process: [`Output::finish`] writes it to
    /// the caller's writer.
    pub(crate) fn new() -> Output {
        Output::with_fd(NO_FD)
    }

    /// The reply of the script's own process, written to stdout (see [`Output::send_to`]).
    pub(crate) fn process() -> Output {
        Output::with_fd(libc::STDOUT_FILENO)
    }

    fn with_fd(fd: c_int) -> Output {
        Output(Arc::new(Shared { reply: Mutex::new(Some(Reply::new())), inside: AtomicUsize::new(0), fd: fd.into() }))
    }

    /// From now on the reply of this process goes to `fd`.
    pub(crate) fn send_to(&self, fd: c_int) {
        self.0.fd.store(fd, Ordering::SeqCst);
    }

    /// The descriptor the reply goes to, in the script's own process.
    pub(crate) fn fd(&self) -> Option<c_int> {
        Some(self.0.fd.load(Ordering::SeqCst)).filter(|&fd| fd != NO_FD)
    }

    fn locked<R>(&self, f: impl FnOnce(&mut Option<Reply>) -> R) -> R {
        let _inside = Inside::enter(&self.0.inside);
        f(&mut self.0.reply.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Runs `f` on the reply unless it has already been written out.
    pub(crate) fn with(&self, f: impl FnOnce(&mut Reply)) {
        self.locked(|reply| reply.as_mut().map(f));
    }

    pub(crate) fn error(&self, message: &str) {
        self.with(|r| r.error(message));
    }

    pub(crate) fn log(&self, level: LogLevel, message: &str) {
        self.with(|r| r.log(level, message));
    }

    /// Writes the reply if nobody has yet (later calls do nothing): to this
    /// process's reply descriptor, or in-process to `caller`. A write error is
    /// reported on stderr, never a panic.
    pub(crate) fn finish(&self, caller: impl Write) {
        let Some(reply) = self.locked(Option::take) else { return };
        let written = match self.fd() {
            Some(fd) => reply.write_to(Fd(fd)),
            None => reply.write_to(caller),
        };
        if let Err(e) = written {
            note(format_args!("could not write the reply: {e}"));
        }
    }

    /// Takes the reply for the watchdog's signal handler, without ever waiting on a
    /// thread that is using it. Uses no allocation and no lock that the interrupted
    /// thread could hold.
    pub(crate) fn take_if_idle(&self) -> Idle {
        if self.0.inside.load(Ordering::SeqCst) != 0 {
            return Idle::Busy;
        }
        match self.0.reply.try_lock() {
            Ok(mut reply) => Idle::Taken(reply.take()),
            Err(TryLockError::Poisoned(reply)) => Idle::Taken(reply.into_inner().take()),
            Err(TryLockError::WouldBlock) => Idle::Busy,
        }
    }
}

/// A descriptor written with `write(2)` alone: no lock that a handler could hold
/// (as it may hold `std::io::stdout()`'s), no buffer.
struct Fd(c_int);

impl Write for Fd {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        // SAFETY: `bytes` is valid for reads of its length.
        let written = unsafe { libc::write(self.0, bytes.as_ptr().cast(), bytes.len()) };
        usize::try_from(written).map_err(|_| io::Error::last_os_error())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes all of `bytes` to `fd`, retrying after `EINTR` and stopping at any other
/// error. Only `write(2)`: safe in a signal handler, never panics.
pub(crate) fn write_fd(fd: c_int, bytes: &[u8]) {
    let _ = Fd(fd).write_all(bytes);
}

/// Writes `dlpar-script: <message>` to stderr; an unwritable stderr is ignored (a
/// panic here, as `eprintln!` would raise, could cost the reply).
pub(crate) fn note(message: fmt::Arguments<'_>) {
    write_fd(libc::STDERR_FILENO, format!("dlpar-script: {message}\n").as_bytes());
}
