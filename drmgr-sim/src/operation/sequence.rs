//! The sequencing of docs/protocol.md §7, for every family, driven by a small table of rules.

use dlpar_script::protocol::{Command, Family, FamilyCommands};

use super::roster::Roster;
use crate::trace::{Invocation, Kernel, Outcome, Trace};

/// How a family treats FORCE and failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Rules {
    /// FORCE skips the check phase (remove only; every other check cannot be forced).
    force_skips_check: bool,
    /// When a failing pre command stops the operation before the kernel step.
    pre_stops: PreStops,
    /// Which scripts the undo command goes to.
    undo_for: UndoFor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PreStops {
    /// Never: the failure is reported and the operation goes on (remove, migrate,
    /// hibernate, topology).
    Never,
    /// Unless FORCE (add).
    UnlessForced,
    /// Always (accelerator).
    Always,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UndoFor {
    /// Every script called for the pre command in this request, whatever it returned
    /// (remove: `undoprerelease`).
    RanPre,
    /// Only the scripts whose pre command succeeded: IBM says a script called for
    /// `undopreacquire`/`undopremigrate` "may assume that it completed" the pre
    /// command (add, migrate, hibernate, accelerator; docs/protocol.md §7).
    SucceededPre,
}

impl Rules {
    /// The rules of a family; `None` for install, which is not an operation.
    pub(super) fn of(family: Family) -> Option<Rules> {
        let (force_skips_check, pre_stops, undo_for) = match family {
            Family::Install => return None,
            Family::Remove => (true, PreStops::Never, UndoFor::RanPre),
            Family::Add => (false, PreStops::UnlessForced, UndoFor::SucceededPre),
            // Topology has no undo command (its update cannot fail).
            Family::Migrate | Family::Hibernate | Family::Topology => (false, PreStops::Never, UndoFor::SucceededPre),
            Family::Accelerator => (false, PreStops::Always, UndoFor::SucceededPre),
        };
        Some(Rules { force_skips_check, pre_stops, undo_for })
    }
}

/// Runs one operation and writes its trace. It knows the operation only through the
/// trace's header (family, resource, FORCE, the kernel failure, the environment of
/// the check and pre commands), the family's rules and the environment after a
/// successful kernel step.
pub(super) struct Sequencer<'a, F> {
    rules: Rules,
    env_after_kernel: Vec<(String, String)>,
    scripts: Roster<'a, F>,
    trace: Trace,
}

impl<'a, F: FnMut(&Invocation)> Sequencer<'a, F> {
    pub(super) fn new(
        trace: Trace,
        rules: Rules,
        env_after_kernel: Vec<(String, String)>,
        scripts: Roster<'a, F>,
    ) -> Self {
        Sequencer { rules, env_after_kernel, scripts, trace }
    }

    pub(super) fn run(mut self) -> Trace {
        let commands = self.trace.family.commands();
        let everyone: Vec<usize> = (0..self.scripts.len()).collect();
        if self.scripts.is_empty() {
            self.note(format!("no script on this host registered {}", self.trace.resource));
        }
        if let Err(reason) = self.check(commands) {
            return self.trace.finish(Outcome::Vetoed, Some(reason));
        }
        let mut pre = self.pre(commands, &everyone);
        if let Some(reason) = pre.stopped.take() {
            self.undo(commands, &pre);
            let reason = format!("{reason}{}", self.undone(commands, &pre));
            return self.trace.finish(Outcome::Failed, Some(reason));
        }
        let after = self.trace.invocations.len();
        if self.trace.fail_kernel {
            self.trace.kernel = Kernel::Failed { after };
            self.undo(commands, &pre);
            let reason = format!(
                "the kernel step ({}) failed (a simulated failure){}",
                self.trace.kernel_step(),
                self.undone(commands, &pre)
            );
            return self.trace.finish(Outcome::Failed, Some(reason));
        }
        self.trace.kernel = Kernel::Succeeded { after };
        if let Some(post) = commands.post {
            let env = self.env_after_kernel.clone();
            for &i in &pre.ran {
                if !self.call(i, post, &env) {
                    self.note(format!("{post} failed for {}: reported and ignored", self.scripts.name(i)));
                }
            }
        }
        self.trace.finish(Outcome::Success, None)
    }

    /// The check phase: each script in order, stopping at the first veto.
    fn check(&mut self, commands: FamilyCommands) -> Result<(), String> {
        let Some(check) = commands.check else { return Ok(()) };
        if self.trace.force && self.rules.force_skips_check {
            self.note(format!("FORCE: {check} skipped"));
            return Ok(());
        }
        let env = self.trace.env.clone();
        for i in 0..self.scripts.len() {
            if !self.call(i, check, &env) {
                let why = self.trace.invocations.last().map(Invocation::why).unwrap_or_default();
                return Err(format!("{check} {} vetoed by {}: {why}", self.trace.resource, self.scripts.name(i)));
            }
        }
        Ok(())
    }

    /// The pre phase: each script in order; whether a failure stops it is the family's rule.
    fn pre(&mut self, commands: FamilyCommands, everyone: &[usize]) -> Pre {
        let mut pre = Pre::default();
        let Some(command) = commands.pre else { return pre };
        let env = self.trace.env.clone();
        let stops = match self.rules.pre_stops {
            PreStops::Never => false,
            PreStops::UnlessForced => !self.trace.force,
            PreStops::Always => true,
        };
        for &i in everyone {
            pre.ran.push(i);
            if self.call(i, command, &env) {
                pre.succeeded.push(i);
                continue;
            }
            let name = self.scripts.name(i);
            if stops {
                let why = self.trace.invocations.last().map(Invocation::why).unwrap_or_default();
                pre.stopped = Some(format!("{command} {} failed in {name}: {why}", self.trace.resource));
                return pre;
            }
            let goes_on = if self.trace.force { "FORCE: the operation goes on" } else { "the operation goes on" };
            self.note(format!("{command} failed for {name}: reported; {goes_on}"));
        }
        pre
    }

    /// The undo phase, in reverse order, for the scripts the family's rule names.
    fn undo(&mut self, commands: FamilyCommands, pre: &Pre) {
        let Some(undo) = commands.undo else { return };
        let env = self.trace.env.clone();
        for &i in self.undo_targets(pre).iter().rev() {
            if !self.call(i, undo, &env) {
                self.note(format!("{undo} failed for {}: reported", self.scripts.name(i)));
            }
        }
    }

    fn undo_targets<'p>(&self, pre: &'p Pre) -> &'p [usize] {
        match self.rules.undo_for {
            UndoFor::RanPre => &pre.ran,
            UndoFor::SucceededPre => &pre.succeeded,
        }
    }

    /// `; undoprerelease ran for 2 scripts`, for the reason of a failure.
    fn undone(&self, commands: FamilyCommands, pre: &Pre) -> String {
        match (commands.undo, self.undo_targets(pre).len()) {
            (Some(undo), n) if n > 0 => format!("; {undo} ran for {n} script{}", if n == 1 { "" } else { "s" }),
            _ => String::new(),
        }
    }

    /// Runs one command of script `i`; true when the phase counts it a success.
    fn call(&mut self, i: usize, command: Command, env: &[(String, String)]) -> bool {
        self.scripts.call(i, command, &self.trace.resource, env, &mut self.trace.invocations)
    }

    fn note(&mut self, note: String) {
        self.trace.notes.push(note);
    }
}

/// Who ran the pre command, who succeeded, and why the phase stopped (if it did).
#[derive(Debug, Default)]
struct Pre {
    ran: Vec<usize>,
    succeeded: Vec<usize>,
    stopped: Option<String>,
}
