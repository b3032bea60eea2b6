use dlpar_script::prelude::*;
use insta::assert_snapshot;

use super::support::{Case, Mode, every_command, table};

#[test]
fn install_commands_answer_from_metadata() {
    let script = every_command(Mode::Fail);
    let cases: [Case<'_>; 11] = [
        (&["scriptinfo"], &[]),
        (&["register"], &[]),
        (&["usage", "cpu"], &[]),
        (&["usage", "mem"], &[]),
        (&["usage", "capacity"], &[]),
        (&["usage", "var_weight"], &[]),
        (&["usage", "pmig"], &[]),
        (&["usage", "topology"], &[]),
        // Install commands never read DR_* variables, even malformed ones.
        (&["scriptinfo"], &[("DR_DETAIL_LEVEL", "x"), ("DR_FORCE", "maybe")]),
        (&["usage", "disk"], &[]),
        (&["usage"], &[]),
    ];
    assert_snapshot!(table(&script, cases));
}

#[test]
fn scriptinfo_without_timeout_has_no_timeout_line() {
    let script = Script::new("IBM", "sample").version(1).date("01012026");
    assert_snapshot!(table(&script, [(&["scriptinfo"][..], &[][..]), (&["register"][..], &[][..])]), @r#"
    $ scriptinfo
    exit: 0
    DR_VERSION=1
    DR_DATE=01012026
    DR_SCRIPTINFO="sample"
    DR_VENDOR="IBM"

    $ register
    exit: 0
    "#);
}

#[test]
fn metadata_text_is_neutralised_on_the_wire() {
    // Validation refuses multi-line text, so a script with quotes only is valid
    // and the quotes are the encoder's business.
    let script =
        Script::new("Acme \"Labs\"", "info").version(1).date("22112026").resource(Resource::Cpu, "the \"worker\" pool");
    let script = script.on(Command::CheckRelease, Resource::Cpu, |_: &CpuEvent, _: &mut Context| Ok(()));
    assert_snapshot!(table(&script, [(&["scriptinfo"][..], &[][..]), (&["usage", "cpu"][..], &[][..])]), @r#"
    $ scriptinfo
    exit: 0
    DR_VERSION=1
    DR_DATE=22112026
    DR_SCRIPTINFO="info"
    DR_VENDOR="Acme 'Labs'"

    $ usage cpu
    exit: 0
    DR_USAGE="the 'worker' pool"
    "#);
}
