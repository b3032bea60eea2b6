use std::fmt;
use std::path::{Path, PathBuf};

use dlpar_script::__fs::FsError;

/// Why an `lvupdate.data` file or edit was refused: what, and where (file and
/// 1-based line, when known).
///
/// ```
/// use dlpar_liveupdate::LvupdateData;
///
/// let err = LvupdateData::parse("general:\n\tkext_check = yes\n\tkext_check = no\n").unwrap_err();
/// assert_eq!(err.line(), Some(3));
/// assert_eq!(err.to_string(), "line 3: general: kext_check is already set on line 2");
/// ```
#[derive(Debug)]
pub struct DataError {
    path: Option<PathBuf>,
    line: Option<usize>,
    kind: DataErrorKind,
}

/// What is wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum DataErrorKind {
    /// A line that is neither a `name:` header, a `key = value` attribute, a comment
    /// nor blank.
    UnexpectedLine(String),
    /// An attribute before the first stanza header.
    AttributeOutsideStanza(String),
    /// A stanza or key name with characters outside `A-Za-z0-9_.-`, or empty.
    BadName(String),
    /// A stanza header seen twice.
    DuplicateStanza {
        /// The stanza.
        stanza: String,
        /// Where it was first.
        first: usize,
    },
    /// A key set twice in one stanza.
    DuplicateKey {
        /// The stanza.
        stanza: String,
        /// The key.
        key: String,
        /// Where it was first set.
        first: usize,
    },
    /// A value that does not have the form its key needs.
    BadValue {
        /// The stanza.
        stanza: &'static str,
        /// The key.
        key: &'static str,
        /// The value found.
        value: String,
        /// The form it should have.
        expected: &'static str,
    },
    /// A value to write that contains a line break or other control character.
    ControlInValue {
        /// The stanza.
        stanza: String,
        /// The key.
        key: String,
    },
    /// The file could not be read.
    Io(std::io::Error),
    /// The file could not be written, or was refused (a symbolic link, another
    /// owner, writable by others); the message names the path.
    File(FsError),
}

impl DataError {
    pub(super) fn new(line: Option<usize>, kind: DataErrorKind) -> DataError {
        DataError { path: None, line, kind }
    }

    pub(super) fn in_file(mut self, path: &Path) -> DataError {
        self.path = Some(path.to_owned());
        self
    }

    /// The file, for errors of [`LvupdateData::read`](super::LvupdateData::read)
    /// (errors of `write` name their path in the message).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The 1-based line, when the error is about a line of the file.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// What is wrong.
    pub fn kind(&self) -> &DataErrorKind {
        &self.kind
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DataErrorKind::*;
        match (&self.path, self.line) {
            (Some(path), Some(line)) => write!(f, "{}:{line}: ", path.display())?,
            (Some(path), None) => write!(f, "{}: ", path.display())?,
            (None, Some(line)) => write!(f, "line {line}: ")?,
            (None, None) => {}
        }
        match &self.kind {
            UnexpectedLine(text) => {
                write!(f, "expected a `name:` header, a `key = value` line, a comment or a blank line, found {text:?}")
            }
            AttributeOutsideStanza(key) => {
                write!(f, "{key:?} is set before the first stanza header (such as `general:`)")
            }
            BadName(name) => write!(f, "{name:?} is not a valid stanza or key name: use letters, digits, _ . or -"),
            DuplicateStanza { stanza, first } => write!(f, "stanza {stanza}: appears again (first on line {first})"),
            DuplicateKey { stanza, key, first } => write!(f, "{stanza}: {key} is already set on line {first}"),
            BadValue { stanza, key, value, expected } => {
                write!(f, "{stanza}: {key} = {value:?} is not valid: expected {expected}")
            }
            ControlInValue { stanza, key } => {
                write!(f, "{stanza}: the value for {key} contains a line break or control character")
            }
            Io(source) => write!(f, "{source}"),
            File(source) => write!(f, "{source}"),
        }
    }
}

impl std::error::Error for DataError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            DataErrorKind::Io(source) => Some(source),
            DataErrorKind::File(source) => Some(source),
            _ => None,
        }
    }
}
