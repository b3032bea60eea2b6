//! Which hooks a type directory holds, in the order they run (docs/protocol.md §10):
//! every entry that the directory itself reports (`d_type`) as a regular file or a
//! link, and that `stat` — links followed — finds a regular file with the
//! owner-execute bit, in `versionsort` order.

use std::ffi::{CStr, CString, OsString};
use std::fmt;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
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
#[non_exhaustive]
pub enum Skip {
    /// The filesystem does not say what the entry is (`DT_UNKNOWN`, as some
    /// network and older filesystems answer): powerpc-utils' `scandirat` filter
    /// admits only `DT_REG` and `DT_LNK`, so it never runs, whatever it is.
    UnknownType,
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
            Skip::UnknownType => f.write_str(
                "the filesystem does not report its type (DT_UNKNOWN), and powerpc-utils runs only entries reported as files or links",
            ),
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
    let mut names = match read_types(dir) {
        Ok(names) => names,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Listing::Missing,
        Err(e) => return Listing::Unreadable(e.to_string()),
    };
    names.sort_by(|(a, _), (b, _)| version_cmp(a.as_bytes(), b.as_bytes()));
    Listing::Entries(names.into_iter().map(|(name, d_type)| entry(dir, &name, d_type)).collect())
}

/// The names in `dir` (without `.` and `..`) with their `d_type`, as `readdir(3)`
/// reports them. The standard library's `DirEntry::file_type` cannot be used: it
/// answers a `DT_UNKNOWN` entry with `lstat`, where powerpc-utils skips it.
fn read_types(dir: &Path) -> std::io::Result<Vec<(OsString, u8)>> {
    let path = CString::new(dir.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: `path` is a valid NUL-terminated string.
    let handle = unsafe { libc::opendir(path.as_ptr()) };
    if handle.is_null() {
        return Err(std::io::Error::last_os_error());
    }
    let mut names = Vec::new();
    let result = loop {
        // readdir(3) signals an error only through errno, so it is cleared first.
        // SAFETY: errno is this thread's; `handle` is an open directory stream.
        let entry = unsafe {
            *libc::__errno_location() = 0;
            libc::readdir(handle)
        };
        if entry.is_null() {
            let error = std::io::Error::last_os_error();
            break if error.raw_os_error() == Some(0) { Ok(()) } else { Err(error) };
        }
        // SAFETY: a non-null entry points to a dirent valid until the next readdir
        // on this stream; its name is NUL-terminated. Both are copied out now.
        let (name, d_type) = unsafe { (CStr::from_ptr((*entry).d_name.as_ptr()), (*entry).d_type) };
        if !matches!(name.to_bytes(), b"." | b"..") {
            names.push((OsString::from_vec(name.to_bytes().to_vec()), d_type));
        }
    };
    // SAFETY: `handle` was opened above and is closed once.
    unsafe { libc::closedir(handle) };
    result.map(|()| names)
}

fn entry(dir: &Path, name: &std::ffi::OsStr, d_type: u8) -> HookEntry {
    let path = dir.join(name);
    let link = d_type == libc::DT_LNK;
    let skipped = match d_type {
        libc::DT_REG | libc::DT_LNK => match std::fs::metadata(&path) {
            Err(e) => Some(Skip::Unreadable(e.to_string())),
            // IFTODT: a mode's file type bits are its d_type, shifted.
            Ok(meta) if !meta.is_file() => {
                Some(Skip::NotRegular(d_type_kind(((meta.mode() & libc::S_IFMT) >> 12) as u8)))
            }
            Ok(meta) if meta.permissions().mode() & 0o100 == 0 => {
                Some(Skip::NotExecutable(meta.permissions().mode() & 0o7777))
            }
            Ok(_) => None,
        },
        libc::DT_UNKNOWN => Some(Skip::UnknownType),
        _ => Some(Skip::NotRegular(d_type_kind(d_type))),
    };
    HookEntry { name: name.to_string_lossy().into_owned(), path, link, skipped }
}

/// What a `d_type` other than a regular file names.
fn d_type_kind(d_type: u8) -> &'static str {
    match d_type {
        libc::DT_DIR => "a directory",
        libc::DT_FIFO => "a FIFO",
        libc::DT_SOCK => "a socket",
        libc::DT_BLK | libc::DT_CHR => "a device",
        _ => "not a file",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No filesystem here answers `DT_UNKNOWN` (tmpfs and ext4 always report the
    /// type), so the decision is tested on the `d_type` readdir would give.
    #[test]
    fn only_entries_reported_as_files_or_links_are_looked_at() {
        let dir = tempfile::tempdir().unwrap();
        let hook = dir.path().join("hook");
        std::fs::write(&hook, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
        let skip = |d_type| entry(dir.path(), "hook".as_ref(), d_type).skipped;
        assert_eq!(skip(libc::DT_REG), None);
        assert_eq!(skip(libc::DT_LNK), None, "a link is followed by stat");
        assert_eq!(skip(libc::DT_UNKNOWN), Some(Skip::UnknownType), "an executable file that would otherwise run");
        assert_eq!(skip(libc::DT_FIFO), Some(Skip::NotRegular("a FIFO")), "d_type alone decides: no stat");
        assert_eq!(
            Skip::UnknownType.to_string(),
            "the filesystem does not report its type (DT_UNKNOWN), and powerpc-utils runs only entries reported as files or links"
        );
    }

    #[test]
    fn readdir_reports_the_type_of_every_entry_but_dot_and_dot_dot() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("file"), "").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink("file", dir.path().join("link")).unwrap();
        let mut seen = read_types(dir.path()).unwrap();
        seen.sort();
        let expected: Vec<(OsString, u8)> =
            [("file", libc::DT_REG), ("link", libc::DT_LNK), ("sub", libc::DT_DIR)].map(|(n, t)| (n.into(), t)).into();
        assert_eq!(seen, expected);
        assert_eq!(read_types(&dir.path().join("missing")).unwrap_err().kind(), std::io::ErrorKind::NotFound);
    }
}
