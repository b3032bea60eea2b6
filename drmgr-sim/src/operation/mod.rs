//! Whole DLPAR operations: check → pre → kernel step → post, or undo (docs/protocol.md §7).

mod event;
pub(crate) mod roster;
mod sequence;

use dlpar_script::event::Common;
use dlpar_script::protocol::{Family, Resource};

pub use event::{EventVars, MemVars};
use roster::Roster;
use sequence::{Rules, Sequencer};

use crate::repository::{RepoError, Repository};
use crate::runner::Runner;
use crate::trace::{Invocation, Kernel, Outcome, Trace};

/// One DLPAR operation to simulate: a family, a resource, the event values,
/// FORCE, and whether the kernel step fails.
///
/// ```no_run
/// use dlpar_script::protocol::Resource;
/// use drmgr_sim::{EventVars, Operation, Outcome, Repository, Runner};
///
/// let repo = Repository::new("/tmp/dr-scripts");
/// let trace = Operation::remove(Resource::Cpu)
///     .event(EventVars::Cpu { bcpuid: 1, lcpuid: 1 })
///     .run(&repo, &Runner::new())?;
/// assert_eq!(trace.outcome, Outcome::Vetoed);
/// print!("{}", trace.render_snapshot());
/// # Ok::<(), drmgr_sim::OperationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    family: Family,
    resource: Resource,
    rules: Rules,
    event: EventVars,
    force: bool,
    fail_kernel: bool,
    detail: u8,
    extra: Vec<(String, String)>,
}

/// Why an operation could not be run at all (a script's failure is not one of these:
/// it is recorded in the [`Trace`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OperationError {
    /// `scriptinfo`, `register` and `usage` are install commands, not an operation.
    #[error("install is not a DLPAR operation: use Repository::install")]
    Install,
    /// `--fail-kernel` on a topology update.
    #[error("a topology update cannot fail (docs/protocol.md §7): there is no kernel failure to simulate")]
    TopologyCannotFail,
    /// The repository could not be read.
    #[error(transparent)]
    Repository(#[from] RepoError),
}

impl Operation {
    /// An operation of `family` on `resource`, with the default event values for it.
    pub fn new(family: Family, resource: Resource) -> Result<Operation, OperationError> {
        let rules = Rules::of(family).ok_or(OperationError::Install)?;
        Ok(Operation {
            event: EventVars::default_for(family, &resource),
            family,
            resource,
            rules,
            force: false,
            fail_kernel: false,
            detail: 0,
            extra: Vec::new(),
        })
    }

    fn of(family: Family, resource: Resource) -> Operation {
        match Operation::new(family, resource) {
            Ok(operation) => operation,
            Err(_) => unreachable!("every family but install has rules"),
        }
    }

    /// Removing `resource` (`checkrelease`, `prerelease`, `postrelease`, `undoprerelease`).
    pub fn remove(resource: Resource) -> Operation {
        Operation::of(Family::Remove, resource)
    }

    /// Adding `resource` (`checkacquire`, `preacquire`, `postacquire`, `undopreacquire`).
    pub fn add(resource: Resource) -> Operation {
        Operation::of(Family::Add, resource)
    }

    /// A partition migration, for the scripts registered for `pmig`.
    pub fn migrate() -> Operation {
        Operation::of_family_word(Family::Migrate)
    }

    /// A hibernation, for the scripts registered for `phib`.
    pub fn hibernate() -> Operation {
        Operation::of_family_word(Family::Hibernate)
    }

    /// An accelerator event, for the scripts registered for `acc`.
    pub fn accelerator() -> Operation {
        Operation::of_family_word(Family::Accelerator)
    }

    /// A topology update, for the scripts registered for `topology`.
    pub fn topology() -> Operation {
        Operation::of_family_word(Family::Topology)
    }

    fn of_family_word(family: Family) -> Operation {
        let word = family.resource_word().unwrap_or("none");
        match word.parse() {
            Ok(resource) => Operation::of(family, resource),
            Err(_) => unreachable!("the family words are valid resource names"),
        }
    }

    /// Uses another resource word (such as `--resource acme_gpu` for an accelerator
    /// event); the event values become that resource's defaults.
    pub fn resource(mut self, resource: Resource) -> Operation {
        self.event = EventVars::default_for(self.family, &resource);
        self.resource = resource;
        self
    }

    /// Sets the event values.
    pub fn event(mut self, event: EventVars) -> Operation {
        self.event = event;
        self
    }

    /// FORCE: `DR_FORCE=TRUE` (otherwise `FALSE`); a forced removal skips `checkrelease`
    /// and a forced addition goes on after a failed `preacquire`.
    pub fn force(mut self, force: bool) -> Operation {
        self.force = force;
        self
    }

    /// Makes the simulated kernel step fail, to exercise the undo path.
    pub fn fail_kernel(mut self, fail: bool) -> Operation {
        self.fail_kernel = fail;
        self
    }

    /// `DR_DETAIL_LEVEL` (0..=5; 0, the protocol's default, unless set).
    pub fn detail(mut self, level: u8) -> Operation {
        self.detail = level;
        self
    }

    /// Sets any `DR_*` variable to a raw value, after the event's own (to test how a
    /// script meets a malformed or unusual value).
    pub fn var(mut self, name: impl Into<String>, value: impl Into<String>) -> Operation {
        self.extra.push((name.into(), value.into()));
        self
    }

    /// The family.
    pub fn family(&self) -> Family {
        self.family
    }

    /// The resource word passed as argv\[2\].
    pub fn resource_word(&self) -> &Resource {
        &self.resource
    }

    /// Whether FORCE is set.
    pub fn is_forced(&self) -> bool {
        self.force
    }

    /// Whether the kernel step is made to fail.
    pub fn kernel_fails(&self) -> bool {
        self.fail_kernel
    }

    /// The `DR_*` environment of the check and pre commands, in order:
    /// the event's variables, `DR_FORCE`, `DR_DETAIL_LEVEL`, then [`Operation::var`]s.
    pub fn env(&self) -> Vec<(String, String)> {
        self.env_at(false)
    }

    /// The environment before (`false`) or after (`true`) a successful kernel step.
    pub(crate) fn env_at(&self, after_kernel: bool) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> =
            self.event.to_env(after_kernel).into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        env.push((Common::FORCE.to_owned(), if self.force { "TRUE" } else { "FALSE" }.to_owned()));
        env.push((Common::DETAIL_LEVEL.to_owned(), self.detail.to_string()));
        for (name, value) in &self.extra {
            env.retain(|(k, _)| k != name);
            env.push((name.clone(), value.clone()));
        }
        env
    }

    /// Runs the operation against the scripts installed in `repo` for this host that
    /// registered the resource, in name order.
    pub fn run(&self, repo: &Repository, runner: &Runner) -> Result<Trace, OperationError> {
        self.run_observed(repo, runner, |_| {})
    }

    /// Like [`Operation::run`], calling `observe` after each invocation (to forward
    /// logs to syslog or show progress while the operation runs).
    pub fn run_observed(
        &self,
        repo: &Repository,
        runner: &Runner,
        observe: impl FnMut(&Invocation),
    ) -> Result<Trace, OperationError> {
        if self.fail_kernel && self.family == Family::Topology {
            return Err(OperationError::TopologyCannotFail);
        }
        let scripts = repo.registered_for(&self.resource)?;
        let trace = Trace {
            family: self.family,
            resource: self.resource.clone(),
            force: self.force,
            fail_kernel: self.fail_kernel,
            env: self.env(),
            scripts: scripts.iter().map(|s| s.name.clone()).collect(),
            invocations: Vec::new(),
            kernel: Kernel::NotReached,
            outcome: Outcome::Success,
            reason: None,
            notes: Vec::new(),
        };
        let scripts = Roster::new(repo, runner, scripts, observe);
        Ok(Sequencer::new(trace, self.rules, self.env_at(true), scripts).run())
    }
}
