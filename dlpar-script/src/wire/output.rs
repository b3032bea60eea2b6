//! The reply of the running command and how it leaves the process.

use std::ffi::c_int;
use std::fmt;
use std::io::{self, Write};
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, TryLockError};

use super::readable::each_line;
use super::{LogLevel, Reply, neutralise};

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
    /// The file the private copy was made of, by device and inode, once there is
    /// one (see [`Output::send_to`]).
    copied: AtomicBool,
    dev: AtomicU64,
    ino: AtomicU64,
    /// The process that may answer, once [`Output::claim`] named it; 0 before.
    owner: AtomicI32,
    /// A powerpc-utils hook's reply: written by the dispatcher to its readable
    /// writer, and by [`Output::finish_now`] as readable lines on stderr.
    readable: bool,
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
        Output::with_fd(NO_FD, false)
    }

    /// The reply of the script's own process, written to stdout (see [`Output::send_to`]).
    pub(crate) fn process() -> Output {
        Output::with_fd(libc::STDOUT_FILENO, false)
    }

    /// The reply of the script's own process started as a powerpc-utils hook: the
    /// dispatcher writes it to its readable writer; [`Output::finish_now`] writes it
    /// as readable lines on stderr.
    pub(crate) fn hook() -> Output {
        Output::with_fd(NO_FD, true)
    }

    fn with_fd(fd: c_int, readable: bool) -> Output {
        Output(Arc::new(Shared {
            reply: Mutex::new(Some(Reply::new())),
            inside: AtomicUsize::new(0),
            fd: fd.into(),
            copied: AtomicBool::new(false),
            dev: AtomicU64::new(0),
            ino: AtomicU64::new(0),
            owner: AtomicI32::new(0),
            readable,
        }))
    }

    /// From now on the reply of this process goes to `fd`, a private copy of
    /// stdout: which file it is (device and inode) is noted, so that a handler that
    /// closed it and opened something else under its number is caught at the end
    /// ([`Output::destination`]).
    pub(crate) fn send_to(&self, fd: c_int) {
        if let Some((dev, ino)) = identity(fd) {
            self.0.dev.store(dev, Ordering::SeqCst);
            self.0.ino.store(ino, Ordering::SeqCst);
            self.0.copied.store(true, Ordering::SeqCst);
        }
        self.0.fd.store(fd, Ordering::SeqCst);
    }

    /// The descriptor the reply goes to, in the script's own process.
    pub(crate) fn fd(&self) -> Option<c_int> {
        Some(self.0.fd.load(Ordering::SeqCst)).filter(|&fd| fd != NO_FD)
    }

    /// Names the running process as the only one that may answer: a process a
    /// handler forked and that returns into the runtime writes nothing
    /// ([`Output::is_answerer`]).
    pub(crate) fn claim(&self) {
        self.0.owner.store(pid(), Ordering::SeqCst);
    }

    /// Whether this process may answer: the one [`Output::claim`] named, or any
    /// before a claim. One `getpid` after a claim; allowed in a signal handler.
    pub(crate) fn is_answerer(&self) -> bool {
        let owner = self.0.owner.load(Ordering::SeqCst);
        owner == 0 || owner == pid()
    }

    /// Where the reply may be written now, in the script's own process: `Ok(fd)`,
    /// or `Err(fd)` when `fd` is no longer the copy of stdout it was made as (a
    /// handler closed it, and perhaps opened something else that got its number):
    /// then the reply must not go there. `None` in-process. One `fstat` once
    /// stdout was copied; allowed in a signal handler.
    pub(crate) fn destination(&self) -> Option<Result<c_int, c_int>> {
        let fd = self.fd()?;
        if !self.0.copied.load(Ordering::SeqCst) {
            return Some(Ok(fd));
        }
        let same = identity(fd) == Some((self.0.dev.load(Ordering::SeqCst), self.0.ino.load(Ordering::SeqCst)));
        Some(if same { Ok(fd) } else { Err(fd) })
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
    /// reported on stderr, never a panic. A reply descriptor that is no longer the
    /// copy of stdout (see [`Output::destination`]) is never written: the reply
    /// goes to stderr after a note saying why, and the exit status still answers.
    ///
    /// Only for the process that may answer (see [`Output::claim`]): the
    /// dispatcher gets here only in it (a forked child that returns into the
    /// runtime exits before), so the check is the caller's, made once.
    pub(crate) fn finish(&self, caller: impl Write) {
        let Some(reply) = self.locked(Option::take) else { return };
        let written = match self.destination() {
            Some(Ok(fd)) => reply.write_to(Fd(fd)),
            Some(Err(_)) => {
                write_fd(libc::STDERR_FILENO, LOST_COPY);
                reply.write_to(Fd(libc::STDERR_FILENO))
            }
            None => reply.write_to(caller),
        };
        if let Err(e) = written {
            note(format_args!("could not write the reply: {e}"));
        }
    }

    /// Whether [`Output::finish_now`] has somewhere to write: the script's own
    /// process, started by drmgr or as a hook.
    pub(crate) fn can_finish_now(&self) -> bool {
        self.fd().is_some() || self.0.readable
    }

    /// Writes the reply at once, where this process answers, for the panic hook
    /// before Rust aborts (a second panic): to the reply descriptor, or for a hook
    /// as readable lines on stderr (as its dispatcher would have written them). Does
    /// nothing in-process, in a process that may not answer (see
    /// [`Output::claim`]), or if the reply is out already.
    pub(crate) fn finish_now(&self) {
        if !self.is_answerer() {
            return;
        }
        if self.fd().is_some() {
            return self.finish(io::sink());
        }
        if !self.0.readable {
            return;
        }
        if let Some(reply) = self.locked(Option::take) {
            each_line(reply.as_bytes(), |piece| write_fd(libc::STDERR_FILENO, piece));
        }
    }

    /// Takes the reply for the watchdog's signal handler, without ever waiting on a
    /// thread that is using it. Uses no allocation and no lock that the interrupted
    /// thread could hold.
    pub(crate) fn take_if_idle(&self) -> Idle {
        if !self.is_answerer() {
            return Idle::Taken(None);
        }
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

/// Writes `dlpar-script: <message>` to stderr, neutralised as a reply value is
/// (one line, no control characters: stderr is the operator's terminal or the
/// host's log, and a message may quote a handler's text); an unwritable stderr is
/// ignored (a panic here, as `eprintln!` would raise, could cost the reply).
pub(crate) fn note(message: fmt::Arguments<'_>) {
    let text = message.to_string();
    write_fd(libc::STDERR_FILENO, format!("dlpar-script: {}\n", neutralise(&text)).as_bytes());
}

/// Why the reply went to stderr: the whole [`note`] line [`Output::finish`] and the
/// watchdog write when the private copy of stdout is gone (a constant written
/// with one `write`: the watchdog's signal handler may not allocate).
pub(crate) const LOST_COPY: &[u8] = b"dlpar-script: the reply is written to stderr instead of stdout: the runtime's \
     private copy of stdout was closed or replaced while the handler ran (a handler must not close descriptors it \
     did not open)\n";

/// This process's id. One `getpid`; allowed in a signal handler.
fn pid() -> i32 {
    // AIX: getpid is POSIX and async-signal-safe, in libc.a; nothing AIX-specific to verify.
    // SAFETY: getpid has no preconditions and cannot fail.
    unsafe { libc::getpid() }
}

/// The device and inode of the file `fd` is open on, `None` if it is not open.
/// One `fstat`; allowed in a signal handler.
fn identity(fd: c_int) -> Option<(u64, u64)> {
    let mut stat = MaybeUninit::<libc::stat>::uninit();
    // AIX: fstat is POSIX and async-signal-safe; st_dev/st_ino of a pipe are stable there too: verify on a partition.
    // SAFETY: `stat` is valid for writes of one `struct stat`; read only on success.
    if unsafe { libc::fstat(fd, stat.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: fstat succeeded and filled it.
    let stat = unsafe { stat.assume_init() };
    #[allow(clippy::unnecessary_cast, reason = "dev_t and ino_t differ in width between targets")]
    Some((stat.st_dev as u64, stat.st_ino as u64))
}
