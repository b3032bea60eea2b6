//! A person running the probe by hand: log lines also on stderr, as they come,
//! while stdout keeps exactly the `DR_*` reply.

use std::fs::File;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::Stdio;

use std::ffi::OsString;

use super::support::{StateDir, probe, run_probe};

/// Detail level 3, and a state directory for the state the probe saves.
fn vars(dir: &StateDir) -> [(OsString, OsString); 2] {
    [("DR_DETAIL_LEVEL".into(), "3".into()), dir.var_os()]
}

const REPLY: &str = "DR_LOG_EMERG=\"emergency\"\nDR_LOG_ERR=\"error\"\nDR_LOG_WARNING=\"warning\"\n\
                     DR_LOG_INFO=\"info\"\nDR_LOG_DEBUG=\"debug\"\n";

/// A pseudo-terminal: (controller, terminal).
fn pty() -> (File, OwnedFd) {
    let (mut controller, mut terminal) = (-1, -1);
    // SAFETY: openpty writes two descriptors it opened; no name, settings or size.
    let rc = unsafe {
        libc::openpty(&mut controller, &mut terminal, std::ptr::null_mut(), std::ptr::null(), std::ptr::null())
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors are open and owned by nobody else.
    unsafe { (File::from_raw_fd(controller), OwnedFd::from_raw_fd(terminal)) }
}

#[test]
fn on_a_terminal_log_lines_also_go_to_stderr() {
    let (mut controller, terminal) = pty();
    let dir = StateDir::new();
    let mut command = probe(&["prerelease", "mem"], vars(&dir));
    command.stdout(Stdio::from(terminal));
    let child = command.spawn().expect("the probe starts");
    drop(command); // closes our copy of the terminal side
    let output = child.wait_with_output().expect("the probe ends");
    assert_eq!(output.status.code(), Some(0));
    let mut shown = Vec::new();
    // Once every terminal descriptor is closed, reading ends with EIO.
    let _ = controller.read_to_end(&mut shown);
    assert_eq!(String::from_utf8_lossy(&shown).replace("\r\n", "\n"), REPLY);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "[emerg] emergency\n[err] error\n[warning] warning\n[info] info\n[debug] debug\n"
    );
}

#[test]
fn through_a_pipe_stderr_stays_quiet() {
    let run = run_probe(&["prerelease", "mem"], vars(&StateDir::new()));
    assert_eq!((run.exit, run.stdout.as_str(), run.stderr.as_str()), (Some(0), REPLY, ""));
}
