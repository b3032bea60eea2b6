//! Spec §7 for every family: order, FORCE, vetoes, pre failures, kernel failure → undo.

use dlpar_script::protocol::Resource;
use drmgr_sim::{Kernel, Operation, OperationError, Outcome, Trace};

use crate::sim::support::{Sim, steps};

/// Three probes, installed in an order other than their names'.
fn probes() -> Sim {
    let sim = Sim::new();
    for name in ["c", "a", "b"] {
        sim.install("probe.sh", name);
    }
    sim
}

/// `command x` for each one-letter script name in `names`, in that order.
fn each(command: &str, names: &str) -> Vec<String> {
    names.chars().map(|name| format!("{command} {name}")).collect()
}

/// Runs `op` with the probes failing at `fail` (`NAME:COMMAND` pairs) and checks
/// the outcome and the exact sequence of invocations.
fn check(op: Operation, fail: &str, outcome: Outcome, expected: &[String]) -> Trace {
    let sim = probes();
    let trace = op.run(&sim.repo, &sim.with_env("PROBE_FAIL", fail)).unwrap();
    assert_eq!(steps(&trace), expected, "{}", trace.render_snapshot());
    assert_eq!(trace.outcome, outcome, "{}", trace.render_snapshot());
    trace
}

#[test]
fn remove_runs_check_pre_post_in_name_order() {
    let trace = check(
        Operation::remove(Resource::Cpu),
        "",
        Outcome::Success,
        &[each("checkrelease", "abc"), each("prerelease", "abc"), each("postrelease", "abc")].concat(),
    );
    assert_eq!(trace.kernel, Kernel::Succeeded { after: 6 });
    assert!(trace.invocations.iter().all(|i| i.resource == Some(Resource::Cpu)));
    assert_eq!(trace.reason, None);
}

#[test]
fn remove_check_stops_at_the_first_veto() {
    let trace = check(
        Operation::remove(Resource::Mem),
        "b:checkrelease c:checkrelease",
        Outcome::Vetoed,
        &each("checkrelease", "ab"),
    );
    assert_eq!(trace.kernel, Kernel::NotReached);
    assert_eq!(trace.reason.as_deref(), Some("checkrelease mem vetoed by b: b refuses checkrelease"));
}

#[test]
fn forced_remove_skips_the_check_phase() {
    let trace = check(
        Operation::remove(Resource::Cpu).force(true),
        "b:checkrelease",
        Outcome::Success,
        &[each("prerelease", "abc"), each("postrelease", "abc")].concat(),
    );
    assert_eq!(trace.notes, ["FORCE: checkrelease skipped"]);
    assert!(trace.env.contains(&("DR_FORCE".into(), "TRUE".into())));
}

#[test]
fn a_failed_prerelease_is_reported_and_the_removal_goes_on() {
    let trace = check(
        Operation::remove(Resource::Cpu),
        "b:prerelease b:postrelease",
        Outcome::Success,
        &[each("checkrelease", "abc"), each("prerelease", "abc"), each("postrelease", "abc")].concat(),
    );
    assert_eq!(
        trace.notes,
        ["prerelease failed for b: reported; the operation goes on", "postrelease failed for b: reported and ignored"]
    );
}

#[test]
fn remove_kernel_failure_undoes_every_prerelease_in_reverse() {
    let trace = check(
        Operation::remove(Resource::Capacity).fail_kernel(true),
        "b:prerelease",
        Outcome::Failed,
        &[each("checkrelease", "abc"), each("prerelease", "abc"), each("undoprerelease", "cba")].concat(),
    );
    assert_eq!(trace.kernel, Kernel::Failed { after: 6 });
    assert_eq!(
        trace.reason.as_deref(),
        Some(
            "the kernel step (the removal of capacity) failed (a simulated failure); undoprerelease ran for 3 scripts"
        )
    );
}

#[test]
fn forced_remove_with_kernel_failure_undoes_too() {
    check(
        Operation::remove(Resource::VarWeight).force(true).fail_kernel(true),
        "",
        Outcome::Failed,
        &[each("prerelease", "abc"), each("undoprerelease", "cba")].concat(),
    );
}

#[test]
fn add_runs_check_pre_post() {
    check(
        Operation::add(Resource::Mem),
        "",
        Outcome::Success,
        &[each("checkacquire", "abc"), each("preacquire", "abc"), each("postacquire", "abc")].concat(),
    );
}

#[test]
fn an_add_veto_cannot_be_forced() {
    let trace =
        check(Operation::add(Resource::Cpu).force(true), "a:checkacquire", Outcome::Vetoed, &each("checkacquire", "a"));
    assert!(trace.notes.is_empty());
}

#[test]
fn a_failed_preacquire_stops_the_add_and_undoes_only_the_successful_ones() {
    let trace = check(
        Operation::add(Resource::Cpu),
        "b:preacquire",
        Outcome::Failed,
        &[each("checkacquire", "abc"), each("preacquire", "ab"), each("undopreacquire", "a")].concat(),
    );
    assert_eq!(trace.kernel, Kernel::NotReached);
    assert_eq!(
        trace.reason.as_deref(),
        Some("preacquire cpu failed in b: b refuses preacquire; undopreacquire ran for 1 script")
    );
}

#[test]
fn a_forced_add_whose_kernel_step_fails_skips_the_undo_of_the_failed_preacquire() {
    let trace = check(
        Operation::add(Resource::Mem).force(true).fail_kernel(true),
        "b:preacquire",
        Outcome::Failed,
        &[each("checkacquire", "abc"), each("preacquire", "abc"), each("undopreacquire", "ca")].concat(),
    );
    assert_eq!(
        trace.reason.as_deref(),
        Some("the kernel step (the addition of mem) failed (a simulated failure); undopreacquire ran for 2 scripts")
    );
}

#[test]
fn forced_add_goes_on_after_a_failed_preacquire() {
    let trace = check(
        Operation::add(Resource::Cpu).force(true),
        "b:preacquire",
        Outcome::Success,
        &[each("checkacquire", "abc"), each("preacquire", "abc"), each("postacquire", "abc")].concat(),
    );
    assert_eq!(trace.notes, ["preacquire failed for b: reported; FORCE: the operation goes on"]);
}

#[test]
fn add_kernel_failure_undoes_in_reverse() {
    check(
        Operation::add(Resource::Capacity).fail_kernel(true),
        "",
        Outcome::Failed,
        &[each("checkacquire", "abc"), each("preacquire", "abc"), each("undopreacquire", "cba")].concat(),
    );
}

#[test]
fn migrate_runs_for_pmig_and_its_premigrate_errors_do_not_stop_it() {
    let trace = check(
        Operation::migrate(),
        "a:premigrate",
        Outcome::Success,
        &[each("checkmigrate", "abc"), each("premigrate", "abc"), each("postmigrate", "abc")].concat(),
    );
    assert!(trace.invocations.iter().all(|i| i.resource.as_ref().map(Resource::as_str) == Some("pmig")));
}

#[test]
fn a_migrate_veto_cannot_be_forced() {
    check(Operation::migrate().force(true), "b:checkmigrate", Outcome::Vetoed, &each("checkmigrate", "ab"));
}

#[test]
fn a_failed_migration_undoes_premigrate_in_reverse_without_postmigrate() {
    check(
        Operation::migrate().fail_kernel(true),
        "",
        Outcome::Failed,
        &[each("checkmigrate", "abc"), each("premigrate", "abc"), each("undopremigrate", "cba")].concat(),
    );
}

#[test]
fn a_failed_migration_does_not_undo_a_failed_premigrate() {
    for force in [false, true] {
        check(
            Operation::migrate().force(force).fail_kernel(true),
            "b:premigrate",
            Outcome::Failed,
            &[each("checkmigrate", "abc"), each("premigrate", "abc"), each("undopremigrate", "ca")].concat(),
        );
    }
}

#[test]
fn hibernate_follows_the_migrate_rules_with_its_own_words() {
    check(
        Operation::hibernate().force(true),
        "",
        Outcome::Success,
        &[each("checkhibernate", "abc"), each("prehibernate", "abc"), each("posthibernate", "abc")].concat(),
    );
    check(
        Operation::hibernate().fail_kernel(true),
        "c:prehibernate",
        Outcome::Failed,
        &[each("checkhibernate", "abc"), each("prehibernate", "abc"), each("undohibernate", "ba")].concat(),
    );
    check(Operation::hibernate().force(true), "a:checkhibernate", Outcome::Vetoed, &each("checkhibernate", "a"));
}

#[test]
fn accelerator_runs_pre_and_post() {
    check(
        Operation::accelerator(),
        "",
        Outcome::Success,
        &[each("preaccevent", "abc"), each("postaccevent", "abc")].concat(),
    );
}

#[test]
fn a_failed_preaccevent_stops_and_undoes_only_the_successful_ones_even_forced() {
    for force in [false, true] {
        let trace = check(
            Operation::accelerator().force(force),
            "b:preaccevent",
            Outcome::Failed,
            &[each("preaccevent", "ab"), each("undopreaccevent", "a")].concat(),
        );
        assert_eq!(
            trace.reason.as_deref(),
            Some("preaccevent acc failed in b: b refuses preaccevent; undopreaccevent ran for 1 script")
        );
    }
}

#[test]
fn a_failed_accelerator_event_undoes_the_successful_preaccevents() {
    check(
        Operation::accelerator().fail_kernel(true),
        "c:preaccevent",
        Outcome::Failed,
        &[each("preaccevent", "abc"), each("undopreaccevent", "ba")].concat(),
    );
    check(
        Operation::accelerator().fail_kernel(true),
        "",
        Outcome::Failed,
        &[each("preaccevent", "abc"), each("undopreaccevent", "cba")].concat(),
    );
}

#[test]
fn topology_ignores_pre_errors_and_cannot_fail() {
    for force in [false, true] {
        let trace = check(
            Operation::topology().force(force),
            "b:pretopologyupdate",
            Outcome::Success,
            &[each("pretopologyupdate", "abc"), each("posttopologyupdate", "abc")].concat(),
        );
        assert_eq!(trace.env.last(), Some(&("DR_DETAIL_LEVEL".into(), "0".into())));
    }
    let sim = probes();
    let err = Operation::topology().fail_kernel(true).run(&sim.repo, &sim.runner).unwrap_err();
    assert!(matches!(err, OperationError::TopologyCannotFail));
    assert_eq!(
        err.to_string(),
        "a topology update cannot fail (docs/protocol.md §7): there is no kernel failure to simulate"
    );
}

#[test]
fn exit_10_is_a_warning_and_counts_as_success() {
    let sim = probes();
    let trace =
        Operation::remove(Resource::Cpu).run(&sim.repo, &sim.with_env("PROBE_EXIT10", "a:checkrelease")).unwrap();
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(trace.invocations.len(), 9);
    assert_eq!(
        trace.invocations[0].warnings(),
        ["exit 10: checkrelease is not supported by this script; treated as success"]
    );
}

#[test]
fn only_scripts_registered_for_the_resource_word_are_called() {
    let sim = Sim::new();
    sim.install("perl_guard.pl", "perl_guard");
    sim.install("probe.sh", "B_probe");
    let runner = sim.with_env("PROBE_RESOURCES", "acme_lpm cpu");
    sim.repo.install(&runner, &sim.source("probe.sh", "a_probe"), &Default::default()).unwrap();

    let trace = Operation::migrate().resource("acme_lpm".parse().unwrap()).run(&sim.repo, &sim.runner).unwrap();
    assert_eq!(steps(&trace), ["checkmigrate a_probe", "premigrate a_probe", "postmigrate a_probe"]);
    assert_eq!(trace.invocations[0].resource.as_ref().map(Resource::as_str), Some("acme_lpm"));

    // Byte order: upper case sorts first; Perl runs beside shell.
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &sim.runner).unwrap();
    assert_eq!(trace.scripts, ["B_probe", "a_probe", "perl_guard"]);
    let trace = Operation::remove(Resource::Cpu)
        .event(drmgr_sim::EventVars::Cpu { bcpuid: 0, lcpuid: 0 })
        .run(&sim.repo, &sim.runner)
        .unwrap();
    assert_eq!(trace.outcome, Outcome::Vetoed);
    assert_eq!(trace.reason.as_deref(), Some("checkrelease cpu vetoed by perl_guard: bind CPU 0 stays with the guard"));
}

#[test]
fn no_registered_script_is_a_plain_success() {
    let sim = Sim::new();
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &sim.runner).unwrap();
    assert_eq!((trace.outcome, trace.kernel), (Outcome::Success, Kernel::Succeeded { after: 0 }));
    assert_eq!(trace.notes, ["no script on this host registered cpu"]);
}
