//! The one table from hook variables to AIX commands.

use super::{DrcType, HookAction, HookPhase};
use crate::protocol::Command;

/// One row of [`MAPPING`]: a hook run and the handler that answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mapping {
    /// `DRC_TYPE`.
    pub drc_type: DrcType,
    /// `ACTION`. A `pmig` hook without `ACTION` (powerpc-utils 1.3.11) counts as `migrate`.
    pub action: HookAction,
    /// `PHASE`.
    pub phase: HookPhase,
    /// What runs.
    pub target: Runs,
}

/// What a hook run maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runs {
    /// The handler of this command, always.
    Command(Command),
    /// The handler of this command when the script opted in
    /// ([`Script::hook_undocheck`](crate::Script::hook_undocheck)); otherwise nothing runs.
    OptIn(Command),
}

/// The mapping, a project decision; see the [module documentation](super#the-mapping-a-project-decision).
///
/// ```
/// use dlpar_script::hook::{DrcType, HookAction, HookPhase, MAPPING, Runs};
/// use dlpar_script::protocol::Command;
///
/// let row = MAPPING.iter().find(|m| (m.drc_type, m.action, m.phase) == (DrcType::Cpu, HookAction::Remove, HookPhase::Pre));
/// assert_eq!(row.unwrap().target, Runs::Command(Command::PreRelease));
/// assert_eq!(MAPPING.len(), 8);
/// ```
pub const MAPPING: [Mapping; 8] = {
    use Command::*;
    use DrcType::{Cpu, Pmig};
    use HookAction::{Add, Migrate, Remove};
    use HookPhase::{Check, Post, Pre, Undocheck};
    const fn row(drc_type: DrcType, action: HookAction, phase: HookPhase, target: Runs) -> Mapping {
        Mapping { drc_type, action, phase, target }
    }
    [
        row(Cpu, Remove, Pre, Runs::Command(PreRelease)),
        row(Cpu, Remove, Post, Runs::Command(PostRelease)),
        row(Cpu, Add, Pre, Runs::Command(PreAcquire)),
        row(Cpu, Add, Post, Runs::Command(PostAcquire)),
        row(Pmig, Migrate, Check, Runs::Command(CheckMigrate)),
        row(Pmig, Migrate, Pre, Runs::Command(PreMigrate)),
        row(Pmig, Migrate, Post, Runs::Command(PostMigrate)),
        row(Pmig, Migrate, Undocheck, Runs::OptIn(UndoPreMigrate)),
    ]
};
