//! Logging from handlers with the [`log`] macros: each record becomes a `DR_LOG_*`
//! line of the reply, which drmgr writes to syslog.
//!
//! ```
//! use dlpar_script::prelude::*;
//!
//! fn shrink(ev: &MemEvent, _cx: &mut Context) -> Result<()> {
//!     let request = ev.request_mb.ok_or(Error::missing("DR_MEM_SIZE_REQUEST"))?;
//!     log::info!("shrinking the buffer pool by {request}");
//!     log::debug!("free before: {:?}", ev.free_frames);
//!     Ok(())
//! }
//!
//! let script = Script::new("Acme", "Acme DB follows memory changes").version(1).date("22112026")
//!     .resource(Resource::Mem, "Acme DB buffer pool lives in memory")
//!     .on(Command::PreRelease, Resource::Mem, shrink);
//! let answer = dlpar_script::testing::invoke_with_env(&script, ["prerelease", "mem"],
//!     [("DR_MEM_SIZE_REQUEST", "256"), ("DR_DETAIL_LEVEL", "2")]);
//! assert_eq!(answer.stdout, "DR_LOG_INFO=\"shrinking the buffer pool by 256 MB\"\n");
//! ```
//!
//! # Which detail level shows what
//!
//! drmgr passes `DR_DETAIL_LEVEL` (0..=5; 0, the default, asks for no information;
//! 1 is reserved for the operating system; 2..=5 belong to scripts). [`gate`]
//! decides, record by record:
//!
//! | record | becomes | shown when `DR_DETAIL_LEVEL` is |
//! |---|---|---|
//! | [`Context::emerg`](crate::Context::emerg) | `DR_LOG_EMERG` | always |
//! | `error!` | `DR_LOG_ERR` | always |
//! | `warn!` | `DR_LOG_WARNING` | always |
//! | `info!` | `DR_LOG_INFO` | 2 or more |
//! | `debug!` | `DR_LOG_DEBUG` | 3 or more |
//! | `trace!` | `DR_LOG_DEBUG` | 4 or more |
//! | `debug!`/`trace!` of the runtime itself (target `dlpar_script::…`) | `DR_LOG_DEBUG` | 5 |
//!
//! Why: level 0 asks for no *information*, but errors and warnings are not
//! information, they are what an administrator must see when an operation goes
//! wrong, and a script only emits them when something is wrong. So they are never
//! hidden; level 1 belongs to the operating system and behaves like 0. Each
//! script level then adds one kind of detail, and the last one adds the runtime's
//! own notes (which state file was read, when the watchdog fires), for reports to
//! the script's vendor.
//!
//! # Where lines go
//!
//! Every line goes through the one encoder ([`crate::wire::Reply`]): one line per
//! record, quotes and control characters neutralised, long messages cut. Lines are
//! part of the reply, written once when the command ends.
//!
//! * **Terminal.** When a script runs by hand ([`Script::run`](crate::Script::run)
//!   with stdout on a terminal, which is never the case under drmgr since drmgr
//!   reads stdout through a pipe), each shown record is also printed at once to
//!   stderr as `[info] message`, so a person sees progress live. stdout still gets
//!   exactly the `DR_*` reply drmgr would.
//! * **Syslog** (opt-in, `Script::syslog`, with the `syslog` feature): each shown
//!   line is also sent to the local syslog daemon (`/dev/log` or `/var/run/syslog`),
//!   facility `user`, at the matching priority, as `<PRI>ident[pid]: message`
//!   (syslogd stamps the time of reception). If there is no daemon, nothing
//!   happens and nothing is reported; stdout is never touched. drmgr already sends
//!   `DR_LOG_*` lines to syslog, so turn this on only when a copy under the
//!   script's own name is wanted, or for scripts run outside drmgr.
//!
//! # One logger per process, one reply at a time
//!
//! The runtime installs its logger (`log::set_logger`) when the first handler
//! runs. If the program installed another logger before, that one keeps the
//! records and the runtime says so once on stderr.
//!
//! The logger sends each record to the reply of the command being answered,
//! whichever thread logs it, so handlers may log from threads they start. Records
//! logged when no handler is running (after the handler returned, or before the
//! first command) are dropped. Because the logger is process-wide, commands
//! answered in-process ([`testing::invoke`](crate::testing::invoke),
//! [`Script::run_with`](crate::Script::run_with)) from several threads take turns:
//! while one runs a handler the others wait, so the log lines of two test runs
//! never mix. A handler may itself answer a command in-process on the same thread
//! (its lines go to the inner reply until it ends); doing so from another thread
//! it started would wait for itself, so don't.

mod route;
#[cfg(feature = "syslog")]
mod syslog;

use log::Level;

pub(crate) use route::{Mirrors, Sink, enter};
#[cfg(feature = "syslog")]
pub(crate) use syslog::Syslog;

/// Without the `syslog` feature there is no syslog client: the type has no value,
/// so a script's `Option<Syslog>` is always `None` and the mirror code compiles away.
#[cfg(not(feature = "syslog"))]
#[derive(Debug, Clone)]
pub(crate) enum Syslog {}

#[cfg(not(feature = "syslog"))]
impl Syslog {
    pub(crate) fn send(&self, _level: LogLevel, _line: &str) {
        match *self {}
    }
}

use crate::event::DetailLevel;
use crate::wire::LogLevel;

/// The `DR_LOG_*` level a record of `level` from `target` (a module path) becomes
/// at `detail`, or `None` when that detail level hides it. See the
/// [table](self#which-detail-level-shows-what).
///
/// ```
/// use dlpar_script::event::DetailLevel;
/// use dlpar_script::logging::gate;
/// use dlpar_script::wire::LogLevel;
/// use log::Level;
///
/// let at = DetailLevel::new;
/// assert_eq!(gate(Level::Warn, "acme", at(0)), Some(LogLevel::Warning));
/// assert_eq!(gate(Level::Info, "acme", at(1)), None);
/// assert_eq!(gate(Level::Info, "acme", at(2)), Some(LogLevel::Info));
/// assert_eq!(gate(Level::Trace, "acme", at(4)), Some(LogLevel::Debug));
/// assert_eq!(gate(Level::Debug, "dlpar_script::state", at(4)), None);
/// assert_eq!(gate(Level::Debug, "dlpar_script::state", at(5)), Some(LogLevel::Debug));
/// ```
pub fn gate(level: Level, target: &str, detail: DetailLevel) -> Option<LogLevel> {
    let runtime = target == "dlpar_script" || target.starts_with("dlpar_script::");
    let (line, needs) = match level {
        Level::Error => (LogLevel::Err, 0),
        Level::Warn => (LogLevel::Warning, 0),
        Level::Info => (LogLevel::Info, 2),
        Level::Debug if runtime => (LogLevel::Debug, 5),
        Level::Debug => (LogLevel::Debug, 3),
        Level::Trace if runtime => (LogLevel::Debug, 5),
        Level::Trace => (LogLevel::Debug, 4),
    };
    (detail.get() >= needs).then_some(line)
}
