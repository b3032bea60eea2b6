//! The process-wide logger and the slot naming the reply it writes to.

use std::cell::Cell;
use std::sync::{Mutex, MutexGuard, Once, OnceLock, PoisonError};

use log::{LevelFilter, Log, Metadata, Record};

use super::{Syslog, gate};
use crate::event::DetailLevel;
use crate::wire::{LogLevel, Output, neutralise, note, write_fd};

/// Where shown lines are copied besides the reply.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mirrors {
    /// Print each line to stderr as it is logged when stdout is a terminal (a
    /// person runs the script). Whether it is, is asked once, at the first line
    /// shown: a command that shows nothing, as under drmgr, never asks.
    pub(crate) terminal: bool,
    /// Send each line to the local syslog daemon.
    pub(crate) syslog: Option<Syslog>,
}

/// The destination of the records of one command: its reply, its detail level
/// and the mirrors.
#[derive(Debug, Clone)]
pub(crate) struct Sink {
    output: Output,
    detail: DetailLevel,
    mirrors: Mirrors,
}

impl Sink {
    pub(crate) fn new(output: Output, detail: DetailLevel, mirrors: Mirrors) -> Sink {
        Sink { output, detail, mirrors }
    }

    /// Writes one line at `level`, ungated, to the reply and the mirrors.
    pub(crate) fn emit(&self, level: LogLevel, message: &str) {
        self.output.log(level, message);
        let terminal = self.mirrors.terminal && reply_is_terminal(&self.output);
        if terminal || self.mirrors.syslog.is_some() {
            let line = neutralise(message);
            if terminal {
                // Not through `stderr()`'s lock, which a handler's thread may hold.
                write_fd(libc::STDERR_FILENO, format!("[{level}] {line}\n").as_bytes());
            }
            if let Some(syslog) = &self.mirrors.syslog {
                syslog.send(level, &line);
            }
        }
    }

    fn record(&self, record: &Record<'_>) {
        if let Some(level) = gate(record.level(), record.target(), self.detail) {
            self.emit(level, &record.args().to_string());
        }
    }
}

/// Whether this process's reply goes to a terminal, asked once. Not fd 1: while
/// handlers run, that is stderr.
fn reply_is_terminal(output: &Output) -> bool {
    static TERMINAL: OnceLock<bool> = OnceLock::new();
    // AIX: isatty(3) is POSIX, in libc.a; under drmgr stdout is a pipe, so this is false there.
    // SAFETY: isatty only inspects the descriptor.
    *TERMINAL.get_or_init(|| output.fd().is_some_and(|fd| unsafe { libc::isatty(fd) } == 1))
}

/// The sinks of the commands being answered, innermost last.
static CURRENT: Mutex<Vec<Sink>> = Mutex::new(Vec::new());
/// Held by the thread answering a command, so that commands take turns.
static TURN: Mutex<()> = Mutex::new(());

thread_local! {
    /// Whether this thread holds [`TURN`] (a nested command must not take it again).
    static HOLDS_TURN: Cell<bool> = const { Cell::new(false) };
}

fn current() -> MutexGuard<'static, Vec<Sink>> {
    CURRENT.lock().unwrap_or_else(PoisonError::into_inner)
}

/// While alive, records go to one command's sink. Dropping it restores the
/// previous destination and lets the next command run.
#[derive(Debug)]
pub(crate) struct Scope {
    // Dropped after `Drop::drop` has restored the slot.
    turn: Option<MutexGuard<'static, ()>>,
}

/// Sends the records logged from now on, from any thread, to `sink`; waits first
/// while another thread answers a command.
pub(crate) fn enter(sink: Sink) -> Scope {
    install();
    let turn = (!HOLDS_TURN.get()).then(|| {
        let guard = TURN.lock().unwrap_or_else(PoisonError::into_inner);
        HOLDS_TURN.set(true);
        guard
    });
    current().push(sink);
    Scope { turn }
}

impl Drop for Scope {
    fn drop(&mut self) {
        current().pop();
        if self.turn.is_some() {
            HOLDS_TURN.set(false);
        }
    }
}

/// The logger `log` calls: forwards to the innermost sink.
struct Router;

impl Log for Router {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        current().last().is_some_and(|sink| gate(metadata.level(), metadata.target(), sink.detail).is_some())
    }

    fn log(&self, record: &Record<'_>) {
        // Clone out of the lock: formatting the message may log again.
        let sink = current().last().cloned();
        if let Some(sink) = sink {
            sink.record(record);
        }
    }

    fn flush(&self) {}
}

/// Installs the runtime's logger once per process.
fn install() {
    static INSTALL: Once = Once::new();
    static ROUTER: Router = Router;
    INSTALL.call_once(|| match log::set_logger(&ROUTER) {
        Ok(()) => log::set_max_level(LevelFilter::Trace),
        Err(_) => note(format_args!("another logger is installed; log records will not become DR_LOG lines")),
    });
}
