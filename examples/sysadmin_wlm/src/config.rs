//! The administrator's configuration: which class follows the processors, and
//! through which resource set.
//!
//! The file, by default [`DEFAULT_PATH`], holds `key = value` lines; `#` starts a
//! comment. Both keys are required:
//!
//! ```text
//! # The WLM class that follows the online processors.
//! class = db
//! # The resource set the script creates and keeps up to date for it.
//! rset = sysadmin/wlm_db
//! ```
//!
//! drmgr passes scripts no environment of their own, so the path is fixed;
//! [`PATH_VARIABLE`] overrides it for tests under drmgr-sim. The script runs as
//! root: a file that others may write is refused.

use std::fmt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Where the configuration is read from.
pub(crate) const DEFAULT_PATH: &str = "/etc/sysadmin_wlm.conf";

/// The environment variable that overrides [`DEFAULT_PATH`] (tests only: drmgr
/// never sets it).
pub(crate) const PATH_VARIABLE: &str = "SYSADMIN_WLM_CONFIG";

/// What the file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Config {
    /// The WLM class (`Super` or `Super.Sub`).
    pub(crate) class: String,
    /// The registry resource set (`namespace/name`) the script maintains for it.
    pub(crate) rset: String,
}

/// Why the configuration cannot be used; the message names the file.
#[derive(Debug)]
pub(crate) struct ConfigError {
    path: PathBuf,
    problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "configuration {}: {}", self.path.display(), self.problem)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads the configuration from [`PATH_VARIABLE`] or [`DEFAULT_PATH`].
    pub(crate) fn load() -> Result<Config, ConfigError> {
        let path = std::env::var_os(PATH_VARIABLE).map_or_else(|| PathBuf::from(DEFAULT_PATH), PathBuf::from);
        Config::read(&path)
    }

    /// Reads the configuration file at `path`.
    pub(crate) fn read(path: &Path) -> Result<Config, ConfigError> {
        let error = |problem: String| ConfigError { path: path.to_owned(), problem };
        let metadata = std::fs::metadata(path).map_err(|e| error(format!("cannot be read: {e}")))?;
        if metadata.permissions().mode() & 0o002 != 0 {
            return Err(error("is writable by every user; allow only root to change it (chmod o-w)".into()));
        }
        let text = std::fs::read_to_string(path).map_err(|e| error(format!("cannot be read: {e}")))?;
        Config::parse(&text).map_err(error)
    }

    /// Reads the text of a configuration file.
    fn parse(text: &str) -> Result<Config, String> {
        let (mut class, mut rset) = (None, None);
        for (number, line) in text.lines().enumerate().map(|(i, line)| (i + 1, line)) {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let (key, value) =
                line.split_once('=').ok_or_else(|| format!("line {number}: expected `key = value`, found {line:?}"))?;
            let (key, value) = (key.trim(), value.trim().to_owned());
            let slot = match key {
                "class" => &mut class,
                "rset" => &mut rset,
                _ => return Err(format!("line {number}: unknown key {key:?}; the keys are class and rset")),
            };
            if slot.replace(value).is_some() {
                return Err(format!("line {number}: {key} is given twice"));
            }
        }
        let class = class.ok_or("no `class = ...` line: name the WLM class that follows the processors")?;
        let rset =
            rset.ok_or("no `rset = ...` line: name the resource set to keep for the class, e.g. sysadmin/wlm")?;
        check_rset_name(&rset)?;
        Ok(Config { class, rset })
    }
}

/// The resource set is passed to `mkrset` and `rmrset` as an argument of its own:
/// it must look like a name (`namespace/name`), never like an option.
fn check_rset_name(rset: &str) -> Result<(), String> {
    let word = |part: &str| {
        !part.is_empty()
            && !part.starts_with('-')
            && part.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    };
    match rset.split_once('/') {
        Some((namespace, name)) if word(namespace) && word(name) => Ok(()),
        _ => Err(format!("rset {rset:?} is not namespace/name (letters, digits, _ . -)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_file_is_read() {
        let text = "# WLM\nclass = db.batch   # the batch subclass\n\nrset=sysadmin/wlm_db\n";
        let config = Config::parse(text).unwrap();
        assert_eq!(config, Config { class: "db.batch".into(), rset: "sysadmin/wlm_db".into() });
    }

    #[test]
    fn mistakes_are_named_with_their_line() {
        let cases = [
            ("class db\n", "line 1: expected `key = value`, found \"class db\""),
            ("class = db\nclas = web\n", "line 2: unknown key \"clas\"; the keys are class and rset"),
            ("class = db\nclass = web\n", "line 2: class is given twice"),
            ("rset = a/b\n", "no `class = ...` line: name the WLM class that follows the processors"),
            ("class = db\n", "no `rset = ...` line: name the resource set to keep for the class, e.g. sysadmin/wlm"),
            ("class = db\nrset = -rf/x\n", "rset \"-rf/x\" is not namespace/name (letters, digits, _ . -)"),
            ("class = db\nrset = wlm\n", "rset \"wlm\" is not namespace/name (letters, digits, _ . -)"),
        ];
        for (text, expected) in cases {
            assert_eq!(Config::parse(text).unwrap_err(), expected, "{text:?}");
        }
    }

    #[test]
    fn files_others_may_write_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wlm.conf");
        std::fs::write(&path, "class = db\nrset = a/b\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        let err = Config::read(&path).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "configuration {}: is writable by every user; allow only root to change it (chmod o-w)",
                path.display()
            )
        );
        let missing = dir.path().join("absent.conf");
        let err = Config::read(&missing).unwrap_err().to_string();
        assert!(err.starts_with(&format!("configuration {}: cannot be read: ", missing.display())), "{err}");
    }
}
