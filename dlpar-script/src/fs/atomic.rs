//! Replacing a file so that readers see the old content or the new, never a mix.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{FILE_MODE, FsError, PrivateDir, sync_dir};

/// Numbers the temporary files of this process, so that two threads writing the
/// same name never share one.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to a new temporary file next to `target`, flushes it, renames it
/// over `target` and flushes the directory.
pub(super) fn replace(dir: &PrivateDir, name: &str, target: &Path, bytes: &[u8]) -> Result<(), FsError> {
    let temp = dir.path.join(temp_name(name, std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
    let written =
        write_new(&temp, bytes).and_then(|()| fs::rename(&temp, target).map_err(FsError::io("rename", &temp)));
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(&dir.path)?;
    sweep(dir, name);
    Ok(())
}

/// `.NAME.PID.N.tmp`: hidden, and naming the process that writes it.
fn temp_name(name: &str, pid: u32, n: u64) -> String {
    format!(".{name}.{pid}.{n}.tmp")
}

/// The pid in a temporary file name made by [`temp_name`] for `name`.
fn temp_owner(file: &str, name: &str) -> Option<u32> {
    let middle = file.strip_prefix('.')?.strip_prefix(name)?.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (pid, n) = middle.split_once('.')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}

fn write_new(temp: &Path, bytes: &[u8]) -> Result<(), FsError> {
    // create_new is O_CREAT|O_EXCL, which never follows a link; O_NOFOLLOW says so twice.
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        // AIX: O_NOFOLLOW since 7.1; its value moved in 7.2 (APAR IV97624): verify libc's value on the partition.
        .custom_flags(libc::O_NOFOLLOW)
        .open(temp)
        .map_err(FsError::io("create", temp))?;
    file.write_all(bytes).map_err(FsError::io("write", temp))?;
    // AIX (fsync subroutine): needs a descriptor open for writing, as this one is.
    file.sync_all().map_err(FsError::io("flush", temp))
}

/// Removes the temporary files of `name` whose writer is dead (killed while
/// writing). Best effort: a leftover costs a few bytes, never correctness.
fn sweep(dir: &PrivateDir, name: &str) {
    let Ok(entries) = fs::read_dir(&dir.path) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name();
        if let Some(pid) = file.to_str().and_then(|f| temp_owner(f, name))
            && !alive(pid)
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether a process `pid` exists. Only a definite "no such process" counts as dead.
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return true };
    if pid == 0 {
        return true;
    }
    // AIX (kill subroutine): signal 0 only checks the pid; ESRCH means no such process.
    // SAFETY: kill with signal 0 sends nothing; it only checks that the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_round_trip_and_others_do_not_match() {
        assert_eq!(temp_owner(&temp_name("a.b", 42, 7), "a.b"), Some(42));
        assert_eq!(temp_owner(&temp_name("a.b", 42, 7), "a"), None);
        for other in ["a.b", ".a.b.42.tmp", ".a.b.x.1.tmp", ".a.b.42.1.tmpx"] {
            assert_eq!(temp_owner(other, "a.b"), None, "{other}");
        }
    }

    #[test]
    fn this_process_is_alive() {
        assert!(alive(std::process::id()));
    }
}
