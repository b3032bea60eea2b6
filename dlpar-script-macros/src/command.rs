//! The command words that take a handler, as far as the macros need to know them.
//!
//! The runtime's `Command` enum is the protocol's source of truth; the macro crate
//! cannot depend on it (the runtime depends on this crate), so it keeps the small
//! table below: the word, the `Command` variant to name in generated code, and the
//! resource word registered by a handler that names no resource.

/// One command word with a handler attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Command {
    /// The command word, which is also the attribute's name.
    pub(crate) word: &'static str,
    /// The variant of `dlpar_script::protocol::Command`.
    pub(crate) variant: &'static str,
    /// The family's resource word (`pmig`, `phib`, `acc`, `topology`) when a handler
    /// may name no resource; `None` for the remove and add families.
    pub(crate) family_word: Option<&'static str>,
}

const fn command(word: &'static str, variant: &'static str, family_word: Option<&'static str>) -> Command {
    Command { word, variant, family_word }
}

const PMIG: Option<&str> = Some("pmig");
const PHIB: Option<&str> = Some("phib");
const ACC: Option<&str> = Some("acc");
const TOPOLOGY: Option<&str> = Some("topology");

/// Every event command, in the order of the protocol table.
pub(crate) const COMMANDS: [Command; 21] = [
    command("checkrelease", "CheckRelease", None),
    command("prerelease", "PreRelease", None),
    command("postrelease", "PostRelease", None),
    command("undoprerelease", "UndoPreRelease", None),
    command("checkacquire", "CheckAcquire", None),
    command("preacquire", "PreAcquire", None),
    command("postacquire", "PostAcquire", None),
    command("undopreacquire", "UndoPreAcquire", None),
    command("checkmigrate", "CheckMigrate", PMIG),
    command("premigrate", "PreMigrate", PMIG),
    command("postmigrate", "PostMigrate", PMIG),
    command("undopremigrate", "UndoPreMigrate", PMIG),
    command("checkhibernate", "CheckHibernate", PHIB),
    command("prehibernate", "PreHibernate", PHIB),
    command("posthibernate", "PostHibernate", PHIB),
    command("undohibernate", "UndoHibernate", PHIB),
    command("preaccevent", "PreAccEvent", ACC),
    command("postaccevent", "PostAccEvent", ACC),
    command("undopreaccevent", "UndoPreAccEvent", ACC),
    command("pretopologyupdate", "PreTopologyUpdate", TOPOLOGY),
    command("posttopologyupdate", "PostTopologyUpdate", TOPOLOGY),
];

impl Command {
    /// The command with this word.
    pub(crate) fn from_word(word: &str) -> Option<Command> {
        COMMANDS.iter().copied().find(|c| c.word == word)
    }
}

/// The table as the runtime's test of both vocabularies reads it:
/// `[("checkrelease", Command::CheckRelease, None::<&str>), …]`, each variant named
/// through the runtime's hidden path (so a variant this table invents does not
/// compile).
pub(crate) fn table() -> proc_macro2::TokenStream {
    let command = crate::expand::private("Command");
    let rows = COMMANDS.iter().map(|c| {
        let (word, variant) = (c.word, proc_macro2::Ident::new(c.variant, proc_macro2::Span::call_site()));
        let family = match c.family_word {
            Some(w) => quote::quote!(::core::option::Option::Some(#w)),
            None => quote::quote!(::core::option::Option::None::<&str>),
        };
        quote::quote!((#word, #command::#variant, #family))
    });
    quote::quote!([#(#rows),*])
}
