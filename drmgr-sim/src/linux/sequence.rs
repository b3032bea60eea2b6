//! The order of phases around one operation, and running one phase.

use std::ffi::OsString;

use super::discover::list;
use super::trace::{HookRun, HookTrace, Step};
use super::{Hooks, LinuxOp, PowerpcUtils};
use crate::runner::Bare;
use crate::trace::Outcome;
use dlpar_script::hook::{DrcType, Hook, HookAction, HookPhase};

impl Hooks {
    /// Runs the whole operation against the hooks and records it.
    pub fn run(&self, op: &LinuxOp) -> HookTrace {
        let dir = self.type_dir(op.drc_type());
        let listing = list(&dir);
        let mut trace = HookTrace::new(self.version, *op, dir, listing);
        match *op {
            LinuxOp::Migrate { fail, not_suspendable } => migrate(self, &mut trace, fail, not_suspendable),
            LinuxOp::Cpu { count, fail_kernel, .. } => cpu(self, &mut trace, count, fail_kernel),
        }
        trace
    }
}

fn migrate(hooks: &Hooks, trace: &mut HookTrace, fail: bool, not_suspendable: u32) {
    let failed = phase(hooks, trace, HookPhase::Check, 0);
    if !failed.is_empty() {
        phase(hooks, trace, HookPhase::Undocheck, 0);
        trace.finish(Outcome::Vetoed, format!("check failed in {}; undocheck ran for every hook", failed.join(", ")));
        return;
    }
    for attempt in 1..=not_suspendable + 1 {
        ignored(phase(hooks, trace, HookPhase::Pre, 0), trace, HookPhase::Pre);
        if attempt <= not_suspendable {
            let what = format!(
                "the partition is not suspendable (attempt {attempt} of {}); drmgr retries",
                not_suspendable + 1
            );
            trace.steps.push(Step::Host { what, ok: false });
        }
    }
    let what = if fail { "the migration failed (--fail-migration)" } else { "the migration succeeded" };
    trace.steps.push(Step::Host { what: what.to_owned(), ok: !fail });
    ignored(phase(hooks, trace, HookPhase::Post, 0), trace, HookPhase::Post);
    match fail {
        true => {
            trace.finish(Outcome::Failed, "the migration failed (--fail-migration); post ran for every hook".to_owned())
        }
        false => trace.outcome = Outcome::Success,
    }
}

fn cpu(hooks: &Hooks, trace: &mut HookTrace, count: u32, fail_kernel: bool) {
    ignored(phase(hooks, trace, HookPhase::Pre, count), trace, HookPhase::Pre);
    let verb = trace.action.as_str();
    let (what, changed) = match fail_kernel {
        true => (format!("the kernel step failed (--fail-kernel): no processor changed ({verb} {count} asked)"), 0),
        false => (format!("the kernel step succeeded: {verb} {count} processor(s)"), count),
    };
    trace.steps.push(Step::Host { what, ok: !fail_kernel });
    ignored(phase(hooks, trace, HookPhase::Post, changed), trace, HookPhase::Post);
    match fail_kernel {
        true => trace.finish(Outcome::Failed, "the kernel step failed; post ran with DRC_COUNT=0".to_owned()),
        false => trace.outcome = Outcome::Success,
    }
}

/// Notes the failures of a phase whose results powerpc-utils ignores.
fn ignored(failed: Vec<String>, trace: &mut HookTrace, phase: HookPhase) {
    if !failed.is_empty() {
        trace.notes.push(format!("{phase}: {} failed; powerpc-utils reports it and goes on", failed.join(", ")));
    }
}

/// Runs every hook with `PHASE=phase`, failures or not; returns the failed ones as
/// `name (how)`.
fn phase(hooks: &Hooks, trace: &mut HookTrace, phase: HookPhase, count: u32) -> Vec<String> {
    let env = env(trace, phase, count);
    let mut env_os: Vec<(OsString, OsString)> = env.iter().map(|(k, v)| (k.into(), v.into())).collect();
    env_os.extend(hooks.extra_env.iter().cloned());
    let mut failed = Vec::new();
    for entry in trace.listing.runnable().into_iter().cloned().collect::<Vec<_>>() {
        let bare = Bare {
            path: &entry.path,
            env: &env_os,
            workdir: std::path::Path::new(Hooks::WORKDIR),
            limit: hooks.timeout,
            grace: hooks.grace,
        };
        let run = HookRun::new(&entry.name, phase, env.clone(), bare.run());
        if run.failed() {
            failed.push(format!("{} ({})", run.hook, run.end));
        }
        trace.steps.push(Step::Hook(run));
    }
    failed
}

/// The hook variables of one phase, as the release sets them.
fn env(trace: &HookTrace, phase: HookPhase, count: u32) -> Vec<(String, String)> {
    let mut env = vec![
        (DrcType::VARIABLE.to_owned(), trace.drc_type.to_string()),
        (HookPhase::VARIABLE.to_owned(), phase.to_string()),
    ];
    if trace.version != PowerpcUtils::V1_3_11 {
        env.push((HookAction::VARIABLE.to_owned(), trace.action.to_string()));
        env.push((Hook::COUNT.to_owned(), count.to_string()));
    }
    env
}
