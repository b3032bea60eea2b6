use std::borrow::Cow;
use std::fmt;

/// An output name: `DR_` followed by one or more of `A-Z`, `0-9`, `_`.
///
/// The protocol's names are constants; [`Key::new`] validates any other.
///
/// ```
/// use dlpar_script::wire::Key;
///
/// assert_eq!(Key::USAGE.as_str(), "DR_USAGE");
/// assert!(Key::new("DR_ACME_STATE").is_ok());
/// assert_eq!(
///     Key::new("ERROR").unwrap_err().to_string(),
///     "invalid output name \"ERROR\": names are DR_ followed by A-Z, 0-9 or _"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key(Cow<'static, str>);

/// A name that is not a valid output name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid output name {0:?}: names are DR_ followed by A-Z, 0-9 or _")]
pub struct KeyError(String);

const fn valid(name: &[u8]) -> bool {
    if name.len() < 4 || name[0] != b'D' || name[1] != b'R' || name[2] != b'_' {
        return false;
    }
    let mut i = 3;
    while i < name.len() {
        let b = name[i];
        if !(b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') {
            return false;
        }
        i += 1;
    }
    true
}

impl Key {
    /// `DR_VERSION`: the script's interface version (scriptinfo).
    pub const VERSION: Key = Key::from_static("DR_VERSION");
    /// `DR_DATE`: the script's 8-digit date (scriptinfo).
    pub const DATE: Key = Key::from_static("DR_DATE");
    /// `DR_SCRIPTINFO`: a one-line description (scriptinfo).
    pub const SCRIPTINFO: Key = Key::from_static("DR_SCRIPTINFO");
    /// `DR_VENDOR`: who ships the script (scriptinfo).
    pub const VENDOR: Key = Key::from_static("DR_VENDOR");
    /// `DR_TIMEOUT`: seconds the script may take per command (scriptinfo).
    pub const TIMEOUT: Key = Key::from_static("DR_TIMEOUT");
    /// `DR_RESOURCE`: one managed resource (register).
    pub const RESOURCE: Key = Key::from_static("DR_RESOURCE");
    /// `DR_USAGE`: how the application uses a resource (usage).
    pub const USAGE: Key = Key::from_static("DR_USAGE");
    /// `DR_ERROR`: why a command failed.
    pub const ERROR: Key = Key::from_static("DR_ERROR");

    /// The protocol's output names, in the order above, then the log names.
    pub const KNOWN: [&'static str; 13] = [
        "DR_VERSION",
        "DR_DATE",
        "DR_SCRIPTINFO",
        "DR_VENDOR",
        "DR_TIMEOUT",
        "DR_RESOURCE",
        "DR_USAGE",
        "DR_ERROR",
        "DR_LOG_EMERG",
        "DR_LOG_ERR",
        "DR_LOG_WARNING",
        "DR_LOG_INFO",
        "DR_LOG_DEBUG",
    ];

    /// A name known at compile time; panics (at compile time in a `const`) if invalid.
    pub const fn from_static(name: &'static str) -> Key {
        assert!(valid(name.as_bytes()), "invalid output name: use DR_ followed by A-Z, 0-9 or _");
        Key(Cow::Borrowed(name))
    }

    /// Validates a name.
    pub fn new(name: &str) -> Result<Key, KeyError> {
        if valid(name.as_bytes()) { Ok(Key(Cow::Owned(name.to_owned()))) } else { Err(KeyError(name.to_owned())) }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the protocol defines this name.
    ///
    /// ```
    /// use dlpar_script::wire::Key;
    /// assert!(Key::ERROR.is_known());
    /// assert!(!Key::new("DR_ACME").unwrap().is_known());
    /// ```
    pub fn is_known(&self) -> bool {
        Key::KNOWN.contains(&self.as_str())
    }

    /// Whether the protocol's value for this name is text, written between double
    /// quotes (docs/protocol.md §4): `DR_ERROR`, `DR_USAGE`, `DR_SCRIPTINFO`,
    /// `DR_VENDOR` and the `DR_LOG_*` lines. The other known names are tokens
    /// written bare; an unknown name is neither.
    ///
    /// ```
    /// use dlpar_script::wire::{Key, LogLevel};
    /// assert!(Key::ERROR.is_text() && LogLevel::Info.key().is_text());
    /// assert!(!Key::VERSION.is_text() && !Key::RESOURCE.is_text());
    /// ```
    pub fn is_text(&self) -> bool {
        [Key::ERROR, Key::USAGE, Key::SCRIPTINFO, Key::VENDOR].contains(self)
            || LogLevel::from_name(self.as_str()).is_some()
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A `DR_LOG_*` level; the host writes each line to syslog at the matching priority.
///
/// ```
/// use dlpar_script::wire::LogLevel;
///
/// assert_eq!(LogLevel::Warning.key().as_str(), "DR_LOG_WARNING");
/// assert_eq!(LogLevel::from_name("DR_LOG_EMERG"), Some(LogLevel::Emerg));
/// assert!(LogLevel::Emerg < LogLevel::Debug);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// `DR_LOG_EMERG` → `LOG_EMERG`.
    Emerg,
    /// `DR_LOG_ERR` → `LOG_ERR`.
    Err,
    /// `DR_LOG_WARNING` → `LOG_WARNING`.
    Warning,
    /// `DR_LOG_INFO` → `LOG_INFO`.
    Info,
    /// `DR_LOG_DEBUG` → `LOG_DEBUG`.
    Debug,
}

impl LogLevel {
    /// Every level, most severe first.
    pub const ALL: [LogLevel; 5] = [LogLevel::Emerg, LogLevel::Err, LogLevel::Warning, LogLevel::Info, LogLevel::Debug];

    /// The output name of this level.
    pub fn key(self) -> Key {
        Key::from_static(self.name())
    }

    /// The output name as a string.
    pub const fn name(self) -> &'static str {
        match self {
            LogLevel::Emerg => "DR_LOG_EMERG",
            LogLevel::Err => "DR_LOG_ERR",
            LogLevel::Warning => "DR_LOG_WARNING",
            LogLevel::Info => "DR_LOG_INFO",
            LogLevel::Debug => "DR_LOG_DEBUG",
        }
    }

    /// The level whose output name is `name`.
    pub fn from_name(name: &str) -> Option<LogLevel> {
        LogLevel::ALL.into_iter().find(|l| l.name() == name)
    }

    /// The syslog priority name (`emerg`, `err`, `warning`, `info`, `debug`).
    ///
    /// ```
    /// assert_eq!(dlpar_script::wire::LogLevel::Err.syslog_name(), "err");
    /// ```
    pub const fn syslog_name(self) -> &'static str {
        match self {
            LogLevel::Emerg => "emerg",
            LogLevel::Err => "err",
            LogLevel::Warning => "warning",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
        }
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.syslog_name())
    }
}
