//! Why hooks could not be run or placed: each error says how to put it right.

use std::io;
use std::path::PathBuf;

/// A hooks directory that cannot be one, or an operation out of range.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HooksError {
    /// The hooks directory does not exist.
    #[error(
        "the hooks directory {} does not exist: give the directory that holds cpu/ and pmig/ (--hooks-dir DIR; powerpc-utils reads /etc/drmgr.d)",
        dir.display()
    )]
    NoDir {
        /// The directory given.
        dir: PathBuf,
    },
    /// The hooks directory is a file or something else.
    #[error(
        "the hooks directory {} is not a directory: give the directory that holds cpu/ and pmig/ (--hooks-dir DIR)",
        dir.display()
    )]
    NotADir {
        /// The path given.
        dir: PathBuf,
    },
    /// The hooks directory holds no DRC type directory.
    #[error(
        "{} holds neither cpu/ nor pmig/, so it is not a hooks directory: give the right one (--hooks-dir DIR), or create {}/pmig or {}/cpu for the hooks",
        dir.display(), dir.display(), dir.display()
    )]
    NoTypeDir {
        /// The directory given.
        dir: PathBuf,
    },
    /// The hooks directory cannot be looked at.
    #[error("the hooks directory {}: {source}", dir.display())]
    Unreadable {
        /// The directory given.
        dir: PathBuf,
        /// The system's error.
        source: io::Error,
    },
    /// The state directory given to the hooks could not be made.
    #[error(
        "the hooks' state directory under {} could not be made: {reason} (fix it, or give DLPAR_STATE_DIR with --setenv)",
        dir.display()
    )]
    StateDir {
        /// The directory it goes under.
        dir: PathBuf,
        /// What went wrong: the runtime's secure-file checks refused it, or the
        /// system's error.
        reason: String,
    },
    /// An extra variable ([`Hooks::setenv`](super::Hooks::setenv)) names a hook variable.
    #[error("{name} is a hook variable, set by the operation and the phase: it cannot be given as an extra variable")]
    HookVariable {
        /// The name.
        name: String,
    },
    /// A count of the operation is out of range.
    #[error("{what} {value} is out of range: give {min} to {max}")]
    OutOfRange {
        /// What is counted.
        what: &'static str,
        /// The value given.
        value: u32,
        /// The smallest accepted.
        min: u32,
        /// The largest accepted.
        max: u32,
    },
}
