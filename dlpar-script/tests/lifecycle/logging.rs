//! `log` records become `DR_LOG_*` lines: gated by `DR_DETAIL_LEVEL`, encoded by
//! the one encoder, routed to the reply of the command that is running.

use dlpar_script::prelude::*;
use dlpar_script::testing::{invoke, invoke_with_env};
use insta::assert_snapshot;

use super::support::{StateDir, run_probe};

#[test]
fn detail_levels_gate_each_kind_of_record() {
    // The probe's `prerelease mem` logs once at every level, then saves and takes
    // phase state, which the runtime notes at its own level.
    let dir = StateDir::new();
    let mut out = String::new();
    for level in [None, Some("0"), Some("1"), Some("2"), Some("3"), Some("4"), Some("5"), Some("9")] {
        let vars = level.map(|l| ("DR_DETAIL_LEVEL".into(), l.into())).into_iter().chain([dir.var_os()]);
        let run = run_probe(&["prerelease", "mem"], vars);
        out.push_str(&format!(
            "--- DR_DETAIL_LEVEL={}\n{}\n{}",
            level.unwrap_or("(unset)"),
            run.exit_line,
            dir.redact(&run.stdout)
        ));
    }
    assert_snapshot!("detail_levels", out);
}

#[test]
fn log_lines_obey_the_output_rules() {
    let script = Script::new("Acme", "Acme logs")
        .version(1)
        .date("22112026")
        .resource(Resource::Mem, "Acme buffer pool lives in memory")
        .on(Command::PreRelease, Resource::Mem, |_: &MemEvent, cx: &mut Context| {
            log::warn!("two\nlines, \"quoted\"\r\n\ttab and\u{7}bell");
            log::error!("DR_ERROR=\"injected\"\nDR_LOG_ERR=\"second line\"");
            cx.emerg("é\u{2028}separator");
            log::warn!("{}", "long ".repeat(300));
            Ok(())
        });
    let answer = invoke(&script, ["prerelease", "mem"]);
    assert_eq!(answer.reply.warnings, []);
    assert_eq!(answer.reply.logs().count(), 4, "one line per record, nothing injected");
    assert_snapshot!("output_rules", answer);
}

/// A script whose handler logs `lines` numbered lines tagged with `DR_BCPUID`,
/// yielding between them so that concurrent commands interleave if they can.
fn tagged() -> Script {
    Script::new("Acme", "Acme logs a lot").version(1).date("22112026").resource(Resource::Cpu, "Acme binds threads").on(
        Command::CheckRelease,
        Resource::Cpu,
        |ev: &CpuEvent, _: &mut Context| {
            let tag = ev.bcpuid.unwrap_or(0);
            for line in 0..20 {
                log::warn!("command {tag} line {line}");
                std::thread::yield_now();
            }
            Ok(())
        },
    )
}

#[test]
fn commands_answered_on_several_threads_keep_their_own_lines() {
    std::thread::scope(|scope| {
        for thread in 0..6u32 {
            scope.spawn(move || {
                let script = tagged();
                for run in 0..5 {
                    let tag = (thread * 100 + run).to_string();
                    let answer = invoke_with_env(&script, ["checkrelease", "cpu"], [("DR_BCPUID", tag.as_str())]);
                    let expected: String =
                        (0..20).map(|line| format!("DR_LOG_WARNING=\"command {tag} line {line}\"\n")).collect();
                    assert_eq!(answer.stdout, expected);
                }
            });
        }
    });
}

#[test]
fn lines_logged_on_threads_the_handler_starts_reach_its_reply() {
    let script = Script::new("Acme", "Acme logs from workers")
        .version(1)
        .date("22112026")
        .resource(Resource::Cpu, "Acme binds threads")
        .on(Command::PostAcquire, Resource::Cpu, |_: &CpuEvent, _: &mut Context| {
            std::thread::scope(|scope| {
                for worker in 0..3 {
                    scope.spawn(move || log::warn!("worker {worker} rebound"));
                }
            });
            Ok(())
        });
    let answer = invoke(&script, ["postacquire", "cpu"]);
    let mut lines: Vec<&str> = answer.stdout.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "DR_LOG_WARNING=\"worker 0 rebound\"",
            "DR_LOG_WARNING=\"worker 1 rebound\"",
            "DR_LOG_WARNING=\"worker 2 rebound\""
        ]
    );
}

#[test]
fn a_handler_may_answer_a_command_in_process_on_its_own_thread() {
    let script = Script::new("Acme", "Acme asks itself")
        .version(1)
        .date("22112026")
        .resource(Resource::Cpu, "Acme binds threads")
        .on(Command::PreRelease, Resource::Cpu, |_: &CpuEvent, _: &mut Context| {
            log::warn!("outer before");
            let inner = invoke_with_env(&tagged(), ["checkrelease", "cpu"], [("DR_BCPUID", "7")]);
            log::warn!("outer after; inner answered {} lines", inner.stdout.lines().count());
            Ok(())
        });
    let answer = invoke(&script, ["prerelease", "cpu"]);
    assert_eq!(
        answer.stdout,
        "DR_LOG_WARNING=\"outer before\"\nDR_LOG_WARNING=\"outer after; inner answered 20 lines\"\n"
    );
}
