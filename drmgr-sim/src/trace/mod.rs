//! What an operation did: every invocation in order, the kernel step, the outcome.

mod invocation;
pub(crate) mod json;
pub(crate) mod text;

use dlpar_script::protocol::{Family, Resource};

pub use invocation::{Invocation, Verdict};
pub use text::{Style, Timings};

/// The record of one operation, ready to print ([`Trace::render`]), to snapshot
/// ([`Trace::render_snapshot`], [`Trace::to_json`] with [`Timings::Hidden`]) or to
/// inspect field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Trace {
    /// The family of the operation.
    pub family: Family,
    /// The resource word passed as argv\[2\].
    pub resource: Resource,
    /// Whether FORCE was set.
    pub force: bool,
    /// Whether the kernel step was made to fail.
    pub fail_kernel: bool,
    /// The `DR_*` variables of the check and pre commands.
    pub env: Vec<(String, String)>,
    /// The scripts that registered the resource, in the order they were called.
    pub scripts: Vec<String>,
    /// Every invocation, in the order made.
    pub invocations: Vec<Invocation>,
    /// The simulated kernel step.
    pub kernel: Kernel,
    /// How the operation ended.
    pub outcome: Outcome,
    /// Why it was vetoed or failed.
    pub reason: Option<String>,
    /// What the sequencing noticed: skipped phases, failures reported and ignored.
    pub notes: Vec<String>,
}

/// The simulated kernel step between the pre and the post (or undo) phases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// A veto or a failed pre command stopped the operation before it.
    NotReached,
    /// It succeeded after the first `after` invocations.
    Succeeded {
        /// Invocations made before it.
        after: usize,
    },
    /// It failed (a simulated failure) after the first `after` invocations.
    Failed {
        /// Invocations made before it.
        after: usize,
    },
}

impl Kernel {
    /// `not_reached`, `succeeded` or `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kernel::NotReached => "not_reached",
            Kernel::Succeeded { .. } => "succeeded",
            Kernel::Failed { .. } => "failed",
        }
    }

    /// How many invocations came before it, when it was reached.
    pub fn after(self) -> Option<usize> {
        match self {
            Kernel::NotReached => None,
            Kernel::Succeeded { after } | Kernel::Failed { after } => Some(after),
        }
    }
}

/// How an operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The resource change happened.
    Success,
    /// A check command refused it; nothing changed.
    Vetoed,
    /// A pre command or the kernel step failed; the undo commands ran where due.
    Failed,
}

impl Outcome {
    /// `success`, `vetoed` or `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Vetoed => "vetoed",
            Outcome::Failed => "failed",
        }
    }
}

impl Trace {
    pub(crate) fn finish(mut self, outcome: Outcome, reason: Option<String>) -> Trace {
        self.outcome = outcome;
        self.reason = reason;
        self
    }

    /// The operation as words: `remove cpu`, `migrate pmig`.
    pub fn operation(&self) -> String {
        format!("{} {}", self.family, self.resource)
    }

    /// The kernel step as words: `the removal of cpu`, `the migration (pmig)`.
    pub fn kernel_step(&self) -> String {
        let what = match self.family {
            Family::Remove => "the removal of",
            Family::Add => "the addition of",
            Family::Migrate => "the migration for",
            Family::Hibernate => "the hibernation for",
            Family::Accelerator => "the accelerator event for",
            Family::Topology | Family::Install => "the topology update for",
        };
        format!("{what} {}", self.resource)
    }

    /// The `(command, script)` pairs in order, e.g. to assert a sequence in a test.
    ///
    /// ```
    /// # fn check(trace: &drmgr_sim::Trace) {
    /// let steps: Vec<String> = trace.steps().map(|(c, s)| format!("{c} {s}")).collect();
    /// assert_eq!(steps, ["checkrelease a_app", "checkrelease b_app", "prerelease a_app"]);
    /// # }
    /// ```
    pub fn steps(&self) -> impl Iterator<Item = (&str, &str)> {
        self.invocations.iter().map(|i| (i.command.as_str(), i.script.as_str()))
    }
}
