//! The optional copy of log lines to the local syslog daemon.
//!
//! The `syslog` crate's own formatters and `init*` helpers are not used: they find
//! the process name through `current_exe` (unreliable on AIX) and the RFC 3164
//! formatter unwraps the local time offset, which panics in a process with more
//! than one thread. The formatter here writes `<PRI>ident[pid]: message` and
//! leaves the timestamp to syslogd, which stamps local messages without one.

use std::fmt::{self, Display};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use syslog::{Facility, LogFormat, Logger, LoggerBackend, Severity};

use crate::wire::LogLevel;

/// A lazily connected syslog client; clones share the connection.
#[derive(Clone)]
pub(crate) struct Syslog {
    ident: Arc<str>,
    /// A socket path instead of the system's (`/dev/log`, `/var/run/syslog`).
    socket: Option<PathBuf>,
    connection: Arc<Mutex<Option<Logger<LoggerBackend, Format>>>>,
}

impl fmt::Debug for Syslog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Syslog").field("ident", &self.ident).field("socket", &self.socket).finish()
    }
}

impl Syslog {
    /// A client that logs as `ident` to the system's syslog socket. Characters
    /// that would confuse the `ident[pid]:` header become `_`.
    pub(crate) fn new(ident: &str) -> Syslog {
        let ident: String =
            ident.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
        Syslog { ident: ident.into(), socket: None, connection: Arc::default() }
    }

    #[cfg(test)]
    pub(crate) fn at(ident: &str, socket: PathBuf) -> Syslog {
        Syslog { socket: Some(socket), ..Syslog::new(ident) }
    }

    /// Sends one line. Connects on first use; after a failure the next line tries
    /// again. Never reports anything: syslog is a copy, the reply is what counts.
    pub(crate) fn send(&self, level: LogLevel, line: &str) {
        let mut connection = self.connection.lock().unwrap_or_else(PoisonError::into_inner);
        if connection.is_none() {
            // The pid is asked here, not when the script is built: a command that
            // sends nothing never asks.
            let format = Format { ident: self.ident.clone(), pid: std::process::id() };
            let connected = match &self.socket {
                Some(path) => syslog::unix_custom(format, path),
                None => syslog::unix(format),
            };
            *connection = connected.ok();
        }
        if let Some(logger) = connection.as_mut()
            && logger.formatter.format(&mut logger.backend, severity(level), line).is_err()
        {
            *connection = None;
        }
    }
}

fn severity(level: LogLevel) -> Severity {
    match level {
        LogLevel::Emerg => Severity::LOG_EMERG,
        LogLevel::Err => Severity::LOG_ERR,
        LogLevel::Warning => Severity::LOG_WARNING,
        LogLevel::Info => Severity::LOG_INFO,
        LogLevel::Debug => Severity::LOG_DEBUG,
    }
}

/// `<PRI>ident[pid]: message`, facility `user`, sent in one write (one datagram).
#[derive(Debug, Clone)]
struct Format {
    ident: Arc<str>,
    pid: u32,
}

impl<T: Display> LogFormat<T> for Format {
    fn format<W: Write>(&self, w: &mut W, severity: Severity, message: T) -> syslog::Result<()> {
        let priority = Facility::LOG_USER as u8 | severity as u8;
        let line = format!("<{priority}>{}[{}]: {message}", self.ident, self.pid);
        w.write_all(line.as_bytes()).map_err(syslog::Error::Write)
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::net::UnixDatagram;

    use super::*;

    #[test]
    fn lines_reach_the_daemon_with_priority_ident_and_pid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let daemon = UnixDatagram::bind(&path).unwrap();
        let syslog = Syslog::at("acme db/1", path);
        syslog.send(LogLevel::Err, "pool busy");
        syslog.clone().send(LogLevel::Debug, "second");
        let mut buf = [0; 256];
        let n = daemon.recv(&mut buf).unwrap();
        // user (8) | err (3) = 11
        assert_eq!(
            std::str::from_utf8(&buf[..n]).unwrap(),
            format!("<11>acme_db_1[{}]: pool busy", std::process::id())
        );
        let n = daemon.recv(&mut buf).unwrap();
        assert_eq!(std::str::from_utf8(&buf[..n]).unwrap(), format!("<15>acme_db_1[{}]: second", std::process::id()));
    }

    #[test]
    fn a_missing_daemon_is_silent_and_retried() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let syslog = Syslog::at("acme", path.clone());
        syslog.send(LogLevel::Info, "nobody listens");
        let daemon = UnixDatagram::bind(&path).unwrap();
        syslog.send(LogLevel::Info, "now someone does");
        let mut buf = [0; 256];
        let n = daemon.recv(&mut buf).unwrap();
        assert!(std::str::from_utf8(&buf[..n]).unwrap().ends_with("]: now someone does"));
    }

    #[test]
    fn a_script_mirrors_its_shown_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let daemon = UnixDatagram::bind(&path).unwrap();
        let mut script = crate::Script::new("Acme", "demo")
            .version(1)
            .date("22112026")
            .syslog("acme")
            .resource(crate::protocol::Resource::Cpu, "Acme binds threads")
            .on(
                crate::protocol::Command::PreRelease,
                crate::protocol::Resource::Cpu,
                |_: &crate::event::CpuEvent, cx: &mut crate::Context| {
                    log::info!("hidden at level 0");
                    log::warn!("rebinding\nthreads");
                    cx.emerg("lost");
                    Ok(())
                },
            );
        assert_eq!(format!("{:?}", script.syslog), "Some(Syslog { ident: \"acme\", socket: None })");
        script.syslog = Some(Syslog::at("acme", path));
        let answer = crate::testing::invoke(&script, ["prerelease", "cpu"]);
        assert_eq!(answer.stdout, "DR_LOG_WARNING=\"rebinding threads\"\nDR_LOG_EMERG=\"lost\"\n");
        let mut buf = [0; 256];
        let pid = std::process::id();
        for expected in [format!("<12>acme[{pid}]: rebinding threads"), format!("<8>acme[{pid}]: lost")] {
            let n = daemon.recv(&mut buf).unwrap();
            assert_eq!(std::str::from_utf8(&buf[..n]).unwrap(), expected);
        }
    }

    #[test]
    fn a_poisoned_connection_lock_still_sends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        let daemon = UnixDatagram::bind(&path).unwrap();
        let syslog = Syslog::at("acme", path);
        let shared = syslog.clone();
        let _ = std::thread::spawn(move || {
            let _guard = shared.connection.lock().unwrap();
            panic!("poison the lock");
        })
        .join();
        syslog.send(LogLevel::Warning, "still here");
        let mut buf = [0; 256];
        let n = daemon.recv(&mut buf).unwrap();
        assert!(std::str::from_utf8(&buf[..n]).unwrap().starts_with("<12>acme["));
    }
}
