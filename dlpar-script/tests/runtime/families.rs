//! Every event command of every family: success, failure, and no handler at all.

use dlpar_script::prelude::*;
use insta::assert_snapshot;

use super::support::{Case, Mode, PMIG, every_command, registering, table};

/// A [`super::support::Case`] that owns its lists.
type OwnedCase = (Vec<&'static str>, Vec<(&'static str, &'static str)>);

/// One invocation per event command, with the family's usual resource and variables.
fn cases() -> Vec<OwnedCase> {
    let cpu = vec![("DR_BCPUID", "3"), ("DR_LCPUID", "6")];
    let mem = vec![("DR_MEM_SIZE_REQUEST", "256"), ("DR_FREE_FRAMES", "0x4000")];
    let mut cases = Vec::new();
    for command in Command::all().filter(|c| !c.is_install()) {
        let word = command.as_str();
        match command.family().resource_word() {
            None => {
                cases.push((vec![word, "cpu"], cpu.clone()));
                cases.push((vec![word, "mem"], mem.clone()));
            }
            Some(family_word) => {
                cases.push((vec![word, family_word], vec![]));
                cases.push((vec![word], vec![]));
            }
        }
    }
    cases
}

fn run_all(script: &Script) -> String {
    let cases = cases();
    table(script, cases.iter().map(|(a, e)| (a.as_slice(), e.as_slice())))
}

#[test]
fn every_command_succeeds_silently() {
    assert_snapshot!(run_all(&every_command(Mode::Succeed)));
}

#[test]
fn every_command_fails_with_dr_error_and_exit_1() {
    assert_snapshot!(run_all(&every_command(Mode::Fail)));
}

#[test]
fn a_command_without_handler_is_a_no_op() {
    let script = registering(&[Resource::Cpu, Resource::Mem, PMIG])
        .on(Command::CheckRelease, Resource::Cpu, |_: &CpuEvent, _: &mut Context| Err(Error::refuse("no")))
        .on(Command::CheckRelease, Resource::Mem, |_: &MemEvent, _: &mut Context| Err(Error::refuse("no")))
        .on(Command::CheckMigrate, Target::AnyResource, |_: &Event, _: &mut Context| Err(Error::refuse("no")));
    // No handler reads the variables, so even malformed ones do not matter.
    let cases: [Case<'_>; 3] = [
        (&["prerelease", "cpu"], &[("DR_BCPUID", "bogus")]),
        (&["postacquire", "mem"], &[]),
        (&["undopremigrate"], &[]),
    ];
    assert_snapshot!(table(&script, cases), @r#"
    $ DR_BCPUID="bogus" prerelease cpu
    exit: 0

    $ postacquire mem
    exit: 0

    $ undopremigrate
    exit: 0
    "#);
}

#[test]
fn a_named_handler_wins_over_the_family_handler() {
    let script = registering(&[PMIG])
        .resource(Resource::custom("acme_lpm"), "Acme's own migration word")
        .on(Command::CheckMigrate, Target::AnyResource, |ev: &Event, _: &mut Context| {
            Err(Error::refuse(format!("family handler saw {:?}", ev.resource().map(|r| r.to_string()))))
        })
        .on(Command::CheckMigrate, Resource::custom("acme_lpm"), |_: &Event, _: &mut Context| {
            Err(Error::refuse("acme_lpm handler"))
        });
    let cases: [Case<'_>; 4] = [
        (&["checkmigrate", "acme_lpm"], &[]),
        (&["checkmigrate", "pmig"], &[]),
        (&["checkmigrate", "anything_else"], &[]),
        (&["checkmigrate", "Not A Word"], &[]),
    ];
    assert_snapshot!(table(&script, cases), @r#"
    $ checkmigrate acme_lpm
    exit: 1
    DR_ERROR="acme_lpm handler"

    $ checkmigrate pmig
    exit: 1
    DR_ERROR="family handler saw Some('pmig')"

    $ checkmigrate anything_else
    exit: 1
    DR_ERROR="family handler saw Some('anything_else')"

    $ checkmigrate Not A Word
    exit: 1
    DR_ERROR="family handler saw None"
    "#);
}
