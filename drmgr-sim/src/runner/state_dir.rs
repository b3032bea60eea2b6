//! The phase-state directory drmgr-sim gives the scripts of an operation (a
//! simulator aid): inside the repository root, so that simulated operations leave
//! nothing under `/var` and each repository keeps its own state.
//!
//! A script runs as its file's owner when drmgr-sim runs as root, and the runtime
//! wants a state directory owned by the user it runs as (docs/protocol.md §1; see
//! `dlpar_script::state`), so each user gets one: `<root>/.state/<uid>`, mode 0700,
//! owned by that user. `<root>/.state` itself is drmgr-sim's, mode 0711: a script
//! may pass through it, not list or change it. The repository skips hidden names,
//! so `.state` is never taken for a host's directory.
//!
//! drmgr-sim may run as root in a repository someone else prepared, so `.state` is
//! opened with the runtime's secure-file checks (`dlpar_script::__fs`), the ones
//! phase state itself passes: a link, a `.state` of another owner or one others may
//! write is refused, and so is a repository root (or a directory above it) whose
//! owner could swap `.state` after the check. Inside that checked directory a
//! linked `<uid>` is refused too, never followed: a planted `.state -> /victim`
//! or `.state/65534 -> /victim` cannot make drmgr-sim create or hand over
//! anything outside the repository.

use std::fs::{self, DirBuilder, Permissions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use dlpar_script::__fs::{FsError, PrivateDir};

/// The name of the directory under the repository root.
pub(crate) const NAME: &str = ".state";

/// Mode of `<root>/.state`: only its owner may list or change it, everyone may pass.
const ROOT_MODE: u32 = 0o711;
/// Mode of each user's directory.
const USER_MODE: u32 = 0o700;

/// Makes `<state_root>/<uid>` for the user a script runs as — `owner` when
/// drmgr-sim switches to the file's owner, else drmgr-sim's own user — and
/// returns it. An existing `<uid>` directory is left as it is: the runtime, run as
/// that user, checks it.
pub(crate) fn prepare(state_root: &Path, owner: Option<(u32, u32)>) -> Result<PathBuf, FsError> {
    let root = PrivateDir::open(state_root)?;
    fs::set_permissions(root.path(), Permissions::from_mode(ROOT_MODE))
        .map_err(FsError::io("set the mode of", root.path()))?;
    // AIX: geteuid is POSIX, in libc.a; nothing AIX-specific to verify.
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    let uid = owner.map_or_else(|| unsafe { libc::geteuid() }, |(uid, _)| uid);
    let dir = root.path().join(uid.to_string());
    match fs::symlink_metadata(&dir) {
        Ok(meta) if meta.file_type().is_symlink() => return Err(FsError::Symlink { path: dir }),
        Ok(meta) if !meta.is_dir() => return Err(FsError::NotADirectory { path: dir }),
        Ok(_) => return Ok(dir),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(FsError::io("inspect", &dir)(e)),
    }
    // `.state` is ours and nobody else may write it, so the new entry stays the
    // directory created here; lchown all the same, never following a link.
    match DirBuilder::new().mode(USER_MODE).create(&dir) {
        Ok(()) => {}
        // Another drmgr-sim made it meanwhile: checked as an existing one.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return prepare(state_root, owner),
        Err(e) => return Err(FsError::io("create", &dir)(e)),
    }
    fs::set_permissions(&dir, Permissions::from_mode(USER_MODE)).map_err(FsError::io("set the mode of", &dir))?;
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::lchown(&dir, Some(uid), Some(gid)).map_err(FsError::io("give away", &dir))?;
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::{MetadataExt, symlink};

    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn each_user_gets_a_private_directory_under_the_root() {
        let root = tempfile::tempdir().unwrap();
        let state = root.path().join(NAME);
        let dir = prepare(&state, None).unwrap();
        // SAFETY: as above.
        let uid = unsafe { libc::geteuid() };
        assert_eq!(dir, state.join(uid.to_string()));
        assert_eq!((mode(&state), mode(&dir)), (0o711, 0o700));
        assert_eq!(fs::metadata(&dir).unwrap().uid(), uid);
        assert_eq!(prepare(&state, None).unwrap(), dir, "a second run reuses it");
    }

    #[test]
    fn a_linked_state_directory_is_refused_and_nothing_is_made_through_it() {
        let root = tempfile::tempdir().unwrap();
        let victim = root.path().join("victim");
        fs::create_dir(&victim).unwrap();
        let victim_mode = mode(&victim);
        let state = root.path().join("repo").join(NAME);
        fs::create_dir(state.parent().unwrap()).unwrap();
        symlink(&victim, &state).unwrap();
        let err = prepare(&state, Some((65534, 65534))).unwrap_err();
        assert_eq!(err.to_string(), format!("{} is a symbolic link; refusing to follow it", state.display()));
        assert_eq!(fs::read_dir(&victim).unwrap().count(), 0, "nothing created in the link's target");
        assert_eq!(mode(&victim), victim_mode, "its mode untouched");
    }

    #[test]
    fn a_linked_user_directory_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let victim = root.path().join("victim");
        fs::create_dir(&victim).unwrap();
        let state = root.path().join(NAME);
        prepare(&state, None).unwrap();
        let planted = state.join("65534");
        symlink(&victim, &planted).unwrap();
        let err = prepare(&state, Some((65534, 65534))).unwrap_err();
        assert_eq!(err.to_string(), format!("{} is a symbolic link; refusing to follow it", planted.display()));
        let err = {
            fs::remove_file(&planted).unwrap();
            fs::write(&planted, b"").unwrap();
            prepare(&state, Some((65534, 65534))).unwrap_err()
        };
        assert_eq!(err.to_string(), format!("{} is not a directory", planted.display()));
    }

    #[test]
    fn a_state_directory_others_may_write_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let state = root.path().join(NAME);
        fs::create_dir(&state).unwrap();
        fs::set_permissions(&state, Permissions::from_mode(0o777)).unwrap();
        let err = prepare(&state, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{} is writable by other users (mode 0777); refusing to use it", state.display())
        );
    }

    #[test]
    fn as_root_a_foreign_state_directory_or_repository_is_refused() {
        // SAFETY: as above.
        if unsafe { libc::geteuid() } != 0 {
            return; // only root can give a directory away
        }
        let root = tempfile::tempdir().unwrap();
        let state = root.path().join(NAME);
        fs::create_dir(&state).unwrap();
        std::os::unix::fs::chown(&state, Some(65534), Some(65534)).unwrap();
        let err = prepare(&state, Some((65534, 65534))).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{} is owned by uid 65534, not by uid 0 that this process runs as; refusing to use it",
                state.display()
            )
        );
        fs::remove_dir(&state).unwrap();
        std::os::unix::fs::chown(root.path(), Some(65534), Some(65534)).unwrap();
        let err = prepare(&state, Some((65534, 65534))).unwrap_err();
        assert!(matches!(err, FsError::ForeignParent { owner: 65534, .. }), "{err}");
        assert!(!state.exists(), "nothing made in a repository its owner could rearrange");
    }
}
