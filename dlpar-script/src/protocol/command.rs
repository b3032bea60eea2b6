use strum::{Display, EnumIter, EnumString, IntoStaticStr};

/// A command word: the first argument drmgr passes to a DLPAR script.
///
/// Words are matched exactly, in lower case. Two spellings are accepted as aliases
/// (a project decision, because IBM's page writes them both ways):
/// `undoaccevent` for [`Command::UndoPreAccEvent`] and `undoprehibernate` for
/// [`Command::UndoHibernate`]. [`Command::as_str`] always gives the canonical word.
///
/// ```
/// use dlpar_script::protocol::{Command, Family, Phase};
///
/// let c: Command = "undoaccevent".parse().unwrap();
/// assert_eq!(c, Command::UndoPreAccEvent);
/// assert_eq!(c.as_str(), "undopreaccevent");
/// assert_eq!((c.family(), c.phase()), (Family::Accelerator, Phase::Undo));
/// assert!("CheckRelease".parse::<Command>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Display, EnumString, EnumIter, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Command {
    /// `scriptinfo`: print version, date, vendor and description (install time).
    ScriptInfo,
    /// `register`: print one `DR_RESOURCE` line per managed resource (install time).
    Register,
    /// `usage RES`: print how the application uses a resource (install time).
    Usage,
    /// `checkrelease RES`: may the resource be removed? Non-zero vetoes.
    CheckRelease,
    /// `prerelease RES`: free the resource before the kernel removes it.
    PreRelease,
    /// `postrelease RES`: resume after a successful removal.
    PostRelease,
    /// `undoprerelease RES`: the removal failed; undo what `prerelease` did.
    UndoPreRelease,
    /// `checkacquire RES`: may the resource be added? A veto cannot be forced.
    CheckAcquire,
    /// `preacquire RES`: prepare for the new resource.
    PreAcquire,
    /// `postacquire RES`: integrate the new resource.
    PostAcquire,
    /// `undopreacquire RES`: the addition failed; undo what `preacquire` did.
    UndoPreAcquire,
    /// `checkmigrate`: may the partition migrate? A veto cannot be forced.
    CheckMigrate,
    /// `premigrate`: prepare for partition migration.
    PreMigrate,
    /// `postmigrate`: the migration succeeded.
    PostMigrate,
    /// `undopremigrate`: the migration failed; undo what `premigrate` did.
    UndoPreMigrate,
    /// `checkhibernate`: may the partition hibernate? A veto cannot be forced.
    CheckHibernate,
    /// `prehibernate`: prepare for hibernation.
    PreHibernate,
    /// `posthibernate`: the hibernation succeeded.
    PostHibernate,
    /// `undohibernate` (alias `undoprehibernate`): undo what `prehibernate` did.
    #[strum(to_string = "undohibernate", serialize = "undoprehibernate")]
    UndoHibernate,
    /// `preaccevent`: an accelerator event is coming (add or release not yet known).
    PreAccEvent,
    /// `postaccevent`: the accelerator event completed.
    PostAccEvent,
    /// `undopreaccevent` (alias `undoaccevent`): undo what `preaccevent` did.
    #[strum(to_string = "undopreaccevent", serialize = "undoaccevent")]
    UndoPreAccEvent,
    /// `pretopologyupdate`: a topology change that cannot fail is coming.
    PreTopologyUpdate,
    /// `posttopologyupdate`: the topology change completed.
    PostTopologyUpdate,
}

impl Command {
    /// The canonical command word, as drmgr spells it.
    ///
    /// ```
    /// assert_eq!(dlpar_script::protocol::Command::PreRelease.as_str(), "prerelease");
    /// ```
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Every command word, in the order of the protocol table.
    ///
    /// ```
    /// use dlpar_script::protocol::Command;
    /// assert_eq!(Command::all().count(), 24);
    /// ```
    pub fn all() -> impl Iterator<Item = Command> {
        <Command as strum::IntoEnumIterator>::iter()
    }

    /// The family of operations this command belongs to.
    ///
    /// ```
    /// use dlpar_script::protocol::{Command, Family};
    /// assert_eq!(Command::PostAcquire.family(), Family::Add);
    /// ```
    pub fn family(self) -> Family {
        use Command::*;
        match self {
            ScriptInfo | Register | Usage => Family::Install,
            CheckRelease | PreRelease | PostRelease | UndoPreRelease => Family::Remove,
            CheckAcquire | PreAcquire | PostAcquire | UndoPreAcquire => Family::Add,
            CheckMigrate | PreMigrate | PostMigrate | UndoPreMigrate => Family::Migrate,
            CheckHibernate | PreHibernate | PostHibernate | UndoHibernate => Family::Hibernate,
            PreAccEvent | PostAccEvent | UndoPreAccEvent => Family::Accelerator,
            PreTopologyUpdate | PostTopologyUpdate => Family::Topology,
        }
    }

    /// The phase of its family this command runs in.
    ///
    /// ```
    /// use dlpar_script::protocol::{Command, Phase};
    /// assert_eq!(Command::CheckMigrate.phase(), Phase::Check);
    /// assert_eq!(Command::UndoPreRelease.phase(), Phase::Undo);
    /// ```
    pub fn phase(self) -> Phase {
        use Command::*;
        match self {
            ScriptInfo | Register | Usage => Phase::Install,
            CheckRelease | CheckAcquire | CheckMigrate | CheckHibernate => Phase::Check,
            PreRelease | PreAcquire | PreMigrate | PreHibernate | PreAccEvent | PreTopologyUpdate => Phase::Pre,
            PostRelease | PostAcquire | PostMigrate | PostHibernate | PostAccEvent | PostTopologyUpdate => Phase::Post,
            UndoPreRelease | UndoPreAcquire | UndoPreMigrate | UndoHibernate | UndoPreAccEvent => Phase::Undo,
        }
    }

    /// Whether this command is one of the install-time commands
    /// (`scriptinfo`, `register`, `usage`), which never read `DR_*` event variables.
    ///
    /// ```
    /// use dlpar_script::protocol::Command;
    /// assert!(Command::Usage.is_install());
    /// assert!(!Command::CheckRelease.is_install());
    /// ```
    pub fn is_install(self) -> bool {
        self.family() == Family::Install
    }
}

/// A family of operations: the commands that make up one kind of DLPAR request.
///
/// ```
/// use dlpar_script::protocol::{Command, Family};
///
/// let remove = Family::Remove.commands();
/// assert_eq!(remove.check, Some(Command::CheckRelease));
/// assert_eq!(remove.undo, Some(Command::UndoPreRelease));
/// assert_eq!(Family::Migrate.resource_word(), Some("pmig"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Display, EnumIter, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Family {
    /// `scriptinfo`, `register`, `usage`.
    Install,
    /// Removing a resource (`*release`).
    Remove,
    /// Adding a resource (`*acquire`).
    Add,
    /// Live Partition Mobility (`*migrate`).
    Migrate,
    /// Partition hibernation (`*hibernate`).
    Hibernate,
    /// Accelerator events (`*accevent`).
    Accelerator,
    /// Topology updates (`*topologyupdate`).
    Topology,
}

/// The commands of one family, by phase. Phases a family does not have are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyCommands {
    /// The veto phase.
    pub check: Option<Command>,
    /// The preparation phase, before the kernel operation.
    pub pre: Option<Command>,
    /// The phase after a successful kernel operation.
    pub post: Option<Command>,
    /// The rollback phase after a failure.
    pub undo: Option<Command>,
}

impl Family {
    /// The family's commands, phase by phase.
    ///
    /// ```
    /// use dlpar_script::protocol::Family;
    /// assert_eq!(Family::Topology.commands().check, None);
    /// ```
    pub fn commands(self) -> FamilyCommands {
        use Command::*;
        let (check, pre, post, undo) = match self {
            Family::Install => (None, None, None, None),
            Family::Remove => (Some(CheckRelease), Some(PreRelease), Some(PostRelease), Some(UndoPreRelease)),
            Family::Add => (Some(CheckAcquire), Some(PreAcquire), Some(PostAcquire), Some(UndoPreAcquire)),
            Family::Migrate => (Some(CheckMigrate), Some(PreMigrate), Some(PostMigrate), Some(UndoPreMigrate)),
            Family::Hibernate => (Some(CheckHibernate), Some(PreHibernate), Some(PostHibernate), Some(UndoHibernate)),
            Family::Accelerator => (None, Some(PreAccEvent), Some(PostAccEvent), Some(UndoPreAccEvent)),
            Family::Topology => (None, Some(PreTopologyUpdate), Some(PostTopologyUpdate), None),
        };
        FamilyCommands { check, pre, post, undo }
    }

    /// The resource word drmgr-sim passes as argv\[2\] for families whose resource the
    /// IBM page does not name (a project decision): `pmig`, `phib`, `acc`, `topology`.
    /// `None` for the families that always name a resource.
    ///
    /// ```
    /// use dlpar_script::protocol::Family;
    /// assert_eq!(Family::Hibernate.resource_word(), Some("phib"));
    /// assert_eq!(Family::Remove.resource_word(), None);
    /// ```
    pub fn resource_word(self) -> Option<&'static str> {
        match self {
            Family::Migrate => Some("pmig"),
            Family::Hibernate => Some("phib"),
            Family::Accelerator => Some("acc"),
            Family::Topology => Some("topology"),
            Family::Install | Family::Remove | Family::Add => None,
        }
    }

    /// Whether argv\[2\] may be absent or any word for this family's commands.
    ///
    /// ```
    /// use dlpar_script::protocol::Family;
    /// assert!(Family::Migrate.resource_optional());
    /// assert!(!Family::Add.resource_optional());
    /// ```
    pub fn resource_optional(self) -> bool {
        self.resource_word().is_some()
    }

    /// The family's name in lower case (`remove`, `add`, `migrate`, …).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Where in its family a command runs.
///
/// ```
/// use dlpar_script::protocol::{Command, Phase};
/// assert_eq!(Command::PostTopologyUpdate.phase(), Phase::Post);
/// assert_eq!(Phase::Undo.to_string(), "undo");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Display, IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Phase {
    /// Install-time queries.
    Install,
    /// May the operation go ahead?
    Check,
    /// Prepare, before the kernel operation.
    Pre,
    /// Resume or integrate, after the kernel operation succeeded.
    Post,
    /// Roll back what the pre phase did, after a failure.
    Undo,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_round_trips_and_belongs_to_its_family_table() {
        for command in Command::all() {
            assert_eq!(command.as_str().parse::<Command>(), Ok(command));
            let table = command.family().commands();
            let in_table = [table.check, table.pre, table.post, table.undo].contains(&Some(command));
            assert_eq!(in_table, !command.is_install(), "{command}");
        }
    }

    #[test]
    fn only_the_two_documented_aliases_exist() {
        assert_eq!("undoprehibernate".parse(), Ok(Command::UndoHibernate));
        assert_eq!("undoaccevent".parse(), Ok(Command::UndoPreAccEvent));
        for bad in ["undoprerelease ", "UNDOHIBERNATE", "undoacquire", "usage cpu", ""] {
            assert!(bad.parse::<Command>().is_err(), "{bad:?}");
        }
    }
}
