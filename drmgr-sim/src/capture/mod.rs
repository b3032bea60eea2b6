//! Field truth: drmgr-sim held against a capture recorded by `dlpar_capture` on a
//! real host (AIX drmgr, powerpc-utils' drmgr) or under drmgr-sim itself, and
//! scripts run with exactly the invocations a capture recorded.
//!
//! * [`Comparer::compare`] (`drmgr-sim compare CAPTURE…`) sorts the recorded
//!   invocations into operations, infers each (family and resource, the `DR_*`
//!   values, FORCE, a failed kernel step; or the hooks' migration with its retries,
//!   the processor counts), installs the real `dlpar_capture` binary under every
//!   recorded instance name with the recorded experiments, runs the same operation
//!   through drmgr-sim's repository and operation layers or its powerpc-utils hooks,
//!   and compares what its instances recorded with the capture, point by point
//!   ([`Point`]).
//! * [`replay`] (`drmgr-sim replay CAPTURE -- SCRIPT`) runs another script with the
//!   recorded invocations.
//!
//! ```no_run
//! use drmgr_sim::capture::{Agreement, Comparer};
//!
//! let comparison = Comparer::new("target/debug/dlpar_capture").compare_file("capture.jsonl")?;
//! for point in comparison.points().filter(|p| p.agreement == Agreement::Mismatch) {
//!     eprintln!("{}: capture {} / drmgr-sim {}", point.aspect, point.capture, point.simulated);
//! }
//! print!("{}", comparison.render());
//! # Ok::<(), drmgr_sim::capture::CompareError>(())
//! ```

mod compare;
mod experiment;
mod infer;
mod point;
mod replay;
mod report;
mod rules;
mod simulate;

use std::path::{Path, PathBuf};

use dlpar_capture::read::{Capture, ReadError, Run};
use dlpar_capture::record::HostKind;
use dlpar_script::hook::DrcType;

pub use point::{Agreement, Aspect, Point, Rule};
pub use replay::{Replay, ReplayOptions, Replayed, replay};
pub use report::to_json;

use infer::{Episode, Recorded};
use rules::Host;
use simulate::Simulator;

use crate::linux::LinuxOp;
use crate::operation::OperationError;
use crate::runner::Runner;

/// Why a capture could not be compared (or replayed) at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CompareError {
    /// The capture could not be read: truncated, of a newer schema, not a capture.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Nothing in the capture is an operation drmgr-sim can run.
    #[error("{0}: no operation drmgr-sim can run again ({1})")]
    NothingToCompare(String, String),
    /// The `dlpar_capture` binary is missing or cannot be copied.
    #[error(
        "the capture script {0} cannot be used ({1}): build it (cargo build --release -p dlpar-capture) or name it \
         with --capture-bin"
    )]
    CaptureBin(PathBuf, String),
    /// A capture instance (or the script to replay) could not be installed in the
    /// temporary repository.
    #[error("installing {0} in drmgr-sim's temporary repository failed: {1}")]
    Install(String, String),
    /// The temporary directories could not be made.
    #[error("preparing drmgr-sim's run failed: {0}")]
    Setup(String),
    /// The operation could not be run.
    #[error(transparent)]
    Operation(#[from] OperationError),
    /// What the simulated instances wrote could not be read.
    #[error("the records drmgr-sim's capture instances wrote cannot be read: {0}")]
    Simulated(String),
}

/// One recorded operation compared: an entry of [`Comparison::operations`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Compared {
    /// `aix` or `hook`.
    pub host: &'static str,
    /// The operation as drmgr-sim ran it, in words.
    pub operation: String,
    /// What the capture does not say and was assumed.
    pub assumed: Vec<String>,
    /// The points, the sequence first.
    pub points: Vec<Point>,
}

/// A capture file compared with drmgr-sim.
///
/// ```no_run
/// use drmgr_sim::capture::{Agreement, Comparer};
///
/// let comparison = Comparer::new("target/release/dlpar_capture").compare_file("capture.jsonl")?;
/// println!("{} of {} points mismatch", comparison.count(Agreement::Mismatch), comparison.points().count());
/// assert_eq!(comparison.agrees(), comparison.count(Agreement::Mismatch) == 0);
/// # Ok::<(), drmgr_sim::capture::CompareError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Comparison {
    /// The capture file.
    pub source: String,
    /// Each recorded operation.
    pub operations: Vec<Compared>,
    /// Recorded invocations that belong to no operation drmgr-sim can run, with why.
    pub unplaced: Vec<(String, String)>,
}

impl Comparison {
    /// Every point, operation by operation.
    pub fn points(&self) -> impl Iterator<Item = &Point> {
        self.operations.iter().flat_map(|op| &op.points)
    }

    /// How many points have this agreement.
    pub fn count(&self, agreement: Agreement) -> usize {
        self.points().filter(|p| p.agreement == agreement).count()
    }

    /// Whether nothing mismatches.
    pub fn agrees(&self) -> bool {
        self.count(Agreement::Mismatch) == 0
    }
}

/// Compares captures with drmgr-sim, running the real `dlpar_capture` binary.
///
/// ```
/// use std::time::Duration;
/// use drmgr_sim::Runner;
/// use drmgr_sim::capture::Comparer;
///
/// let comparer = Comparer::new("target/release/dlpar_capture").runner(Runner::new().grace(Duration::from_secs(1)));
/// let error = comparer.compare_file("/nonexistent/capture.jsonl").unwrap_err();
/// assert!(error.to_string().starts_with("/nonexistent/capture.jsonl: cannot read the capture"));
/// ```
#[derive(Debug, Clone)]
pub struct Comparer {
    capture_bin: PathBuf,
    runner: Runner,
}

impl Comparer {
    /// The name of the capture script's binary, which [`Comparer::find_capture_bin`]
    /// looks for.
    pub const CAPTURE_BIN: &'static str = "dlpar_capture";

    /// A comparer that installs copies of `capture_bin` as capture instances, with
    /// a default [`Runner`].
    pub fn new(capture_bin: impl Into<PathBuf>) -> Comparer {
        Comparer { capture_bin: capture_bin.into(), runner: Runner::new() }
    }

    /// Starts drmgr-sim's scripts with `runner` (working directory, default time
    /// limit, grace period); compare adds `DLPAR_CAPTURE_FILE` and `LANG`.
    pub fn runner(mut self, runner: Runner) -> Comparer {
        self.runner = runner;
        self
    }

    /// The `dlpar_capture` binary in `dir` (by default the directory of the running
    /// executable, where cargo puts the workspace's binaries), or why it is not there.
    ///
    /// ```
    /// let error = drmgr_sim::capture::Comparer::find_capture_bin(Some("/nonexistent".as_ref())).unwrap_err();
    /// assert!(error.to_string().contains("/nonexistent/dlpar_capture"));
    /// ```
    pub fn find_capture_bin(dir: Option<&Path>) -> Result<PathBuf, CompareError> {
        let dir = match dir {
            Some(dir) => dir.to_owned(),
            None => {
                std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf)).unwrap_or_default()
            }
        };
        let bin = dir.join(Comparer::CAPTURE_BIN);
        match std::fs::metadata(&bin) {
            Ok(meta) if meta.is_file() => Ok(bin),
            Ok(_) => Err(CompareError::CaptureBin(bin, "not a file".to_owned())),
            Err(e) => Err(CompareError::CaptureBin(bin, e.to_string())),
        }
    }

    /// Reads the capture file at `path` and compares it.
    pub fn compare_file(&self, path: impl AsRef<Path>) -> Result<Comparison, CompareError> {
        let path = path.as_ref();
        self.compare(&Capture::read_file(path)?, &path.display().to_string())
    }

    /// Compares `capture` (called `source` in the result) with drmgr-sim.
    pub fn compare(&self, capture: &Capture, source: &str) -> Result<Comparison, CompareError> {
        if !self.capture_bin.is_file() {
            return Err(CompareError::CaptureBin(self.capture_bin.clone(), "no such file".to_owned()));
        }
        let runs = capture.runs();
        let instances = instances(&runs);
        let hooks = hook_instances(&runs);
        let inferred = infer::infer(runs);
        let unplaced: Vec<(String, String)> = inferred
            .unplaced
            .iter()
            .zip(compare::labels(&inferred.unplaced.iter().map(|(run, _)| run.clone()).collect::<Vec<_>>()))
            .map(|((_, why), label)| (label, why.clone()))
            .collect();
        if inferred.episodes.is_empty() {
            let why =
                unplaced.first().map_or_else(|| "no invocation recorded".to_owned(), |(l, w)| format!("{l}: {w}"));
            return Err(CompareError::NothingToCompare(source.to_owned(), why));
        }
        let simulator = Simulator { capture_bin: &self.capture_bin, runner: &self.runner };
        let mut operations = Vec::new();
        for episode in &inferred.episodes {
            let simulated = simulator.run(episode, &instances, &hooks)?;
            let theirs = simulated.capture.as_ref().map(Capture::runs).unwrap_or_default();
            let host = match episode.recorded {
                Recorded::Hook(..) => Host::Hook,
                Recorded::Install | Recorded::HookInstall | Recorded::Aix(_) => Host::Aix,
            };
            operations.push(Compared {
                host: match host {
                    Host::Aix => "aix",
                    Host::Hook => "hook",
                },
                operation: describe(episode),
                assumed: episode.assumed.clone(),
                points: compare::compare(host, &episode.runs, &theirs, &simulated.log),
            });
        }
        Ok(Comparison { source: source.to_owned(), operations, unplaced })
    }
}

/// A capture instance on AIX: its name and the owner its file had (the user and
/// group it ran as).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Instance {
    pub(crate) name: String,
    pub(crate) owner: (u32, u32),
}

/// The AIX capture instances of a capture: every name recorded, in order of
/// appearance (each registers every resource, so each takes part in every operation).
fn instances(runs: &[Run<'_>]) -> Vec<Instance> {
    let mut found: Vec<Instance> = Vec::new();
    for run in runs.iter().filter(|r| r.invocation.host == HostKind::Aix) {
        let inv = run.invocation;
        if !found.iter().any(|i| i.name == inv.installed_name) {
            found.push(Instance { name: inv.installed_name.clone(), owner: (inv.ids.euid, inv.ids.egid) });
        }
    }
    found
}

/// The hook instances of a capture, per DRC type.
fn hook_instances(runs: &[Run<'_>]) -> Vec<(DrcType, String)> {
    let mut found: Vec<(DrcType, String)> = Vec::new();
    for run in runs.iter().filter(|r| r.invocation.host == HostKind::Hook) {
        let inv = run.invocation;
        let Some(drc_type) = DrcType::ALL.iter().copied().find(|t| Some(t.as_str()) == inv.env_var(DrcType::VARIABLE))
        else {
            continue;
        };
        let entry = (drc_type, inv.installed_name.clone());
        if !found.contains(&entry) {
            found.push(entry);
        }
    }
    found
}

/// The operation as drmgr-sim runs it, in words.
fn describe(episode: &Episode<'_>) -> String {
    match &episode.recorded {
        Recorded::Install => "install (scriptinfo, register, usage)".to_owned(),
        Recorded::HookInstall => "install among the hooks (register only, as drmgr-sim linux install asks)".to_owned(),
        Recorded::Aix(op) => {
            let env: Vec<String> = op.env().iter().map(|(k, v)| format!("{k}={v}")).collect();
            let kernel = if op.kernel_fails() { ", the kernel step failing" } else { "" };
            format!("{} {}{kernel}: {}", op.family(), op.resource_word(), env.join(" "))
        }
        Recorded::Hook(LinuxOp::Migrate { not_suspendable, .. }, version) => {
            format!("linux migrate (powerpc-utils {version}), {not_suspendable} not-suspendable retries")
        }
        Recorded::Hook(op @ LinuxOp::Cpu { count, fail_kernel, .. }, version) => {
            let kernel = if *fail_kernel { ", the kernel step failing" } else { "" };
            format!("linux cpu {} --count {count} (powerpc-utils {version}){kernel}", op.action())
        }
    }
}
