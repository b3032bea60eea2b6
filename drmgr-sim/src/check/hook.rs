//! A powerpc-utils hook put through what its drmgr does (docs/protocol.md §10):
//! the script is linked into a scratch hooks directory under `pmig/` and `cpu/`
//! and run by [`Hooks`] around migrations and processor changes, then as
//! powerpc-utils 1.3.11 runs it and with edge counts.

use std::ffi::OsStr;
use std::path::Path;

use dlpar_script::hook::{DrcType, HookAction, HookPhase};

use super::catalogue as rules;
use super::examine::{self, Run};
use super::{CheckError, Checker, ScriptReport};
use crate::linux::{CpuAction, HookRun, Hooks, LinuxOp, PowerpcUtils};
use crate::runner::{End, command_line};
use crate::trace::Invocation;

/// The operations a hook meets, as powerpc-utils 1.3.12 runs them: a migration
/// that succeeds, one that fails after a retry, processors added and removed,
/// a removal whose kernel step fails.
const OPERATIONS: [LinuxOp; 5] = [
    LinuxOp::Migrate { fail: false, not_suspendable: 0 },
    LinuxOp::Migrate { fail: true, not_suspendable: 1 },
    LinuxOp::Cpu { action: CpuAction::Add, count: 1, fail_kernel: false },
    LinuxOp::Cpu { action: CpuAction::Remove, count: 1, fail_kernel: false },
    LinuxOp::Cpu { action: CpuAction::Remove, count: 1, fail_kernel: true },
];

/// Edge values: the largest `DRC_COUNT` powerpc-utils asks for.
const EDGE_OPERATIONS: [LinuxOp; 1] =
    [LinuxOp::Cpu { action: CpuAction::Add, count: LinuxOp::MAX_COUNT, fail_kernel: false }];

pub(super) fn probe(
    checker: &Checker,
    path: &Path,
    scratch: &Path,
    report: &mut ScriptReport,
) -> Result<(), CheckError> {
    let name = path.file_name().unwrap_or(OsStr::new("hook"));
    for drc_type in DrcType::ALL {
        let dir = scratch.join(drc_type.as_str());
        std::fs::create_dir_all(&dir)?;
        std::os::unix::fs::symlink(path, dir.join(name))?;
    }
    let hooks = Hooks::new(scratch).timeout(checker.max_time).grace(checker.runner.grace_period()).capture(true);
    // The operations as 1.3.12 runs them; then a migration as 1.3.11 runs it,
    // without ACTION and DRC_COUNT, and the edge counts: a death in these two is
    // an edge-value finding.
    let old = hooks.clone().powerpc_utils(PowerpcUtils::V1_3_11);
    let plan = OPERATIONS
        .iter()
        .map(|op| (&hooks, op, false))
        .chain([(&old, &OPERATIONS[0], true)])
        .chain(EDGE_OPERATIONS.iter().map(|op| (&hooks, op, true)));
    for (hooks, op, edge) in plan {
        let trace = hooks.run(op).map_err(|e| CheckError::NotStarted { reason: e.to_string() })?;
        if trace.runs().next().is_none() {
            let reason = format!("{} is not executable by its owner: powerpc-utils would not run it", path.display());
            return Err(CheckError::NotStarted { reason });
        }
        for run in trace.runs() {
            if let End::NotStarted(reason) = &run.end {
                return Err(CheckError::NotStarted { reason: reason.clone() });
            }
            report.runs += 1;
            if examine_run(report, path, trace.drc_type, run, edge) {
                report.stopped = Some(format!(
                    "{} ran past {} s: the remaining operations were not run",
                    label(trace.drc_type, run),
                    checker.max_time.as_secs_f64()
                ));
                return Ok(());
            }
        }
    }
    Ok(())
}

/// `pmig check (ACTION=migrate)`: the hook's directory, phase and action.
fn label(drc_type: DrcType, run: &HookRun) -> String {
    let action = run
        .env
        .iter()
        .find(|(k, _)| k == HookAction::VARIABLE)
        .map(|(_, v)| format!(" (ACTION={v})"))
        .unwrap_or_default();
    format!("{drc_type} {}{action}", run.phase)
}

/// Holds one hook run to the rules; returns whether it ran past the time limit.
fn examine_run(report: &mut ScriptReport, path: &Path, drc_type: DrcType, hook: &HookRun, edge: bool) -> bool {
    let env: Vec<(&OsStr, &OsStr)> = hook.env.iter().map(|(k, v)| (OsStr::new(k), OsStr::new(v))).collect();
    let run = Run {
        label: label(drc_type, hook),
        resource: Some(drc_type.to_string()),
        reproduce: command_line(Path::new(Hooks::WORKDIR), &env, path, &[]),
        edge,
        host_limit: None,
    };
    let timed_out = examine::end(report, &run, &hook.end, &hook.stderr, false);
    report.checked(&run.label, &[rules::HOOK_EXIT_10, rules::HOOK_FAILURE_IGNORED]);
    let Some(code) = hook.end.exit_code().filter(|&code| code != 0) else { return timed_out };
    let decides = drc_type == DrcType::Pmig && hook.phase == HookPhase::Check;
    if code == Invocation::NOT_SUPPORTED {
        let effect = if decides { "a veto of the migration" } else { "a failure" };
        let message = format!("exit 10, which powerpc-utils reads as {effect}, not as \"not supported\"");
        report.add(run.finding(rules::HOOK_EXIT_10, message, examine::last_lines(&hook.stderr)));
    } else if !decides {
        let message = format!("exit {code} in a phase whose status powerpc-utils ignores");
        report.add(run.finding(rules::HOOK_FAILURE_IGNORED, message, examine::last_lines(&hook.stderr)));
    }
    timed_out
}
