//! Checking one script: the file read, a scratch directory, then the probes of
//! its kind (an AIX script or a powerpc-utils hook).

use std::path::Path;

use super::{CheckError, Checker, ScriptReport, hook, portability, probe};

impl Checker {
    /// Checks one script. Findings are in the report; only a script that cannot
    /// be checked at all is an error.
    pub fn check(&self, script: &Path) -> Result<ScriptReport, CheckError> {
        match std::fs::metadata(script) {
            Ok(meta) if meta.is_file() => {}
            Ok(_) => return Err(CheckError::NoScript { path: script.to_owned(), reason: "not a regular file".into() }),
            Err(e) => return Err(CheckError::NoScript { path: script.to_owned(), reason: e.to_string() }),
        }
        let mut report = ScriptReport::new(script, self.hook);
        portability::read(script, &mut report);
        let scratch = tempfile::Builder::new().prefix("drmgr-sim-check-").tempdir()?;
        let path = std::path::absolute(script)?;
        // Both kinds are probed through the same signature.
        let probe = if self.hook { hook::probe } else { probe::probe };
        probe(self, &path, scratch.path(), &mut report)?;
        Ok(report)
    }
}
