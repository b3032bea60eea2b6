//! The numbered messages of `lvupdate-safe-ke`.

use std::fmt;

use dlpar_liveupdate::{AddOutcome, SafeListError};

/// The numbered messages of `lvupdate-safe-ke` (the `lvupdateSafeKE` work-alike), so
/// that an administrator can search for a message by its number.
///
/// The numbers are this project's own, prefixed `DLS-`; they deliberately do not
/// look like IBM's `1430-nnn` Live Update messages. By hundreds: 1xx usage, 2xx kernel
/// extension paths, 3xx the list's content, 4xx reading and writing the list.
///
/// | id | exit | meaning |
/// |---|---|---|
/// | `DLS-101` | 1 | usage error (flags) |
/// | `DLS-201` | 1 | path refused ([`KextPath`](dlpar_liveupdate::KextPath) rules) |
/// | `DLS-202` | — | warning: path outside the directories the rule knows |
/// | `DLS-301` | 0 | notice: `-a` of an entry already listed: nothing changed |
/// | `DLS-302` | 0 | notice: `-a` changed an entry's preview-only mark |
/// | `DLS-303` | 1 | `-r` of an entry that is not listed |
/// | `DLS-401` | 2 | the list file could not be read or written |
/// | `DLS-402` | 2 | the list (file or command output) is damaged |
/// | `DLS-403` | 2 | the native command is not installed |
/// | `DLS-404` | 2 | the native command failed |
///
/// ```
/// use drmgr_sim::liveupdate::safe_ke::MessageId;
/// assert_eq!(MessageId::NotListed.to_string(), "DLS-303");
/// assert_eq!(MessageId::NotListed.exit_code(), 1);
/// assert_eq!(MessageId::AlreadyListed.exit_code(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageId {
    /// `DLS-101`: the command line does not follow the grammar.
    Usage,
    /// `DLS-201`: the kernel-extension path breaks a path rule.
    InvalidPath,
    /// `DLS-202`: the path's file system cannot be told from its text.
    UnknownFileSystem,
    /// `DLS-301`: the entry is already listed as asked.
    AlreadyListed,
    /// `DLS-302`: the entry was listed with the other preview-only mark.
    MarkChanged,
    /// `DLS-303`: the entry to remove is not listed.
    NotListed,
    /// `DLS-401`: an I/O error on the list file.
    Io,
    /// `DLS-402`: the list is damaged.
    Damaged,
    /// `DLS-403`: the native command does not exist.
    CommandMissing,
    /// `DLS-404`: the native command failed.
    CommandFailed,
}

impl MessageId {
    /// The message for a failed safe-list operation.
    ///
    /// ```
    /// use dlpar_liveupdate::{KextPath, SafeListError};
    /// use drmgr_sim::liveupdate::safe_ke::MessageId;
    ///
    /// let err = SafeListError::NotListed(KextPath::new("/usr/lib/drivers/x").unwrap());
    /// assert_eq!(MessageId::of(&err).to_string(), "DLS-303");
    /// assert_eq!(MessageId::of(&err).exit_code(), 1);
    /// ```
    pub fn of(error: &SafeListError) -> MessageId {
        match error {
            SafeListError::InvalidPath(_) => MessageId::InvalidPath,
            SafeListError::NotListed(_) => MessageId::NotListed,
            SafeListError::Storage(_) | SafeListError::Spawn { .. } => MessageId::Io,
            SafeListError::Damaged { .. } => MessageId::Damaged,
            SafeListError::CommandMissing { .. } => MessageId::CommandMissing,
            SafeListError::CommandFailed { .. } => MessageId::CommandFailed,
            // A failure added to the runtime's list later: reading or writing failed.
            _ => MessageId::Io,
        }
    }

    /// The notice to show after an add, if any.
    ///
    /// ```
    /// use dlpar_liveupdate::AddOutcome;
    /// use drmgr_sim::liveupdate::safe_ke::MessageId;
    ///
    /// assert_eq!(MessageId::notice(AddOutcome::Added), None);
    /// assert_eq!(MessageId::notice(AddOutcome::AlreadyListed), Some(MessageId::AlreadyListed));
    /// ```
    pub fn notice(outcome: AddOutcome) -> Option<MessageId> {
        match outcome {
            AddOutcome::Added => None,
            AddOutcome::AlreadyListed => Some(MessageId::AlreadyListed),
            AddOutcome::MarkChanged => Some(MessageId::MarkChanged),
        }
    }

    /// The number after `DLS-`.
    pub fn number(self) -> u16 {
        match self {
            MessageId::Usage => 101,
            MessageId::InvalidPath => 201,
            MessageId::UnknownFileSystem => 202,
            MessageId::AlreadyListed => 301,
            MessageId::MarkChanged => 302,
            MessageId::NotListed => 303,
            MessageId::Io => 401,
            MessageId::Damaged => 402,
            MessageId::CommandMissing => 403,
            MessageId::CommandFailed => 404,
        }
    }

    /// The exit status of a command that stops with this message: 0 for notices and
    /// warnings, 1 for usage and validation errors, 2 for I/O errors.
    pub fn exit_code(self) -> u8 {
        match self.number() {
            101..=199 | 201 | 303 => 1,
            400..=499 => 2,
            _ => 0,
        }
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DLS-{}", self.number())
    }
}

#[cfg(test)]
mod tests {
    use dlpar_liveupdate::{FileSafeKextList, SafeKext, SafeKextList};

    use super::*;

    #[test]
    fn a_damaged_or_refused_list_is_an_io_status() {
        let root = tempfile::tempdir().unwrap();
        let list = FileSafeKextList::new(root.path());
        list.add(&SafeKext::new("/usr/a".parse().unwrap())).unwrap();
        std::fs::write(list.file(), "relative/b\n").unwrap();
        let damaged = list.list().unwrap_err();
        assert_eq!((MessageId::of(&damaged), MessageId::of(&damaged).exit_code()), (MessageId::Damaged, 2));
        std::fs::remove_file(list.file()).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", list.file()).unwrap();
        let refused = list.list().unwrap_err();
        assert_eq!((MessageId::of(&refused), MessageId::of(&refused).exit_code()), (MessageId::Io, 2));
    }
}
