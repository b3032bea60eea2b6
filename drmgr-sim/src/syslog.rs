//! Forwarding `DR_LOG_*` lines to syslog with the `-S` identifier, as drmgr does.

use std::fmt;
use std::path::Path;

use dlpar_script::wire::LogLevel;
use syslog::{Facility, Formatter3164, Logger, LoggerBackend};

use crate::trace::Invocation;

/// A connection to the local syslog daemon that writes each `DR_LOG_*` line of an
/// invocation at its priority (`DR_LOG_ERR` → `LOG_ERR`, …), tagged with an ID.
///
/// ```no_run
/// # fn f(invocation: &drmgr_sim::Invocation) -> Result<(), String> {
/// let mut syslog = drmgr_sim::Syslog::connect("DRMGR")?;
/// syslog.forward(invocation)?;
/// # Ok(()) }
/// ```
pub struct Syslog {
    id: String,
    logger: Logger<LoggerBackend, Formatter3164>,
}

impl fmt::Debug for Syslog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Syslog").field("id", &self.id).finish_non_exhaustive()
    }
}

impl Syslog {
    /// Connects to the local syslog socket (`/dev/log` or `/var/run/syslog`),
    /// messages tagged `id` (facility user).
    pub fn connect(id: &str) -> Result<Syslog, String> {
        let logger = syslog::unix(Syslog::formatter(id)).map_err(|e| format!("cannot reach syslog: {e}"))?;
        Ok(Syslog { id: id.to_owned(), logger })
    }

    /// Connects to the syslog socket at `socket` (a datagram or stream Unix socket).
    pub fn connect_to(id: &str, socket: &Path) -> Result<Syslog, String> {
        let logger = syslog::unix_custom(Syslog::formatter(id), socket)
            .map_err(|e| format!("cannot reach syslog at {}: {e}", socket.display()))?;
        Ok(Syslog { id: id.to_owned(), logger })
    }

    fn formatter(id: &str) -> Formatter3164 {
        Formatter3164 { facility: Facility::LOG_USER, hostname: None, process: id.to_owned(), pid: std::process::id() }
    }

    /// Writes the invocation's log lines, each as `script command resource: text`.
    pub fn forward(&mut self, invocation: &Invocation) -> Result<(), String> {
        let resource = invocation.resource.as_ref().map(|r| format!(" {r}")).unwrap_or_default();
        for (level, text) in invocation.logs() {
            let message = format!("{} {}{resource}: {text}", invocation.script, invocation.command);
            let written = match level {
                LogLevel::Emerg => self.logger.emerg(message),
                LogLevel::Err => self.logger.err(message),
                LogLevel::Warning => self.logger.warning(message),
                LogLevel::Info => self.logger.info(message),
                LogLevel::Debug => self.logger.debug(message),
            };
            written.map_err(|e| format!("cannot write to syslog: {e}"))?;
        }
        Ok(())
    }
}
