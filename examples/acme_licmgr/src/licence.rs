//! The licence file: how many processors Acme may use.
//!
//! ```text
//! # /etc/acme/licmgr.conf
//! licensed_cpus = 4
//! ```
//!
//! One setting, `licensed_cpus`, a whole number of at least 1. Blank lines and lines
//! starting with `#` are ignored; anything else is an error that names the file and
//! the line, so the administrator can fix it before the next operation.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where the licence file is unless `ACME_LICMGR_CONF` names another.
pub(crate) const DEFAULT_PATH: &str = "/etc/acme/licmgr.conf";

/// Names another licence file. drmgr starts scripts with only `PATH`, `LANG` and
/// `DR_*` in the environment, so in production the default path is always used; the
/// variable is for tests and for running the script by hand.
pub(crate) const PATH_VARIABLE: &str = "ACME_LICMGR_CONF";

/// The licence: the number of processors Acme may run on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Licence {
    /// `licensed_cpus`.
    pub(crate) cpus: usize,
    /// The file it was read from, for messages.
    pub(crate) path: PathBuf,
}

/// Why the licence file cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LicenceError {
    /// The file cannot be read.
    Unreadable { path: PathBuf, reason: String },
    /// A line is not `key = value`, a comment or blank.
    Malformed { path: PathBuf, line: usize, text: String },
    /// A key other than `licensed_cpus`.
    UnknownSetting { path: PathBuf, line: usize, key: String },
    /// `licensed_cpus` is not a whole number of at least 1.
    BadCount { path: PathBuf, line: usize, value: String },
    /// `licensed_cpus` is set twice.
    SetTwice { path: PathBuf, line: usize, first: usize },
    /// `licensed_cpus` is not set.
    Missing { path: PathBuf },
}

impl fmt::Display for LicenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LicenceError::Unreadable { path, reason } => write!(
                f,
                "cannot read the Acme licence file {}: {reason}; create it with the line `licensed_cpus = N`",
                path.display()
            ),
            LicenceError::Malformed { path, line, text } => {
                write!(f, "{} line {line}: expected `licensed_cpus = N`, found {text:?}", path.display())
            }
            LicenceError::UnknownSetting { path, line, key } => {
                write!(f, "{} line {line}: unknown setting {key:?}; the only setting is licensed_cpus", path.display())
            }
            LicenceError::BadCount { path, line, value } => write!(
                f,
                "{} line {line}: licensed_cpus must be a whole number of processors, at least 1, not {value:?}",
                path.display()
            ),
            LicenceError::SetTwice { path, line, first } => {
                write!(f, "{} line {line}: licensed_cpus is set twice (first on line {first})", path.display())
            }
            LicenceError::Missing { path } => {
                write!(f, "{} does not set licensed_cpus: add the line `licensed_cpus = N`", path.display())
            }
        }
    }
}

impl std::error::Error for LicenceError {}

impl Licence {
    /// Reads the licence file named by `ACME_LICMGR_CONF`, or the default one.
    pub(crate) fn from_env() -> Result<Licence, LicenceError> {
        let path = std::env::var_os(PATH_VARIABLE).map_or_else(|| PathBuf::from(DEFAULT_PATH), PathBuf::from);
        Licence::read(&path)
    }

    /// Reads and checks the licence file at `path`.
    pub(crate) fn read(path: &Path) -> Result<Licence, LicenceError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| LicenceError::Unreadable { path: path.to_owned(), reason: e.to_string() })?;
        Licence::parse(path, &text)
    }

    fn parse(path: &Path, text: &str) -> Result<Licence, LicenceError> {
        let path = || path.to_owned();
        let mut found: Option<(usize, usize)> = None;
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let content = raw.trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let Some((key, value)) = content.split_once('=') else {
                return Err(LicenceError::Malformed { path: path(), line, text: raw.to_owned() });
            };
            let (key, value) = (key.trim(), value.trim());
            if key != "licensed_cpus" {
                return Err(LicenceError::UnknownSetting { path: path(), line, key: key.to_owned() });
            }
            if let Some((first, _)) = found {
                return Err(LicenceError::SetTwice { path: path(), line, first });
            }
            match value.parse::<usize>() {
                Ok(cpus) if cpus >= 1 => found = Some((line, cpus)),
                _ => return Err(LicenceError::BadCount { path: path(), line, value: value.to_owned() }),
            }
        }
        found.map(|(_, cpus)| Licence { cpus, path: path() }).ok_or_else(|| LicenceError::Missing { path: path() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Licence, LicenceError> {
        Licence::parse(Path::new("licmgr.conf"), text)
    }

    #[test]
    fn comments_blank_lines_and_spaces_are_allowed() {
        assert_eq!(parse("# Acme licence\n\n  licensed_cpus=  8 \n").map(|l| l.cpus), Ok(8));
    }

    #[test]
    fn every_mistake_names_its_line() {
        let message = |text| parse(text).unwrap_err().to_string();
        assert_eq!(
            message("licensed cpus 4\n"),
            "licmgr.conf line 1: expected `licensed_cpus = N`, found \"licensed cpus 4\""
        );
        assert_eq!(
            message("# x\nlicenced_cpus = 4\n"),
            "licmgr.conf line 2: unknown setting \"licenced_cpus\"; the only setting is licensed_cpus"
        );
        assert_eq!(
            message("licensed_cpus = 0\n"),
            "licmgr.conf line 1: licensed_cpus must be a whole number of processors, at least 1, not \"0\""
        );
        assert_eq!(
            message("licensed_cpus = 4\nlicensed_cpus = 8\n"),
            "licmgr.conf line 2: licensed_cpus is set twice (first on line 1)"
        );
        assert_eq!(message("# nothing\n"), "licmgr.conf does not set licensed_cpus: add the line `licensed_cpus = N`");
        assert!(message("licensed_cpus = -1").contains("not \"-1\""));
    }
}
