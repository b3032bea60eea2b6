//! The checks every private path passes: not a link, ours, not writable by others.

use std::fs::Metadata;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use super::FsError;

/// Permission bits that let group or other users write.
const WRITABLE_BY_OTHERS: u32 = 0o022;
/// The sticky bit: in a directory, only an entry's owner may rename or remove it.
const STICKY: u32 = 0o1000;

/// The effective user id of this process.
pub(super) fn effective_uid() -> u32 {
    // AIX: geteuid is POSIX, in libc.a; nothing AIX-specific to verify.
    // SAFETY: geteuid has no preconditions and cannot fail (POSIX).
    unsafe { libc::geteuid() }
}

/// What kind of entry a caller expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Directory,
    File,
}

/// Checks metadata read without following links (`lstat`, or `fstat` of a file
/// opened with `O_NOFOLLOW`): the right kind, owned by this process's effective
/// uid, not writable by group or others.
pub(super) fn owned(path: &Path, meta: &Metadata, kind: Kind) -> Result<(), FsError> {
    if meta.file_type().is_symlink() {
        return Err(FsError::Symlink { path: path.to_owned() });
    }
    match kind {
        Kind::Directory if !meta.is_dir() => return Err(FsError::NotADirectory { path: path.to_owned() }),
        Kind::File if !meta.is_file() => return Err(FsError::NotAFile { path: path.to_owned() }),
        _ => {}
    }
    let expected = effective_uid();
    if meta.uid() != expected {
        return Err(FsError::ForeignOwner { path: path.to_owned(), owner: meta.uid(), expected });
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode & WRITABLE_BY_OTHERS != 0 {
        return Err(FsError::Writable { path: path.to_owned(), mode });
    }
    Ok(())
}

/// The highest user id counted as a system account (AIX's `bin`, `sys`, `adm`;
/// Linux's `bin`, `daemon`), which owns system directories such as `/var` or `/usr`.
const LAST_SYSTEM_UID: u32 = 99;

/// Checks a directory on the way to a private directory (links followed): anyone
/// able to rename entries in it could swap the private directory for their own.
///
/// * A directory writable by everybody or by its group must have the sticky bit
///   (like `/tmp`), under which only an entry's owner may rename it.
/// * Its owner, who can always grant themselves that right, must be root, a
///   system account (uid below 100) or this process's effective uid.
pub(super) fn ancestor(path: &Path, meta: &Metadata) -> Result<(), FsError> {
    if !meta.is_dir() {
        return Err(FsError::NotADirectory { path: path.to_owned() });
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode & STICKY == 0 {
        if mode & 0o002 != 0 {
            return Err(FsError::Writable { path: path.to_owned(), mode });
        }
        if mode & 0o020 != 0 {
            return Err(FsError::GroupWritableParent { path: path.to_owned(), mode });
        }
    }
    let expected = effective_uid();
    if meta.uid() > LAST_SYSTEM_UID && meta.uid() != expected {
        return Err(FsError::ForeignParent { path: path.to_owned(), owner: meta.uid(), expected });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn a_world_writable_ancestor_needs_the_sticky_bit() {
        let dir = tempfile::tempdir().unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
        let err = ancestor(dir.path(), &fs::metadata(dir.path()).unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{} is writable by other users (mode 0777); refusing to use it", dir.path().display())
        );
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o1777)).unwrap();
        assert!(ancestor(dir.path(), &fs::metadata(dir.path()).unwrap()).is_ok());
    }

    #[test]
    fn a_group_writable_ancestor_is_refused_unless_sticky() {
        let dir = tempfile::tempdir().unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o775)).unwrap();
        let err = ancestor(dir.path(), &fs::metadata(dir.path()).unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}, above the private directory, is writable by its group (mode 0775) without the sticky bit, \
                 so a member of the group could swap the directory below it: remove the group's write \
                 permission (chmod g-w) or use another directory",
                dir.path().display()
            )
        );
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o1775)).unwrap();
        assert!(ancestor(dir.path(), &fs::metadata(dir.path()).unwrap()).is_ok());
    }

    #[test]
    fn an_ancestor_of_another_unprivileged_user_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let meta = fs::metadata(dir.path()).unwrap();
        assert!(ancestor(dir.path(), &meta).is_ok(), "our own directory");
        assert!(ancestor(Path::new("/"), &fs::metadata("/").unwrap()).is_ok(), "root's");
        if effective_uid() != 0 {
            return; // only root can give a directory away
        }
        std::os::unix::fs::chown(dir.path(), Some(4321), None).unwrap();
        let err = ancestor(dir.path(), &fs::metadata(dir.path()).unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}, above the private directory, is owned by uid 4321, who could swap the directory below \
                 it: give it to root or to uid 0 (chown), or use another directory",
                dir.path().display()
            )
        );
        std::os::unix::fs::chown(dir.path(), Some(2), None).unwrap();
        assert!(ancestor(dir.path(), &fs::metadata(dir.path()).unwrap()).is_ok(), "a system account's (bin)");
    }

    #[test]
    fn a_group_writable_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, b"x").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o620)).unwrap();
        let err = owned(&file, &fs::symlink_metadata(&file).unwrap(), Kind::File).unwrap_err();
        assert!(matches!(err, FsError::Writable { mode: 0o620, .. }), "{err}");
        let err = owned(&file, &fs::symlink_metadata(&file).unwrap(), Kind::Directory).unwrap_err();
        assert!(matches!(err, FsError::NotADirectory { .. }), "{err}");
    }
}
