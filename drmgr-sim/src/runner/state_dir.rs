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

use std::fs::{self, DirBuilder, Permissions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The name of the directory under the repository root.
pub(crate) const NAME: &str = ".state";

/// Makes `<state_root>/<uid>` for the user a script runs as — `owner` when
/// drmgr-sim switches to the file's owner, else drmgr-sim's own user — and
/// returns it. What exists already is left as it is: the runtime checks it.
pub(crate) fn prepare(state_root: &Path, owner: Option<(u32, u32)>) -> io::Result<PathBuf> {
    create(state_root, 0o711)?;
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    let uid = owner.map_or_else(|| unsafe { libc::geteuid() }, |(uid, _)| uid);
    let dir = state_root.join(uid.to_string());
    if create(&dir, 0o700)?
        && let Some((uid, gid)) = owner
    {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid))?;
    }
    Ok(dir)
}

/// Creates `dir` with exactly `mode` (whatever the umask); whether it was created.
fn create(dir: &Path, mode: u32) -> io::Result<bool> {
    match DirBuilder::new().mode(mode).create(dir) {
        Ok(()) => fs::set_permissions(dir, Permissions::from_mode(mode)).map(|()| true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::MetadataExt;

    use super::*;

    #[test]
    fn each_user_gets_a_private_directory_under_the_root() {
        let root = tempfile::tempdir().unwrap();
        let state = root.path().join(NAME);
        let dir = prepare(&state, None).unwrap();
        // SAFETY: as above.
        let uid = unsafe { libc::geteuid() };
        assert_eq!(dir, state.join(uid.to_string()));
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o7777;
        assert_eq!((mode(&state), mode(&dir)), (0o711, 0o700));
        assert_eq!(fs::metadata(&dir).unwrap().uid(), uid);
        assert_eq!(prepare(&state, None).unwrap(), dir, "a second run reuses it");
    }
}
