//! The native backend of the runtime, driven through `lvupdate-safe-ke` standing in
//! for AIX's `/usr/sbin/lvupdateSafeKE`.

use std::os::unix::fs::PermissionsExt;

use dlpar_liveupdate::{AddOutcome, KextPath, NativeSafeKextList, SafeKext, SafeKextList, SafeListError};
use drmgr_sim::liveupdate::safe_ke::MessageId;

/// A stand-in `lvupdateSafeKE`: a shell script that runs the work-alike on a scratch
/// root with the arguments it was given.
fn stand_in(dir: &std::path::Path) -> NativeSafeKextList {
    let program = dir.join("lvupdateSafeKE");
    let script = format!(
        "#!/bin/sh\nexec '{}' --root '{}' \"$@\"\n",
        env!("CARGO_BIN_EXE_lvupdate-safe-ke"),
        dir.join("root").display()
    );
    std::fs::write(&program, script).unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    NativeSafeKextList::with_program(program)
}

fn path(text: &str) -> KextPath {
    text.parse().unwrap()
}

#[test]
fn the_native_backend_behaves_like_the_file_backend() {
    let _serial = crate::serial();
    let dir = tempfile::tempdir().unwrap();
    let list = stand_in(dir.path());
    let x = SafeKext::new(path("/usr/lib/drivers/x"));
    let y = SafeKext::preview_only(path("/opt/acme/y"));
    assert_eq!(list.list().unwrap(), []);
    assert_eq!(list.add(&x).unwrap(), AddOutcome::Added);
    assert_eq!(list.add(&y).unwrap(), AddOutcome::Added);
    assert_eq!(list.add(&x).unwrap(), AddOutcome::AlreadyListed);
    assert_eq!(list.list().unwrap(), [x.clone(), y.clone()]);

    let x_preview = SafeKext::preview_only(x.path.clone());
    assert_eq!(list.add(&x_preview).unwrap(), AddOutcome::MarkChanged);
    let listed = list.list().unwrap();
    assert!(listed.contains(&x_preview) && listed.contains(&y) && listed.len() == 2, "{listed:?}");

    assert_eq!(list.remove(&y.path).unwrap(), y);
    let err = list.remove(&y.path).unwrap_err();
    assert_eq!(MessageId::of(&err), MessageId::NotListed);
    assert_eq!(list.list().unwrap(), [x_preview]);
}

#[test]
fn a_failing_command_is_reported_with_its_stderr() {
    let _serial = crate::serial();
    let dir = tempfile::tempdir().unwrap();
    let list = stand_in(dir.path());
    list.add(&SafeKext::new(path("/usr/lib/drivers/x"))).unwrap();
    std::fs::write(dir.path().join("root/etc/liveupdate/lvup_safe_KE"), "relative\n").unwrap();
    let err = list.list().unwrap_err();
    assert_eq!(MessageId::of(&err), MessageId::CommandFailed);
    let program = list.program().display().to_string();
    let root = dir.path().join("root").display().to_string();
    assert_eq!(
        err.to_string().replace(&program, "<program>").replace(&root, "<root>"),
        "`<program> -l` failed (exit status: 2): lvupdate-safe-ke: DLS-402: <root>/etc/liveupdate/lvup_safe_KE, \
         line 1: \"relative\" is not an absolute path: it must start with /"
    );
}

#[test]
#[cfg(target_os = "linux")]
fn on_linux_the_aix_command_is_reported_absent() {
    let _serial = crate::serial();
    let err = NativeSafeKextList::new().list().unwrap_err();
    assert!(matches!(err, SafeListError::CommandMissing { .. }), "{err:?}");
    assert_eq!(MessageId::of(&err).exit_code(), 2);
    assert_eq!(
        err.to_string(),
        "/usr/sbin/lvupdateSafeKE does not exist: lvupdateSafeKE is an AIX command (AIX 7.2 and later, with Live \
         Update); on other systems use FileSafeKextList or drmgr-sim's lvupdate-safe-ke"
    );
}
