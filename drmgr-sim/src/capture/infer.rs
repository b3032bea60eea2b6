//! Which operations a capture holds: its invocations grouped into operations, and
//! for each the operation drmgr-sim runs to hold itself against it.
//!
//! A capture file is a flat list of invocations in the order they started. An
//! operation ends where the phases go back: a check after a pre, post or undo
//! command, or a command a capture instance already answered in this operation
//! (a hook's `pre` again is a migration's "not suspendable" retry). Install
//! commands (`scriptinfo`, `register`, `usage`) form operations of their own.

use dlpar_capture::read::Run;
use dlpar_capture::record::{HostKind, Invocation as Record};
use dlpar_script::event::{DecodeError, DrEnv};
use dlpar_script::hook::{DrcType, HookAction, HookPhase};
use dlpar_script::protocol::{Command, Family, Phase, Resource};

use crate::linux::{CpuAction, LinuxOp, PowerpcUtils};
use crate::operation::{EventVars, MemVars, Operation};

/// What a group of recorded invocations was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Recorded {
    /// `drmgr -i`: the install commands of one or more capture instances.
    Install,
    /// `drmgr-sim linux install`: only `register`, to place instances among the hooks.
    HookInstall,
    /// An AIX DLPAR operation.
    Aix(Operation),
    /// A powerpc-utils operation around its hooks.
    Hook(LinuxOp, PowerpcUtils),
}

/// One recorded operation.
#[derive(Debug, Clone)]
pub(crate) struct Episode<'c> {
    /// What it was, as drmgr-sim runs it.
    pub(crate) recorded: Recorded,
    /// Its invocations, in the order they started.
    pub(crate) runs: Vec<Run<'c>>,
    /// What the capture does not say and was assumed.
    pub(crate) assumed: Vec<String>,
}

/// A capture, sorted into operations.
#[derive(Debug, Clone, Default)]
pub(crate) struct Inferred<'c> {
    /// The operations, in order.
    pub(crate) episodes: Vec<Episode<'c>>,
    /// The invocations that belong to no operation, with the reason.
    pub(crate) unplaced: Vec<(Run<'c>, String)>,
}

/// Where an invocation stands in its operation.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Install { command: Command, resource: Option<String> },
    Aix { family: Family, resource: Resource, phase: Phase },
    Hook { drc_type: DrcType, action: Option<HookAction>, phase: HookPhase },
}

impl Key {
    /// Reads what the record says, or why it cannot be placed.
    fn of(record: &Record) -> Result<Key, String> {
        match record.host {
            HostKind::Aix => {
                let word = record.command().unwrap_or_default();
                let command: Command =
                    word.parse().map_err(|_| format!("{word:?} is not a command word drmgr-sim knows"))?;
                if command.is_install() {
                    return Ok(Key::Install { command, resource: record.resource().map(str::to_owned) });
                }
                let family = command.family();
                let resource = match (record.resource(), family.resource_word()) {
                    (Some(word), _) => word.parse().map_err(|e| format!("resource {word:?}: {e}"))?,
                    (None, Some(word)) => Resource::from_static(word),
                    (None, None) => return Err(format!("{command} without a resource word")),
                };
                Ok(Key::Aix { family, resource, phase: command.phase() })
            }
            HostKind::Hook => {
                let drc_type = hook_word(record, DrcType::VARIABLE, DrcType::ALL)?;
                let phase = hook_word(record, HookPhase::VARIABLE, HookPhase::ALL)?;
                let action = match record.env_var(HookAction::VARIABLE) {
                    None => None,
                    Some(_) => Some(hook_word(record, HookAction::VARIABLE, HookAction::ALL)?),
                };
                Ok(Key::Hook { drc_type, action, phase })
            }
            HostKind::Unknown => Err("started neither as an AIX script nor as a hook (by hand?)".to_owned()),
        }
    }

    /// Whether an invocation at `self` continues the operation whose earlier
    /// invocations are `before` (the same instance answering again starts anew,
    /// except a migration hook's `pre`, run again on each retry).
    fn continues(&self, before: &[(Key, &str)], instance: &str) -> bool {
        let Some((first, _)) = before.first() else { return false };
        let again = |key: &Key| before.iter().any(|(k, name)| k == key && *name == instance);
        match (first, self) {
            (Key::Install { .. }, Key::Install { .. }) => !again(self),
            (Key::Aix { family, resource, .. }, Key::Aix { family: f, resource: r, phase }) => {
                let rank = |phase: &Phase| match phase {
                    Phase::Install | Phase::Check => 0,
                    Phase::Pre => 1,
                    Phase::Post | Phase::Undo => 2,
                };
                let latest = before.iter().map(|(k, _)| if let Key::Aix { phase, .. } = k { rank(phase) } else { 0 });
                family == f && resource == r && latest.max().unwrap_or(0) <= rank(phase) && !again(self)
            }
            (Key::Hook { drc_type, action, .. }, Key::Hook { drc_type: t, action: a, phase }) => {
                let rank = |phase: &HookPhase| match phase {
                    HookPhase::Check => 0,
                    HookPhase::Undocheck => 1,
                    HookPhase::Pre => 2,
                    HookPhase::Post => 3,
                };
                let latest = before.iter().map(|(k, _)| if let Key::Hook { phase, .. } = k { rank(phase) } else { 0 });
                let retry = *phase == HookPhase::Pre && *drc_type == DrcType::Pmig;
                drc_type == t && action == a && latest.max().unwrap_or(0) <= rank(phase) && (retry || !again(self))
            }
            _ => false,
        }
    }
}

/// A hook variable's word, or why it is not one.
fn hook_word<W: Copy + Into<&'static str>>(record: &Record, variable: &str, words: &[W]) -> Result<W, String> {
    let value = record.env_var(variable).ok_or_else(|| format!("a hook without {variable}"))?;
    words
        .iter()
        .copied()
        .find(|w| (*w).into() == value)
        .ok_or_else(|| format!("{variable}={value:?} is not a word powerpc-utils passes"))
}

/// Sorts the runs of a capture into operations and infers each.
pub(crate) fn infer<'c>(runs: Vec<Run<'c>>) -> Inferred<'c> {
    let mut inferred = Inferred::default();
    // Each operation so far: where each invocation stood (and whose it was), the runs.
    type Group<'c> = (Vec<(Key, &'c str)>, Vec<Run<'c>>);
    let mut groups: Vec<Group<'c>> = Vec::new();
    for run in runs {
        let key = match Key::of(run.invocation) {
            Ok(key) => key,
            Err(why) => {
                inferred.unplaced.push((run, why));
                continue;
            }
        };
        let name = run.invocation.installed_name.as_str();
        match groups.last_mut() {
            Some((keys, group)) if key.continues(keys, name) => {
                keys.push((key, name));
                group.push(run);
            }
            _ => groups.push((vec![(key, name)], vec![run])),
        }
    }
    for (keys, runs) in groups {
        let (recorded, assumed) = match &keys[0].0 {
            Key::Install { .. }
                if runs.iter().all(|run| run.invocation.command() == Some(Command::Register.as_str())) =>
            {
                (Recorded::HookInstall, Vec::new())
            }
            Key::Install { .. } => (Recorded::Install, Vec::new()),
            Key::Aix { family, resource, .. } => aix(*family, resource, &runs),
            Key::Hook { drc_type, action, .. } => match hook(*drc_type, *action, &runs) {
                Ok(found) => found,
                Err(why) => {
                    inferred.unplaced.extend(runs.into_iter().map(|run| (run, why.clone())));
                    continue;
                }
            },
        };
        inferred.episodes.push(Episode { recorded, runs, assumed });
    }
    inferred
}

/// Whether a run answered with anything but exit 0 or 10 (or never answered).
fn failed(run: &Run<'_>) -> bool {
    !matches!(run.end.map(|end| end.exit_status), Some(0 | 10))
}

fn phase_of(run: &Run<'_>) -> Option<Phase> {
    run.invocation.command().and_then(|word| word.parse::<Command>().ok()).map(Command::phase)
}

/// The AIX operation: its family and resource, the `DR_*` values its first event
/// command got, FORCE, and whether the kernel step failed.
fn aix(family: Family, resource: &Resource, runs: &[Run<'_>]) -> (Recorded, Vec<String>) {
    let mut assumed = Vec::new();
    let env = DrEnv::from_pairs(runs[0].invocation.env.iter().filter_map(|entry| entry.split_once('=')));
    let mut op = match Operation::new(family, resource.clone()) {
        Ok(op) => op,
        Err(_) => unreachable!("install commands are grouped apart"),
    };
    let (event, raw) = event_values(family, resource, &env);
    op = op.event(event);
    match env.flag("DR_FORCE") {
        Ok(force) => op = op.force(force.unwrap_or(false)),
        Err(_) => op = op.var("DR_FORCE", env.get("DR_FORCE").unwrap_or_default()),
    }
    match env.decimal("DR_DETAIL_LEVEL") {
        Ok(level) => match level.map(u8::try_from) {
            Some(Ok(level)) if level <= 5 => op = op.detail(level),
            None => {}
            Some(_) => op = op.var("DR_DETAIL_LEVEL", env.get("DR_DETAIL_LEVEL").unwrap_or_default()),
        },
        Err(_) => op = op.var("DR_DETAIL_LEVEL", env.get("DR_DETAIL_LEVEL").unwrap_or_default()),
    }
    for (name, value) in raw {
        op = op.var(name, value);
    }
    // An undo after a pre phase that did not stop the operation means the kernel step failed.
    let stops = match family {
        Family::Add => !op.is_forced(),
        Family::Accelerator => true,
        _ => false,
    };
    let pre_stopped = stops && runs.iter().any(|run| phase_of(run) == Some(Phase::Pre) && failed(run));
    let undone = runs.iter().any(|run| phase_of(run) == Some(Phase::Undo));
    if undone && !pre_stopped {
        op = op.fail_kernel(true);
        assumed.push("undo commands ran after the pre phase: the kernel step failed".to_owned());
    }
    (Recorded::Aix(op), assumed)
}

/// The event values drmgr-sim passes, from the recorded ones; a malformed value is
/// passed on as recorded (the second list), a missing one keeps drmgr-sim's default.
fn event_values(family: Family, resource: &Resource, env: &DrEnv) -> (EventVars, Vec<(&'static str, String)>) {
    let mut raw = Vec::new();
    let mut take = |name: &'static str, decoded: Result<Option<u64>, DecodeError>, slot: &mut u64| match decoded {
        Ok(Some(value)) => *slot = value,
        Ok(None) => {}
        Err(_) => raw.push((name, env.get(name).unwrap_or_default().to_owned())),
    };
    let mut vars = EventVars::default_for(family, resource);
    match &mut vars {
        EventVars::Cpu { bcpuid, lcpuid } => {
            for (name, slot) in [("DR_BCPUID", bcpuid), ("DR_LCPUID", lcpuid)] {
                let mut wide = u64::from(*slot);
                take(name, env.id(name).map(|id| id.map(u64::from)), &mut wide);
                *slot = u32::try_from(wide).unwrap_or(*slot);
            }
        }
        EventVars::Mem(MemVars { request_mb, completed_mb, free_frames, pinnable_frames, total_frames }) => {
            take("DR_MEM_SIZE_REQUEST", env.decimal("DR_MEM_SIZE_REQUEST"), request_mb);
            take("DR_MEM_SIZE_COMPLETED", env.decimal("DR_MEM_SIZE_COMPLETED"), completed_mb);
            take("DR_FREE_FRAMES", env.hex("DR_FREE_FRAMES"), free_frames);
            take("DR_PINNABLE_FRAMES", env.hex("DR_PINNABLE_FRAMES"), pinnable_frames);
            take("DR_TOTAL_FRAMES", env.hex("DR_TOTAL_FRAMES"), total_frames);
        }
        EventVars::Capacity { capacity: value, delta } | EventVars::VarWeight { weight: value, delta } => {
            let (name, delta_name) = match resource {
                Resource::Capacity => ("DR_CPU_CAPACITY", "DR_CPU_CAPACITY_DELTA"),
                _ => ("DR_VAR_WEIGHT", "DR_VAR_WEIGHT_DELTA"),
            };
            take(name, env.decimal(name), value);
            match env.signed(delta_name) {
                Ok(Some(d)) => *delta = d,
                Ok(None) => {}
                Err(_) => raw.push((delta_name, env.get(delta_name).unwrap_or_default().to_owned())),
            }
        }
        EventVars::None => {}
    }
    (vars, raw)
}

/// The powerpc-utils operation: migration (with its retries) or processors (with
/// the counts asked for and changed).
fn hook(drc_type: DrcType, action: Option<HookAction>, runs: &[Run<'_>]) -> Result<(Recorded, Vec<String>), String> {
    let mut assumed = Vec::new();
    let version = match action {
        Some(_) => PowerpcUtils::V1_3_12,
        None => PowerpcUtils::V1_3_11,
    };
    let phase = |run: &Run<'_>| hook_word(run.invocation, HookPhase::VARIABLE, HookPhase::ALL).ok();
    let count = |run: &Run<'_>| run.invocation.env_var("DRC_COUNT").and_then(|c| c.parse::<u32>().ok());
    let op = match drc_type {
        DrcType::Pmig => {
            let first = runs[0].invocation.installed_name.as_str();
            let pres = runs
                .iter()
                .filter(|run| phase(run) == Some(HookPhase::Pre) && run.invocation.installed_name == first)
                .count();
            assumed.push(
                "whether the migration itself succeeded is not in a capture (post runs either way): simulated as \
                 succeeded"
                    .to_owned(),
            );
            LinuxOp::Migrate { fail: false, not_suspendable: u32::try_from(pres.saturating_sub(1)).unwrap_or(0) }
        }
        DrcType::Cpu => {
            let action = match action {
                Some(HookAction::Add) => CpuAction::Add,
                Some(HookAction::Remove) => CpuAction::Remove,
                Some(HookAction::Migrate) => return Err("cpu hooks with ACTION=migrate".to_owned()),
                None => return Err("cpu hooks without ACTION: powerpc-utils 1.3.11 runs no cpu hooks".to_owned()),
            };
            let pre = runs.iter().find(|run| phase(run) == Some(HookPhase::Pre)).and_then(count);
            let post = runs.iter().find(|run| phase(run) == Some(HookPhase::Post)).and_then(count);
            let asked = pre.or(post).unwrap_or(1);
            let fail_kernel = post == Some(0) && asked > 0;
            if fail_kernel {
                assumed.push("post got DRC_COUNT=0 after a request for more: the kernel step failed".to_owned());
            }
            LinuxOp::Cpu { action, count: asked, fail_kernel }
        }
    };
    Ok((Recorded::Hook(op, version), assumed))
}

#[cfg(test)]
mod tests {
    use dlpar_capture::record::{AnsweredBy, End, Invocation as Record, Stamp};

    use super::*;

    fn aix(name: &str, command: &str, env: &[&str]) -> Record {
        let argv = ["/x", command].into_iter().chain(if command.contains("migrate") { None } else { Some("cpu") });
        Record {
            host: HostKind::Aix,
            installed_name: name.into(),
            argv: argv.map(str::to_owned).collect(),
            env: env.iter().map(|e| (*e).to_owned()).collect(),
            ..Record::default()
        }
    }

    fn hook(name: &str, phase: &str, drc_type: &str, action: &str, count: u32) -> Record {
        let env = [
            format!("DRC_TYPE={drc_type}"),
            format!("PHASE={phase}"),
            format!("ACTION={action}"),
            format!("DRC_COUNT={count}"),
        ];
        Record { host: HostKind::Hook, installed_name: name.into(), env: env.into(), ..Record::default() }
    }

    static OK: End = End {
        at: Stamp { monotonic_ns: 0, wall_ns: 0 },
        answered_by: AnsweredBy::Capture,
        exit_status: 0,
        printed: Vec::new(),
    };

    fn runs(records: &[Record]) -> Vec<Run<'_>> {
        records.iter().map(|invocation| Run { id: "1", invocation, signals: Vec::new(), end: Some(&OK) }).collect()
    }

    #[test]
    fn an_aix_operation_ends_where_its_phases_go_back_and_undo_means_a_failed_kernel_step() {
        let env = ["DR_BCPUID=5", "DR_LCPUID=five", "DR_FORCE=no", "DR_DETAIL_LEVEL=3"];
        let records = [
            aix("a", "checkrelease", &env),
            aix("b", "checkrelease", &env),
            aix("a", "prerelease", &env),
            aix("a", "undoprerelease", &env),
            aix("a", "checkrelease", &env),
        ];
        let inferred = infer(runs(&records));
        assert!(inferred.unplaced.is_empty());
        assert_eq!(inferred.episodes.iter().map(|e| e.runs.len()).collect::<Vec<_>>(), [4, 1]);
        let Recorded::Aix(op) = &inferred.episodes[0].recorded else { panic!("not AIX") };
        assert!(op.kernel_fails() && !op.is_forced());
        // The well-formed values are typed; the malformed one is passed on as recorded.
        let env: Vec<String> = op.env().iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(env, ["DR_BCPUID=5", "DR_FORCE=FALSE", "DR_DETAIL_LEVEL=3", "DR_LCPUID=five"]);
        assert_eq!(inferred.episodes[0].assumed, ["undo commands ran after the pre phase: the kernel step failed"]);
    }

    #[test]
    fn hook_retries_counts_and_unknown_starts_are_inferred() {
        let mut records: Vec<Record> = Vec::new();
        for phase in ["check", "pre", "pre", "pre", "post"] {
            for name in ["9", "10"] {
                records.push(hook(name, phase, "pmig", "migrate", 0));
            }
        }
        records.push(hook("9", "pre", "cpu", "remove", 2));
        records.push(hook("9", "post", "cpu", "remove", 0));
        records.push(Record { installed_name: "by_hand".into(), ..Record::default() });
        let inferred = infer(runs(&records));
        let recorded: Vec<&Recorded> = inferred.episodes.iter().map(|e| &e.recorded).collect();
        assert_eq!(
            recorded,
            [
                &Recorded::Hook(LinuxOp::Migrate { fail: false, not_suspendable: 2 }, PowerpcUtils::V1_3_12),
                &Recorded::Hook(
                    LinuxOp::Cpu { action: CpuAction::Remove, count: 2, fail_kernel: true },
                    PowerpcUtils::V1_3_12
                ),
            ]
        );
        assert_eq!(inferred.unplaced.len(), 1);
        assert_eq!(inferred.unplaced[0].1, "started neither as an AIX script nor as a hook (by hand?)");
    }
}
