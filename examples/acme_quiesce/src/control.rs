//! The control file the Acme service obeys.
//!
//! ```text
//! state=running        # or quiesced
//! workers=4
//! hold=nightly backup  # optional: why the service must not migrate now
//! ```
//!
//! The script is the only writer; it replaces the file atomically (a temporary
//! file in the same directory, then `rename`), so the service reads the old
//! settings or the new ones. A file that cannot be read is an error naming the
//! file and line, and nothing is written.

use std::fmt;
use std::path::PathBuf;

use dlpar_script::{Error, Result};

/// Where the control file is.
const DEFAULT_PATH: &str = "/var/opt/acme/quiesce.ctl";

/// Overrides [`DEFAULT_PATH`] (tests and drmgr-sim's `--setenv` only: neither
/// drmgr passes scripts such a variable).
const PATH_VARIABLE: &str = "ACME_QUIESCE_CONTROL";

/// Whether the service works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Running,
    Quiesced,
}

/// The service's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    pub(crate) state: State,
    pub(crate) workers: u32,
    pub(crate) hold: Option<String>,
}

/// The control file at its configured place.
pub(crate) struct Control {
    path: PathBuf,
}

impl Control {
    pub(crate) fn open() -> Result<Control> {
        let path = std::env::var_os(PATH_VARIABLE).map_or_else(|| PathBuf::from(DEFAULT_PATH), PathBuf::from);
        Ok(Control { path })
    }

    fn problem(&self, what: impl fmt::Display) -> Error {
        Error::failed(format!("control file {}: {what}", self.path.display()))
    }

    pub(crate) fn read(&self) -> Result<Settings> {
        let text = std::fs::read_to_string(&self.path).map_err(|e| self.problem(e))?;
        let (mut state, mut workers, mut hold) = (None, None, None);
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = |why: &str| self.problem(format_args!("line {}: {why}: {line:?}", n + 1));
            match line.split_once('=').map(|(k, v)| (k.trim(), v.trim())) {
                Some(("state", "running")) => state = Some(State::Running),
                Some(("state", "quiesced")) => state = Some(State::Quiesced),
                Some(("state", _)) => return Err(bad("state is running or quiesced")),
                Some(("workers", n)) => workers = Some(n.parse().map_err(|_| bad("workers is a whole number"))?),
                Some(("hold", reason)) if !reason.is_empty() => hold = Some(reason.to_owned()),
                _ => return Err(bad("expected state=, workers= or hold=")),
            }
        }
        match (state, workers) {
            (Some(state), Some(workers)) => Ok(Settings { state, workers, hold }),
            _ => Err(self.problem("state= and workers= are required")),
        }
    }

    pub(crate) fn write(&self, settings: &Settings) -> Result<()> {
        let state = match settings.state {
            State::Running => "running",
            State::Quiesced => "quiesced",
        };
        let mut text = format!("state={state}\nworkers={}\n", settings.workers);
        if let Some(hold) = &settings.hold {
            text.push_str(&format!("hold={hold}\n"));
        }
        let staged = self.path.with_extension("ctl.new");
        std::fs::write(&staged, text).and_then(|()| std::fs::rename(&staged, &self.path)).map_err(|e| self.problem(e))
    }
}
