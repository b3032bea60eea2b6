//! AIX Live Update in the simulator: the `lvupdateSafeKE` work-alike
//! ([`safe_ke`]) and whole Live Update runs ([`LiveUpdate`]).
//!
//! # What a Live Update run does
//!
//! 1. **The safe kernel-extension check.** Each loaded kernel extension must be on
//!    the safe list (`<system root>/etc/liveupdate/lvup_safe_KE`, kept by
//!    `lvupdate-safe-ke`) or loaded with `SYS_LUSAFE`. Entries added with `-p` count
//!    for the preview only. `kext_check = no` in `lvupdate.data` bypasses the check.
//!    Each kernel extension that fails it is logged, by name, in
//!    `<system root>/var/adm/ras/liveupdate/logs/lvupdlog`, and the update stops
//!    before any DLPAR script runs.
//! 2. **The DLPAR notifications of IBM's timeline**, on the original and the
//!    surrogate partition, in the order and with the return-code rules of
//!    [`LuPhase`]: `DR_CHECK` (checked) on each side, `DR_PRE` for the applications
//!    (not checked) on each side, `DR_PRE` for the kernel (checked) on each side, the
//!    point of no return, `DR_POST` (not checked) on each side. When a checked phase
//!    fails, `DR_POST_ERROR` goes once to every script whose `premigrate` succeeded,
//!    in reverse order (the migrate family's undo rule, docs/protocol.md §7: a
//!    failure at `DR_CHECK` sends none), and the update stops.
//!
//! # The command words (a project decision)
//!
//! IBM does not document which command words DLPAR scripts receive during a Live
//! Update. drmgr-sim sends those of the migrate family, with its resource word
//! `pmig` (or the one [`LiveUpdate::resource`] names), to the scripts registered
//! for that word:
//!
//! | notification | command |
//! |---|---|
//! | `DR_CHECK` | `checkmigrate` |
//! | `DR_PRE` (applications) | `premigrate` |
//! | `DR_POST` | `postmigrate` |
//! | `DR_POST_ERROR` | `undopremigrate` |
//!
//! `DR_PRE` for the kernel notifies kernel extensions, not scripts; drmgr-sim
//! simulates it, and [`LiveUpdate::fail_at`] makes it (or the system's own part of
//! any other phase) fail. The scripts cannot tell the original from the surrogate
//! (no `DR_*` variable says which); the trace can.
//!
//! ```
//! use drmgr_sim::liveupdate::{LiveUpdate, LuPhase};
//! use drmgr_sim::{Outcome, Repository, Runner};
//!
//! let root = tempfile::tempdir()?;
//! let repo = Repository::new(root.path());
//! let trace = LiveUpdate::new(root.path())
//!     .loaded(["/usr/lib/drivers/acme_dd".parse()?])
//!     .fail_at(LuPhase::OrigPreKernel)
//!     .run(&repo, &Runner::new())?;
//! assert_eq!(trace.outcome, Outcome::Failed); // the kernel extension is not on the safe list
//! print!("{}", trace.render_snapshot());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod kext_check;
mod log;
mod phase;
mod sequence;
mod trace;

pub mod safe_ke;

use std::ops::Range;
use std::path::{Path, PathBuf};

use dlpar_liveupdate::{DataError, KextPath, LvupdateData, SafeListError};
use dlpar_script::protocol::{Family, Resource};

pub use kext_check::{CheckMode, KextCheck, Safety};
pub use log::{LOG_DIR, LOG_FILE};
pub use phase::{LuPhase, Side, UnknownPhase};

use crate::repository::RepoError;
use crate::trace::{Invocation, Outcome};

/// One simulated Live Update: the loaded kernel extensions, `lvupdate.data`, and an
/// optional injected failure; [`LiveUpdate::run`] gives a [`LiveUpdateTrace`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveUpdate {
    system_root: PathBuf,
    loaded: Vec<KextPath>,
    lusafe: Vec<KextPath>,
    data: Option<LvupdateData>,
    fail_at: Option<LuPhase>,
    preview: bool,
    resource: Resource,
    detail: u8,
}

/// Why a Live Update could not be run at all (a failing check or script is not one
/// of these: it is recorded in the trace).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LiveUpdateError {
    /// A value in `lvupdate.data` is invalid.
    #[error("lvupdate.data: {0}")]
    Data(#[from] DataError),
    /// The `lvupdate.data` file could not be read (not a regular file, too large,
    /// not text, a system error) or is not valid.
    #[error("lvupdate.data: {}: {reason}", path.display())]
    DataFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The safe list could not be read.
    #[error("the safe kernel-extension list: {0}")]
    SafeList(#[from] SafeListError),
    /// The Live Update log could not be written.
    #[error("could not write the Live Update log: {0}")]
    Log(std::io::Error),
    /// The repository could not be read.
    #[error(transparent)]
    Repository(#[from] RepoError),
}

/// The largest `lvupdate.data` read (the real file is a few hundred bytes).
const MAX_DATA_BYTES: u64 = 1024 * 1024;

/// Reads an `lvupdate.data` file an operator named or the system has: a regular file
/// of at most 1 MiB, parsed.
pub fn read_data(path: &Path) -> Result<LvupdateData, LiveUpdateError> {
    let bad = |reason: String| LiveUpdateError::DataFile { path: path.to_owned(), reason };
    let text = crate::operator_file::read_operator_file(path, MAX_DATA_BYTES).map_err(|e| bad(e.to_string()))?;
    LvupdateData::parse(&text).map_err(|e| bad(e.to_string()))
}

impl LiveUpdate {
    /// A Live Update of a system whose files live under `system_root`: the safe list
    /// in `etc/liveupdate/lvup_safe_KE`, the log in `var/adm/ras/liveupdate/logs`,
    /// and, unless [`LiveUpdate::data`] gives one, `lvupdate.data` read from
    /// `var/adm/ras/liveupdate/lvupdate.data` when that file exists.
    pub fn new(system_root: impl Into<PathBuf>) -> LiveUpdate {
        let resource = Family::Migrate.resource_word().and_then(|w| w.parse().ok());
        LiveUpdate {
            system_root: system_root.into(),
            loaded: Vec::new(),
            lusafe: Vec::new(),
            data: None,
            fail_at: None,
            preview: false,
            resource: resource.unwrap_or_else(|| unreachable!("the migrate family has a resource word")),
            detail: 0,
        }
    }

    /// Adds loaded kernel extensions.
    pub fn loaded(mut self, kexts: impl IntoIterator<Item = KextPath>) -> LiveUpdate {
        self.loaded.extend(kexts);
        self
    }

    /// Adds kernel extensions loaded with `SYS_LUSAFE` (they count as loaded).
    pub fn lusafe(mut self, kexts: impl IntoIterator<Item = KextPath>) -> LiveUpdate {
        self.lusafe.extend(kexts);
        self
    }

    /// Uses this `lvupdate.data` rather than the system's.
    pub fn data(mut self, data: LvupdateData) -> LiveUpdate {
        self.data = Some(data);
        self
    }

    /// Makes the system's own part of `phase` fail (for the kernel phases: a kernel
    /// extension's handler). In a checked phase this stops the update; in another
    /// it is reported and ignored.
    pub fn fail_at(mut self, phase: LuPhase) -> LiveUpdate {
        self.fail_at = Some(phase);
        self
    }

    /// The preview (`geninstall -k -p`): the safe kernel-extension check only, with
    /// `-p` entries counting; no DLPAR script runs.
    pub fn preview(mut self, preview: bool) -> LiveUpdate {
        self.preview = preview;
        self
    }

    /// The resource word passed as argv\[2\] and used to pick the scripts (`pmig`
    /// unless set).
    pub fn resource(mut self, resource: Resource) -> LiveUpdate {
        self.resource = resource;
        self
    }

    /// `DR_DETAIL_LEVEL` (0, the protocol's default, unless set).
    pub fn detail(mut self, level: u8) -> LiveUpdate {
        self.detail = level;
        self
    }

    /// The system root.
    pub fn system_root(&self) -> &Path {
        &self.system_root
    }
}

/// What a Live Update did, ready to print ([`LiveUpdateTrace::render`]), to
/// snapshot, or to inspect.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LiveUpdateTrace {
    /// The resource word passed as argv\[2\].
    pub resource: Resource,
    /// The `DR_*` variables of every command.
    pub env: Vec<(String, String)>,
    /// The scripts registered for the resource word, in the order they are called.
    pub scripts: Vec<String>,
    /// The system's `lvupdate.data`, when it was read from a file.
    pub data_file: Option<PathBuf>,
    /// `kext_check` from `lvupdate.data`, when set.
    pub kext_check_setting: Option<bool>,
    /// The safe kernel-extension check.
    pub kext_check: KextCheck,
    /// The phases reached, in order.
    pub phases: Vec<PhaseRecord>,
    /// Every invocation, in order; each [`PhaseRecord`] says which are its own.
    pub invocations: Vec<Invocation>,
    /// The Live Update log, when something was written to it.
    pub log_file: Option<PathBuf>,
    /// How the update ended: success, vetoed (a `DR_CHECK`) or failed.
    pub outcome: Outcome,
    /// Why it was vetoed or failed.
    pub reason: Option<String>,
    /// Failures reported and ignored, bypassed checks, and the like.
    pub notes: Vec<String>,
}

/// One phase of the timeline as it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseRecord {
    /// The phase.
    pub phase: LuPhase,
    /// Its invocations, as indexes into [`LiveUpdateTrace::invocations`].
    pub invocations: Range<usize>,
    /// Whether `--fail-at` made the system's part of it fail.
    pub injected: bool,
    /// Whether it stopped the update.
    pub stopped: bool,
}

impl LiveUpdateTrace {
    fn finish(mut self, outcome: Outcome, reason: Option<String>) -> LiveUpdateTrace {
        self.outcome = outcome;
        self.reason = reason;
        self
    }

    /// The `(phase, command, script)` triples in order, e.g. to assert a sequence.
    pub fn steps(&self) -> impl Iterator<Item = (LuPhase, &str, &str)> {
        self.phases.iter().flat_map(move |record| {
            self.invocations[record.invocations.clone()]
                .iter()
                .map(move |i| (record.phase, i.command.as_str(), i.script.as_str()))
        })
    }
}
