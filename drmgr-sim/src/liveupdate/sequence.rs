//! Runs the Live Update timeline: the safe kernel-extension check, then the DLPAR
//! notifications on the original and the surrogate.

use dlpar_liveupdate::{FileSafeKextList, LVUPDATE_DATA, LvupdateData, SafeKextList};
use dlpar_script::protocol::{Command, Family};

use super::kext_check::{CheckMode, KextCheck};
use super::{LiveUpdate, LiveUpdateError, LiveUpdateTrace, LuPhase, PhaseRecord, log, read_data};
use crate::operation::Operation;
use crate::operation::roster::Roster;
use crate::repository::{Repository, ScriptEntry};
use crate::runner::Runner;
use crate::trace::{Invocation, Outcome};

impl LiveUpdate {
    /// Runs the Live Update against the scripts in `repo` registered for the
    /// resource word.
    pub fn run(&self, repo: &Repository, runner: &Runner) -> Result<LiveUpdateTrace, LiveUpdateError> {
        self.run_observed(repo, runner, |_| {})
    }

    /// Like [`LiveUpdate::run`], calling `observe` after each invocation.
    pub fn run_observed(
        &self,
        repo: &Repository,
        runner: &Runner,
        observe: impl FnMut(&Invocation),
    ) -> Result<LiveUpdateTrace, LiveUpdateError> {
        let (data, data_file) = match &self.data {
            Some(data) => (Some(data.clone()), None),
            None => {
                let file = self.system_root.join(LVUPDATE_DATA.trim_start_matches('/'));
                if file.exists() { (Some(read_data(&file)?), Some(file)) } else { (None, None) }
            }
        };
        let kext_check = data.as_ref().map(LvupdateData::kext_check).transpose()?.flatten();
        let scripts = repo.registered_for(&self.resource)?;
        let env = Operation::migrate().resource(self.resource.clone()).detail(self.detail).env();
        let trace = LiveUpdateTrace {
            resource: self.resource.clone(),
            env,
            scripts: scripts.iter().map(|s| s.name.clone()).collect(),
            data_file,
            kext_check_setting: kext_check,
            kext_check: KextCheck { mode: CheckMode::Enforced, kexts: Vec::new() },
            phases: Vec::new(),
            invocations: Vec::new(),
            log_file: None,
            outcome: Outcome::Success,
            reason: None,
            notes: Vec::new(),
        };
        Sequencer::new(self, repo, runner, scripts, trace, observe).run(kext_check)
    }
}

struct Sequencer<'a, F> {
    lu: &'a LiveUpdate,
    scripts: Roster<'a, F>,
    trace: LiveUpdateTrace,
}

impl<'a, F: FnMut(&Invocation)> Sequencer<'a, F> {
    fn new(
        lu: &'a LiveUpdate,
        repo: &'a Repository,
        runner: &'a Runner,
        scripts: Vec<ScriptEntry>,
        trace: LiveUpdateTrace,
        observe: F,
    ) -> Self {
        Sequencer { lu, scripts: Roster::new(repo, runner, scripts, observe), trace }
    }

    fn run(mut self, kext_check: Option<bool>) -> Result<LiveUpdateTrace, LiveUpdateError> {
        if let Some(reason) = self.check_kexts(kext_check)? {
            return Ok(self.trace.finish(Outcome::Failed, Some(reason)));
        }
        if self.lu.preview {
            self.note("preview: the safe kernel-extension check only; no DLPAR script runs".to_owned());
            return Ok(self.trace.finish(Outcome::Success, None));
        }
        if self.scripts.is_empty() {
            self.note(format!("no script on this host registered {}", self.lu.resource));
        }
        for phase in LuPhase::TIMELINE {
            if let Some(reason) = self.phase(phase) {
                self.post_error(phase);
                let outcome =
                    if phase.command() == Some(Command::CheckMigrate) { Outcome::Vetoed } else { Outcome::Failed };
                return Ok(self.trace.finish(outcome, Some(reason)));
            }
        }
        Ok(self.trace.finish(Outcome::Success, None))
    }

    /// The safe kernel-extension check; `Some(reason)` when it stops the update.
    fn check_kexts(&mut self, kext_check: Option<bool>) -> Result<Option<String>, LiveUpdateError> {
        let mode = match (kext_check, self.lu.preview) {
            (Some(false), _) => CheckMode::Bypassed,
            (_, true) => CheckMode::Preview,
            (_, false) => CheckMode::Enforced,
        };
        let list = FileSafeKextList::new(&self.lu.system_root).list()?;
        let check = KextCheck::run(mode, &self.lu.loaded, &self.lu.lusafe, &list);
        if mode == CheckMode::Bypassed {
            self.note("kext_check = no in lvupdate.data: the safe kernel-extension check is bypassed".to_owned());
        }
        let blocking: Vec<String> = check.blocking().map(ToString::to_string).collect();
        self.trace.kext_check = check;
        if blocking.is_empty() {
            return Ok(None);
        }
        let lines: Vec<String> = blocking
            .iter()
            .map(|kext| {
                format!(
                    "liveupdate: the loaded kernel extension {kext} is not safe for Live Update: add it with \
                     lvupdateSafeKE -a, load it with SYS_LUSAFE, or unload it; the Live Update is stopped"
                )
            })
            .collect();
        let file = log::append(&self.lu.system_root, &lines).map_err(LiveUpdateError::Log)?;
        let reason = format!(
            "{} loaded kernel extension{} not safe for Live Update: {} (logged in {})",
            blocking.len(),
            if blocking.len() == 1 { " is" } else { "s are" },
            blocking.join(", "),
            file.display()
        );
        self.trace.log_file = Some(file);
        Ok(Some(reason))
    }

    /// Runs one phase; `Some(reason)` when a checked phase failed.
    fn phase(&mut self, phase: LuPhase) -> Option<String> {
        let first = self.trace.invocations.len();
        let mut failure = None;
        if let Some(command) = phase.command() {
            for i in 0..self.scripts.len() {
                if self.call(i, command) {
                    continue;
                }
                let name = self.scripts.name(i);
                let why = self.trace.invocations.last().map(Invocation::why).unwrap_or_default();
                let text =
                    format!("{command} {} failed for {name} on {}: {why}", self.lu.resource, phase.side().describe());
                if phase.is_checked() {
                    failure = Some(text);
                    break;
                }
                self.note(format!("{phase}: {text}; not checked, the Live Update goes on"));
            }
        }
        let injected = failure.is_none() && self.lu.fail_at == Some(phase);
        if injected {
            let what = match phase.command() {
                Some(_) => "the system's own part of",
                None => "a kernel extension's handler for",
            };
            let text = format!(
                "{what} {} failed on {} (a simulated failure at {phase})",
                phase.notification(),
                phase.side().describe()
            );
            if phase.is_checked() {
                failure = Some(text);
            } else {
                self.note(format!("{phase}: {text}; not checked, the Live Update goes on"));
            }
        }
        let invocations = first..self.trace.invocations.len();
        self.trace.phases.push(PhaseRecord { phase, invocations, injected, stopped: failure.is_some() });
        failure
    }

    /// `DR_POST_ERROR` (`undopremigrate`) once to every script whose `premigrate`
    /// succeeded (each time it was called), in reverse order, on the side of the failed
    /// phase: the undo rule of the migrate family (docs/protocol.md §7). A failure at
    /// `DR_CHECK`, before any `premigrate`, sends none.
    fn post_error(&mut self, failed: LuPhase) {
        let phase = LuPhase::PostError(failed.side());
        let Some(command) = phase.command() else { return };
        let first = self.trace.invocations.len();
        let pre = Family::Migrate.commands().pre;
        let completed_pre = |i: &usize| {
            let mut calls = self
                .trace
                .invocations
                .iter()
                .filter(|inv| inv.script == self.scripts.name(*i) && Some(inv.command) == pre);
            calls.clone().next().is_some() && calls.all(Invocation::succeeded)
        };
        let targets: Vec<usize> = (0..self.scripts.len()).filter(completed_pre).rev().collect();
        for i in targets {
            if !self.call(i, command) {
                let name = self.scripts.name(i).to_owned();
                self.note(format!("{phase}: {command} failed for {name}: reported"));
            }
        }
        let invocations = first..self.trace.invocations.len();
        self.trace.phases.push(PhaseRecord { phase, invocations, injected: false, stopped: false });
    }

    /// Runs one command of script `i`; true when it succeeded (exit 0 or 10).
    fn call(&mut self, i: usize, command: Command) -> bool {
        let trace = &mut self.trace;
        self.scripts.call(i, command, &self.lu.resource, &trace.env, &mut trace.invocations)
    }

    fn note(&mut self, note: String) {
        self.trace.notes.push(note);
    }
}
