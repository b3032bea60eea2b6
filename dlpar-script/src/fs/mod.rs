//! Private files for root-run scripts: a directory only this user can use, files
//! replaced atomically, links and foreign owners refused.
//!
//! Internal: phase state builds on it, and `dlpar-liveupdate`'s file backend through
//! the hidden `dlpar_script::__fs`.
//!
//! ```text
//! let dir = PrivateDir::open("/var/dlpar-script/state")?;   // created 0700 if missing
//! dir.write("acme.remove.cpu.json", b"{..}")?;             // temp + fsync + rename + dir fsync
//! let bytes: Option<Vec<u8>> = dir.read("acme.remove.cpu.json", 64 * 1024)?;
//! let existed: bool = dir.remove("acme.remove.cpu.json")?;
//! ```
//!
//! # Rules
//!
//! * [`PrivateDir::open`] creates each missing directory with mode 0700. The
//!   directory itself must be a real directory (not a link), owned by the effective
//!   uid and not writable by group or others. Every existing directory above it
//!   must not be writable by everybody or by its group unless it has the sticky
//!   bit (as `/tmp` does), and must belong to root, a system account (uid below
//!   100, such as AIX's `bin`, which owns `/var`) or the effective uid: whoever can
//!   rename entries there could swap the directory for their own.
//! * Files are written 0600 to a temporary name in the same directory (created with
//!   `O_EXCL`), flushed with `fsync`, renamed over the target, and the directory is
//!   flushed too: a reader sees the old content or the new one, never a mix, even
//!   if the process is killed or the machine stops. Temporary files left by a
//!   killed writer are removed by the next successful write of the same name.
//! * Reading opens with `O_NOFOLLOW` (a link is refused, never followed) and
//!   `O_NONBLOCK` (a planted FIFO cannot hang the script), then checks the open
//!   file: a regular file, owned by the effective uid, not writable by others, no
//!   larger than the caller's limit.
//! * File names are one path component that does not start with `.` (names
//!   starting with `.` are the temporary files).
//!
//! Everything used is POSIX (`O_NOFOLLOW`, `geteuid`, `kill(pid, 0)`, `fsync`), so it
//! works the same on AIX and Linux.

mod atomic;
mod check;
mod error;

use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};

pub use error::FsError;

use check::Kind;

/// Mode of the directories this module creates.
const DIR_MODE: u32 = 0o700;
/// Mode of the files this module writes.
const FILE_MODE: u32 = 0o600;

/// A directory that only this process's user can use; the rules are in the docs of the
/// (internal) `fs` module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateDir {
    path: PathBuf,
}

impl PrivateDir {
    /// Opens `path`, creating it (and missing parents) with mode 0700, and checks it.
    pub fn open(path: impl AsRef<Path>) -> Result<PrivateDir, FsError> {
        let path = path.as_ref();
        walk(path, true)?.ok_or_else(|| FsError::io("create", path)(io::ErrorKind::NotFound.into()))
    }

    /// Opens `path` if it exists, checked like [`PrivateDir::open`]; creates nothing.
    pub fn existing(path: impl AsRef<Path>) -> Result<Option<PrivateDir>, FsError> {
        walk(path.as_ref(), false)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the file `name` lives (whether or not it exists).
    pub fn file(&self, name: &str) -> Result<PathBuf, FsError> {
        let valid = !name.is_empty() && !name.starts_with('.') && !name.contains('/') && !name.contains('\0');
        if valid { Ok(self.path.join(name)) } else { Err(FsError::InvalidName(name.to_owned())) }
    }

    /// Replaces the content of `name` with `bytes`, atomically and durably.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), FsError> {
        let target = self.file(name)?;
        match fs::symlink_metadata(&target) {
            Ok(meta) => check::owned(&target, &meta, Kind::File)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(FsError::io("inspect", &target)(e)),
        }
        atomic::replace(self, name, &target, bytes)
    }

    /// The content of `name`, `None` if it does not exist; refuses links, foreign
    /// files and files larger than `limit` bytes.
    pub fn read(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, FsError> {
        let path = self.file(name)?;
        // AIX: O_NOFOLLOW as in atomic.rs; verify on a partition that a link gives ELOOP (else: an "open" error).
        let file = match OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return Err(FsError::Symlink { path }),
            Err(e) => return Err(FsError::io("open", &path)(e)),
        };
        let meta = file.metadata().map_err(FsError::io("inspect", &path))?;
        check::owned(&path, &meta, Kind::File)?;
        if meta.len() > limit {
            return Err(FsError::TooLarge { path, size: meta.len(), limit });
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(limit + 1).read_to_end(&mut bytes).map_err(FsError::io("read", &path))?;
        if bytes.len() as u64 > limit {
            return Err(FsError::TooLarge { path, size: bytes.len() as u64, limit });
        }
        Ok(Some(bytes))
    }

    /// Removes `name`; returns whether it existed. A link is removed, not followed.
    pub fn remove(&self, name: &str) -> Result<bool, FsError> {
        let path = self.file(name)?;
        match fs::remove_file(&path) {
            Ok(()) => {
                sync_dir(&self.path)?;
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(FsError::io("remove", &path)(e)),
        }
    }
}

/// Walks down to `path`, checking each existing directory and creating missing ones
/// when `create` is set; `None` when `path` is missing and `create` is not set.
fn walk(path: &Path, create: bool) -> Result<Option<PrivateDir>, FsError> {
    let path = absolute(path)?;
    let mut walked = PathBuf::new();
    let mut components = path.components().peekable();
    while let Some(component) = components.next() {
        walked.push(component);
        let last = components.peek().is_none();
        match fs::symlink_metadata(&walked) {
            Ok(meta) if last => check::owned(&walked, &meta, Kind::Directory)?,
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::metadata(&walked).map_err(FsError::io("inspect", &walked))?;
                check::ancestor(&walked, &target)?;
            }
            Ok(meta) => check::ancestor(&walked, &meta)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound && create => create_dir(&walked, last)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(FsError::io("inspect", &walked)(e)),
        }
    }
    Ok(Some(PrivateDir { path }))
}

/// `path` made absolute against the working directory, `.` and `..` resolved
/// lexically, so the walk in [`PrivateDir::open`] checks the directories really used.
fn absolute(path: &Path) -> Result<PathBuf, FsError> {
    let joined = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().map_err(FsError::io("find the working directory for", path))?.join(path)
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    Ok(clean)
}

/// Creates one directory with mode 0700; a directory created meanwhile by someone
/// else is checked like an existing one.
fn create_dir(path: &Path, last: bool) -> Result<(), FsError> {
    match DirBuilder::new().mode(DIR_MODE).create(path) {
        // The umask may have removed bits; state the mode exactly.
        Ok(()) => fs::set_permissions(path, fs::Permissions::from_mode(DIR_MODE))
            .map_err(FsError::io("set the mode of", path)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let meta = fs::symlink_metadata(path).map_err(FsError::io("inspect", path))?;
            if last { check::owned(path, &meta, Kind::Directory) } else { check::ancestor(path, &meta) }
        }
        Err(e) => Err(FsError::io("create", path)(e)),
    }
}

/// Flushes a directory's entries to disk, where the system can; see
/// [`cannot_flush_directories`].
fn sync_dir(path: &Path) -> Result<(), FsError> {
    let dir = File::open(path).map_err(FsError::io("open", path))?;
    match dir.sync_all() {
        Err(e) if cannot_flush_directories(&e) => Ok(()),
        other => other.map_err(FsError::io("flush", path)),
    }
}

/// Whether an `fsync` of a directory failed only because the system does not
/// flush directories that way, so there is nothing more to do: `EINVAL` (POSIX's
/// "not supported for this file"), and on AIX `EBADF`, which IBM's fsync page gives
/// for a descriptor not open for writing — a directory never is (AIX 7.3
/// documentation; verify on a partition that state saves there report no error).
fn cannot_flush_directories(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::InvalidInput || (cfg!(target_os = "aix") && e.raw_os_error() == Some(libc::EBADF))
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::{MetadataExt, symlink};

    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().mode() & 0o7777
    }

    #[test]
    fn a_directory_flush_the_system_does_not_support_is_not_an_error() {
        assert!(cannot_flush_directories(&io::Error::from_raw_os_error(libc::EINVAL)));
        assert_eq!(cannot_flush_directories(&io::Error::from_raw_os_error(libc::EBADF)), cfg!(target_os = "aix"));
        assert!(!cannot_flush_directories(&io::Error::from_raw_os_error(libc::EIO)));
    }

    #[test]
    fn open_creates_missing_directories_0700_and_files_are_0600() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("a/b");
        assert_eq!(PrivateDir::existing(&path).unwrap(), None);
        assert!(!root.path().join("a").exists(), "existing() creates nothing");
        let dir = PrivateDir::open(&path).unwrap();
        assert_eq!(PrivateDir::existing(&path).unwrap().as_ref(), Some(&dir));
        assert_eq!((mode(&root.path().join("a")), mode(&path)), (0o700, 0o700));
        dir.write("x", b"one").unwrap();
        dir.write("x", b"two").unwrap();
        assert_eq!(mode(&path.join("x")), 0o600);
        assert_eq!(dir.read("x", 3).unwrap().as_deref(), Some(&b"two"[..]));
        assert!(dir.remove("x").unwrap());
        assert!(!dir.remove("x").unwrap());
        assert_eq!(dir.read("x", 3).unwrap(), None);
    }

    #[test]
    fn a_linked_directory_or_file_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let real = PrivateDir::open(root.path().join("real")).unwrap();
        real.write("x", b"secret").unwrap();
        symlink(root.path().join("real"), root.path().join("link")).unwrap();
        let err = PrivateDir::open(root.path().join("link")).unwrap_err();
        assert!(matches!(err, FsError::Symlink { .. }), "{err}");
        // Through a link higher up, the walk checks what the link points to.
        assert!(PrivateDir::open(root.path().join("link/sub")).is_ok());

        symlink(root.path().join("real/x"), real.path().join("y")).unwrap();
        let err = real.read("y", 100).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{} is a symbolic link; refusing to follow it", real.path().join("y").display())
        );
        assert!(matches!(real.write("y", b"new").unwrap_err(), FsError::Symlink { .. }));
        assert_eq!(real.read("x", 100).unwrap().as_deref(), Some(&b"secret"[..]));
    }

    #[test]
    fn invalid_names_and_large_files_are_refused() {
        let root = tempfile::tempdir().unwrap();
        let dir = PrivateDir::open(root.path()).unwrap();
        for name in ["", ".hidden", "a/b", "..", "a\0b"] {
            assert!(matches!(dir.write(name, b"").unwrap_err(), FsError::InvalidName(_)), "{name:?}");
        }
        dir.write("big", &[b'x'; 10]).unwrap();
        let err = dir.read("big", 9).unwrap_err();
        assert!(matches!(err, FsError::TooLarge { size: 10, limit: 9, .. }), "{err}");
    }

    #[test]
    fn a_directory_writable_by_others_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("shared");
        fs::create_dir(&path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o770)).unwrap();
        let err = PrivateDir::open(&path).unwrap_err();
        assert!(matches!(err, FsError::Writable { mode: 0o770, .. }), "{err}");
    }

    #[test]
    fn temporary_files_of_dead_writers_are_swept() {
        let root = tempfile::tempdir().unwrap();
        let dir = PrivateDir::open(root.path()).unwrap();
        // pid_t is at most i32::MAX; no process has this pid.
        let dead = dir.path().join(".x.2147483646.0.tmp");
        let ours = dir.path().join(format!(".x.{}.99.tmp", std::process::id()));
        fs::write(&dead, b"half").unwrap();
        fs::write(&ours, b"busy").unwrap();
        dir.write("x", b"whole").unwrap();
        assert!(!dead.exists());
        assert!(ours.exists(), "a live writer's file is left alone");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 2, "{left:?}: x and the live writer's file");
    }
}
