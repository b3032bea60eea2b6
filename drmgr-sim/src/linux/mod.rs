//! `drmgr-sim linux`: powerpc-utils' `drmgr` hooks on Linux on Power, run exactly
//! as its `run_hooks` does (docs/protocol.md §10).
//!
//! powerpc-utils runs the executables in `<hooks dir>/<DRC type>/`
//! (`/etc/drmgr.d/pmig/` since 1.3.11, `/etc/drmgr.d/cpu/` since 1.3.12) around a
//! partition migration and a processor change:
//!
//! * **Discovery** ([`list`]): every entry of the type directory whose `d_type` is
//!   a regular file or a link (an entry the filesystem reports as `DT_UNKNOWN`
//!   never runs), that `stat` — links followed — finds a regular file with the
//!   owner-execute bit, in `versionsort` order ([`version_cmp`]). A missing type
//!   directory means no hooks, and success.
//! * **Each hook** runs alone, with no arguments, in `/`, with an environment of
//!   exactly `DRC_TYPE`, `PHASE`, `ACTION` and `DRC_COUNT` (1.3.11: `DRC_TYPE` and
//!   `PHASE` only), drmgr's signal mask ([`UNBLOCKED`] are the only signals not
//!   blocked), drmgr's stdin, stdout and stderr, drmgr's process group, and no
//!   time limit. Every hook of a phase runs even after one failed; an exit by a
//!   signal counts as a failure.
//! * **Migration** ([`LinuxOp::Migrate`]): `check` (a failure vetoes, and then
//!   `undocheck` runs for every hook), `pre` (again on each "not suspendable"
//!   retry), the migration, `post` (always, even after a failed migration).
//!   `DRC_COUNT=0`. Only `check` decides anything.
//! * **Processors** ([`LinuxOp::Cpu`]): `pre` with the requested count, the kernel
//!   step, `post` with the count actually changed, even after a failure. No check
//!   phase; hook results are reported and ignored.
//!
//! What the simulator adds, each a deliberate difference with its own switch:
//!
//! * a hooks directory that does not exist, is not a directory or holds neither
//!   `cpu/` nor `pmig/` is an error ([`HooksError`]), so that a test cannot pass
//!   against a mistyped one (powerpc-utils treats a missing `/etc/drmgr.d` as no
//!   hooks);
//! * `DLPAR_STATE_DIR=<hooks dir>/.state/<uid>` in every hook's environment, so that
//!   a hook built with dlpar-script keeps its phase state there and never under
//!   `/var` ([`Hooks::without_state_dir`] turns it off);
//! * [`Hooks::capture`]: the hooks' stdout and stderr become pipes read into the
//!   trace instead of drmgr-sim's own (for tests and `--json`);
//! * [`Hooks::timeout`]: SIGTERM, then SIGKILL, to the hook's pid (powerpc-utils
//!   waits for ever; the hook shares drmgr-sim's process group, so the group is not
//!   signalled, and SIGTERM stays pending in a hook that keeps drmgr's mask);
//! * [`Hooks::setenv`]: extra variables, for tests.
//!
//! ```
//! use std::os::unix::fs::PermissionsExt;
//! use drmgr_sim::Outcome;
//! use drmgr_sim::linux::{Hooks, LinuxOp};
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::create_dir(dir.path().join("pmig"))?;
//! let hook = dir.path().join("pmig/10-guard");
//! std::fs::write(&hook, "#!/bin/sh\n[ \"$PHASE\" != check ] || { echo 'backup running' >&2; exit 1; }\n")?;
//! std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))?;
//!
//! let trace = Hooks::new(dir.path()).capture(true).run(&LinuxOp::migrate())?;
//! assert_eq!(trace.outcome, Outcome::Vetoed);
//! let phases: Vec<String> = trace.runs().map(|r| format!("{} {}", r.phase, r.hook)).collect();
//! assert_eq!(phases, ["check 10-guard", "undocheck 10-guard"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod discover;
mod error;
mod install;
mod sequence;
mod signals;
mod trace;
mod versionsort;

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use discover::{HookEntry, Listing, Skip, list};
pub use dlpar_script::hook::{DrcType, HookAction, HookPhase};
pub use error::HooksError;
pub use install::{InstallError, Placed, install};
pub(crate) use signals::drmgr_mask;
pub use signals::{UNBLOCKED, block_as_drmgr};
pub(crate) use trace::write_run;
pub use trace::{HookRun, HookTrace, Step};
pub use versionsort::version_cmp;

use crate::runner::Runner;

/// The variables powerpc-utils sets for a hook, in the order it sets them
/// (common.c:1621-1625); no extra variable may replace one.
pub const HOOK_VARIABLES: [&str; 4] =
    [DrcType::VARIABLE, dlpar_script::hook::Hook::COUNT, HookAction::VARIABLE, HookPhase::VARIABLE];

/// The powerpc-utils release whose behaviour is simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PowerpcUtils {
    /// 1.3.11: migration hooks only, which get `DRC_TYPE` and `PHASE` only.
    V1_3_11,
    /// 1.3.12 and later: migration and processor hooks, with `DRC_TYPE`, `PHASE`,
    /// `ACTION`, `DRC_COUNT`.
    #[default]
    V1_3_12,
}

impl PowerpcUtils {
    /// Whether this release runs hooks for `drc_type`: 1.3.11 calls `run_hooks`
    /// only around a migration (src/drmgr/drmig_chrp_pmig.c); the processor calls
    /// (drslot_chrp_cpu.c:445, 460) arrived in 1.3.12.
    pub fn runs_hooks_for(self, drc_type: DrcType) -> bool {
        self != PowerpcUtils::V1_3_11 || drc_type == DrcType::Pmig
    }

    /// `1.3.11` or `1.3.12`.
    pub fn as_str(self) -> &'static str {
        match self {
            PowerpcUtils::V1_3_11 => "1.3.11",
            PowerpcUtils::V1_3_12 => "1.3.12",
        }
    }
}

impl fmt::Display for PowerpcUtils {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A hooks directory and how its hooks are started.
#[derive(Debug, Clone)]
pub struct Hooks {
    dir: PathBuf,
    version: PowerpcUtils,
    timeout: Option<Duration>,
    grace: Duration,
    capture: bool,
    state_dir: bool,
    extra_env: Vec<(OsString, OsString)>,
}

impl Hooks {
    /// Where powerpc-utils looks for hooks.
    pub const DEFAULT_DIR: &'static str = "/etc/drmgr.d";
    /// The working directory of every hook.
    pub const WORKDIR: &'static str = "/";

    /// The hooks under `dir` (one subdirectory per DRC type), as 1.3.12 runs them.
    /// A relative `dir` means the caller's directory (hooks run in `/`).
    pub fn new(dir: impl Into<PathBuf>) -> Hooks {
        let dir = dir.into();
        Hooks {
            dir: std::path::absolute(&dir).unwrap_or(dir),
            version: PowerpcUtils::default(),
            timeout: None,
            grace: Runner::DEFAULT_GRACE,
            capture: false,
            state_dir: true,
            extra_env: Vec::new(),
        }
    }

    /// The powerpc-utils release to behave as.
    pub fn powerpc_utils(mut self, version: PowerpcUtils) -> Hooks {
        self.version = version;
        self
    }

    /// Ends a hook still running after `limit`: SIGTERM to it, SIGKILL after the
    /// grace period. **A simulator addition**: powerpc-utils waits for every hook
    /// however long it takes. The hook shares drmgr-sim's process group, so only
    /// its pid is signalled (what it started is left running), and a hook that
    /// keeps drmgr's mask has SIGTERM blocked: only SIGKILL ends it.
    pub fn timeout(mut self, limit: Duration) -> Hooks {
        self.timeout = Some(limit);
        self
    }

    /// The time between SIGTERM and SIGKILL (default [`Runner::DEFAULT_GRACE`]).
    pub fn grace(mut self, grace: Duration) -> Hooks {
        self.grace = grace;
        self
    }

    /// Reads the hooks' stdout and stderr through pipes into the trace
    /// ([`HookRun::stdout`]) instead of leaving them drmgr-sim's own. **A simulator
    /// addition**, for tests and JSON traces: powerpc-utils' hooks write to drmgr's
    /// own stdout and stderr.
    pub fn capture(mut self, capture: bool) -> Hooks {
        self.capture = capture;
        self
    }

    /// Leaves `DLPAR_STATE_DIR` out: hooks get exactly the powerpc-utils
    /// variables. By default every hook also gets
    /// `DLPAR_STATE_DIR=<hooks dir>/.state/<uid>` (made mode 0700 when missing;
    /// `.state` is not a DRC type, so powerpc-utils never looks there), as `run`
    /// gives scripts a state directory in the repository, so that a hook built with
    /// dlpar-script never writes the system's state directory (as root,
    /// `/var/dlpar-script/state`). A `DLPAR_STATE_DIR` given with [`Hooks::setenv`]
    /// takes its place.
    pub fn without_state_dir(mut self) -> Hooks {
        self.state_dir = false;
        self
    }

    /// Adds a variable to every hook's environment. **A simulator-only test aid**:
    /// powerpc-utils clears the environment to the four hook variables, which
    /// this cannot replace ([`Hooks::run`] refuses them: [`HooksError::HookVariable`]).
    /// The extra variables come after the hook variables.
    pub fn setenv(mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> Hooks {
        self.extra_env.push((name.into(), value.into()));
        self
    }

    /// The hooks directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The directory of one DRC type's hooks.
    pub fn type_dir(&self, drc_type: DrcType) -> PathBuf {
        self.dir.join(drc_type.as_str())
    }

    /// Whether the hooks directory can be one: it exists, is a directory and holds
    /// a `cpu` or `pmig` directory. **A simulator rule**: powerpc-utils treats a
    /// missing directory as no hooks, which would let a test pass against a
    /// mistyped path.
    pub fn check(&self) -> Result<(), HooksError> {
        self.check_exists()?;
        let has_type = [DrcType::Cpu, DrcType::Pmig].iter().any(|t| self.type_dir(*t).is_dir());
        match has_type {
            true => Ok(()),
            false => Err(HooksError::NoTypeDir { dir: self.dir.clone() }),
        }
    }

    /// Whether the hooks directory exists and is a directory (what install needs:
    /// it creates the type directories, never the hooks directory).
    pub fn check_exists(&self) -> Result<(), HooksError> {
        match std::fs::metadata(&self.dir) {
            Ok(meta) if meta.is_dir() => Ok(()),
            Ok(_) => Err(HooksError::NotADir { dir: self.dir.clone() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(HooksError::NoDir { dir: self.dir.clone() }),
            Err(source) => Err(HooksError::Unreadable { dir: self.dir.clone(), source }),
        }
    }
}

/// A processor change: `add` or `remove`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpuAction {
    /// Processors are added.
    Add,
    /// Processors are removed.
    Remove,
}

/// One operation powerpc-utils runs hooks around.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinuxOp {
    /// A partition migration (`pmig` hooks).
    Migrate {
        /// The migration fails (after `pre`; `post` still runs).
        fail: bool,
        /// How many times the partition reports "not suspendable" before the
        /// migration proceeds; `pre` runs once more for each.
        not_suspendable: u32,
    },
    /// A processor change (`cpu` hooks).
    Cpu {
        /// Add or remove.
        action: CpuAction,
        /// How many processors are asked for.
        count: u32,
        /// The kernel step fails: no processor changes (`post` sees `DRC_COUNT=0`).
        fail_kernel: bool,
    },
}

impl LinuxOp {
    /// The most "not suspendable" retries simulated (a project decision: each is a
    /// second's pause on a real partition, and powerpc-utils retries for ever).
    pub const MAX_RETRIES: u32 = 1000;
    /// The largest processor count: powerpc-utils keeps it in a C `int` and
    /// formats `DRC_COUNT` with `%d`.
    pub const MAX_COUNT: u32 = i32::MAX as u32;

    /// Whether the counts are in range: at most [`LinuxOp::MAX_RETRIES`] retries, a
    /// processor count from 1 to [`LinuxOp::MAX_COUNT`].
    pub fn check(&self) -> Result<(), HooksError> {
        let (what, value, range) = match *self {
            LinuxOp::Migrate { not_suspendable, .. } => {
                ("not suspendable retries", not_suspendable, 0..=LinuxOp::MAX_RETRIES)
            }
            LinuxOp::Cpu { count, .. } => ("processor count", count, 1..=LinuxOp::MAX_COUNT),
        };
        match range.contains(&value) {
            true => Ok(()),
            false => Err(HooksError::OutOfRange { what, value, min: *range.start(), max: *range.end() }),
        }
    }

    /// A migration that succeeds at the first attempt.
    pub fn migrate() -> LinuxOp {
        LinuxOp::Migrate { fail: false, not_suspendable: 0 }
    }

    /// The hooks' `DRC_TYPE`.
    pub fn drc_type(&self) -> DrcType {
        match self {
            LinuxOp::Migrate { .. } => DrcType::Pmig,
            LinuxOp::Cpu { .. } => DrcType::Cpu,
        }
    }

    /// The hooks' `ACTION`.
    pub fn action(&self) -> HookAction {
        match self {
            LinuxOp::Migrate { .. } => HookAction::Migrate,
            LinuxOp::Cpu { action: CpuAction::Add, .. } => HookAction::Add,
            LinuxOp::Cpu { action: CpuAction::Remove, .. } => HookAction::Remove,
        }
    }
}
