//! The default phase-state directory of the user a script runs as; the reasoning
//! is in the [module docs](super#the-default-directory).

use std::ffi::{CStr, OsStr};
use std::mem::MaybeUninit;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use super::{DEFAULT_DIR, HOME_SUBDIR};

/// The default directory for the effective user: [`DEFAULT_DIR`] for root,
/// [`HOME_SUBDIR`] under the home directory the password database gives for
/// anyone else. `Err(uid)` when that user has no usable home directory there.
pub(super) fn for_effective_user() -> Result<PathBuf, u32> {
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    for_user(unsafe { libc::geteuid() }, home_of)
}

/// The default directory for `uid`, whose home directory `home` looks up (asked
/// only for users other than root). `/` and relative paths are not usable.
fn for_user(uid: u32, home: impl FnOnce(u32) -> Option<PathBuf>) -> Result<PathBuf, u32> {
    if uid == 0 {
        return Ok(PathBuf::from(DEFAULT_DIR));
    }
    match home(uid) {
        Some(home) if home.is_absolute() && home.parent().is_some() => Ok(home.join(HOME_SUBDIR)),
        _ => Err(uid),
    }
}

/// `pw_dir` of `uid`'s password entry (drmgr passes no `HOME`).
fn home_of(uid: libc::uid_t) -> Option<PathBuf> {
    let mut buffer = vec![0u8; 1024];
    loop {
        let mut entry = MaybeUninit::<libc::passwd>::uninit();
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer is valid for the call and `buffer.len()` is the size
        // of `buffer`; on success `found` points at `entry`, whose strings live in
        // `buffer`, which outlives their use below.
        let rc =
            unsafe { libc::getpwuid_r(uid, entry.as_mut_ptr(), buffer.as_mut_ptr().cast(), buffer.len(), &mut found) };
        if rc == libc::ERANGE && buffer.len() < 1 << 16 {
            buffer.resize(buffer.len() * 2, 0);
            continue;
        }
        if rc != 0 || found.is_null() {
            return None;
        }
        // SAFETY: getpwuid_r succeeded and filled `entry`.
        let dir = unsafe { entry.assume_init_ref() }.pw_dir;
        if dir.is_null() {
            return None;
        }
        // SAFETY: `pw_dir` is a NUL-terminated string inside `buffer`.
        let bytes = unsafe { CStr::from_ptr(dir) }.to_bytes();
        return Some(PathBuf::from(OsStr::from_bytes(bytes)));
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn root_keeps_the_system_directory_without_a_lookup() {
        let dir = for_user(0, |_| panic!("root's home is never looked up"));
        assert_eq!(dir, Ok(PathBuf::from("/var/dlpar-script/state")));
    }

    #[test]
    fn other_users_get_a_directory_under_their_home() {
        let dir = for_user(1000, |uid| (uid == 1000).then(|| PathBuf::from("/home/wlm")));
        assert_eq!(dir, Ok(PathBuf::from("/home/wlm/.dlpar-script/state")));
    }

    #[test]
    fn users_without_a_usable_home_have_no_default() {
        for home in [None, Some(""), Some("home/wlm"), Some("/")] {
            assert_eq!(for_user(1000, |_| home.map(PathBuf::from)), Err(1000), "{home:?}");
        }
    }

    #[test]
    fn the_home_directory_comes_from_the_password_database() {
        assert!(home_of(0).is_some_and(|home| home.is_absolute()), "root has an entry");
        assert_eq!(home_of(4_000_000_123), None, "no entry for an unused uid");
        assert!(
            for_effective_user()
                .is_ok_and(|dir| dir.ends_with(Path::new(".dlpar-script/state")) || dir == Path::new(DEFAULT_DIR))
        );
    }
}
