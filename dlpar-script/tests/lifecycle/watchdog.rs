//! The watchdog, in real processes of the probe: `checkrelease mem` works for
//! `PROBE_SLEEP_MS`, the script declares `DR_TIMEOUT=1`.

use insta::assert_snapshot;

use super::support::run_probe;

fn check(sleep_ms: &str, watchdog: &str) -> super::support::Run {
    let vars =
        [("PROBE_TIMEOUT", "1"), ("PROBE_SLEEP_MS", sleep_ms), ("PROBE_WATCHDOG", watchdog), ("DR_DETAIL_LEVEL", "5")];
    run_probe(&["checkrelease", "mem"], vars)
}

#[test]
fn a_handler_still_running_near_the_limit_is_answered_for() {
    // The watchdog answers after 0.5 s; the handler would sleep 30 s.
    let run = check("30000", "1");
    assert_eq!(run.exit, Some(124), "{}", run.stdout);
    assert_eq!(
        run.reply.error().as_deref(),
        Some("time limit reached in slow_check: still running 0.5 s before the end of DR_TIMEOUT=1 s")
    );
    assert_snapshot!(run.stdout, @r#"
    DR_LOG_DEBUG="watchdog armed: it answers after 0.5 s"
    DR_LOG_INFO="working for 30000 ms"
    DR_ERROR="time limit reached in slow_check: still running 0.5 s before the end of DR_TIMEOUT=1 s"
    "#);
}

#[test]
fn a_handler_that_ends_in_time_is_not_disturbed() {
    let run = check("50", "1");
    assert_eq!(
        (run.exit, run.stdout.as_str()),
        (
            Some(0),
            "DR_LOG_DEBUG=\"watchdog armed: it answers after 0.5 s\"\nDR_LOG_INFO=\"working for 50 ms\"\nDR_LOG_INFO=\"done\"\n"
        )
    );
}

#[test]
fn without_the_watchdog_the_handler_runs_past_the_limit() {
    // Past the 0.5 s at which the watchdog would have answered.
    let run = check("800", "0");
    assert_eq!(
        (run.exit, run.stdout.as_str()),
        (Some(0), "DR_LOG_INFO=\"working for 800 ms\"\nDR_LOG_INFO=\"done\"\n")
    );
}

#[test]
fn a_reply_in_constant_use_is_still_answered_for() {
    // Another thread of the handler logs every 50 µs: the signal handler often finds
    // the reply in use and must neither wait on it nor lose the lines before it.
    let vars =
        [("PROBE_TIMEOUT", "1"), ("PROBE_SLEEP_MS", "30000"), ("PROBE_BUSY_LOGGER", "1"), ("DR_DETAIL_LEVEL", "5")];
    let run = run_probe(&["checkrelease", "mem"], vars);
    assert_eq!(run.exit, Some(124));
    assert!(run.reply.warnings.is_empty(), "{:?}", run.reply.warnings);
    let last = run.reply.pairs.last().expect("a reply");
    assert_eq!(
        (last.name.as_str(), last.value.as_str()),
        ("DR_ERROR", "time limit reached in slow_check: still running 0.5 s before the end of DR_TIMEOUT=1 s")
    );
    assert_eq!(run.reply.first("DR_LOG_INFO"), Some("working for 30000 ms"));
}

#[test]
fn a_reply_filled_up_by_a_logging_thread_still_gets_the_watchdogs_answer() {
    // Another thread logs 1 KB warnings without pause: the reply fills up long
    // before the watchdog fires, and room is kept for its DR_ERROR.
    let vars = [("PROBE_TIMEOUT", "1"), ("PROBE_SLEEP_MS", "30000"), ("PROBE_BUSY_LOGGER", "flood")];
    let run = run_probe(&["checkrelease", "mem"], vars);
    assert_eq!(run.exit, Some(124));
    assert!(run.stdout.len() <= dlpar_script::wire::MAX_REPLY_BYTES, "{} bytes", run.stdout.len());
    assert!(run.reply.warnings.is_empty(), "{:?}", run.reply.warnings);
    let last = run.reply.pairs.last().expect("a reply");
    assert_eq!(
        (last.name.as_str(), last.value.as_str()),
        ("DR_ERROR", "time limit reached in slow_check: still running 0.5 s before the end of DR_TIMEOUT=1 s")
    );
}
