use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, TryLockError};

use super::{LogLevel, Reply};

/// The reply of the running command, shared by the dispatcher, the logger and the
/// watchdog. It is written out exactly once; lines added after that are dropped,
/// so two writers can never interleave on stdout.
#[derive(Debug, Clone, Default)]
pub(crate) struct Output(Arc<Shared>);

#[derive(Debug, Default)]
struct Shared {
    reply: Mutex<Option<Reply>>,
    /// How many threads are inside [`Output::locked`]: the watchdog's signal handler
    /// may only take the lock when none is, or it could wait on the very thread it
    /// interrupted.
    inside: AtomicUsize,
}

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
    pub(crate) fn new() -> Output {
        Output(Arc::new(Shared { reply: Mutex::new(Some(Reply::new())), inside: AtomicUsize::new(0) }))
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

    /// Writes the reply to `out` if nobody has yet; later calls do nothing.
    pub(crate) fn finish(&self, out: impl Write) {
        if let Some(reply) = self.locked(Option::take)
            && let Err(e) = reply.write_to(out)
        {
            eprintln!("dlpar-script: could not write the reply: {e}");
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
