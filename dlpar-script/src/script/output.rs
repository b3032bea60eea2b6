use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use crate::wire::{LogLevel, Reply};

/// The reply of the running command, shared by the dispatcher, the logger and the
/// watchdog. It is written out exactly once; lines added after that are dropped,
/// so two writers can never interleave on stdout.
#[derive(Debug, Clone, Default)]
pub(crate) struct Output(Arc<Mutex<Option<Reply>>>);

impl Output {
    pub(crate) fn new() -> Output {
        Output(Arc::new(Mutex::new(Some(Reply::new()))))
    }

    /// Runs `f` on the reply unless it has already been written out.
    pub(crate) fn with(&self, f: impl FnOnce(&mut Reply)) {
        let mut guard = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(reply) = guard.as_mut() {
            f(reply);
        }
    }

    pub(crate) fn error(&self, message: &str) {
        self.with(|r| r.error(message));
    }

    pub(crate) fn log(&self, level: LogLevel, message: &str) {
        self.with(|r| r.log(level, message));
    }

    /// Writes the reply to `out` if nobody has yet; later calls do nothing.
    pub(crate) fn finish(&self, out: impl Write) {
        let reply = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(reply) = reply {
            write(&reply, out);
        }
    }

    /// Adds `DR_ERROR` and writes the reply in one step, holding the lock
    /// throughout, so nothing can slip in between; returns false (and writes
    /// nothing) if the reply was already written.
    pub(crate) fn fail_and_finish(&self, message: &str, out: impl Write) -> bool {
        let mut guard = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(mut reply) = guard.take() else { return false };
        reply.error(message);
        write(&reply, out);
        true
    }
}

fn write(reply: &Reply, out: impl Write) {
    if let Err(e) = reply.write_to(out) {
        eprintln!("dlpar-script: could not write the reply: {e}");
    }
}
