//! The safe kernel-extension list: its entries, its operations, its errors.

use std::fmt;
use std::path::PathBuf;

use super::{KextPath, KextPathError};
use dlpar_script::__fs::FsError;

/// The marker that follows the path, after a tab, on the line of an entry added with
/// `-p` (in the list file and in `-l` output).
pub const PREVIEW_MARKER: &str = "preview";

/// One entry of the safe list.
///
/// Its `Display` is its line in the list file and in `lvupdateSafeKE -l` output: the
/// path, and for a preview-only entry a tab and `preview`. Paths cannot contain tabs
/// or line breaks ([`KextPath`]), so the line is unambiguous.
///
/// ```
/// use dlpar_liveupdate::SafeKext;
///
/// let kext = SafeKext::preview_only("/usr/lib/drivers/mydev_driver".parse().unwrap());
/// assert_eq!(kext.to_string(), "/usr/lib/drivers/mydev_driver\tpreview");
/// assert!(!kext.counts_for_live_update());
/// assert!(SafeKext::new("/opt/acme/acme.ext".parse().unwrap()).counts_for_live_update());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SafeKext {
    /// The kernel extension.
    pub path: KextPath,
    /// Added with `-p`: may be ignored by the preview check (`geninstall -k -p`) only,
    /// not by a real Live Update.
    pub preview_only: bool,
}

impl SafeKext {
    /// An entry that is safe for the preview and the real Live Update (`-a`).
    pub fn new(path: KextPath) -> SafeKext {
        SafeKext { path, preview_only: false }
    }

    /// An entry that counts for the preview check only (`-a … -p`).
    pub fn preview_only(path: KextPath) -> SafeKext {
        SafeKext { path, preview_only: true }
    }

    /// Whether the entry lets the kernel extension pass a real Live Update's check.
    pub fn counts_for_live_update(&self) -> bool {
        !self.preview_only
    }
}

impl fmt::Display for SafeKext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path.as_str())?;
        if self.preview_only {
            write!(f, "\t{PREVIEW_MARKER}")?;
        }
        Ok(())
    }
}

/// What [`SafeKextList::add`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOutcome {
    /// The entry is new.
    Added,
    /// The same entry was already listed: nothing changed (a project decision:
    /// success; `lvupdate-safe-ke` says so in a notice).
    AlreadyListed,
    /// The path was listed with the other preview-only mark, which now has the value
    /// asked for.
    MarkChanged,
}

/// The list of kernel extensions that are safe for Live Update, as `lvupdateSafeKE`
/// manages it.
///
/// Two backends: [`NativeSafeKextList`](super::NativeSafeKextList) runs AIX's
/// `/usr/sbin/lvupdateSafeKE`; [`FileSafeKextList`](super::FileSafeKextList) keeps the
/// list in a file under a root directory, for tests and simulation. Both behave the
/// same way: adding an entry already listed changes nothing and says so; removing an
/// entry that is not listed is an error.
pub trait SafeKextList: fmt::Debug {
    /// Adds an entry (`-a path`, or `-a path -p` for a preview-only entry). Adding a
    /// path listed with the other mark changes the mark.
    fn add(&self, kext: &SafeKext) -> Result<AddOutcome, SafeListError>;

    /// Removes the entry for `path` (`-r path`) and gives it back.
    fn remove(&self, path: &KextPath) -> Result<SafeKext, SafeListError>;

    /// The entries, in the order they were added (`-l`).
    fn list(&self) -> Result<Vec<SafeKext>, SafeListError>;
}

/// Why a safe-list operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SafeListError {
    /// The path breaks a path rule.
    #[error(transparent)]
    InvalidPath(#[from] KextPathError),
    /// `remove` of a path that is not listed.
    #[error("{0} is not in the list of safe kernel extensions")]
    NotListed(KextPath),
    /// The list file (or its directory) could not be read or written, or was
    /// refused (a symbolic link, another owner, writable by others); the message
    /// names the path.
    #[error(transparent)]
    Storage(#[from] FsError),
    /// The native command could not be started.
    #[error("could not run {}: {source}", program.display())]
    Spawn {
        /// The program.
        program: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The list, as read from its file or from the native command, is damaged.
    #[error("{origin}, line {line}: {reason}")]
    Damaged {
        /// Where the list came from: a file name, or the command line that printed it.
        origin: String,
        /// 1-based line.
        line: usize,
        /// What is wrong with the line.
        reason: String,
    },
    /// The native command does not exist on this system.
    #[error(
        "{} does not exist: lvupdateSafeKE is an AIX command (AIX 7.2 and later, with Live Update); \
         on other systems use FileSafeKextList or drmgr-sim's lvupdate-safe-ke",
        program.display()
    )]
    CommandMissing {
        /// The program looked for.
        program: PathBuf,
    },
    /// The native command failed.
    #[error("`{command}` failed ({status}){}", if stderr.is_empty() { String::new() } else { format!(": {stderr}") })]
    CommandFailed {
        /// The command line that was run.
        command: String,
        /// How it ended (`exit status 1`, `signal 9`, …).
        status: String,
        /// What it printed on stderr, trimmed.
        stderr: String,
    },
}

/// Adds `kext` to `entries` the way every backend does, and says what happened.
pub(super) fn add_entry(entries: &mut Vec<SafeKext>, kext: &SafeKext) -> AddOutcome {
    match entries.iter_mut().find(|e| e.path == kext.path) {
        Some(entry) if entry.preview_only == kext.preview_only => AddOutcome::AlreadyListed,
        Some(entry) => {
            entry.preview_only = kext.preview_only;
            AddOutcome::MarkChanged
        }
        None => {
            entries.push(kext.clone());
            AddOutcome::Added
        }
    }
}

/// Removes the entry for `path` from `entries`, or says it is not listed.
pub(super) fn remove_entry(entries: &mut Vec<SafeKext>, path: &KextPath) -> Result<SafeKext, SafeListError> {
    let index = entries.iter().position(|e| &e.path == path).ok_or_else(|| SafeListError::NotListed(path.clone()))?;
    Ok(entries.remove(index))
}
