//! The probe started as powerpc-utils starts a hook (issue 16): no arguments, cwd
//! `/`, an environment of the hook variables only (no `PATH`). The answer is the
//! exit status and readable lines on stderr; stdout stays empty.

use std::os::unix::process::CommandExt;
use std::process::Output;

use super::support::{StateDir, probe};

/// How a hook process ended.
#[derive(Debug)]
struct Hook {
    exit: Option<i32>,
    stderr: String,
}

/// Runs the probe as a hook with exactly `vars` in its environment.
fn hook(vars: &[(&str, &str)]) -> Hook {
    let mut command = probe(&[], vars.iter().copied());
    command.env_remove("PATH").current_dir("/");
    let Output { status, stdout, stderr } = command.output().expect("the probe starts");
    assert_eq!(String::from_utf8_lossy(&stdout), "", "a hook writes nothing on stdout");
    Hook { exit: status.code(), stderr: String::from_utf8_lossy(&stderr).into_owned() }
}

#[test]
fn a_start_without_arguments_answers_as_a_hook() {
    let run = hook(&[("DRC_TYPE", "pmig"), ("PHASE", "check"), ("ACTION", "migrate"), ("DRC_COUNT", "0")]);
    assert_eq!(run.exit, Some(0));
    assert_eq!(
        run.stderr,
        "warning: checkmigrate under PowerpcUtils(Hook { drc_type: Pmig, action: Some(Migrate), phase: Check, count: Some(0) })\n"
    );
}

#[test]
fn a_refusing_check_exits_1_with_an_error_line() {
    let run = hook(&[("DRC_TYPE", "pmig"), ("PHASE", "check"), ("ACTION", "migrate"), ("PROBE_FAIL", "1")]);
    assert_eq!(run.exit, Some(1));
    assert!(run.stderr.ends_with("\nerror: the probe was told to refuse\n"), "{}", run.stderr);
}

#[test]
fn a_panic_is_a_failure_naming_the_handler() {
    let run = hook(&[("DRC_TYPE", "pmig"), ("PHASE", "check"), ("PROBE_PANIC", "1")]);
    assert_eq!(run.exit, Some(1));
    assert!(
        run.stderr.ends_with("\nerror: handler migration panicked: the probe was told to panic\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_panic_while_unwinding_is_answered_with_an_error_line_before_the_abort() {
    let mut command = probe(&[], [("DRC_TYPE", "pmig"), ("PHASE", "check"), ("PROBE_PANIC", "twice")]);
    command.env_remove("PATH").current_dir("/");
    let Output { status, stdout, stderr } = command.output().expect("the probe starts");
    let stderr = String::from_utf8_lossy(&stderr);
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(libc::SIGABRT), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&stdout), "");
    assert!(
        stderr.contains(
            "\nerror: handler migration panicked: first panic; then panicked again: second panic, from a Drop\n"
        ),
        "{stderr}"
    );
}

#[test]
fn the_runtime_s_own_panic_note_neutralises_line_breaks_and_escapes() {
    // A panic message that would forge a line and paint the operator's terminal.
    let text = "evil\nDR_ERROR=\"forged\"\r\x1b[31mred";
    let run = hook(&[("DRC_TYPE", "pmig"), ("PHASE", "check"), ("PROBE_PANIC", "1"), ("PROBE_PANIC_TEXT", text)]);
    assert_eq!(run.exit, Some(1));
    let lines: Vec<&str> = run.stderr.lines().collect();
    let [note, _warning, error] = lines[..] else { panic!("the note, a warning, the error: {:?}", run.stderr) };
    assert!(note.starts_with("dlpar-script: handler panicked at "), "{note:?}");
    assert!(note.ends_with(": evil DR_ERROR='forged' ?[31mred"), "{note:?}");
    assert_eq!(error, "error: handler migration panicked: evil DR_ERROR='forged' ?[31mred");
    assert!(!run.stderr.contains('\x1b') && !run.stderr.contains('\r'), "{:?}", run.stderr);
}

#[test]
fn the_watchdog_answers_on_stderr_against_the_scripts_own_timeout() {
    let run = hook(&[("DRC_TYPE", "pmig"), ("PHASE", "check"), ("PROBE_TIMEOUT", "1"), ("PROBE_SLEEP_MS", "30000")]);
    assert_eq!(run.exit, Some(124), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: checkmigrate under PowerpcUtils(Hook { drc_type: Pmig, action: None, phase: Check, count: None })\n\
         error: time limit reached in migration: still running 0.5 s before the end of DR_TIMEOUT=1 s\n"
    );
}

#[test]
fn phase_state_goes_from_pre_to_post_across_hook_processes() {
    let dir = StateDir::new();
    let state = dir.path().display().to_string();
    let base = [("DRC_TYPE", "pmig"), ("ACTION", "migrate"), ("DLPAR_STATE_DIR", state.as_str())];
    let pre = hook(&[&base[..], &[("PHASE", "pre"), ("PROBE_VALUE", "connections drained")]].concat());
    assert_eq!(pre.exit, Some(0), "{}", pre.stderr);
    let post = hook(&[&base[..], &[("PHASE", "post")]].concat());
    assert_eq!(post.exit, Some(0), "{}", post.stderr);
    assert!(post.stderr.ends_with("\nwarning: post sees Some('connections drained')\n"), "{}", post.stderr);
    assert!(!dir.file("probe", "migrate", "pmig").exists(), "post clears the operation's state");
}

#[test]
fn undocheck_is_a_no_op_unless_the_script_opts_in() {
    let vars = [("DRC_TYPE", "pmig"), ("PHASE", "undocheck"), ("ACTION", "migrate")];
    let run = hook(&vars);
    assert_eq!((run.exit, run.stderr.as_str()), (Some(0), ""));
    let run = hook(&[&vars[..], &[("PROBE_UNDOCHECK", "1")]].concat());
    assert_eq!(run.exit, Some(0));
    assert!(run.stderr.starts_with("warning: undopremigrate under PowerpcUtils"), "{}", run.stderr);
}

#[test]
fn bad_hook_variables_warn_and_exit_0_and_a_bad_count_exits_1() {
    let run = hook(&[("DRC_TYPE", "pmig"), ("PHASE", "suspend")]);
    assert_eq!(
        (run.exit, run.stderr.as_str()),
        (
            Some(0),
            "warning: PHASE='suspend' is not a value this script knows (check, undocheck, pre, post); nothing done\n"
        )
    );
    let run = hook(&[("DRC_TYPE", "cpu"), ("PHASE", "pre"), ("ACTION", "add"), ("DRC_COUNT", "2x")]);
    assert_eq!(
        (run.exit, run.stderr.as_str()),
        (Some(1), "error: DRC_COUNT='2x' is malformed: expected a decimal count from 0 to 4294967295\n")
    );
}

#[test]
fn with_hooks_off_a_start_without_arguments_is_the_aix_error() {
    let mut command = probe(&[], [("DRC_TYPE", "pmig"), ("PHASE", "check"), ("PROBE_HOOKS", "0")]);
    let Output { status, stdout, .. } = command.output().expect("the probe starts");
    assert_eq!(status.code(), Some(1));
    assert!(String::from_utf8_lossy(&stdout).starts_with("DR_ERROR="), "{}", String::from_utf8_lossy(&stdout));
}

/// The probe started as a hook (checkmigrate) with every signal blocked but
/// SIGALRM, as powerpc-utils' drmgr starts hooks (its `sig_setup()` blocks TERM,
/// INT, HUP, CHLD and most others and leaves ALRM deliverable), plus `vars`.
fn masked_hook(vars: &[(&str, &str)]) -> std::process::Command {
    let base = [("DRC_TYPE", "pmig"), ("PHASE", "check"), ("ACTION", "migrate"), ("DRC_COUNT", "0")];
    let mut command = probe(&[], base.iter().chain(vars).copied());
    command.env_remove("PATH").current_dir("/");
    // SAFETY: only sigfillset, sigdelset and sigprocmask, async-signal-safe, run
    // between fork and exec, on a set built there.
    unsafe {
        command.pre_exec(|| {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigfillset(&mut set);
            libc::sigdelset(&mut set, libc::SIGALRM);
            match libc::sigprocmask(libc::SIG_SETMASK, &set, std::ptr::null_mut()) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            }
        })
    };
    command
}

#[test]
fn under_drmgr_s_mask_the_watchdog_still_answers() {
    let out = masked_hook(&[("PROBE_TIMEOUT", "1"), ("PROBE_SLEEP_MS", "30000")]).output().unwrap();
    assert_eq!(out.status.code(), Some(124), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stderr).ends_with(
            "error: time limit reached in migration: still running 0.5 s before the end of DR_TIMEOUT=1 s\n"
        )
    );
}

/// The blocked set of process `pid` (SigBlk in `/proc/<pid>/status`).
#[cfg(target_os = "linux")]
fn blocked(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status.lines().find_map(|l| l.strip_prefix("SigBlk:")).unwrap().trim().to_owned()
}

#[cfg(target_os = "linux")]
#[test]
fn a_hook_started_with_drmgr_s_mask_runs_its_handler_with_none_and_answers_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let ready = dir.path().join("ready");
    let vars = [("PROBE_SLEEP_MS", "30000"), ("PROBE_READY", ready.to_str().unwrap())];
    let mut command = masked_hook(&vars);
    let child = command.stderr(std::process::Stdio::piped()).spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !ready.exists() {
        assert!(std::time::Instant::now() < deadline, "the handler never started");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(blocked(child.id()), "0000000000000000", "the handler, and all it starts, have nothing blocked");
    // SAFETY: signals our own child, not yet reaped.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) }, 0);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "answered, not left pending for 30 s: {stderr}");
    assert!(stderr.contains("\nerror: migration was ended by the host after "), "{stderr}");
}
