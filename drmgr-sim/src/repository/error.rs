use std::io;
use std::path::PathBuf;

use super::entry::Location;

/// Why a repository action failed. Nothing is changed when one is returned, except
/// where the variant says so.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RepoError {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The system's error.
        source: io::Error,
    },
    /// The root directory does not exist (or is not a directory): only `install`
    /// creates it, so a mistyped root is an error rather than an empty repository.
    #[error("the script repository {} does not exist or is not a directory: check the root directory (install creates it)", root.display())]
    NoRoot {
        /// The root directory.
        root: PathBuf,
    },
    /// The information file is unreadable or of an unknown format.
    #[error("information file {}: {reason}; `drmgr-sim rebuild` re-creates it from the scripts present", path.display())]
    InfoFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The script to install is not a regular file.
    #[error("{} is not a regular file", path.display())]
    NotAFile {
        /// The path given.
        path: PathBuf,
    },
    /// The script to install has no execute permission.
    #[error("{} is not executable (mode {mode:03o}): make it executable first (chmod +x)", path.display())]
    NotExecutable {
        /// The path given.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The script's file name cannot be a script name.
    #[error("{name:?} cannot be a script name: {reason}")]
    BadName {
        /// The name.
        name: String,
        /// Why not.
        reason: &'static str,
    },
    /// The `-D` host name cannot be a directory under the root.
    #[error("{host:?} cannot be a host name for -D: {reason}")]
    BadHost {
        /// The name.
        host: String,
        /// Why not.
        reason: &'static str,
    },
    /// An install command failed or answered something invalid.
    #[error("{script}: {command}: {problem}")]
    Query {
        /// The script's name.
        script: String,
        /// The command as run, such as `usage cpu`.
        command: String,
        /// What went wrong.
        problem: String,
    },
    /// A script of that name is installed already (and `-f` was not given).
    #[error("{name} is already installed for {location}: use -f to replace it")]
    Clash {
        /// The name.
        name: String,
        /// Where the installed one is.
        location: Location,
    },
    /// No script of that name is installed there.
    #[error("{name} is not installed for {location}")]
    NotInstalled {
        /// The name.
        name: String,
        /// Where it was looked for.
        location: Location,
    },
}
