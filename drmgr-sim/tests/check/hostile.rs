//! Hostile scripts never hang the checker nor grow its memory: the runner's time
//! limit, group kill and output caps apply, and what is quoted is bounded.

use std::time::{Duration, Instant};

use drmgr_sim::Runner;
use drmgr_sim::check::{CheckError, Checker, catalogue};

use crate::check::support::{checker, fired, render, script};

#[test]
fn a_flood_of_output_is_read_within_the_caps_and_quoted_in_three_lines() {
    // A minute to read it all, so that a loaded machine cannot turn this memory
    // test into a time-out.
    let patient = Runner::new().lang(None::<&str>).default_timeout(Duration::from_secs(60));
    let report = Checker::new(patient).max_time(Duration::from_secs(60)).check(&script("flood.sh")).unwrap();
    let stray = report.findings.iter().find(|f| f.rule == catalogue::STDOUT_NOT_REPLY).expect("stdout-not-reply");
    assert_eq!(stray.command, "scriptinfo");
    let output = stray.output.as_deref().unwrap();
    assert_eq!(output.lines().count(), 4, "{output}");
    assert!(output.ends_with("more"), "{output}");
    assert!(fired(&report).contains(&"install-scriptinfo"));
}

#[test]
fn garbage_and_terminal_controls_are_quoted_visibly() {
    let report = checker().check(&script("garbage.sh")).unwrap();
    assert_eq!(fired(&report), ["install-scriptinfo", "stdout-not-reply", "text-unquoted"]);
    let text = render(vec![report]);
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text.contains("| DR_ERROR=\\x1b]0;owned\\x07\n"), "{text}");
    assert!(text.contains("| line 2: \\x01\\x02"), "{text}");
}

#[test]
fn a_script_that_forks_and_hangs_is_ended_with_its_children_and_checking_stops() {
    let started = Instant::now();
    let report = checker().max_time(Duration::from_secs(1)).check(&script("forks.sh")).unwrap();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(fired(&report), ["time-limit"]);
    assert_eq!(
        report.stopped.as_deref(),
        Some("checkrelease cpu was still running at the end of its time: the remaining commands were not run")
    );
}

#[test]
fn a_missing_or_unstartable_script_is_a_usage_error() {
    let missing = checker().check(&script("no_such_script")).unwrap_err();
    assert!(matches!(missing, CheckError::NoScript { .. }), "{missing}");
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("acme_plain");
    std::fs::write(&plain, "#!/bin/sh\n").unwrap();
    let error = checker().check(&plain).unwrap_err();
    assert_eq!(error.to_string(), format!("{} is not executable (permission denied)", plain.display()));
}

#[test]
fn a_hook_that_never_ends_is_an_error_since_powerpc_utils_would_wait_for_ever() {
    let started = Instant::now();
    let report = checker().hook(true).max_time(Duration::from_secs(1)).check(&script("hook_hang.sh")).unwrap();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(fired(&report), ["time-limit"]);
    assert_eq!(report.findings[0].command, "pmig check (ACTION=migrate)");
    assert_eq!(
        report.findings[0].message,
        "still running after 1 s: powerpc-utils has no time limit and would wait for ever"
    );
    assert_eq!(report.runs, 1);
}
