//! The installed scripts one operation calls, and the one way it calls them.

use dlpar_script::protocol::{Command, Resource};

use crate::repository::{Repository, ScriptEntry};
use crate::runner::{Call, Runner, STATE_DIR};
use crate::trace::Invocation;

/// The scripts of one operation (a DLPAR operation or a Live Update), in call order,
/// with the repository they live in, the runner that starts them and the observer
/// told of each invocation.
pub(crate) struct Roster<'a, F> {
    repo: &'a Repository,
    runner: &'a Runner,
    scripts: Vec<ScriptEntry>,
    observe: F,
}

impl<'a, F: FnMut(&Invocation)> Roster<'a, F> {
    pub(crate) fn new(repo: &'a Repository, runner: &'a Runner, scripts: Vec<ScriptEntry>, observe: F) -> Self {
        Roster { repo, runner, scripts, observe }
    }

    /// How many scripts there are.
    pub(crate) fn len(&self) -> usize {
        self.scripts.len()
    }

    /// Whether there is none.
    pub(crate) fn is_empty(&self) -> bool {
        self.scripts.is_empty()
    }

    /// The installed name of script `i`.
    pub(crate) fn name(&self, i: usize) -> &str {
        &self.scripts[i].name
    }

    /// Runs `command resource` of script `i` with its recorded time limit, tells the
    /// observer, appends the invocation to `trace`; true when the phase counts it a
    /// success (exit 0 or 10).
    pub(crate) fn call(
        &mut self,
        i: usize,
        command: Command,
        resource: &Resource,
        env: &[(String, String)],
        trace: &mut Vec<Invocation>,
    ) -> bool {
        let entry = &self.scripts[i];
        let path = self.repo.script_path(entry);
        let limit = self.runner.time_limit(entry.timeout, entry.admin_timeout);
        let state_root = self.repo.root().join(STATE_DIR);
        let call = Call {
            name: &entry.name,
            path: &path,
            command,
            word: None,
            resource: Some(resource),
            env,
            whole_env: false,
            limit,
            state_root: Some(&state_root),
        };
        let invocation = Invocation::new(&call, self.runner.invoke(&call));
        (self.observe)(&invocation);
        let succeeded = invocation.succeeded();
        trace.push(invocation);
        succeeded
    }
}
