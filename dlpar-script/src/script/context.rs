use std::time::{Duration, Instant};

use crate::event::{Common, DetailLevel, DrEnv};
use crate::hook::Host;
use crate::logging::Sink;
use crate::protocol::{Command, Resource};
use crate::state::{State, Store};
use crate::wire::LogLevel;

/// What a handler knows about the command it is running.
///
/// ```
/// use dlpar_script::prelude::*;
/// use dlpar_script::testing::invoke_with_env;
///
/// fn check(_: &CpuEvent, cx: &mut Context) -> Result<()> {
///     assert_eq!(cx.command(), Command::CheckRelease);
///     assert!(cx.is_forced());
///     assert_eq!(cx.detail_level().get(), 3);
///     assert_eq!(cx.time_limit(), Some(std::time::Duration::from_secs(30)));
///     assert!(cx.time_left().unwrap() <= std::time::Duration::from_secs(30));
///     assert_eq!(cx.env().get("DR_BCPUID"), Some("1"));
///     Ok(())
/// }
///
/// let script = Script::new("Acme", "checks CPUs").version(1).date("22112026").timeout(30)
///     .resource(Resource::Cpu, "Acme DB binds threads to processors")
///     .on(Command::CheckRelease, Resource::Cpu, check);
/// let answer = invoke_with_env(&script, ["checkrelease", "cpu"],
///     [("DR_FORCE", "TRUE"), ("DR_DETAIL_LEVEL", "3"), ("DR_BCPUID", "1")]);
/// assert_eq!(answer.exit, 0, "{answer}");
/// ```
#[derive(Debug)]
pub struct Context {
    pub(crate) command: Command,
    pub(crate) resource: Option<Resource>,
    pub(crate) script: String,
    pub(crate) handler: String,
    pub(crate) common: Common,
    pub(crate) env: DrEnv,
    pub(crate) limit: Option<Duration>,
    pub(crate) started: Instant,
    pub(crate) log: Sink,
    pub(crate) store: Store,
    pub(crate) host: Host,
}

impl Context {
    /// The command being run.
    pub fn command(&self) -> Command {
        self.command
    }

    /// The resource word of the command line, when one was given and valid.
    pub fn resource(&self) -> Option<&Resource> {
        self.resource.as_ref()
    }

    /// The script's name (by default the file name it was started as).
    pub fn script_name(&self) -> &str {
        &self.script
    }

    /// The name of the running handler.
    pub fn handler_name(&self) -> &str {
        &self.handler
    }

    /// Whether the operator forced the operation (`DR_FORCE` true). Absent means not
    /// forced, as the protocol says; whether drmgr set the variable at all is in
    /// [`Common::decode`](crate::event::Common::decode) of [`Context::env`].
    pub fn is_forced(&self) -> bool {
        self.common.force.unwrap_or(false)
    }

    /// `DR_DETAIL_LEVEL`, clamped to 0..=5.
    pub fn detail_level(&self) -> DetailLevel {
        self.common.detail_level
    }

    /// Every `DR_*` variable of this invocation, including ones this crate does not know.
    pub fn env(&self) -> &DrEnv {
        &self.env
    }

    /// The script's declared time limit (`DR_TIMEOUT`), if any. The administrator may
    /// have set another one with `drmgr -w`, which the script cannot see.
    pub fn time_limit(&self) -> Option<Duration> {
        self.limit
    }

    /// When the declared time limit runs out, measured from the start of the process.
    pub fn deadline(&self) -> Option<Instant> {
        self.limit.map(|limit| self.started + limit)
    }

    /// Writes a `DR_LOG_EMERG` line: the system is unusable. Emergencies are never
    /// gated by `DR_DETAIL_LEVEL`, and are mirrored like the other log lines
    /// (see [`logging`](crate::logging)); `log` has no level for them, hence this call.
    ///
    /// ```
    /// use dlpar_script::prelude::*;
    ///
    /// let script = Script::new("Acme", "demo").version(1).date("22112026")
    ///     .resource(Resource::Mem, "Acme cache")
    ///     .on(Command::PreRelease, Resource::Mem, |_: &MemEvent, cx: &mut Context| {
    ///         cx.emerg("pinned pool lost");
    ///         Ok(())
    ///     });
    /// let answer = dlpar_script::testing::invoke(&script, ["prerelease", "mem"]);
    /// assert_eq!(answer.stdout, "DR_LOG_EMERG=\"pinned pool lost\"\n");
    /// ```
    pub fn emerg(&self, message: &str) {
        self.log.emit(LogLevel::Emerg, message);
    }

    /// Time left before the declared limit; zero once it has passed.
    pub fn time_left(&self) -> Option<Duration> {
        self.deadline().map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// Which host runs the script: AIX `drmgr`, or powerpc-utils running it as a
    /// hook, with the hook's variables ([`crate::hook`]).
    pub fn host(&self) -> Host {
        self.host
    }

    /// The phase state of this operation: what this handler saves, a later phase
    /// of the same operation (another process) loads. See [`state`](crate::state).
    pub fn state(&self) -> State<'_> {
        State { store: &self.store }
    }
}
