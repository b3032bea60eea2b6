//! The steps of the Live Update timeline that involve DLPAR notifications.

use std::fmt;
use std::str::FromStr;

use dlpar_script::protocol::{Command, Family};

/// The partition a step runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The original partition, where the workload runs before the update.
    Original,
    /// The surrogate partition, booted with the updated kernel.
    Surrogate,
}

impl Side {
    /// `the original` or `the surrogate`, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Side::Original => "the original",
            Side::Surrogate => "the surrogate",
        }
    }

    /// `orig` or `surr`, as `lvupdateRegScript -d` spells them.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Original => "orig",
            Side::Surrogate => "surr",
        }
    }
}

/// A DLPAR notification of the Live Update timeline (IBM's "Timeline to run the DLPAR
/// scripts"), in the order they happen, plus `DR_POST_ERROR` after a failure.
///
/// | phase | side | notification | who | script command | return code |
/// |---|---|---|---|---|---|
/// | `orig-check` | original | `DR_CHECK` | scripts, then the system | `checkmigrate` | checked |
/// | `surr-check` | surrogate | `DR_CHECK` | scripts, then the system | `checkmigrate` | checked |
/// | `orig-pre` | original | `DR_PRE` (applications) | scripts | `premigrate` | not checked |
/// | `surr-pre` | surrogate | `DR_PRE` (applications) | scripts | `premigrate` | not checked |
/// | `orig-pre-kernel` | original | `DR_PRE` (kernel) | kernel extensions (simulated) | — | checked |
/// | `surr-pre-kernel` | surrogate | `DR_PRE` (kernel) | kernel extensions (simulated) | — | checked |
/// | `orig-post` | original | `DR_POST` | scripts | `postmigrate` | not checked |
/// | `surr-post` | surrogate | `DR_POST` | scripts | `postmigrate` | not checked |
/// | `post-error` | where it failed | `DR_POST_ERROR` | scripts whose `premigrate` succeeded | `undopremigrate` | not checked |
///
/// ```
/// use drmgr_sim::liveupdate::LuPhase;
///
/// let phase: LuPhase = "surr-pre-kernel".parse().unwrap();
/// assert!(phase.is_checked());
/// assert_eq!(phase.notification(), "DR_PRE (kernel)");
/// assert_eq!(LuPhase::OrigPre.command(), Some(dlpar_script::protocol::Command::PreMigrate));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LuPhase {
    /// `DR_CHECK` on the original.
    OrigCheck,
    /// `DR_CHECK` on the surrogate, once it has booted.
    SurrCheck,
    /// `DR_PRE` for the applications on the original (the processes being moved).
    OrigPre,
    /// `DR_PRE` for the applications on the surrogate (its base processes).
    SurrPre,
    /// `DR_PRE` for the kernel on the original, once the applications are frozen.
    OrigPreKernel,
    /// `DR_PRE` for the kernel on the surrogate.
    SurrPreKernel,
    /// `DR_POST` on the original, after the point of no return.
    OrigPost,
    /// `DR_POST` on the surrogate, for the moved applications.
    SurrPost,
    /// `DR_POST_ERROR` after a checked phase failed, on that phase's side.
    PostError(Side),
}

impl LuPhase {
    /// The phases in timeline order (without `DR_POST_ERROR`).
    pub const TIMELINE: [LuPhase; 8] = [
        LuPhase::OrigCheck,
        LuPhase::SurrCheck,
        LuPhase::OrigPre,
        LuPhase::SurrPre,
        LuPhase::OrigPreKernel,
        LuPhase::SurrPreKernel,
        LuPhase::OrigPost,
        LuPhase::SurrPost,
    ];

    /// The name used by `--fail-at` and in traces.
    pub fn as_str(self) -> &'static str {
        match self {
            LuPhase::OrigCheck => "orig-check",
            LuPhase::SurrCheck => "surr-check",
            LuPhase::OrigPre => "orig-pre",
            LuPhase::SurrPre => "surr-pre",
            LuPhase::OrigPreKernel => "orig-pre-kernel",
            LuPhase::SurrPreKernel => "surr-pre-kernel",
            LuPhase::OrigPost => "orig-post",
            LuPhase::SurrPost => "surr-post",
            LuPhase::PostError(_) => "post-error",
        }
    }

    /// The partition it runs on.
    pub fn side(self) -> Side {
        match self {
            LuPhase::OrigCheck | LuPhase::OrigPre | LuPhase::OrigPreKernel | LuPhase::OrigPost => Side::Original,
            LuPhase::SurrCheck | LuPhase::SurrPre | LuPhase::SurrPreKernel | LuPhase::SurrPost => Side::Surrogate,
            LuPhase::PostError(side) => side,
        }
    }

    /// The notification, as IBM's timeline names it.
    pub fn notification(self) -> &'static str {
        match self {
            LuPhase::OrigCheck | LuPhase::SurrCheck => "DR_CHECK",
            LuPhase::OrigPre | LuPhase::SurrPre => "DR_PRE (applications)",
            LuPhase::OrigPreKernel | LuPhase::SurrPreKernel => "DR_PRE (kernel)",
            LuPhase::OrigPost | LuPhase::SurrPost => "DR_POST",
            LuPhase::PostError(_) => "DR_POST_ERROR",
        }
    }

    /// Whether a failure in this phase stops the Live Update.
    pub fn is_checked(self) -> bool {
        matches!(self, LuPhase::OrigCheck | LuPhase::SurrCheck | LuPhase::OrigPreKernel | LuPhase::SurrPreKernel)
    }

    /// The command DLPAR scripts receive (the mapping of the [module](super) docs), or
    /// `None` for the kernel phases, which notify kernel extensions only.
    pub fn command(self) -> Option<Command> {
        let migrate = Family::Migrate.commands();
        match self {
            LuPhase::OrigCheck | LuPhase::SurrCheck => migrate.check,
            LuPhase::OrigPre | LuPhase::SurrPre => migrate.pre,
            LuPhase::OrigPreKernel | LuPhase::SurrPreKernel => None,
            LuPhase::OrigPost | LuPhase::SurrPost => migrate.post,
            LuPhase::PostError(_) => migrate.undo,
        }
    }
}

impl fmt::Display for LuPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `--fail-at` value that is not one of the timeline's phases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown Live Update phase {0:?}: expected one of {phases}", phases = LuPhase::TIMELINE.map(LuPhase::as_str).join(", "))]
pub struct UnknownPhase(String);

impl FromStr for LuPhase {
    type Err = UnknownPhase;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        LuPhase::TIMELINE.into_iter().find(|p| p.as_str() == name).ok_or_else(|| UnknownPhase(name.to_owned()))
    }
}
