//! Which hooks a type directory holds, in the order they run (docs/protocol.md §10):
//! every entry, links followed, that is a regular file with the owner-execute
//! bit, in `versionsort` order.

use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::versionsort::version_cmp;

/// One entry of a type directory.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HookEntry {
    /// The file name (lossily UTF-8).
    pub name: String,
    /// The full path.
    pub path: PathBuf,
    /// Whether the entry is a link (followed to decide).
    pub link: bool,
    /// `None` when powerpc-utils would run it; otherwise why it would not.
    pub skipped: Option<Skip>,
}

/// Why an entry would not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Not a regular file (after following links): a directory, a device, …
    NotRegular(&'static str),
    /// A regular file without the owner-execute bit; its mode.
    NotExecutable(u32),
    /// `stat` failed (a dangling link, say); the error.
    Unreadable(String),
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::NotRegular(kind) => write!(f, "not a regular file ({kind})"),
            Skip::NotExecutable(mode) => write!(f, "no owner-execute bit (mode {mode:04o}): chmod u+x to enable"),
            Skip::Unreadable(error) => write!(f, "cannot stat: {error}"),
        }
    }
}

/// What a type directory holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// The directory does not exist: no hooks, and success.
    Missing,
    /// It could not be read; why. Treated as no hooks.
    Unreadable(String),
    /// Its entries, in run order.
    Entries(Vec<HookEntry>),
}

impl Listing {
    /// The entries that run, in order.
    pub fn runnable(&self) -> Vec<&HookEntry> {
        match self {
            Listing::Entries(entries) => entries.iter().filter(|e| e.skipped.is_none()).collect(),
            Listing::Missing | Listing::Unreadable(_) => Vec::new(),
        }
    }
}

/// Reads `dir` as powerpc-utils does.
pub fn list(dir: &Path) -> Listing {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Listing::Missing,
        Err(e) => return Listing::Unreadable(e.to_string()),
    };
    let mut names: Vec<std::ffi::OsString> = Vec::new();
    for entry in read {
        match entry {
            Ok(entry) => names.push(entry.file_name()),
            Err(e) => return Listing::Unreadable(e.to_string()),
        }
    }
    names.sort_by(|a, b| version_cmp(a.as_bytes(), b.as_bytes()));
    Listing::Entries(names.into_iter().map(|name| entry(dir, &name)).collect())
}

fn entry(dir: &Path, name: &std::ffi::OsStr) -> HookEntry {
    let path = dir.join(name);
    let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
    let skipped = match std::fs::metadata(&path) {
        Err(e) => Some(Skip::Unreadable(e.to_string())),
        Ok(meta) if !meta.is_file() => Some(Skip::NotRegular(kind(&meta))),
        Ok(meta) if meta.permissions().mode() & 0o100 == 0 => {
            Some(Skip::NotExecutable(meta.permissions().mode() & 0o7777))
        }
        Ok(_) => None,
    };
    HookEntry { name: name.to_string_lossy().into_owned(), path, link, skipped }
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "not a file"
    }
}
