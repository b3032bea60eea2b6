//! Hook runs answered in-process: every row of the mapping, every bad input.
//! The process-level behaviour (no arguments, stderr only, the watchdog, panics)
//! is in `tests/lifecycle/hooks.rs`.

use std::ffi::{OsStr, OsString};

use super::*;
use crate::hook::{Host, read};
use crate::prelude::*;

/// Logs what ran, with the event and the host; `DRC_TYPE=pmig` checks veto when
/// the count is 7 (a stand-in for a real reason).
fn script() -> Script {
    fn cpu(ev: &CpuEvent, cx: &mut Context) -> crate::Result<()> {
        log::warn!("{} cpu {:?} {:?}", cx.command(), ev, cx.host());
        Ok(())
    }
    fn pmig(_: &Event, cx: &mut Context) -> crate::Result<()> {
        log::warn!("{} {:?}", cx.command(), cx.host());
        match cx.host() {
            Host::PowerpcUtils(hook) if hook.count() == Some(7) => Err(Error::refuse("count 7 vetoes")),
            _ => Ok(()),
        }
    }
    let mut script = Script::new("Acme", "hook test").version(1).date("22112026");
    script = script.resource(Resource::Cpu, "Acme follows processors").resource(Resource::from_static("pmig"), "Acme");
    for command in [Command::PreRelease, Command::PostRelease, Command::PreAcquire, Command::PostAcquire] {
        script = script.on(command, Resource::Cpu, cpu);
    }
    for command in [Command::CheckMigrate, Command::PreMigrate, Command::PostMigrate, Command::UndoPreMigrate] {
        script = script.on(command, Target::AnyResource, pmig);
    }
    script
}

/// Exit status and stderr of one hook run of `script` with `env`.
fn run(script: &Script, env: &[(&str, &str)]) -> (u8, String) {
    let mut err = Vec::new();
    let code = answer(script, Some(OsStr::new("acme_hook")), &owned(env), &mut err).expect("a hook start");
    (code, String::from_utf8(err).unwrap())
}

/// `env` as the owned pairs a process's environment is collected into.
fn owned(env: &[(&str, &str)]) -> Vec<(OsString, OsString)> {
    env.iter().map(|(k, v)| (k.into(), v.into())).collect()
}

fn hook(
    drc_type: &'static str,
    action: &'static str,
    phase: &'static str,
    count: &'static str,
) -> [(&'static str, &'static str); 4] {
    [("DRC_TYPE", drc_type), ("ACTION", action), ("PHASE", phase), ("DRC_COUNT", count)]
}

#[test]
fn every_row_of_the_mapping_runs_its_handler() {
    let script = script();
    for row in MAPPING {
        let env = [
            ("DRC_TYPE", row.drc_type.as_str()),
            ("ACTION", row.action.as_str()),
            ("PHASE", row.phase.as_str()),
            ("DRC_COUNT", "2"),
        ];
        let (code, err) = run(&script, &env);
        assert_eq!(code, 0, "{row:?}: {err}");
        match row.target {
            Runs::Command(command) => assert!(err.starts_with(&format!("warning: {command} ")), "{row:?}: {err}"),
            Runs::OptIn(_) => assert_eq!(err, "", "undocheck is a silent no-op by default"),
        }
    }
}

#[test]
fn cpu_events_carry_the_count_and_the_aix_fields_are_none() {
    let (code, err) = run(&script(), &hook("cpu", "remove", "post", "3"));
    assert_eq!(code, 0);
    assert_eq!(
        err,
        "warning: postrelease cpu CpuEvent { bcpuid: None, lcpuid: None, count: Some(3) } PowerpcUtils(Hook { \
         drc_type: Cpu, action: Some(Remove), phase: Post, count: Some(3) })\n"
    );
}

#[test]
fn a_failed_check_is_an_error_line_and_exit_1() {
    let (code, err) = run(&script(), &hook("pmig", "migrate", "check", "7"));
    assert_eq!(code, 1);
    assert!(err.ends_with("\nerror: count 7 vetoes\n"), "{err}");
}

#[test]
fn undocheck_runs_undopremigrate_when_the_script_opts_in() {
    let (code, err) = run(&script().hook_undocheck(true), &hook("pmig", "migrate", "undocheck", "0"));
    assert_eq!(code, 0);
    assert!(
        err.starts_with(
            "warning: undopremigrate PowerpcUtils(Hook { drc_type: Pmig, action: Some(Migrate), phase: Undocheck"
        ),
        "{err}"
    );
}

#[test]
fn powerpc_utils_1_3_11_runs_migration_hooks_but_not_processor_hooks() {
    let (code, err) = run(&script(), &[("DRC_TYPE", "pmig"), ("PHASE", "pre")]);
    assert_eq!(
        (code, err.as_str()),
        (0, "warning: premigrate PowerpcUtils(Hook { drc_type: Pmig, action: None, phase: Pre, count: None })\n")
    );
    let (code, err) = run(&script(), &[("DRC_TYPE", "cpu"), ("PHASE", "pre")]);
    assert_eq!(code, 0);
    assert_eq!(
        err,
        "warning: DRC_TYPE=cpu PHASE=pre without ACTION (powerpc-utils 1.3.11): a processor addition cannot be \
         told from a removal; nothing done\n"
    );
}

#[test]
fn unknown_words_warn_and_exit_0() {
    let cases = [
        (
            hook("mem", "add", "pre", "1"),
            "warning: DRC_TYPE='mem' is not a value this script knows (cpu, pmig); nothing done\n",
        ),
        (
            hook("cpu", "add", "prepare", "1"),
            "warning: PHASE='prepare' is not a value this script knows (check, undocheck, pre, post); nothing done\n",
        ),
        (
            hook("cpu", "replace", "pre", "1"),
            "warning: ACTION='replace' is not a value this script knows (add, remove, migrate); nothing done\n",
        ),
        (
            hook("cpu", "add", "check", "1"),
            "warning: DRC_TYPE=cpu ACTION=add PHASE=check is not a hook run this script answers; nothing done\n",
        ),
        (
            hook("pmig", "remove", "pre", "1"),
            "warning: DRC_TYPE=pmig ACTION=remove PHASE=pre is not a hook run this script answers; nothing done\n",
        ),
    ];
    for (env, expected) in cases {
        assert_eq!(run(&script(), &env), (0, expected.to_owned()), "{env:?}");
    }
}

#[test]
fn a_malformed_count_is_an_error_except_in_check() {
    let (code, err) = run(&script(), &hook("cpu", "add", "pre", "two"));
    assert_eq!(
        (code, err.as_str()),
        (1, "error: DRC_COUNT='two' is malformed: expected a decimal count from 0 to 4294967295\n")
    );
    let (code, err) = run(&script(), &hook("pmig", "migrate", "check", "-1"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.starts_with(
            "warning: DRC_COUNT='-1' is malformed: expected a decimal count from 0 to 4294967295; the check goes on without it\n\
             warning: checkmigrate PowerpcUtils(Hook { drc_type: Pmig, action: Some(Migrate), phase: Check, count: None })"
        ),
        "{err}"
    );
}

#[test]
fn a_type_the_script_does_not_register_is_a_warning() {
    let only_pmig = Script::new("Acme", "pmig only")
        .version(1)
        .date("22112026")
        .resource(Resource::from_static("pmig"), "Acme")
        .on(Command::PreMigrate, Target::AnyResource, |_: &Event, _: &mut Context| Ok(()));
    assert_eq!(
        run(&only_pmig, &hook("cpu", "add", "pre", "1")),
        (0, "warning: this script does not register cpu (it registers: pmig); nothing done\n".to_owned())
    );
}

#[test]
fn without_phase_or_type_it_is_not_a_hook() {
    for env in [&[("PHASE", "pre")][..], &[("DRC_TYPE", "cpu")], &[]] {
        assert_eq!(read(&owned(env)), Reading::NotAHook);
    }
}
