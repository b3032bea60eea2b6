//! One vocabulary: the command table the macros keep (they cannot depend on the
//! runtime) names exactly the runtime's event commands, with the same words and
//! family resource words; and the hidden module the macros write paths into is
//! this version's.

use dlpar_script::protocol::Command;

#[test]
fn the_macros_and_the_runtime_name_the_same_commands() {
    let table: [(&str, Command, Option<&str>); 21] = dlpar_script::__private_0_1_0::command_table!();
    let event_commands: Vec<Command> = Command::all().filter(|c| !c.is_install()).collect();
    assert_eq!(table.map(|(_, command, _)| command).to_vec(), event_commands);
    for (word, command, family_word) in table {
        assert_eq!(word, command.as_str(), "{command:?}");
        assert_eq!(word.parse::<Command>(), Ok(command), "{word}");
        assert_eq!(family_word, command.family().resource_word(), "{word}");
    }
}

#[test]
fn the_hidden_module_is_named_after_this_version() {
    // On a version bump, rename `__private_0_1_0` in lib.rs (the macros follow
    // their own CARGO_PKG_VERSION, and the workspace pins both with `=`).
    assert_eq!(env!("CARGO_PKG_VERSION"), "0.1.0");
    assert!(dlpar_script::__private_0_1_0::value_fits("x"));
}
