//! Experiments from the control file, and a malformed control file.

use std::time::{Duration, Instant};

use dlpar_capture::record::{AnsweredBy, ControlState, Step};

use super::support::{Place, only_run, spawn, text};

#[test]
fn a_veto_is_an_exit_status_for_the_named_script_only() {
    let place = Place::new();
    place.control("capture_10 checkmigrate pmig exit 1\n");
    let vetoed = place.run("capture_10", &["checkmigrate", "pmig"], &[]);
    let other = place.run("capture_9", &["checkmigrate", "pmig"], &[]);
    assert_eq!((vetoed.status.code(), other.status.code()), (Some(1), Some(0)));
    assert_eq!(text(&vetoed.stdout), "");
    let capture = place.capture();
    let runs = capture.runs();
    assert_eq!(runs[0].invocation.experiment, [Step::Exit { status: 1 }]);
    assert_eq!(runs[0].invocation.control.state, ControlState::Read { rules: 1 });
    assert_eq!(runs[0].end.map(|e| (e.answered_by, e.exit_status)), Some((AnsweredBy::Capture, 1)));
    assert!(runs[1].invocation.experiment.is_empty());
}

#[test]
fn raw_lines_and_an_error_with_status_0_are_printed_and_recorded() {
    let place = Place::new();
    place.control(
        "* prerelease cpu print DR_MYSTERY=\"x\"\n\
         * prerelease cpu print   not a DR_ line\n\
         * prerelease cpu error refused \"on purpose\"\n",
    );
    let output = place.run("capture", &["prerelease", "cpu"], &[]);
    assert_eq!(output.status.code(), Some(0));
    // The runtime's encoder writes a double quote inside a value as a single one.
    let expected = "DR_MYSTERY=\"x\"\n  not a DR_ line\nDR_ERROR=\"refused 'on purpose'\"\n";
    assert_eq!(text(&output.stdout), expected);
    let capture = place.capture();
    let end = only_run(&capture).end.unwrap().clone();
    assert_eq!(end.printed, expected.lines().collect::<Vec<_>>());
}

#[test]
fn install_commands_can_be_answered_by_an_experiment() {
    let place = Place::new();
    place.control("* scriptinfo - print DR_VERSION=1\n* scriptinfo - print DR_DATE=04122026\n");
    let output = place.run("capture", &["scriptinfo"], &[]);
    assert_eq!(text(&output.stdout), "DR_VERSION=1\nDR_DATE=04122026\n");
    assert_eq!(only_run(&place.capture()).end.unwrap().answered_by, AnsweredBy::Capture);
}

/// Waits until the capture holds `lines` lines.
fn wait_for_lines(place: &Place, lines: usize) {
    let start = Instant::now();
    while std::fs::read_to_string(place.file()).map_or(0, |t| t.lines().count()) < lines {
        assert!(start.elapsed() < Duration::from_secs(10), "the capture did not reach {lines} lines");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn signal(pid: u32, signal: i32) {
    // SAFETY: kill has no memory-safety preconditions.
    assert_eq!(unsafe { libc::kill(i32::try_from(pid).unwrap(), signal) }, 0);
}

#[test]
fn a_sleep_records_each_signal_as_it_arrives_and_keeps_sleeping() {
    let place = Place::new();
    place.control("* premigrate pmig sleep 2\n* premigrate pmig exit 7\n");
    let child = spawn(&mut place.command("capture", &["premigrate", "pmig"], &[]));
    wait_for_lines(&place, 1);
    std::thread::sleep(Duration::from_millis(200));
    signal(child.id(), libc::SIGTERM);
    wait_for_lines(&place, 2);
    signal(child.id(), libc::SIGUSR1);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(7), "the signals did not end the sleep");
    let capture = place.capture();
    let run = only_run(&capture);
    let names: Vec<&str> = run.signals.iter().map(|s| s.signal.as_str()).collect();
    assert_eq!(names, ["SIGTERM", "SIGUSR1"]);
    let term = run.signals[0];
    assert!(term.since_start_ns >= 200_000_000, "{term:?}");
    // SAFETY: getpid has no preconditions.
    assert_eq!(term.sender_pid, Some(unsafe { libc::getpid() }));
    let end = run.end.unwrap();
    assert!(end.at.monotonic_ns - run.invocation.at.monotonic_ns >= 2_000_000_000);
}

#[test]
fn a_script_killed_while_sleeping_keeps_what_it_recorded() {
    let place = Place::new();
    place.control("* checkrelease mem sleep 30\n");
    let mut child = spawn(&mut place.command("capture", &["checkrelease", "mem"], &[]));
    wait_for_lines(&place, 1);
    signal(child.id(), libc::SIGTERM);
    wait_for_lines(&place, 2);
    child.kill().unwrap();
    child.wait().unwrap();
    let capture = place.capture();
    let run = only_run(&capture);
    assert_eq!(run.signals.len(), 1);
    assert_eq!(run.end, None);
}

#[test]
fn a_malformed_control_file_is_a_warning_and_plain_recording() {
    let place = Place::new();
    place.control("* checkrelease cpu exit 1\n* checkrelease cpu veto\n");
    let output = place.run("capture", &["checkrelease", "cpu"], &[]);
    assert_eq!(output.status.code(), Some(0), "no experiment, not even the valid rule");
    let control = place.file().with_file_name("control");
    assert_eq!(
        text(&output.stdout),
        format!(
            "DR_LOG_WARNING=\"dlpar_capture: control file {}: line 2: the action is exit, sleep, print or error: '* checkrelease cpu veto'; recording only\"\n",
            control.display()
        )
    );
    let capture = place.capture();
    let run = only_run(&capture);
    assert_eq!(
        run.invocation.control.state,
        ControlState::Malformed {
            message: "line 2: the action is exit, sleep, print or error: \"* checkrelease cpu veto\"".into()
        }
    );
    assert!(run.invocation.experiment.is_empty());
    assert_eq!(run.end.unwrap().printed.len(), 1);
}

#[test]
fn a_control_file_others_can_write_is_refused() {
    let place = Place::new();
    place.control("* checkrelease cpu exit 1\n");
    let control = place.file().with_file_name("control");
    std::fs::set_permissions(&control, std::os::unix::fs::PermissionsExt::from_mode(0o666)).unwrap();
    let output = place.run("capture", &["checkrelease", "cpu"], &[]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        text(&output.stdout).starts_with("DR_LOG_WARNING=\"dlpar_capture: control file "),
        "{}",
        text(&output.stdout)
    );
    let capture = place.capture();
    assert!(matches!(only_run(&capture).invocation.control.state, ControlState::Malformed { .. }));
}

#[test]
fn on_a_hook_the_control_file_matches_phase_and_drc_type() {
    let place = Place::new();
    place.control("capture check pmig exit 2\ncapture pre cpu print hello\n");
    let check = place.run("capture", &[], &[("PHASE", "check"), ("DRC_TYPE", "pmig"), ("ACTION", "migrate")]);
    let pre = place.run("capture", &[], &[("PHASE", "pre"), ("DRC_TYPE", "cpu"), ("ACTION", "add")]);
    assert_eq!((check.status.code(), pre.status.code()), (Some(2), Some(0)));
    assert_eq!(text(&pre.stdout), "hello\n");
}
