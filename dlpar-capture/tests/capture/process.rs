//! The invocation record: what the host gave the process, before the runtime changed it.

use std::os::unix::process::CommandExt;

use dlpar_capture::record::{AnsweredBy, ControlState, FdKind, HostKind};

use super::support::{Place, env_without_file, only_run, spawn, text};

#[test]
fn an_event_command_is_recorded_whole_and_answered_with_success() {
    let place = Place::new();
    let mut command = place.command("capture_b", &["checkrelease", "cpu"], &[("DR_BCPUID", "3"), ("ODD", "x=y")]);
    command.current_dir(place.work.path()).arg0("/usr/lib/dr/scripts/all/capture_b");
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGUSR1);
            libc::sigprocmask(libc::SIG_SETMASK, &set, std::ptr::null_mut());
            libc::signal(libc::SIGUSR2, libc::SIG_IGN);
            libc::umask(0o027);
            libc::close(2);
            libc::dup2(0, 7);
            Ok(())
        });
    }
    let child = spawn(&mut command);
    let pid = i32::try_from(child.id()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!((output.status.code(), text(&output.stdout)), (Some(0), String::new()));

    let capture = place.capture();
    let run = only_run(&capture);
    let record = run.invocation;
    assert_eq!(record.host, HostKind::Aix);
    assert_eq!(record.installed_name, "capture_b");
    assert_eq!(record.argv, ["/usr/lib/dr/scripts/all/capture_b", "checkrelease", "cpu"]);
    assert_eq!(env_without_file(record), ["DR_BCPUID=3", "ODD=x=y"]);
    assert_eq!(record.env_var("ODD"), Some("x=y"));
    assert_eq!(record.cwd.as_deref(), Some(place.work.path().to_str().unwrap()));
    assert_eq!(record.umask, 0o027);
    assert_eq!(record.signals.blocked, ["SIGUSR1"]);
    assert_eq!(record.signals.ignored, ["SIGUSR2"]);
    assert!(record.signals.caught.is_empty());
    // What drmgr gave, not what the runtime would have made of it: fd 2 closed (the
    // runtime reopens it on /dev/null), stdout a pipe (the runtime swaps fd 1).
    let kinds: Vec<FdKind> = record.stdio.iter().map(|fd| fd.kind).collect();
    assert_eq!(kinds, [FdKind::DevNull, FdKind::Pipe, FdKind::Closed]);
    // (Other descriptors the test harness itself inherited may be listed too.)
    assert!(record.other_fds.iter().any(|fd| (fd.fd, fd.kind) == (7, FdKind::DevNull)), "{:?}", record.other_fds);
    assert_eq!(record.process.pid, pid);
    // SAFETY: getpid has no preconditions.
    assert_eq!(record.process.ppid, unsafe { libc::getpid() });
    // SAFETY: getuid has no preconditions.
    assert_eq!(record.ids.uid, unsafe { libc::getuid() });
    assert!(record.rlimits.iter().any(|l| l.name == "NOFILE" && l.soft.is_some()));
    assert!(record.hostname.as_deref().is_some_and(|h| !h.is_empty()));
    assert_eq!(record.capture_file, place.file().display().to_string());
    assert_eq!(record.control.state, ControlState::Missing);
    assert!(record.experiment.is_empty() && record.problems.is_empty(), "{record:#?}");
    let end = run.end.unwrap();
    assert_eq!((end.answered_by, end.exit_status), (AnsweredBy::Capture, 0));
    assert!(end.at.monotonic_ns >= record.at.monotonic_ns);
    assert_eq!(run.id, format!("{pid}-{}", record.at.wall_ns));
}

#[test]
fn a_malformed_event_value_is_recorded_and_still_answered_with_success() {
    let place = Place::new();
    let output = place.run("capture", &["checkacquire", "capacity"], &[("DR_CPU_CAPACITY", "half")]);
    assert_eq!((output.status.code(), text(&output.stdout)), (Some(0), String::new()));
    assert_eq!(place.capture().runs()[0].invocation.env_var("DR_CPU_CAPACITY"), Some("half"));
}

#[test]
fn install_commands_are_answered_by_the_runtime_and_recorded() {
    let place = Place::new();
    let output = place.run("capture", &["register"], &[]);
    assert_eq!(output.status.code(), Some(0));
    let words: Vec<String> = text(&output.stdout).lines().map(str::to_owned).collect();
    assert_eq!(
        words,
        ["cpu", "mem", "capacity", "var_weight", "pmig", "phib", "acc", "topology"].map(|w| format!("DR_RESOURCE={w}"))
    );
    let usage = place.run("capture", &["usage", "pmig"], &[]);
    assert_eq!(
        text(&usage.stdout),
        "DR_USAGE=\"only records how drmgr runs scripts (dlpar_capture); changes nothing\"\n"
    );
    let unknown = place.run("capture", &["checkteleport"], &[]);
    assert_eq!(unknown.status.code(), Some(10));
    let capture = place.capture();
    let ends: Vec<_> = capture.runs().iter().map(|r| r.end.map(|e| (e.answered_by, e.exit_status))).collect();
    assert_eq!(ends, [Some((AnsweredBy::Runtime, 0)), Some((AnsweredBy::Runtime, 0)), Some((AnsweredBy::Runtime, 10))]);
}

#[test]
fn a_hook_run_is_recorded_as_a_hook_and_answered_with_success() {
    let place = Place::new();
    let env = [("PHASE", "check"), ("DRC_TYPE", "pmig"), ("ACTION", "migrate"), ("DRC_COUNT", "0")];
    let output = place.run("capture", &[], &env);
    assert_eq!(
        (output.status.code(), text(&output.stdout), text(&output.stderr)),
        (Some(0), String::new(), String::new())
    );
    let capture = place.capture();
    let run = only_run(&capture);
    assert_eq!(run.invocation.host, HostKind::Hook);
    assert_eq!((run.invocation.command(), run.invocation.resource()), (Some("check"), Some("pmig")));
    assert_eq!(run.end.unwrap().answered_by, AnsweredBy::Capture);
}

#[test]
fn a_record_that_cannot_be_written_is_a_warning_never_a_veto() {
    let place = Place::new();
    // The capture directory's place is taken by a file.
    std::fs::write(place.work.path().join("captures"), "").unwrap();
    let output = place.run("capture", &["prerelease", "mem"], &[]);
    assert_eq!(output.status.code(), Some(0));
    let dir = place.work.path().join("captures");
    assert_eq!(
        text(&output.stdout),
        format!(
            "DR_LOG_WARNING=\"dlpar_capture: control file {0}/control: {0} is not a directory; recording only\"\n\
             DR_LOG_WARNING=\"dlpar_capture: record not written: {0} is not a directory\"\n",
            dir.display()
        )
    );

    let relative =
        place.command("capture", &["prerelease", "mem"], &[("DLPAR_CAPTURE_FILE", "capture.jsonl")]).output();
    let relative = relative.unwrap();
    assert_eq!(relative.status.code(), Some(0));
    assert_eq!(
        text(&relative.stdout),
        "DR_LOG_WARNING=\"dlpar_capture: DLPAR_CAPTURE_FILE='capture.jsonl' is not an absolute file path: nothing recorded; name a file such as /tmp/capture/capture.jsonl\"\n"
    );
}

#[test]
fn on_a_hook_warnings_are_readable_lines_on_stderr() {
    let place = Place::new();
    std::fs::write(place.work.path().join("captures"), "").unwrap();
    let output = place.run("capture", &[], &[("PHASE", "pre"), ("DRC_TYPE", "cpu"), ("ACTION", "add")]);
    assert_eq!((output.status.code(), text(&output.stdout)), (Some(0), String::new()));
    let stderr = text(&output.stderr);
    assert!(stderr.lines().any(|l| l.starts_with("warning: dlpar_capture: record not written: ")), "{stderr}");
}
