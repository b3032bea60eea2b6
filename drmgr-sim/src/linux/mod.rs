//! `drmgr-sim linux`: powerpc-utils' `drmgr` hooks on Linux on Power, run exactly
//! as its `run_hooks` does (docs/protocol.md §10).
//!
//! powerpc-utils (since 1.3.11) runs the executables in `<hooks dir>/<DRC type>/`
//! (`/etc/drmgr.d/pmig/`, `/etc/drmgr.d/cpu/`) around a partition migration and a
//! processor change:
//!
//! * **Discovery** ([`list`]): every entry of the type directory, links followed,
//!   that is a regular file with the owner-execute bit, in `versionsort` order
//!   ([`version_cmp`]). A missing directory means no hooks, and success.
//! * **Each hook** runs alone, with no arguments, in `/`, with an environment of
//!   exactly `DRC_TYPE`, `PHASE`, `ACTION` and `DRC_COUNT` (1.3.11: `DRC_TYPE` and
//!   `PHASE` only), and no time limit. Every hook of a phase runs even after one
//!   failed; an exit by a signal counts as a failure.
//! * **Migration** ([`LinuxOp::Migrate`]): `check` (a failure vetoes, and then
//!   `undocheck` runs for every hook), `pre` (again on each "not suspendable"
//!   retry), the migration, `post` (always, even after a failed migration).
//!   `DRC_COUNT=0`. Only `check` decides anything.
//! * **Processors** ([`LinuxOp::Cpu`]): `pre` with the requested count, the kernel
//!   step, `post` with the count actually changed, even after a failure. No check
//!   phase; hook results are reported and ignored.
//!
//! Two simulator additions, off unless asked for: [`Hooks::timeout`] (SIGTERM, then
//! SIGKILL, to the hook's process group; powerpc-utils has no time limit) and
//! [`Hooks::setenv`] (extra variables, for tests). Hooks always lead their own
//! process group, so that a time-out ends what they started. Their stdout and
//! stderr (which powerpc-utils leaves on its terminal or log) are captured,
//! bounded, into the trace.
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
//! let trace = Hooks::new(dir.path()).run(&LinuxOp::migrate());
//! assert_eq!(trace.outcome, Outcome::Vetoed);
//! let phases: Vec<String> = trace.runs().map(|r| format!("{} {}", r.phase, r.hook)).collect();
//! assert_eq!(phases, ["check 10-guard", "undocheck 10-guard"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod discover;
mod install;
mod sequence;
mod trace;
mod versionsort;

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use discover::{HookEntry, Listing, Skip, list};
pub use dlpar_script::hook::{DrcType, HookAction, HookPhase};
pub use install::{InstallError, Placed, install};
pub(crate) use trace::write_run;
pub use trace::{HookRun, HookTrace, Step};
pub use versionsort::version_cmp;

use crate::runner::Runner;

/// The powerpc-utils release whose behaviour is simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PowerpcUtils {
    /// 1.3.11: hooks get `DRC_TYPE` and `PHASE` only.
    V1_3_11,
    /// 1.3.12 and later: `DRC_TYPE`, `PHASE`, `ACTION`, `DRC_COUNT`.
    #[default]
    V1_3_12,
}

impl PowerpcUtils {
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
            extra_env: Vec::new(),
        }
    }

    /// The powerpc-utils release to behave as.
    pub fn powerpc_utils(mut self, version: PowerpcUtils) -> Hooks {
        self.version = version;
        self
    }

    /// Ends a hook still running after `limit`: SIGTERM to its process group,
    /// SIGKILL after the grace period. **A simulator addition**: powerpc-utils
    /// waits for every hook however long it takes.
    pub fn timeout(mut self, limit: Duration) -> Hooks {
        self.timeout = Some(limit);
        self
    }

    /// The time between SIGTERM and SIGKILL (default [`Runner::DEFAULT_GRACE`]).
    pub fn grace(mut self, grace: Duration) -> Hooks {
        self.grace = grace;
        self
    }

    /// Adds a variable to every hook's environment. **A simulator-only test aid**:
    /// powerpc-utils clears the environment to the four hook variables.
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
