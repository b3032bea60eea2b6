//! The control file through which Acme's server is tuned.
//!
//! The server reads its buffer-pool size and thread counts from a small text file
//! and applies it when the file changes; the script is the only writer. One
//! `key=value` per line, `#` comments:
//!
//! ```text
//! # Acme buffer pool tuning; rewritten by acme_bufpool on DLPAR events.
//! pool_mb=2048
//! threads=8
//! spare_threads=2
//! ```
//!
//! Each key is required once. The file is replaced atomically (a temporary file in
//! the same directory, `fsync`, `rename`, directory `fsync`) and keeps its mode, so
//! the server reads the old values or the new ones, never half a file, even when
//! the script is killed mid-write. A file that cannot be read is an error naming
//! the file and line, and nothing is written.

use std::fmt;
use std::fs::{File, Permissions};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Where the control file is.
pub(crate) const DEFAULT_PATH: &str = "/var/opt/acme/bufpool.ctl";

/// The environment variable that overrides [`DEFAULT_PATH`] (tests and drmgr-sim
/// only: drmgr passes scripts no such variable).
pub(crate) const PATH_VARIABLE: &str = "ACME_BUFPOOL_CONTROL";

/// The server's tuning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tuning {
    /// The buffer pool, in MB of pinned memory.
    pub(crate) pool_mb: u64,
    /// Worker threads.
    pub(crate) threads: u64,
    /// Extra threads that only run on idle shared-pool cycles.
    pub(crate) spare_threads: u64,
}

/// Why the control file cannot be used.
#[derive(Debug)]
pub(crate) struct ControlError {
    path: PathBuf,
    problem: String,
}

impl fmt::Display for ControlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "control file {}: {}", self.path.display(), self.problem)
    }
}

impl std::error::Error for ControlError {}

/// The control file at its configured place.
#[derive(Debug)]
pub(crate) struct ControlFile {
    path: PathBuf,
}

impl ControlFile {
    /// The file named by [`PATH_VARIABLE`], else [`DEFAULT_PATH`].
    pub(crate) fn from_env() -> ControlFile {
        let path = std::env::var_os(PATH_VARIABLE).map_or_else(|| PathBuf::from(DEFAULT_PATH), PathBuf::from);
        ControlFile { path }
    }

    /// The file at `path`.
    #[cfg(test)]
    pub(crate) fn at(path: &Path) -> ControlFile {
        ControlFile { path: path.to_owned() }
    }

    fn error(&self, problem: impl Into<String>) -> ControlError {
        ControlError { path: self.path.clone(), problem: problem.into() }
    }

    /// Reads the tuning.
    pub(crate) fn read(&self) -> Result<Tuning, ControlError> {
        let text = std::fs::read_to_string(&self.path).map_err(|e| self.error(format!("cannot be read: {e}")))?;
        parse(&text).map_err(|problem| self.error(problem))
    }

    /// Replaces the tuning atomically, keeping the file's mode.
    pub(crate) fn write(&self, tuning: &Tuning) -> Result<(), ControlError> {
        let fail = |what: &str, e: std::io::Error| self.error(format!("cannot be rewritten ({what}): {e}"));
        let dir = self.path.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mode = std::fs::metadata(&self.path).map_err(|e| fail("stat", e))?.permissions().mode();
        let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail("temporary file", e))?;
        file.write_all(render(tuning).as_bytes()).map_err(|e| fail("write", e))?;
        file.as_file().set_permissions(Permissions::from_mode(mode & 0o7777)).map_err(|e| fail("chmod", e))?;
        file.as_file().sync_all().map_err(|e| fail("fsync", e))?;
        file.persist(&self.path).map_err(|e| fail("rename", e.error))?;
        File::open(dir).and_then(|dir| dir.sync_all()).map_err(|e| fail("directory fsync", e))
    }
}

fn render(tuning: &Tuning) -> String {
    format!(
        "# Acme buffer pool tuning; rewritten by acme_bufpool on DLPAR events.\n\
         pool_mb={}\nthreads={}\nspare_threads={}\n",
        tuning.pool_mb, tuning.threads, tuning.spare_threads
    )
}

fn parse(text: &str) -> Result<Tuning, String> {
    let mut values: [Option<u64>; 3] = [None; 3];
    const KEYS: [&str; 3] = ["pool_mb", "threads", "spare_threads"];
    for (number, line) in text.lines().enumerate().map(|(i, line)| (i + 1, line.trim())) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) =
            line.split_once('=').ok_or_else(|| format!("line {number}: expected key=value, found {line:?}"))?;
        let (key, value) = (key.trim(), value.trim());
        let index = KEYS.iter().position(|k| *k == key).ok_or_else(|| {
            format!("line {number}: unknown key {key:?}; the keys are pool_mb, threads and spare_threads")
        })?;
        let number_value =
            value.parse::<u64>().map_err(|_| format!("line {number}: {key} must be a whole number, not {value:?}"))?;
        if values[index].replace(number_value).is_some() {
            return Err(format!("line {number}: {key} is given twice"));
        }
    }
    match values {
        [Some(pool_mb), Some(threads), Some(spare_threads)] => Ok(Tuning { pool_mb, threads, spare_threads }),
        _ => {
            let missing: Vec<&str> = KEYS.iter().zip(values).filter(|(_, v)| v.is_none()).map(|(k, _)| *k).collect();
            Err(format!("missing {}", missing.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TUNING: Tuning = Tuning { pool_mb: 2048, threads: 8, spare_threads: 2 };

    #[test]
    fn the_file_round_trips_and_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bufpool.ctl");
        std::fs::write(&path, "pool_mb = 1\nthreads=1\n# note\nspare_threads=0\n").unwrap();
        std::fs::set_permissions(&path, Permissions::from_mode(0o644)).unwrap();
        let control = ControlFile::at(&path);
        assert_eq!(control.read().unwrap(), Tuning { pool_mb: 1, threads: 1, spare_threads: 0 });
        control.write(&TUNING).unwrap();
        assert_eq!(control.read().unwrap(), TUNING);
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file is left");
    }

    #[test]
    fn mistakes_are_named_with_their_line() {
        let cases = [
            ("pool_mb 2048\n", "line 1: expected key=value, found \"pool_mb 2048\""),
            ("pool_mb=2048\npool=1\n", "line 2: unknown key \"pool\"; the keys are pool_mb, threads and spare_threads"),
            ("pool_mb=2 GB\n", "line 1: pool_mb must be a whole number, not \"2 GB\""),
            ("pool_mb=-1\n", "line 1: pool_mb must be a whole number, not \"-1\""),
            ("threads=1\nthreads=2\n", "line 2: threads is given twice"),
            ("threads=1\n", "missing pool_mb, spare_threads"),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text).unwrap_err(), expected, "{text:?}");
        }
    }

    #[test]
    fn an_unreadable_file_is_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let control = ControlFile::at(&dir.path().join("absent.ctl"));
        let err = control.write(&TUNING).unwrap_err().to_string();
        assert!(err.contains("absent.ctl: cannot be rewritten (stat): "), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
