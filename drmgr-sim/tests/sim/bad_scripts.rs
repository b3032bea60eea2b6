//! Scripts that misbehave: each gets a clear message, and drmgr-sim goes on.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use dlpar_script::protocol::Resource;
use drmgr_sim::{End, Invocation, Operation, Outcome, Trace, Verdict};

use crate::sim::support::{Sim, pids, still_running};

/// Installs `bad.sh` as `name` and runs `remove cpu` on it alone.
fn remove_cpu(name: &str) -> Trace {
    let sim = Sim::new();
    sim.install("bad.sh", name);
    Operation::remove(Resource::Cpu).run(&sim.repo, &sim.runner).unwrap()
}

fn first(trace: &Trace) -> &Invocation {
    &trace.invocations[0]
}

#[test]
fn a_hang_past_dr_timeout_is_ended_with_sigterm_and_vetoes() {
    let sim = Sim::new();
    sim.install("bad.sh", "bad_hang");
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &sim.runner).unwrap();
    let check = first(&trace);
    assert_eq!(check.end, End::TimedOut { limit: Duration::from_secs(1), killed: false });
    assert!(
        check.duration >= Duration::from_secs(1) && check.duration < Duration::from_secs(10),
        "{:?}",
        check.duration
    );
    assert_eq!(trace.outcome, Outcome::Vetoed);
    assert_eq!(
        trace.reason.as_deref(),
        Some("checkrelease cpu vetoed by bad_hang: timed out after 1 s (SIGTERM sent to its process group)")
    );
    assert_eq!(check.end.signal_name().as_deref(), Some("SIGTERM"));

    // The whole process group was signalled: the script's own child is gone too.
    let [child] = pids(&sim, "bad_hang.sleep")[..] else { panic!("one pid expected") };
    assert!(!still_running(child), "the script's child {child} survived the time-out");
}

#[test]
fn a_script_ignoring_sigterm_gets_sigkill_after_the_grace_period() {
    let sim = Sim::new();
    sim.install("bad.sh", "bad_stubborn");
    let runner = sim.runner.clone().default_timeout(Duration::from_millis(300));
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &runner).unwrap();
    assert_eq!(first(&trace).end, End::TimedOut { limit: Duration::from_millis(300), killed: true });
    assert_eq!(
        first(&trace).end.to_string(),
        "timed out after 0.3 s (SIGTERM sent to its process group, SIGKILL after the grace period)"
    );
}

#[test]
fn an_exit_by_signal_is_a_failure_named_by_the_signal() {
    let trace = remove_cpu("bad_segv");
    assert_eq!(first(&trace).end, End::Signalled(libc::SIGSEGV));
    assert_eq!(first(&trace).failure().as_deref(), Some("killed by SIGSEGV"));
    assert_eq!(trace.reason.as_deref(), Some("checkrelease cpu vetoed by bad_segv: killed by SIGSEGV"));
}

#[test]
fn lines_without_dr_or_equals_are_warnings() {
    let trace = remove_cpu("bad_noise");
    let check = first(&trace);
    assert_eq!(check.error().as_deref(), Some("noisy"));
    assert_eq!(
        check.warnings(),
        ["line 1: no '=' in \"hello\", ignored", "line 2: \"FOO\" is not a DR_* name, ignored"]
    );
}

#[test]
fn two_pairs_glued_on_one_line_are_named() {
    let check = first(&remove_cpu("bad_glued")).clone();
    assert_eq!(check.error().as_deref(), Some("no\"DR_LOG_INFO=\"glued"));
    assert_eq!(
        check.warnings(),
        ["line 1: the value of DR_ERROR contains DR_LOG_INFO=: two pairs glued on one line? kept as one value"]
    );
}

#[test]
fn dr_error_with_exit_0_is_flagged_and_lines_keep_their_order() {
    let trace = remove_cpu("bad_okerror");
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(
        first(&trace).warnings(),
        ["DR_ERROR with exit 0: drmgr reads exit 0 as success and ignores the error; exit 1 to report a failure"]
    );
    let text = trace.render_snapshot();
    let details: Vec<&str> =
        text.lines().skip_while(|l| !l.contains("1. checkrelease")).skip(1).take(4).map(str::trim).collect();
    assert_eq!(
        details,
        [
            "DR_LOG_INFO: written first",
            "DR_ERROR: an error that exit 0 hides",
            "DR_LOG_INFO: last",
            "warning: DR_ERROR with exit 0: drmgr reads exit 0 as success and ignores the error; exit 1 to report a \
             failure"
        ],
        "{text}"
    );
}

#[test]
fn binary_garbage_is_reported_not_fatal() {
    let trace = remove_cpu("bad_binary");
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(
        first(&trace).warnings(),
        [
            "line 1: not valid UTF-8",
            "line 1: no '=' in \"\u{fffd}\u{fffd}\\0\\u{1}garbage\", ignored",
            "line 2: not valid UTF-8",
            "line 2: \"DR_\u{fffd}\" is not a DR_* name, ignored",
        ]
    );
}

#[test]
fn huge_output_is_read_up_to_the_limit_and_the_rest_discarded() {
    let trace = remove_cpu("bad_huge");
    let check = first(&trace);
    assert_eq!(check.verdict(), Verdict::Success);
    let kept = dlpar_script::wire::MAX_REPLY_BYTES;
    let lines = kept.div_ceil("DR_LOG_DEBUG=\"spam\"\n".len());
    // The first 1000 log lines are kept, the rest of what was read is counted.
    assert_eq!(check.logs().count(), 1000);
    assert_eq!(
        check.notes,
        [
            format!("stdout: {} more DR_LOG_* lines were read but not kept (the first 1000 are)", lines - 1000),
            format!("stdout: the script wrote 3000000 bytes; only the first {kept} were read, the rest was discarded"),
        ]
    );
    let text = trace.render_snapshot();
    assert!(text.contains("       ... and 950 more log lines\n"), "{}", &text[..2000]);
}

#[test]
fn exit_10_is_not_supported_and_the_operation_succeeds() {
    let trace = remove_cpu("bad_exit10");
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(first(&trace).verdict(), Verdict::NotSupported);
    assert!(trace.render_snapshot().contains("not supported (exit 10)"));
}

#[test]
fn stderr_is_kept_for_the_trace_and_a_failure_without_dr_error_is_noted() {
    let trace = remove_cpu("bad_stderr");
    assert_eq!(first(&trace).stderr, "to stderr\n");
    assert_eq!(first(&trace).warnings(), ["failed without DR_ERROR: the protocol expects one saying why"]);
    assert!(trace.render_snapshot().contains("       stderr| to stderr\n"));
}

#[test]
fn output_held_open_by_a_background_process_stops_the_reading() {
    let trace = remove_cpu("bad_daemon");
    assert_eq!(trace.outcome, Outcome::Success);
    assert!(first(&trace).notes[0].starts_with("stdout or stderr was still open after the script exited"));
}

#[test]
fn a_script_that_lost_its_execute_bit_is_not_started() {
    let sim = Sim::new();
    let installed = sim.install("probe.sh", "probe");
    let path = sim.repo.script_path(&installed.entry);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &sim.runner).unwrap();
    let expected = format!("not started: {} is not executable (permission denied)", path.display());
    assert_eq!(first(&trace).end.to_string(), expected);
    assert_eq!(trace.outcome, Outcome::Vetoed);

    fs::remove_file(&path).unwrap();
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &sim.runner).unwrap();
    assert!(matches!(&first(&trace).end, End::NotStarted(reason) if reason.contains("does not exist")));
}

#[test]
fn a_missing_working_directory_is_named() {
    let sim = Sim::new();
    sim.install("probe.sh", "probe");
    let runner = sim.runner.clone().workdir(sim.dir.path().join("gone"));
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &runner).unwrap();
    let expected = format!("not started: working directory {} does not exist", sim.dir.path().join("gone").display());
    assert_eq!(first(&trace).end.to_string(), expected);
}
