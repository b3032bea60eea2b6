use std::str::FromStr;

use super::words::word_enum;

/// Declares [`Command`] from the protocol's table, which `dlpar-script-vocab`
/// holds, one row per command word (see `dlpar_script_vocab::commands!`). `ALL`,
/// `as_str`, `Display`, `FromStr`, [`Command::family`] and [`Command::phase`] all
/// come from that one list, and so do the macros' handler attributes.
macro_rules! vocabulary {
    ($(
        $(#[$variant_meta:meta])*
        $variant:ident = $word:ident $(| $alias:literal)*, $family:ident, $phase:ident { $($attribute:tt)* }
    )+) => {
        word_enum! {
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
            /// assert_eq!("CheckRelease".parse::<Command>().unwrap_err().to_string(),
            ///     "\"CheckRelease\" is not a command word: the words are lower case, for example \"checkrelease\"");
            /// ```
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum Command {
                $($(#[$variant_meta])* $variant = stringify!($word),)+
            }
        }

        impl Command {
            /// The family of operations this command belongs to.
            ///
            /// ```
            /// use dlpar_script::protocol::{Command, Family};
            /// assert_eq!(Command::PostAcquire.family(), Family::Add);
            /// ```
            pub fn family(self) -> Family {
                match self {
                    $(Command::$variant => Family::$family,)+
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
                match self {
                    $(Command::$variant => Phase::$phase,)+
                }
            }

            /// The command an alias stands for.
            fn from_alias(word: &str) -> Option<Command> {
                match word {
                    $($($alias => Some(Command::$variant),)*)+
                    _ => None,
                }
            }
        }
    };
}

dlpar_script_vocab::commands!(vocabulary);

/// Exactly the canonical words and the two aliases, in lower case.
impl FromStr for Command {
    type Err = CommandWordError;

    fn from_str(word: &str) -> Result<Command, CommandWordError> {
        Command::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == word)
            .or_else(|| Command::from_alias(word))
            .ok_or_else(|| CommandWordError { word: word.to_owned() })
    }
}

/// A word that is not one of the protocol's command words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{word:?} is not a command word: the words are lower case, for example \"checkrelease\"")]
pub struct CommandWordError {
    word: String,
}

impl Command {
    /// Every command word, in the order of the protocol table.
    ///
    /// ```
    /// use dlpar_script::protocol::Command;
    /// assert_eq!(Command::all().count(), 24);
    /// ```
    pub fn all() -> impl Iterator<Item = Command> {
        Command::ALL.iter().copied()
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

/// Declares [`Family`] and [`Family::resource_word`] from `dlpar-script-vocab`'s
/// family table (see `dlpar_script_vocab::families!`).
macro_rules! families {
    ($($(#[$variant_meta:meta])* $variant:ident = $word:literal $resource:tt;)+) => {
        word_enum! {
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
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum Family {
                $($(#[$variant_meta])* $variant = $word,)+
            }
        }

        impl Family {
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
                    $(Family::$variant => families!(@resource $resource),)+
                }
            }
        }
    };
    (@resource _) => { None };
    (@resource $word:literal) => { Some($word) };
}

dlpar_script_vocab::families!(families);

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
        let mut commands = FamilyCommands { check: None, pre: None, post: None, undo: None };
        for &command in Command::ALL.iter().filter(|c| c.family() == self) {
            let slot = match command.phase() {
                Phase::Install => continue,
                Phase::Check => &mut commands.check,
                Phase::Pre => &mut commands.pre,
                Phase::Post => &mut commands.post,
                Phase::Undo => &mut commands.undo,
            };
            *slot = Some(command);
        }
        commands
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
}

word_enum! {
    /// Where in its family a command runs.
    ///
    /// ```
    /// use dlpar_script::protocol::{Command, Phase};
    /// assert_eq!(Command::PostTopologyUpdate.phase(), Phase::Post);
    /// assert_eq!(Phase::Undo.to_string(), "undo");
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Phase {
        /// Install-time queries.
        Install = "install",
        /// May the operation go ahead?
        Check = "check",
        /// Prepare, before the kernel operation.
        Pre = "pre",
        /// Resume or integrate, after the kernel operation succeeded.
        Post = "post",
        /// Roll back what the pre phase did, after a failure.
        Undo = "undo",
    }
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
    fn each_family_has_one_command_per_phase_as_in_the_protocol_table() {
        use Command::*;
        let by_phase = |f: Family| {
            let c = f.commands();
            (c.check, c.pre, c.post, c.undo)
        };
        assert_eq!(by_phase(Family::Install), (None, None, None, None));
        assert_eq!(
            by_phase(Family::Remove),
            (Some(CheckRelease), Some(PreRelease), Some(PostRelease), Some(UndoPreRelease))
        );
        assert_eq!(
            by_phase(Family::Add),
            (Some(CheckAcquire), Some(PreAcquire), Some(PostAcquire), Some(UndoPreAcquire))
        );
        assert_eq!(
            by_phase(Family::Migrate),
            (Some(CheckMigrate), Some(PreMigrate), Some(PostMigrate), Some(UndoPreMigrate))
        );
        assert_eq!(
            by_phase(Family::Hibernate),
            (Some(CheckHibernate), Some(PreHibernate), Some(PostHibernate), Some(UndoHibernate))
        );
        assert_eq!(by_phase(Family::Accelerator), (None, Some(PreAccEvent), Some(PostAccEvent), Some(UndoPreAccEvent)));
        assert_eq!(by_phase(Family::Topology), (None, Some(PreTopologyUpdate), Some(PostTopologyUpdate), None));
        let listed: usize = Family::ALL
            .iter()
            .map(|f| f.commands())
            .map(|c| [c.check, c.pre, c.post, c.undo].iter().flatten().count())
            .sum();
        assert_eq!(listed, Command::all().filter(|c| !c.is_install()).count(), "each event command in one slot");
    }

    #[test]
    fn only_the_two_documented_aliases_exist() {
        assert_eq!("undoprehibernate".parse(), Ok(Command::UndoHibernate));
        assert_eq!("undoaccevent".parse(), Ok(Command::UndoPreAccEvent));
        for bad in ["undoprerelease ", "UNDOHIBERNATE", "undoacquire", "usage cpu", ""] {
            assert_eq!(bad.parse::<Command>(), Err(CommandWordError { word: bad.to_owned() }), "{bad:?}");
        }
    }
}
