//! Bad input and misbehaving handlers: each gets one clear `DR_ERROR` and the
//! protocol's exit status, and nothing else reaches stdout.

use dlpar_script::prelude::*;
use insta::assert_snapshot;

use super::support::{Case, Mode, every_command, table};

fn panicky() -> Script {
    Script::new("Acme", "panics on purpose")
        .version(1)
        .date("22112026")
        .resource(Resource::Cpu, "Acme worker threads")
        .resource(Resource::Mem, "Acme buffer pool")
        .on(Command::CheckRelease, Resource::Cpu, |_: &CpuEvent, _: &mut Context| -> Result<()> {
            panic!("bind table\ncorrupted: \"slot 3\"")
        })
        .on(Command::CheckRelease, Resource::Mem, |ev: &MemEvent, _: &mut Context| -> Result<()> {
            let mb = ev.request_mb.expect("DR_MEM_SIZE_REQUEST set");
            Err(Error::failed(format!("cannot shrink by {mb}")))
        })
        .on(Command::PreRelease, Resource::Cpu, |_: &CpuEvent, _: &mut Context| -> Result<()> {
            std::panic::panic_any(42_u32)
        })
}

#[test]
fn panics_become_dr_error_and_exit_1() {
    let cases: [Case<'_>; 3] =
        [(&["checkrelease", "cpu"], &[]), (&["checkrelease", "mem"], &[]), (&["prerelease", "cpu"], &[])];
    assert_snapshot!(table(&panicky(), cases));
}

#[test]
fn malformed_command_lines() {
    let cases: [Case<'_>; 10] = [
        (&[], &[]),
        (&["frobnicate"], &[]),
        (&["CHECKRELEASE", "cpu"], &[]),
        (&["checkrelease"], &[]),
        (&["checkrelease", "cpu", "extra"], &[]),
        (&["scriptinfo", "cpu"], &[]),
        (&["checkrelease", "Cpu"], &[]),
        (&["checkrelease", "disk"], &[]),
        (&["preacquire", "acme_gpu"], &[]),
        (&["undoaccevent", "acc", "extra"], &[]),
    ];
    assert_snapshot!(table(&every_command(Mode::Succeed), cases));
}

#[test]
fn aliases_reach_the_canonical_handler() {
    let cases: [Case<'_>; 2] = [(&["undoaccevent", "acc"], &[]), (&["undoprehibernate"], &[])];
    assert_snapshot!(table(&every_command(Mode::Fail), cases), @r#"
    $ undoaccevent acc
    exit: 1
    DR_ERROR="undopreaccevent failed: Other(Some(Other(ResourceName('acc'))))"

    $ undoprehibernate
    exit: 1
    DR_ERROR="undohibernate failed: Other(None)"
    "#);
}

#[test]
fn an_invalid_script_says_everything_wrong_with_it() {
    let script = Script::new("", "two\nlines")
        .date("2026-11-22")
        .timeout(0)
        .resource(Resource::Cpu, "")
        .resource(Resource::Cpu, "again")
        .resource(Resource::Mem, "nobody handles memory")
        .on(Command::CheckRelease, Resource::Cpu, |_: &CpuEvent, _: &mut Context| Ok(()))
        .on(Command::CheckRelease, Resource::Cpu, |_: &CpuEvent, _: &mut Context| Ok(()))
        .on(Command::PreRelease, Resource::Capacity, |_: &CpuEvent, _: &mut Context| Ok(()))
        .on(Command::PreRelease, Target::AnyResource, |_: &Event, _: &mut Context| Ok(()))
        .on(Command::ScriptInfo, Resource::Cpu, |_: &CpuEvent, _: &mut Context| Ok(()))
        .on(Command::CheckMigrate, Target::AnyResource, |_: &Event, _: &mut Context| Ok(()));
    let problems: Vec<String> = script.validate().unwrap_err().problems().iter().map(|p| p.to_string()).collect();
    assert_snapshot!(problems.join("\n"));
    // The same list is the answer to every command, so drmgr -i shows it at install.
    assert_snapshot!(table(&script, [(&["scriptinfo"][..], &[][..])]));
}

#[test]
fn a_timeout_is_at_most_one_day() {
    let script = |seconds| Script::new("Acme", "guard").version(1).date("22112026").timeout(seconds);
    assert!(script(dlpar_script::ScriptInfo::MAX_TIMEOUT).validate().is_ok());
    let problems = script(86_401).validate().unwrap_err();
    assert_eq!(
        problems.to_string(),
        "DR_TIMEOUT=86401 is above one day (86400 s): give a shorter limit; an administrator who needs more sets \
         it at install (drmgr -w MINUTES)"
    );
}

#[test]
fn dr_error_carries_the_causes_of_a_handler_error() {
    #[derive(Debug, thiserror::Error)]
    #[error("could not read the licence file")]
    struct Licence(#[source] std::io::Error);

    let script = Script::new("Acme", "licence check")
        .version(1)
        .date("22112026")
        .resource(Resource::Cpu, "licence")
        .on(Command::CheckAcquire, Resource::Cpu, |_: &CpuEvent, _: &mut Context| -> Result<()> {
            let gone = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
            Err(Error::other(Licence(gone)))
        });
    let answer = dlpar_script::testing::invoke(&script, ["checkacquire", "cpu"]);
    assert_eq!(answer.to_string(), "exit: 1\nDR_ERROR=\"could not read the licence file: no such file\"\n");
}
