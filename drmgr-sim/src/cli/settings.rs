//! What `drmgr -R` and `drmgr -S` keep: on AIX the base directory and the syslog
//! identifier persist for later drmgr commands. drmgr-sim keeps them per user in
//! `$XDG_STATE_HOME/drmgr-sim/settings.json` (`~/.local/state/drmgr-sim/…` when
//! `XDG_STATE_HOME` is unset, empty or relative, as the XDG base directory rules
//! say), never in a system path: a test or a CI job that sets `XDG_STATE_HOME` has
//! its own.
//!
//! The file is small JSON, replaced atomically, mode 0600 in a 0700 directory:
//!
//! ```json
//! { "format": "drmgr-sim settings", "version": 1, "root": "/srv/dr", "syslog_id": null }
//! ```

use std::fs::{self, DirBuilder, File, Permissions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Failure;

/// The `format` value that identifies the file.
const FORMAT: &str = "drmgr-sim settings";
/// The format version read and written.
const VERSION: u32 = 1;
/// A settings file is a few hundred bytes; anything past this is not one.
const MAX_BYTES: u64 = 64 * 1024;

/// The persisted `-R` and `-S` values.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Settings {
    format: String,
    version: u32,
    /// `drmgr -R`: the repository's base directory, absolute.
    pub(super) root: Option<PathBuf>,
    /// `drmgr -S`: the syslog identifier.
    pub(super) syslog_id: Option<String>,
}

impl Settings {
    /// The settings file of this user.
    pub(super) fn path() -> Result<PathBuf, Failure> {
        let absolute = |var: &str| std::env::var_os(var).map(PathBuf::from).filter(|p| p.is_absolute());
        let state = match (absolute("XDG_STATE_HOME"), absolute("HOME")) {
            (Some(state), _) => state,
            (None, Some(home)) => home.join(".local/state"),
            (None, None) => {
                return Err("cannot place drmgr-sim's settings (drmgr -R, -S): neither XDG_STATE_HOME nor HOME \
                            is an absolute path; set one of them"
                    .into());
            }
        };
        Ok(state.join("drmgr-sim").join("settings.json"))
    }

    /// The settings kept so far; none when the file does not exist.
    pub(super) fn load() -> Result<Settings, Failure> {
        let path = Settings::path()?;
        let bad = |reason: String| -> Failure {
            format!("{}: {reason}; set it again with drmgr -R / -S, or remove the file", path.display()).into()
        };
        let file = match File::open(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            other => other.map_err(|e| bad(e.to_string()))?,
        };
        let mut text = String::new();
        file.take(MAX_BYTES + 1).read_to_string(&mut text).map_err(|e| bad(e.to_string()))?;
        if text.len() as u64 > MAX_BYTES {
            return Err(bad(format!("larger than {MAX_BYTES} bytes")));
        }
        let settings: Settings = serde_json::from_str(&text).map_err(|e| bad(format!("not valid: {e}")))?;
        if settings.format != FORMAT || settings.version != VERSION {
            return Err(bad(format!("not a {FORMAT:?} file of version {VERSION}")));
        }
        Ok(settings)
    }

    /// Writes the settings, replacing the file atomically; returns its path.
    pub(super) fn save(mut self) -> Result<PathBuf, Failure> {
        let path = Settings::path()?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let io = |e: std::io::Error| -> Failure { format!("{}: {e}", path.display()).into() };
        DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(io)?;
        (self.format, self.version) = (FORMAT.to_owned(), VERSION);
        let mut text = serde_json::to_string_pretty(&self)?;
        text.push('\n');
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        temp.write_all(text.as_bytes()).map_err(io)?;
        temp.as_file().set_permissions(Permissions::from_mode(0o600)).map_err(io)?;
        temp.persist(&path).map_err(|e| io(e.error))?;
        Ok(path)
    }
}

/// Where the repository comes from: `-R`/`--root` (or `DRMGR_SIM_ROOT`) on the
/// command, else what `drmgr -R` kept, else an error that says how to set it. There
/// is no default: AIX's `/usr/lib/dr/scripts` is never used on Linux unless named.
pub(super) fn root(explicit: Option<&Path>) -> Result<PathBuf, Failure> {
    if let Some(root) = explicit {
        return Ok(root.to_owned());
    }
    if let Some(root) = Settings::load()?.root {
        return Ok(root);
    }
    Err(format!(
        "no script repository is set: give one with -R DIR (drmgr-sim -R DIR COMMAND), or set it once for \
         this user with `drmgr -R DIR` (kept in {}); drmgr-sim never falls back to AIX's /usr/lib/dr/scripts",
        Settings::path()?.display()
    )
    .into())
}

/// The syslog identifier: `-S` on the command, else what `drmgr -S` kept.
pub(super) fn syslog_id(explicit: Option<&str>) -> Result<Option<String>, Failure> {
    match explicit {
        Some(id) => Ok(Some(id.to_owned())),
        None => Ok(Settings::load()?.syslog_id),
    }
}

/// Keeps a new base directory (`drmgr -R`), made absolute against the current
/// directory and created (0755) if it does not exist, so that `drmgr -l` answers at
/// once; returns the directory and the file it is kept in.
pub(super) fn keep_root(dir: &Path) -> Result<(PathBuf, PathBuf), Failure> {
    let root = std::path::absolute(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if fs::metadata(&root).is_ok_and(|m| !m.is_dir()) {
        return Err(format!("{} is not a directory: give the repository's base directory", root.display()).into());
    }
    DirBuilder::new().recursive(true).mode(0o755).create(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let settings = Settings { root: Some(root.clone()), ..Settings::load()? };
    Ok((root, settings.save()?))
}

/// Keeps a new syslog identifier (`drmgr -S`); returns the file it is kept in.
pub(super) fn keep_syslog_id(id: &str) -> Result<PathBuf, Failure> {
    let settings = Settings { syslog_id: Some(id.to_owned()), ..Settings::load()? };
    settings.save()
}
