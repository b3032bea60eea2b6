//! Where one operation's state lives, and the rules that decide whether it is stale.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use std::{fs, io};

use serde::Serialize;
use serde::de::{DeserializeOwned, IgnoredAny};

use super::record::{FORMAT, Format, Record};
use super::{DIR_VARIABLE, MAX_BYTES, StateError, default};
use crate::fs::{FsError, PrivateDir};
use crate::protocol::{Command, Family, Phase, Resource};

/// The state of one script for one operation, as seen by one command.
#[derive(Debug)]
pub(crate) struct Store {
    dir: Location,
    file: String,
    script: String,
    family: Family,
    resource: String,
    command: Command,
    /// Names this invocation in the records it saves; made on the first save.
    run: OnceLock<String>,
    max_age: Duration,
}

/// The configured directory, checked to be absolute when it is used; `Err(uid)` when
/// it is the default and the user has none (see [`default`]).
#[derive(Debug)]
struct Location {
    path: Result<PathBuf, u32>,
    origin: &'static str,
}

impl Store {
    /// The store of `command` for the script called `name`, keeping records for at
    /// most `max_age`; `env_dir` is the value of `DLPAR_STATE_DIR`, if set, and
    /// `script_dir` the one given to [`Script::state_dir`](crate::Script::state_dir).
    /// Touches no file.
    pub(crate) fn new(
        env_dir: Option<&OsStr>,
        script_dir: Option<&Path>,
        max_age: Duration,
        name: &str,
        command: Command,
        resource: Option<&Resource>,
    ) -> Store {
        let family = command.family();
        let dir = match (env_dir.filter(|d| !d.is_empty()), script_dir) {
            (Some(env), _) => Location { path: Ok(env.into()), origin: DIR_VARIABLE },
            (None, Some(path)) => Location { path: Ok(path.to_owned()), origin: "Script::state_dir" },
            (None, None) => Location { path: default::for_effective_user(), origin: "the default for this user" },
        };
        let resource = match resource {
            Some(resource) => resource.as_str().to_owned(),
            None => family.resource_word().unwrap_or("none").to_owned(),
        };
        Store {
            dir,
            file: format!("{}.{family}.{resource}.json", file_safe(name)),
            script: name.to_owned(),
            family,
            resource,
            command,
            run: OnceLock::new(),
            max_age,
        }
    }

    fn dir(&self) -> Result<&Path, StateError> {
        match &self.dir.path {
            Ok(path) if path.is_absolute() => Ok(path),
            Ok(path) => Err(StateError::RelativeDirectory { path: path.clone(), origin: self.dir.origin }),
            Err(uid) => Err(StateError::NoDefaultDirectory { uid: *uid }),
        }
    }

    /// Wraps a refusal of the file layer with the directory, where it came from and
    /// how to choose another.
    fn file_error(&self, dir: &Path) -> impl FnOnce(FsError) -> StateError {
        let (dir, origin) = (dir.to_owned(), self.dir.origin);
        move |source| StateError::File { dir, origin, source }
    }

    pub(super) fn path(&self) -> Result<PathBuf, StateError> {
        Ok(self.dir()?.join(&self.file))
    }

    pub(super) fn save<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), StateError> {
        let record = Record {
            format: FORMAT,
            script: self.script.clone(),
            family: self.family.to_string(),
            resource: self.resource.clone(),
            command: self.command.as_str().to_owned(),
            saved_at: now(),
            run: self.run.get_or_init(run_id).clone(),
            value,
        };
        let path = self.path()?;
        let unsaveable = |reason: String| StateError::Unsaveable { path: path.clone(), reason };
        let bytes = serde_json::to_vec(&record).map_err(|e| unsaveable(e.to_string()))?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(unsaveable(format!("it takes {} bytes; phase state holds at most {MAX_BYTES}", bytes.len())));
        }
        let dir = self.dir()?;
        PrivateDir::open(dir).and_then(|d| d.write(&self.file, &bytes)).map_err(self.file_error(dir))?;
        log::debug!("saved phase state to {}", self.dir()?.join(&self.file).display());
        Ok(())
    }

    pub(super) fn load<T: DeserializeOwned>(&self) -> Result<Option<T>, StateError> {
        let Some((dir, bytes)) = self.read()? else { return Ok(None) };
        let record: Record<T> = serde_json::from_slice(&bytes).map_err(|e| StateError::WrongType {
            path: dir.path().join(&self.file),
            expected: std::any::type_name::<T>(),
            reason: e.to_string(),
        })?;
        log::debug!("read phase state saved by {} from {}", record.command, dir.path().join(&self.file).display());
        Ok(Some(record.value))
    }

    pub(super) fn clear(&self) -> Result<bool, StateError> {
        let dir = self.dir()?;
        let removed = PrivateDir::existing(dir).and_then(|d| d.map_or(Ok(false), |d| d.remove(&self.file)));
        removed.map_err(self.file_error(dir))
    }

    /// Runs before the handler (or in its place): the family's first phases
    /// discard what earlier, unfinished operations left.
    pub(crate) fn before_handler(&self) {
        if matches!(self.command.phase(), Phase::Check | Phase::Pre) && self.may_exist() {
            // Anything wrong with the file or the directory is an error for the
            // handler that saves or loads; a handler that does neither risks nothing.
            let _ = self.read();
        }
    }

    /// Runs after the handler (or in its place): the family's last phases clear
    /// the operation's state.
    pub(crate) fn after_handler(&self) {
        if matches!(self.command.phase(), Phase::Post | Phase::Undo) && self.may_exist() {
            match self.clear() {
                Ok(true) => log::debug!("cleared the phase state of {} {}", self.family, self.resource),
                Ok(false) | Err(StateError::RelativeDirectory { .. } | StateError::NoDefaultDirectory { .. }) => {}
                Err(e) => log::warn!("phase state could not be cleared: {e}"),
            }
        }
    }

    /// `false` when one `lstat` shows there is no state file: then there is
    /// nothing to discard or clear, and the checked walk down the directory (a
    /// `stat` per component) that reading or removing it takes is skipped. Every
    /// command of a family with handlers asks this, so it must stay that cheap.
    fn may_exist(&self) -> bool {
        self.path().is_ok_and(|path| !fs::symlink_metadata(path).is_err_and(|e| e.kind() == io::ErrorKind::NotFound))
    }

    /// The bytes of the record, unless there is none or it is stale (then it is
    /// removed, with a warning).
    fn read(&self) -> Result<Option<(PrivateDir, Vec<u8>)>, StateError> {
        let path = self.dir()?;
        let Some(dir) = PrivateDir::existing(path).map_err(self.file_error(path))? else { return Ok(None) };
        let Some(bytes) = dir.read(&self.file, MAX_BYTES).map_err(self.file_error(path))? else { return Ok(None) };
        let path = || dir.path().join(&self.file);
        let corrupt = |e: serde_json::Error| StateError::Corrupt { path: path(), reason: e.to_string() };
        let format: Format = serde_json::from_slice(&bytes).map_err(corrupt)?;
        if format.format != FORMAT {
            let reason = format!("it is in record format {}; this runtime reads format {FORMAT}", format.format);
            return Err(StateError::Corrupt { path: path(), reason });
        }
        let header: Record<IgnoredAny> = serde_json::from_slice(&bytes).map_err(corrupt)?;
        if let Some(reason) = self.stale(&header, now()) {
            log::warn!("discarded stale phase state {}: {reason}", path().display());
            dir.remove(&self.file).map_err(self.file_error(dir.path()))?;
            return Ok(None);
        }
        Ok(Some((dir, bytes)))
    }

    /// Why a record read by this command does not belong to the running
    /// operation, if it does not.
    fn stale(&self, record: &Record<IgnoredAny>, now: u64) -> Option<String> {
        let family = self.family.as_str();
        if (record.script.as_str(), record.family.as_str(), record.resource.as_str())
            != (self.script.as_str(), family, self.resource.as_str())
        {
            return Some(format!(
                "it was saved for {} {} {}, not {} {family} {}",
                record.script, record.family, record.resource, self.script, self.resource
            ));
        }
        // A run id is only made by a save: a command that has not saved reads
        // nothing of its own.
        if self.run.get().is_some_and(|run| *run == record.run) {
            return None;
        }
        let earlier = record.command.parse::<Command>().is_ok_and(|c| rank(c.phase()) < rank(self.command.phase()));
        if !earlier {
            return Some(format!(
                "it was saved by {} of an earlier {family} operation that did not finish",
                record.command
            ));
        }
        if record.saved_at > now {
            return Some(format!(
                "it claims to have been saved by {} {} in the future: the clock was set back or the file was \
                 not written by this runtime",
                record.command,
                span(record.saved_at - now)
            ));
        }
        let age = now - record.saved_at;
        if self.family != Family::Hibernate && age > self.max_age.as_secs() {
            return Some(format!(
                "it was saved {} ago by {}, longer ago than an operation may last ({})",
                span(age),
                record.command,
                span(self.max_age.as_secs())
            ));
        }
        None
    }
}

/// The order of phases within an operation; post and undo both end it.
fn rank(phase: Phase) -> u8 {
    match phase {
        Phase::Install | Phase::Check => 0,
        Phase::Pre => 1,
        Phase::Post | Phase::Undo => 2,
    }
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A duration in the largest whole unit that keeps it readable.
fn span(secs: u64) -> String {
    match secs {
        0..120 => format!("{secs} s"),
        120..7200 => format!("{} min", secs / 60),
        _ => format!("{} h", secs / 3600),
    }
}

/// Names this invocation: pid, clock and a counter (several in-process runs may
/// share a pid and a clock tick).
fn run_id() -> String {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{}-{nanos}-{}", std::process::id(), COUNT.fetch_add(1, Ordering::Relaxed))
}

/// A script name as one file-name component: `A-Z a-z 0-9 _ -` kept, every other
/// byte written `%XX`, so that `.` only ever separates the parts of the name.
fn file_safe(name: &str) -> String {
    let mut safe = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-' {
            safe.push(char::from(byte));
        } else {
            let _ = write!(safe, "%{byte:02X}");
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_names_become_one_safe_component() {
        assert_eq!(file_safe("acme_db-2"), "acme_db-2");
        assert_eq!(file_safe(".."), "%2E%2E");
        assert_eq!(file_safe("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!([span(59), span(600), span(90_000)], ["59 s", "10 min", "25 h"]);
    }
}
