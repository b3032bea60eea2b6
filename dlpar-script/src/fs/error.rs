use std::io;
use std::path::PathBuf;

/// Why a private directory or one of its files was refused or could not be used.
///
/// Every variant names the path concerned, so the message alone (it usually ends up
/// in `DR_ERROR`) tells an administrator what to look at.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    /// The path is a symbolic link; links are never followed.
    #[error("{path} is a symbolic link; refusing to follow it")]
    Symlink {
        /// The link.
        path: PathBuf,
    },
    /// The path belongs to another user than the one this process runs as.
    #[error("{path} is owned by uid {owner}, not by uid {expected} that this process runs as; refusing to use it")]
    ForeignOwner {
        /// The file or directory.
        path: PathBuf,
        /// Its owner.
        owner: u32,
        /// The effective uid of this process.
        expected: u32,
    },
    /// Group or other users may write the path (or, for a directory on the way to
    /// it, everybody may write it and it lacks the sticky bit).
    #[error("{path} is writable by other users (mode {mode:04o}); refusing to use it")]
    Writable {
        /// The file or directory.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A directory above a private directory lets its group swap what lies below
    /// it: group-writable without the sticky bit.
    #[error(
        "{path}, above the private directory, is writable by its group (mode {mode:04o}) without the sticky bit, \
         so a member of the group could swap the directory below it: remove the group's write permission \
         (chmod g-w) or use another directory"
    )]
    GroupWritableParent {
        /// The directory.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A directory above a private directory belongs to an unprivileged user other
    /// than the one this process runs as, who could swap what lies below it.
    #[error(
        "{path}, above the private directory, is owned by uid {owner}, who could swap the directory below it: \
         give it to root or to uid {expected} (chown), or use another directory"
    )]
    ForeignParent {
        /// The directory.
        path: PathBuf,
        /// Its owner.
        owner: u32,
        /// The effective uid of this process.
        expected: u32,
    },
    /// A directory was expected.
    #[error("{path} is not a directory")]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// A regular file was expected.
    #[error("{path} is not a regular file")]
    NotAFile {
        /// The path.
        path: PathBuf,
    },
    /// The file is larger than the caller accepts.
    #[error("{path} holds {size} bytes, more than the {limit} accepted")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The caller's limit.
        limit: u64,
    },
    /// A file name that is not one plain, visible path component.
    #[error("invalid file name {0:?}: use one path component that does not start with '.'")]
    InvalidName(String),
    /// The operating system refused an operation.
    #[error("could not {action} {path}: {source}")]
    Io {
        /// What was being done ("create", "read", "rename", …).
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The system's error.
        source: io::Error,
    },
}

impl FsError {
    /// Wraps an I/O error with what was being done and where (for the workspace's own
    /// crates).
    #[doc(hidden)]
    pub fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> FsError {
        let path = path.into();
        move |source| FsError::Io { action, path, source }
    }
}
