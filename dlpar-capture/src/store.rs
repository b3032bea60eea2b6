//! The capture file: where it is, and appending one record at a time, safely.
//!
//! * One `write(2)` per record on a descriptor opened with `O_APPEND`, while
//!   holding a `lockf` lock on `<file>.lock`: records of concurrent scripts never
//!   interleave, and rotation never races a writer.
//! * When a record would take the file past its cap, the file becomes `<file>.1`
//!   (replacing the previous generation) and a new file is started.
//! * The directory is created 0700 when missing and checked like phase state's
//!   (no links, no foreign owner, no writable parents); files are 0600, opened with
//!   `O_NOFOLLOW` and must be regular files of this user.

use std::cell::OnceCell;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dlpar_script::__fs::PrivateDir;

/// The variable that names the capture file (simulators and tests; neither drmgr
/// passes it).
///
/// ```
/// assert_eq!(dlpar_capture::FILE_VARIABLE, "DLPAR_CAPTURE_FILE");
/// ```
pub const FILE_VARIABLE: &str = "DLPAR_CAPTURE_FILE";

/// The size cap in bytes (tests; a tuning knob: a bad value is a warning and the default).
pub(crate) const MAX_BYTES_VARIABLE: &str = "DLPAR_CAPTURE_MAX_BYTES";

/// Where records go when [`FILE_VARIABLE`] is not set: AIX keeps administrative
/// logs under `/var/adm`.
#[cfg(target_os = "aix")]
pub(crate) const DEFAULT_FILE: &str = "/var/adm/dlpar_capture/capture.jsonl";

/// Where records go when [`FILE_VARIABLE`] is not set.
#[cfg(not(target_os = "aix"))]
pub(crate) const DEFAULT_FILE: &str = "/var/log/dlpar_capture/capture.jsonl";

/// The default cap: 8 MiB, with one rotated generation 16 MiB on disk at most.
pub(crate) const DEFAULT_MAX_BYTES: u64 = 8 * 1024 * 1024;

/// How long to wait for another script's lock before giving up on the record (a
/// warning, like any record not written).
const LOCK_WAIT: Duration = Duration::from_secs(2);

const FILE_MODE: u32 = 0o600;

/// The capture file and its cap, as the environment says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Store {
    /// The capture file.
    pub(crate) file: PathBuf,
    /// Its cap in bytes.
    pub(crate) max_bytes: u64,
    /// The directory, opened and checked once per process: the control file and
    /// every record of the invocation share it (a failure is kept, not retried).
    dir: OnceCell<Result<PrivateDir, String>>,
}

impl Store {
    /// The store named by `env` (entries `NAME=value`); an empty environment, as
    /// drmgr gives, means [`DEFAULT_FILE`]. A mistake in a variable is a warning:
    /// a bad `DLPAR_CAPTURE_FILE` means no recording (never a fallback into the
    /// system path), a bad cap means the default cap.
    pub(crate) fn from_env(env: &[String], warnings: &mut Vec<String>) -> Option<Store> {
        let var = |name: &str| env.iter().find_map(|e| e.strip_prefix(name)?.strip_prefix('='));
        let max_bytes = match var(MAX_BYTES_VARIABLE).map(|v| (v, v.parse::<u64>())) {
            None => DEFAULT_MAX_BYTES,
            Some((_, Ok(n))) if n > 0 => n,
            Some((v, _)) => {
                warnings.push(format!(
                    "{MAX_BYTES_VARIABLE}={v:?} is not a positive number of bytes: using {DEFAULT_MAX_BYTES}"
                ));
                DEFAULT_MAX_BYTES
            }
        };
        let file = match var(FILE_VARIABLE) {
            None => PathBuf::from(DEFAULT_FILE),
            Some(path) if path.starts_with('/') && Path::new(path).file_name().is_some() => PathBuf::from(path),
            Some(path) => {
                warnings.push(format!(
                    "{FILE_VARIABLE}={path:?} is not an absolute file path: nothing recorded; name a file such as /tmp/capture/capture.jsonl"
                ));
                return None;
            }
        };
        Some(Store::new(file, max_bytes))
    }

    /// The store of `file` with a cap of `max_bytes`.
    pub(crate) fn new(file: PathBuf, max_bytes: u64) -> Store {
        Store { file, max_bytes, dir: OnceCell::new() }
    }

    /// The directory, created 0700 when missing and checked, the first time only.
    pub(crate) fn dir(&self) -> Result<&PrivateDir, String> {
        let parent = self.file.parent().unwrap_or(Path::new("/"));
        self.dir.get_or_init(|| PrivateDir::open(parent).map_err(|e| e.to_string())).as_ref().map_err(Clone::clone)
    }

    /// The control file's path.
    pub(crate) fn control_path(&self) -> PathBuf {
        crate::control::path(&self.file)
    }

    /// Appends `line` (one record, newline included) in one write.
    pub(crate) fn append(&self, line: &[u8]) -> Result<(), String> {
        self.dir()?;
        let _lock = Lock::take(&self.file.with_extension("jsonl.lock"))?;
        self.rotate_for(line.len() as u64)?;
        let mut file = open_private(OpenOptions::new().append(true).create(true), &self.file)?;
        let written = file.write(line).map_err(|e| format!("cannot write {}: {e}", self.file.display()))?;
        if written != line.len() {
            return Err(format!(
                "{}: only {written} of {} bytes written (disk full?)",
                self.file.display(),
                line.len()
            ));
        }
        Ok(())
    }

    /// Moves the file to `<file>.1` if `more` bytes would take it past the cap.
    fn rotate_for(&self, more: u64) -> Result<(), String> {
        let size = match std::fs::symlink_metadata(&self.file) {
            Ok(meta) => meta.len(),
            Err(_) => return Ok(()),
        };
        if size == 0 || size.saturating_add(more) <= self.max_bytes {
            return Ok(());
        }
        let mut old = self.file.clone().into_os_string();
        old.push(".1");
        std::fs::rename(&self.file, &old).map_err(|e| format!("cannot rotate {}: {e}", self.file.display()))
    }
}

/// Opens `path` without following a link or blocking on a FIFO, and checks that it
/// is a regular file of this user, mode 0600 (narrowed if it was wider).
fn open_private(options: &mut OpenOptions, path: &Path) -> Result<File, String> {
    let file = options
        .mode(FILE_MODE)
        // AIX: O_NOFOLLOW, O_NONBLOCK, O_CLOEXEC documented for open.
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let meta = file.metadata().map_err(|e| format!("cannot inspect {}: {e}", path.display()))?;
    // SAFETY: geteuid has no preconditions.
    // AIX: geteuid documented.
    let me = unsafe { libc::geteuid() };
    if !meta.file_type().is_file() || meta.uid() != me {
        return Err(format!("{} is not a regular file owned by uid {me}: remove it", path.display()));
    }
    if meta.mode() & 0o777 != FILE_MODE {
        file.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))
            .map_err(|e| format!("cannot make {} mode 0600: {e}", path.display()))?;
    }
    Ok(file)
}

/// A `lockf` lock, released when dropped (closing the descriptor releases it).
struct Lock(File);

impl Lock {
    fn take(path: &Path) -> Result<Lock, String> {
        let file = open_private(OpenOptions::new().write(true).create(true), path)?;
        let start = Instant::now();
        loop {
            // SAFETY: the descriptor is open for writing, as lockf requires.
            // AIX: lockf with F_TLOCK documented (built on fcntl record locks).
            if unsafe { libc::lockf(file.as_raw_fd(), libc::F_TLOCK, 0) } == 0 {
                return Ok(Lock(file));
            }
            let error = std::io::Error::last_os_error();
            let busy = matches!(error.raw_os_error(), Some(libc::EACCES | libc::EAGAIN));
            if !busy {
                return Err(format!("cannot lock {}: {error}", path.display()));
            }
            if start.elapsed() >= LOCK_WAIT {
                return Err(format!("{} stayed locked for {LOCK_WAIT:?}", path.display()));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Closing releases the lock; unlocking first makes it explicit.
        // SAFETY: the descriptor is still open.
        // AIX: lockf with F_ULOCK documented.
        unsafe { libc::lockf(self.0.as_raw_fd(), libc::F_ULOCK, 0) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(entries: &[&str]) -> Vec<String> {
        entries.iter().map(|e| (*e).to_owned()).collect()
    }

    #[test]
    fn an_empty_environment_means_the_systems_default_file() {
        let mut warnings = Vec::new();
        let store = Store::from_env(&[], &mut warnings).unwrap();
        #[cfg(target_os = "linux")]
        assert_eq!(store.file, Path::new("/var/log/dlpar_capture/capture.jsonl"));
        assert_eq!(store.file, Path::new(DEFAULT_FILE));
        assert_eq!(store.max_bytes, DEFAULT_MAX_BYTES);
        assert_eq!(store.control_path(), store.file.with_file_name("control"));
        assert!(warnings.is_empty());
    }

    #[test]
    fn a_relative_file_records_nothing_and_a_bad_cap_is_the_default() {
        let mut warnings = Vec::new();
        assert_eq!(Store::from_env(&env(&["DLPAR_CAPTURE_FILE=capture.jsonl"]), &mut warnings), None);
        assert_eq!(Store::from_env(&env(&["DLPAR_CAPTURE_FILE=/"]), &mut warnings), None);
        let store =
            Store::from_env(&env(&["DLPAR_CAPTURE_FILE=/c/x.jsonl", "DLPAR_CAPTURE_MAX_BYTES=lots"]), &mut warnings);
        assert_eq!(store.unwrap().max_bytes, DEFAULT_MAX_BYTES);
        assert_eq!(
            warnings,
            [
                "DLPAR_CAPTURE_FILE=\"capture.jsonl\" is not an absolute file path: nothing recorded; name a file such as /tmp/capture/capture.jsonl",
                "DLPAR_CAPTURE_FILE=\"/\" is not an absolute file path: nothing recorded; name a file such as /tmp/capture/capture.jsonl",
                "DLPAR_CAPTURE_MAX_BYTES=\"lots\" is not a positive number of bytes: using 8388608",
            ]
        );
    }

    fn store_in(dir: &Path, max_bytes: u64) -> Store {
        Store::new(dir.join("sub/capture.jsonl"), max_bytes)
    }

    #[test]
    fn files_are_0600_in_a_0700_directory_created_when_missing() {
        let tmp = tempfile::tempdir().unwrap();
        let store = store_in(tmp.path(), 1024);
        store.append(b"{}\n").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().mode() & 0o777;
        assert_eq!(mode(&tmp.path().join("sub")), 0o700);
        assert_eq!(mode(&store.file), 0o600);
        std::fs::set_permissions(&store.file, std::fs::Permissions::from_mode(0o644)).unwrap();
        store.append(b"{}\n").unwrap();
        assert_eq!(mode(&store.file), 0o600);
        assert_eq!(std::fs::read_to_string(&store.file).unwrap(), "{}\n{}\n");
    }

    #[test]
    fn the_directory_is_checked_once_for_every_record() {
        let tmp = tempfile::tempdir().unwrap();
        let store = store_in(tmp.path(), 1024);
        let first: *const PrivateDir = store.dir().unwrap();
        store.append(b"{}\n").unwrap();
        assert!(std::ptr::eq(first, store.dir().unwrap()));
    }

    #[test]
    fn past_the_cap_the_file_rotates_keeping_one_generation() {
        let tmp = tempfile::tempdir().unwrap();
        let store = store_in(tmp.path(), 10);
        for line in ["aaaa\n", "bbbb\n", "cccc\n", "dddd\n", "eeee\n"] {
            store.append(line.as_bytes()).unwrap();
        }
        let read = |suffix: &str| std::fs::read_to_string(format!("{}{suffix}", store.file.display())).unwrap();
        assert_eq!(read(""), "eeee\n");
        assert_eq!(read(".1"), "cccc\ndddd\n");
        assert!(!Path::new(&format!("{}.2", store.file.display())).exists());
    }

    #[test]
    fn a_link_in_place_of_the_file_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let store = store_in(tmp.path(), 1024);
        std::fs::create_dir_all(store.file.parent().unwrap()).unwrap();
        std::fs::set_permissions(store.file.parent().unwrap(), std::fs::Permissions::from_mode(0o700)).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", &store.file).unwrap();
        let error = store.append(b"{}\n").unwrap_err();
        assert!(error.starts_with("cannot open "), "{error}");
    }
}
