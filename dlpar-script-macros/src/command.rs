//! The command words that take a handler, as far as the macros need to know them.
//!
//! The macro crate cannot depend on the runtime (the runtime depends on it), so
//! both read the protocol's tables from `dlpar-script-vocab`: here they become
//! [`COMMANDS`], with the word (also the attribute's name), the `Command` variant to
//! name in generated code and the family, whose resource word a handler that names
//! no resource registers.

/// One command word of the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Command {
    /// The command word, which is also the attribute's name.
    pub(crate) word: &'static str,
    /// The variant of `dlpar_script::protocol::Command`.
    pub(crate) variant: &'static str,
    /// The variant of `dlpar_script::protocol::Family`.
    family: &'static str,
    /// Whether the command has a handler attribute (every event command).
    attribute: bool,
}

/// Declares [`COMMANDS`] from the rows of `dlpar_script_vocab::commands!`.
macro_rules! command_table {
    ($($(#[$doc:meta])* $variant:ident = $word:ident $(| $alias:literal)*, $family:ident, $phase:ident { $($attribute:tt)* })+) => {
        /// Every command, in the order of the protocol table.
        pub(crate) const COMMANDS: &[Command] = &[$(
            Command {
                word: stringify!($word),
                variant: stringify!($variant),
                family: stringify!($family),
                attribute: command_table!(@attribute $($attribute)*),
            },
        )+];
    };
    (@attribute) => { false };
    (@attribute $($attribute:tt)+) => { true };
}

dlpar_script_vocab::commands!(command_table);

/// Declares `FAMILY_WORDS` from the rows of `dlpar_script_vocab::families!`.
macro_rules! family_table {
    ($($(#[$doc:meta])* $variant:ident = $word:literal $resource:tt;)+) => {
        /// Each family's variant and its resource word, if it has one.
        const FAMILY_WORDS: &[(&str, Option<&str>)] = &[$((stringify!($variant), family_table!(@resource $resource)),)+];
    };
    (@resource _) => { None };
    (@resource $word:literal) => { Some($word) };
}

dlpar_script_vocab::families!(family_table);

impl Command {
    /// The command with a handler attribute named `word`.
    pub(crate) fn from_word(word: &str) -> Option<Command> {
        COMMANDS.iter().copied().find(|c| c.attribute && c.word == word)
    }

    /// The family's resource word (`pmig`, `phib`, `acc`, `topology`) when a handler
    /// may name no resource; `None` for the install, remove and add families.
    pub(crate) fn family_word(&self) -> Option<&'static str> {
        FAMILY_WORDS.iter().find(|(family, _)| *family == self.family).and_then(|(_, word)| *word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_commands_have_attributes_and_family_words_where_the_protocol_says() {
        let attributes: Vec<&str> = COMMANDS.iter().filter(|c| c.attribute).map(|c| c.word).collect();
        assert_eq!(attributes.len(), 21);
        assert_eq!(Command::from_word("scriptinfo"), None);
        assert_eq!(
            Command::from_word("checkrelease").map(|c| (c.variant, c.family_word())),
            Some(("CheckRelease", None))
        );
        assert_eq!(Command::from_word("undohibernate").and_then(|c| c.family_word()), Some("phib"));
    }
}
