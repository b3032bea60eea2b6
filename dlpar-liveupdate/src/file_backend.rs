//! The file backend: the safe list kept in a file under a root directory.

use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use super::safe_list::{add_entry, remove_entry};
use super::{AddOutcome, KextPath, SafeKext, SafeKextList, SafeListError, list_format};
use dlpar_script::__fs::{FsError, PrivateDir};

/// The list's directory under the root, next to AIX's own Live Update lists.
pub const SAFE_LIST_DIR: &str = "etc/liveupdate";
/// The list's file name (a project decision, after AIX's `lvup_preload_KE`).
pub const SAFE_LIST_FILE: &str = "lvup_safe_KE";
/// The largest list file read, in bytes: some four thousand entries of the longest
/// path.
pub const MAX_SAFE_LIST_BYTES: u64 = 4 * 1024 * 1024;

/// The lock file that serialises changes to the list.
const LOCK_FILE: &str = "lvup_safe_KE.lock";

/// The safe list kept in `<root>/etc/liveupdate/lvup_safe_KE`, for tests and
/// simulation (drmgr-sim's `lvupdate-safe-ke` uses it).
///
/// # The file
///
/// A header of `#` comment lines, then one entry a line in the order added: the
/// absolute path, and for an entry added with `-p` a tab and `preview` — the same
/// lines `-l` prints. Blank lines and `#` lines are ignored when reading; any other
/// line that is not a valid entry (a path breaking the [`KextPath`] rules, another
/// marker, a path listed twice) makes the file [`SafeListError::Damaged`], with its
/// line number. A missing file is an empty list.
///
/// # Safety of the file
///
/// The same rules as phase state: the directories are created with mode 0700, the
/// file is written 0600 by replacing it atomically (temporary file, `fsync`, rename,
/// directory `fsync`), so a reader sees the old list or the new one, never a mix;
/// symbolic links, and files or directories owned by another user or writable by
/// others, are refused. Changes take a POSIX lock (`lockf`) on a lock file next to
/// the list, so two concurrent changes cannot lose an entry.
///
/// ```
/// use dlpar_liveupdate::{AddOutcome, FileSafeKextList, SafeKext, SafeKextList};
///
/// let root = tempfile::tempdir()?;
/// let list = FileSafeKextList::new(root.path());
/// let kext = SafeKext::new("/usr/lib/drivers/mydev_driver".parse()?);
/// assert_eq!(list.add(&kext)?, AddOutcome::Added);
/// assert_eq!(list.add(&kext)?, AddOutcome::AlreadyListed);
/// assert_eq!(list.list()?, [kext.clone()]);
/// assert_eq!(list.remove(&kext.path)?, kext);
/// assert!(list.remove(&kext.path).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSafeKextList {
    root: PathBuf,
}

impl FileSafeKextList {
    /// The list under `root` (`/` would be the AIX location); nothing is created
    /// until the first change.
    pub fn new(root: impl Into<PathBuf>) -> FileSafeKextList {
        FileSafeKextList { root: root.into() }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The list file.
    ///
    /// ```
    /// let list = dlpar_liveupdate::FileSafeKextList::new("/sim");
    /// assert_eq!(list.file(), std::path::Path::new("/sim/etc/liveupdate/lvup_safe_KE"));
    /// ```
    pub fn file(&self) -> PathBuf {
        self.root.join(SAFE_LIST_DIR).join(SAFE_LIST_FILE)
    }

    fn dir(&self) -> Result<PrivateDir, SafeListError> {
        PrivateDir::open(self.root.join(SAFE_LIST_DIR)).map_err(SafeListError::Storage)
    }

    fn read(&self, dir: &PrivateDir) -> Result<Vec<SafeKext>, SafeListError> {
        let Some(bytes) = dir.read(SAFE_LIST_FILE, MAX_SAFE_LIST_BYTES).map_err(SafeListError::Storage)? else {
            return Ok(Vec::new());
        };
        let origin = self.file().display().to_string();
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|b| **b == b'\n').count();
            SafeListError::Damaged { origin: origin.clone(), line, reason: "not valid UTF-8".into() }
        })?;
        list_format::parse(&text, &origin)
    }

    /// Reads, changes and writes the list under the lock; writes only if `change`
    /// succeeded and changed something.
    fn update<T>(
        &self,
        change: impl FnOnce(&mut Vec<SafeKext>) -> Result<T, SafeListError>,
    ) -> Result<T, SafeListError> {
        let dir = self.dir()?;
        let _lock = Lock::take(&dir)?;
        let mut entries = self.read(&dir)?;
        let before = entries.clone();
        let result = change(&mut entries)?;
        if entries != before {
            dir.write(SAFE_LIST_FILE, list_format::render(&entries).as_bytes()).map_err(SafeListError::Storage)?;
        }
        Ok(result)
    }
}

impl SafeKextList for FileSafeKextList {
    fn add(&self, kext: &SafeKext) -> Result<AddOutcome, SafeListError> {
        self.update(|entries| Ok(add_entry(entries, kext)))
    }

    fn remove(&self, path: &KextPath) -> Result<SafeKext, SafeListError> {
        self.update(|entries| remove_entry(entries, path))
    }

    fn list(&self) -> Result<Vec<SafeKext>, SafeListError> {
        // Listing creates nothing: a root without the directory has an empty list.
        match PrivateDir::existing(self.root.join(SAFE_LIST_DIR))? {
            Some(dir) => self.read(&dir),
            None => Ok(Vec::new()),
        }
    }
}

/// Serialises changes between the threads of this process; `lockf` locks belong to
/// the process, so they only keep other processes out.
static IN_PROCESS: Mutex<()> = Mutex::new(());

/// An exclusive lock on the list: the in-process mutex, then `lockf` on the lock
/// file; both released when dropped (the file lock by closing the file).
#[derive(Debug)]
struct Lock {
    _file: File,
    _guard: MutexGuard<'static, ()>,
}

impl Lock {
    fn take(dir: &PrivateDir) -> Result<Lock, SafeListError> {
        // A panic while holding the guard leaves no half-written list (writes are
        // atomic), so a poisoned mutex is safe to take over.
        let guard = IN_PROCESS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let path = dir.file(LOCK_FILE).map_err(SafeListError::Storage)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)
            .map_err(FsError::io("open", &path))?;
        loop {
            // AIX (lockf subroutine): exclusive, needs a writable descriptor (it is); verify waiters wake on exit.
            // SAFETY: the descriptor is open for writing (lockf needs that) and owned by `file`.
            if unsafe { libc::lockf(file.as_raw_fd(), libc::F_LOCK, 0) } == 0 {
                return Ok(Lock { _file: file, _guard: guard });
            }
            let error = std::io::Error::last_os_error();
            if error.kind() != std::io::ErrorKind::Interrupted {
                return Err(FsError::io("lock", &path)(error).into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};

    use super::*;

    fn kext(path: &str) -> SafeKext {
        SafeKext::new(path.parse().unwrap())
    }

    fn mode(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().mode() & 0o7777
    }

    #[test]
    fn changes_keep_order_and_marks() {
        let root = tempfile::tempdir().unwrap();
        let list = FileSafeKextList::new(root.path());
        assert_eq!(list.list().unwrap(), []);
        assert!(!root.path().join("etc").exists(), "listing creates nothing");
        let (a, b, c) = (kext("/usr/lib/drivers/a"), kext("/opt/b"), kext("/tmp/c"));
        for entry in [&a, &b, &c] {
            assert_eq!(list.add(entry).unwrap(), AddOutcome::Added);
        }
        let b_preview = SafeKext::preview_only(b.path.clone());
        assert_eq!(list.add(&b_preview).unwrap(), AddOutcome::MarkChanged);
        assert_eq!(list.add(&b_preview).unwrap(), AddOutcome::AlreadyListed);
        assert_eq!(list.list().unwrap(), [a.clone(), b_preview.clone(), c.clone()]);
        assert_eq!(list.remove(&a.path).unwrap(), a);
        let err = list.remove(&a.path).unwrap_err();
        assert_eq!(err.to_string(), "/usr/lib/drivers/a is not in the list of safe kernel extensions");
        let text = fs::read_to_string(list.file()).unwrap();
        assert!(text.starts_with('#'));
        assert!(text.ends_with("\n/opt/b\tpreview\n/tmp/c\n"), "{text}");
    }

    #[test]
    fn files_are_private_and_replaced_whole() {
        let root = tempfile::tempdir().unwrap();
        let list = FileSafeKextList::new(root.path());
        list.add(&kext("/usr/a")).unwrap();
        assert_eq!(mode(&root.path().join("etc")), 0o700);
        assert_eq!(mode(&root.path().join(SAFE_LIST_DIR)), 0o700);
        assert_eq!(mode(&list.file()), 0o600);
        let names: Vec<_> =
            fs::read_dir(root.path().join(SAFE_LIST_DIR)).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "the list and its lock file, no temporary file left: {names:?}");
    }

    #[test]
    fn a_damaged_file_is_reported_and_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let list = FileSafeKextList::new(root.path());
        list.add(&kext("/usr/a")).unwrap();
        let damaged = "/usr/a\nrelative/b\n";
        fs::write(list.file(), damaged).unwrap();
        let err = list.add(&kext("/usr/c")).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{}, line 2: \"relative/b\" is not an absolute path: it must start with /", list.file().display())
        );
        assert!(matches!(err, SafeListError::Damaged { .. }), "{err:?}");
        assert_eq!(fs::read_to_string(list.file()).unwrap(), damaged);
        fs::write(list.file(), b"/usr/a\n/usr/\xff\n").unwrap();
        assert!(list.list().unwrap_err().to_string().ends_with("line 2: not valid UTF-8"));
    }

    #[test]
    fn links_and_loose_permissions_are_refused() {
        let root = tempfile::tempdir().unwrap();
        let list = FileSafeKextList::new(root.path());
        list.add(&kext("/usr/a")).unwrap();
        let elsewhere = root.path().join("elsewhere");
        fs::rename(list.file(), &elsewhere).unwrap();
        symlink(&elsewhere, list.file()).unwrap();
        let err = list.list().unwrap_err();
        assert_eq!(err.to_string(), format!("{} is a symbolic link; refusing to follow it", list.file().display()));
        assert!(list.add(&kext("/usr/b")).is_err());
        assert_eq!(fs::read_to_string(&elsewhere).unwrap().lines().last(), Some("/usr/a"));

        fs::remove_file(list.file()).unwrap();
        fs::set_permissions(root.path().join(SAFE_LIST_DIR), fs::Permissions::from_mode(0o770)).unwrap();
        let err = list.add(&kext("/usr/b")).unwrap_err();
        assert!(err.to_string().contains("is writable by other users (mode 0770)"), "{err}");
        assert!(matches!(err, SafeListError::Storage(_)), "{err:?}");
    }

    #[test]
    fn concurrent_adds_from_threads_lose_nothing() {
        let root = tempfile::tempdir().unwrap();
        let list = FileSafeKextList::new(root.path());
        std::thread::scope(|scope| {
            for i in 0..8 {
                let list = &list;
                scope.spawn(move || list.add(&kext(&format!("/usr/k{i}"))).unwrap());
            }
        });
        assert_eq!(list.list().unwrap().len(), 8);
    }
}
