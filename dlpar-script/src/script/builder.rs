use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::dispatch::{Env, Launch};
use super::handler::{Handler, name_of};
use super::metadata::{InvalidScript, Problem, ScriptInfo, check_date, check_text};
use super::{Context, Target};
use crate::error::Result;
use crate::event::EventType;
use crate::logging::Syslog;
use crate::protocol::{Command, Resource};

/// A DLPAR script: its metadata, its resources and its handlers.
///
/// This is the plain API the `main!` macro expands to; it needs no macros.
///
/// ```
/// use dlpar_script::prelude::*;
///
/// fn keep_cpu0(ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
///     if ev.bcpuid == Some(0) {
///         return Err(Error::refuse("CPU 0 runs the licence daemon"));
///     }
///     Ok(())
/// }
///
/// let script = Script::new("Acme", "Acme DB follows CPU changes")
///     .version(1)
///     .date("22112026")
///     .timeout(30)
///     .resource(Resource::Cpu, "Acme DB worker threads are bound to processors")
///     .on(Command::CheckRelease, Resource::Cpu, keep_cpu0);
///
/// let answer = dlpar_script::testing::invoke_with_env(&script, ["checkrelease", "cpu"], [("DR_BCPUID", "0")]);
/// assert_eq!(answer.exit, 1);
/// assert_eq!(answer.stdout, "DR_ERROR=\"CPU 0 runs the licence daemon\"\n");
/// // In a real binary: fn main() -> std::process::ExitCode { script.run() }
/// ```
#[derive(Debug)]
pub struct Script {
    pub(crate) name: Option<String>,
    pub(crate) vendor: String,
    pub(crate) info: String,
    pub(crate) version: Option<u32>,
    pub(crate) date: Option<String>,
    pub(crate) timeout: Option<u32>,
    pub(crate) resources: Vec<(Resource, String)>,
    pub(crate) handlers: Vec<Handler>,
    pub(crate) state_dir: Option<PathBuf>,
    pub(crate) state_max_age: Duration,
    pub(crate) syslog: Option<Syslog>,
    pub(crate) watchdog: bool,
    pub(crate) hooks: bool,
    pub(crate) hook_undocheck: bool,
}

impl Script {
    /// A script from its vendor (`DR_VENDOR`) and one-line description (`DR_SCRIPTINFO`).
    pub fn new(vendor: impl Into<String>, info: impl Into<String>) -> Script {
        Script {
            name: None,
            vendor: vendor.into(),
            info: info.into(),
            version: None,
            date: None,
            timeout: None,
            resources: Vec::new(),
            handlers: Vec::new(),
            state_dir: None,
            state_max_age: Duration::from_secs(24 * 3600),
            syslog: None,
            watchdog: true,
            hooks: true,
            hook_undocheck: false,
        }
    }

    /// The script's name, used in messages and to key phase state. By default it
    /// is the file name the process was started as (argv\[0\]).
    pub fn name(mut self, name: impl Into<String>) -> Script {
        self.name = Some(name.into());
        self
    }

    /// `DR_VERSION` (required).
    pub fn version(mut self, version: u32) -> Script {
        self.version = Some(version);
        self
    }

    /// `DR_DATE`, 8 digits (required). IBM documents DDMMYYYY.
    pub fn date(mut self, date: impl Into<String>) -> Script {
        self.date = Some(date.into());
        self
    }

    /// `DR_TIMEOUT` in seconds: how long one command may take before drmgr ends it.
    pub fn timeout(mut self, seconds: u32) -> Script {
        self.timeout = Some(seconds);
        self
    }

    /// Registers a resource with the text `usage RES` answers: what the
    /// application does with it, specific enough for an administrator to decide
    /// whether to install the script.
    pub fn resource(mut self, resource: Resource, usage: impl Into<String>) -> Script {
        self.resources.push((resource, usage.into()));
        self
    }

    /// Adds a handler for `command` on `target`.
    ///
    /// The handler's first parameter says which event it takes: [`CpuEvent`],
    /// [`MemEvent`], [`CapacityEvent`] or [`WeightEvent`] for exactly that resource,
    /// or the general [`Event`] for a custom resource or [`Target::AnyResource`].
    /// Mismatches are reported by [`Script::validate`].
    ///
    /// [`CpuEvent`]: crate::event::CpuEvent
    /// [`MemEvent`]: crate::event::MemEvent
    /// [`CapacityEvent`]: crate::event::CapacityEvent
    /// [`WeightEvent`]: crate::event::WeightEvent
    /// [`Event`]: crate::event::Event
    ///
    /// The handler's name (in `DR_ERROR` lines such as "handler keep_cpu0
    /// panicked", and in [`Script::validate`]'s messages) is taken from its Rust type,
    /// which std does not promise to keep stable across compiler releases; give it
    /// with [`Script::on_named`] where the text matters (snapshots, logs parsed by
    /// tools). `main!` always names handlers after their functions.
    pub fn on<E, F>(self, command: Command, target: impl Into<Target>, handler: F) -> Script
    where
        E: EventType,
        F: Fn(&E, &mut Context) -> Result<()> + 'static,
    {
        self.on_named(command, target, name_of::<F>(), handler)
    }

    /// Like [`Script::on`], with the handler's name given: the name `DR_ERROR` lines
    /// and validation messages use.
    ///
    /// ```
    /// use dlpar_script::prelude::*;
    ///
    /// let script = Script::new("Acme", "Acme pool")
    ///     .version(1)
    ///     .date("22112026")
    ///     .resource(Resource::Mem, "Acme pool follows memory")
    ///     .on_named(Command::PreRelease, Resource::Mem, "shrink_pool", |_: &MemEvent, _: &mut Context| -> Result<()> {
    ///         panic!("pool locked")
    ///     });
    /// let answer = dlpar_script::testing::invoke(&script, ["prerelease", "mem"]);
    /// assert_eq!(answer.stdout, "DR_ERROR=\"handler shrink_pool panicked: pool locked\"\n");
    /// ```
    pub fn on_named<E, F>(
        mut self,
        command: Command,
        target: impl Into<Target>,
        name: impl Into<String>,
        handler: F,
    ) -> Script
    where
        E: EventType,
        F: Fn(&E, &mut Context) -> Result<()> + 'static,
    {
        self.handlers.push(Handler::new(command, target.into(), name.into(), handler));
        self
    }

    /// Where phase state is kept, instead of the default directory of the user the
    /// script runs as (`/var/dlpar-script/state` for root, `~/.dlpar-script/state`
    /// for others; see [the default directory](crate::state#the-default-directory)).
    /// An absolute path; the environment variable `DLPAR_STATE_DIR`, when set, takes
    /// precedence (for tests and simulation). `main!` has it as the `state_dir` key.
    pub fn state_dir(mut self, dir: impl Into<PathBuf>) -> Script {
        self.state_dir = Some(dir.into());
        self
    }

    /// How old saved phase state may be before it counts as left by an operation
    /// that never finished: 24 hours unless set. Hibernation is exempt: a
    /// partition may stay suspended for any time.
    pub fn state_max_age(mut self, max_age: Duration) -> Script {
        self.state_max_age = max_age;
        self
    }

    /// Also sends each shown log line to the local syslog daemon as `ident`
    /// (facility `user`; characters other than letters, digits, `-`, `_` and `.`
    /// become `_`). Off unless set; see [`logging`](crate::logging#where-lines-go).
    #[cfg(feature = "syslog")]
    #[cfg_attr(docsrs, doc(cfg(feature = "syslog")))]
    pub fn syslog(mut self, ident: &str) -> Script {
        self.syslog = Some(Syslog::new(ident));
        self
    }

    /// Whether [`Script::run`] answers `DR_ERROR` and exits shortly before the
    /// declared timeout when a handler is still running (on unless turned off);
    /// see [`watchdog`](crate::watchdog).
    pub fn watchdog(mut self, on: bool) -> Script {
        self.watchdog = on;
        self
    }

    /// Whether a start without arguments, with `PHASE` and `DRC_TYPE` in the
    /// environment, answers as a powerpc-utils hook (on unless turned off); see
    /// [`hook`](crate::hook). Off, such a start is the AIX protocol's
    /// "missing command" error.
    pub fn hooks(mut self, on: bool) -> Script {
        self.hooks = on;
        self
    }

    /// Whether a hook's `PHASE=undocheck` runs the `undopremigrate` handler (off
    /// unless turned on: an AIX script's check changes nothing, so there is nothing
    /// to undo); see [the mapping](crate::hook#the-mapping-a-project-decision).
    pub fn hook_undocheck(mut self, on: bool) -> Script {
        self.hook_undocheck = on;
        self
    }

    /// Checks the metadata and the handler table, reporting every problem at once.
    pub fn validate(&self) -> std::result::Result<(), InvalidScript> {
        let mut problems = Vec::new();
        self.validate_metadata(&mut problems);
        self.validate_handlers(&mut problems);
        if problems.is_empty() { Ok(()) } else { Err(InvalidScript(problems)) }
    }

    fn validate_metadata(&self, problems: &mut Vec<Problem>) {
        if let Some(name) = &self.name
            && (name.is_empty() || name.contains('/'))
        {
            problems.push(Problem::BadName(name.clone()));
        }
        check_text("DR_VENDOR", &self.vendor, problems);
        check_text("DR_SCRIPTINFO", &self.info, problems);
        if self.version.is_none() {
            problems.push(Problem::Missing("DR_VERSION"));
        }
        match &self.date {
            None => problems.push(Problem::Missing("DR_DATE")),
            Some(date) => check_date(date, problems),
        }
        match self.timeout {
            Some(0) => problems.push(Problem::ZeroTimeout),
            Some(seconds) if seconds > ScriptInfo::MAX_TIMEOUT => problems.push(Problem::TimeoutTooLong(seconds)),
            _ => {}
        }
        for (i, (resource, usage)) in self.resources.iter().enumerate() {
            if self.resources[..i].iter().any(|(r, _)| r == resource) {
                problems.push(Problem::DuplicateResource(resource.to_string()));
            }
            check_text(format_args!("DR_USAGE of {resource}"), usage, problems);
        }
    }

    fn validate_handlers(&self, problems: &mut Vec<Problem>) {
        for (i, h) in self.handlers.iter().enumerate() {
            // Built only for a problem: a valid script is checked on every command.
            let command = || h.command.as_str().to_owned();
            if h.command.is_install() {
                problems.push(Problem::InstallHandler(command()));
                continue;
            }
            if let Some(first) = self.handlers[..i].iter().find(|o| o.command == h.command && o.target == h.target) {
                problems.push(Problem::DuplicateHandler {
                    command: command(),
                    target: h.target.to_string(),
                    first: first.name.clone(),
                    second: h.name.clone(),
                });
            }
            if let Some(expects) = &h.expects
                && h.target != Target::Resource(expects.clone())
            {
                problems.push(Problem::WrongEventType {
                    handler: h.name.clone(),
                    expects: expects.to_string(),
                    target: h.target.to_string(),
                });
            }
            match self.registered_word(h) {
                None => problems.push(Problem::ResourceRequired { handler: h.name.clone(), command: command() }),
                Some(word) if !self.resources.iter().any(|(r, _)| *r == word) => {
                    problems.push(Problem::UnregisteredResource { handler: h.name.clone(), resource: word.to_string() })
                }
                Some(_) => {}
            }
        }
        for (resource, _) in &self.resources {
            if !self.handlers.iter().any(|h| self.registered_word(h).as_ref() == Some(resource)) {
                problems.push(Problem::UnusedResource(resource.to_string()));
            }
        }
    }

    /// The resource a handler needs registered: its own, or its family's word.
    fn registered_word(&self, h: &Handler) -> Option<Resource> {
        match &h.target {
            Target::Resource(r) => Some(r.clone()),
            Target::AnyResource => h.command.family().resource_word().map(Resource::from_static),
        }
    }

    /// Answers the command on this process's command line and environment, writing
    /// the reply to stdout; returns the exit status for `main`.
    ///
    /// A handler still running shortly before the declared timeout, or sent
    /// `SIGTERM` by the host, is answered for by the [watchdog](crate::watchdog);
    /// when stdout is a terminal (a person runs the script by hand), log lines are
    /// also shown on stderr as they come.
    ///
    /// # Where a handler's own output goes
    ///
    /// stdout is the reply's alone. Before a handler runs, the reply takes a private,
    /// close-on-exec copy of stdout and fd 1 becomes a copy of stderr, so anything a
    /// handler writes to "stdout" — `println!`, `write(1, …)`, a locked
    /// `io::stdout()`, the output of a child process it starts — goes to stderr,
    /// which drmgr does not read as the reply. fd 1 stays that way until the
    /// process ends. (When the host gives a script one pipe for both stdout and
    /// stderr, that output still reaches the host, but never inside a `DR_*` line.)
    pub fn run(self) -> ExitCode {
        ExitCode::from(self.run_process(std::env::args_os().collect()))
    }

    /// Answers the command on `argv` as the script's own process: the process's
    /// environment, stdout, the watchdog, log lines on stderr for a terminal. A
    /// start without arguments may be a powerpc-utils hook ([`crate::hook`]).
    pub(crate) fn run_process(&self, argv: Vec<OsString>) -> u8 {
        if let Some(code) = super::hook::answer_process(self, &argv) {
            return code;
        }
        super::dispatch::run(self, argv, Env::Process, Launch::Process)
    }

    /// Answers one command: `argv` is the whole command line including the program
    /// name, `env` the environment (only `DR_*` names and `DLPAR_STATE_DIR` are
    /// read). The reply is written to `out` in one piece; the exit status is returned.
    ///
    /// This runs in the caller's process, so there is no [watchdog](crate::watchdog)
    /// (it would end the caller) and no copy of log lines to a terminal.
    pub fn run_with(
        &self,
        argv: impl IntoIterator<Item = impl AsRef<OsStr>>,
        env: impl IntoIterator<Item = (impl AsRef<OsStr>, impl AsRef<OsStr>)>,
        mut out: impl Write,
    ) -> u8 {
        let argv = argv.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let env = env.into_iter().map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned())).collect();
        super::dispatch::run(self, argv, Env::Given(env), Launch::InProcess(&mut out))
    }
}
