//! The order of phases around one operation, and running one phase.

use std::ffi::OsString;
use std::path::PathBuf;

use super::discover::list;
use super::error::HooksError;
use super::signals::drmgr_mask;
use super::trace::{HookRun, HookTrace, Step};
use super::{HOOK_VARIABLES, Hooks, LinuxOp, PowerpcUtils};
use crate::runner::{Bare, STATE_DIR, prepare_state_dir};
use crate::trace::Outcome;
use crate::trace::text::visible;
use dlpar_script::hook::HookPhase;
use dlpar_script::state::DIR_VARIABLE;

impl Hooks {
    /// Runs the whole operation against the hooks and records it. A hooks
    /// directory that cannot be one ([`Hooks::check`]), an operation out of range
    /// ([`LinuxOp::check`]) or an extra variable that names a hook variable is an
    /// error, and nothing runs.
    pub fn run(&self, op: &LinuxOp) -> Result<HookTrace, HooksError> {
        self.check()?;
        op.check()?;
        if let Some((name, _)) = self.extra_env.iter().find(|(name, _)| HOOK_VARIABLES.iter().any(|v| name == v)) {
            return Err(HooksError::HookVariable { name: name.to_string_lossy().into_owned() });
        }
        let state = state(self)?;
        let dir = self.type_dir(op.drc_type());
        let listing = list(&dir);
        let mut trace = HookTrace::new(self.version, *op, dir, listing);
        trace.captured = self.capture;
        trace.state_dir.clone_from(&state);
        let mut extra = self.extra_env.clone();
        extra.extend(state.map(|dir| (OsString::from(DIR_VARIABLE), dir.into_os_string())));
        let start = Start { hooks: self, extra: &extra, mask: drmgr_mask() };
        if !trace.version.runs_hooks_for(trace.drc_type) {
            let note = format!(
                "powerpc-utils {} runs no {} hooks (they arrived in 1.3.12): none ran",
                trace.version, trace.drc_type
            );
            trace.notes.push(note);
        }
        match *op {
            LinuxOp::Migrate { fail, not_suspendable } => migrate(&start, &mut trace, fail, not_suspendable),
            LinuxOp::Cpu { count, fail_kernel, .. } => cpu(&start, &mut trace, count, fail_kernel),
        }
        Ok(trace)
    }
}

/// The state directory the hooks get: `<hooks dir>/.state/<uid>`, made now,
/// unless turned off or given with [`Hooks::setenv`].
fn state(hooks: &Hooks) -> Result<Option<PathBuf>, HooksError> {
    if !hooks.state_dir || hooks.extra_env.iter().any(|(name, _)| name == DIR_VARIABLE) {
        return Ok(None);
    }
    let root = hooks.dir.join(STATE_DIR);
    prepare_state_dir(&root, None).map(Some).map_err(|e| HooksError::StateDir { reason: e.to_string(), dir: root })
}

/// How every hook of the operation starts, beyond its phase's variables.
struct Start<'a> {
    hooks: &'a Hooks,
    /// The variables after the hook variables: `--setenv`, the state directory.
    extra: &'a [(OsString, OsString)],
    mask: libc::sigset_t,
}

fn migrate(start: &Start<'_>, trace: &mut HookTrace, fail: bool, not_suspendable: u32) {
    let failed = phase(start, trace, HookPhase::Check, 0);
    if !failed.is_empty() {
        phase(start, trace, HookPhase::Undocheck, 0);
        trace.finish(Outcome::Vetoed, format!("check failed in {}; undocheck ran for every hook", failed.join(", ")));
        return;
    }
    for attempt in 1..=not_suspendable + 1 {
        ignored(phase(start, trace, HookPhase::Pre, 0), trace, HookPhase::Pre);
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
    ignored(phase(start, trace, HookPhase::Post, 0), trace, HookPhase::Post);
    match fail {
        true => {
            trace.finish(Outcome::Failed, "the migration failed (--fail-migration); post ran for every hook".to_owned())
        }
        false => trace.outcome = Outcome::Success,
    }
}

fn cpu(start: &Start<'_>, trace: &mut HookTrace, count: u32, fail_kernel: bool) {
    ignored(phase(start, trace, HookPhase::Pre, count), trace, HookPhase::Pre);
    let verb = trace.action.as_str();
    let (what, changed) = match fail_kernel {
        true => (format!("the kernel step failed (--fail-kernel): no processor changed ({verb} {count} asked)"), 0),
        false => (format!("the kernel step succeeded: {verb} {count} processor(s)"), count),
    };
    trace.steps.push(Step::Host { what, ok: !fail_kernel });
    ignored(phase(start, trace, HookPhase::Post, changed), trace, HookPhase::Post);
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
fn phase(start: &Start<'_>, trace: &mut HookTrace, phase: HookPhase, count: u32) -> Vec<String> {
    let hooks = start.hooks;
    if !trace.version.runs_hooks_for(trace.drc_type) {
        return Vec::new();
    }
    let env = env(trace, phase, count);
    // The hook variables first, in powerpc-utils' order, then the simulator's.
    let mut env_os: Vec<(OsString, OsString)> = env.iter().map(|(k, v)| (k.into(), v.into())).collect();
    env_os.extend(start.extra.iter().cloned());
    let mut failed = Vec::new();
    for entry in trace.listing.runnable().into_iter().cloned().collect::<Vec<_>>() {
        let bare = Bare {
            path: &entry.path,
            env: &env_os,
            workdir: std::path::Path::new(Hooks::WORKDIR),
            mask: start.mask,
            capture: hooks.capture,
            limit: hooks.timeout,
            grace: hooks.grace,
        };
        let run = HookRun::new(&entry.name, phase, env.clone(), bare.run());
        if run.failed() {
            failed.push(format!("{} ({})", visible(&run.hook), run.how()));
        }
        trace.steps.push(Step::Hook(run));
    }
    failed
}

/// The hook variables of one phase, as the release sets them and in its order
/// (1.3.13 common.c:1621-1625; 1.3.11: `DRC_TYPE`, `PHASE`).
fn env(trace: &HookTrace, phase: HookPhase, count: u32) -> Vec<(String, String)> {
    let [drc_type, drc_count, action, phase_name] = HOOK_VARIABLES.map(str::to_owned);
    let mut env = vec![(drc_type, trace.drc_type.to_string())];
    if trace.version != PowerpcUtils::V1_3_11 {
        env.push((drc_count, count.to_string()));
        env.push((action, trace.action.to_string()));
    }
    env.push((phase_name, phase.to_string()));
    env
}
