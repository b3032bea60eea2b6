//! The capture installed in drmgr-sim, two instances whose names sort differently,
//! through whole operations on both hosts.

use dlpar_capture::read::Capture;
use dlpar_capture::record::HostKind;
use dlpar_script::protocol::Resource;
use drmgr_sim::linux::{CpuAction, Hooks, LinuxOp, install};
use drmgr_sim::{InstallOptions, Operation, Outcome, Repository, Runner};

use super::support::Place;

/// `(installed name, command, resource)` of every run, in order.
fn sequence(capture: &Capture) -> Vec<(String, String, String)> {
    capture
        .runs()
        .iter()
        .map(|run| {
            let i = run.invocation;
            (i.installed_name.clone(), i.command().unwrap_or("-").to_owned(), i.resource().unwrap_or("-").to_owned())
        })
        .collect()
}

fn triple(name: &str, command: &str, resource: &str) -> (String, String, String) {
    (name.to_owned(), command.to_owned(), resource.to_owned())
}

#[test]
fn aix_a_cpu_remove_vetoed_by_one_instance() {
    let place = Place::new();
    let runner = Runner::new().setenv("DLPAR_CAPTURE_FILE", place.file());
    let repo = Repository::new(place.work.path().join("repo"));
    for name in ["capture_9", "capture_10"] {
        let installed = repo.install(&runner, &place.installed(name), &InstallOptions::default()).unwrap();
        assert!(installed.warnings.is_empty(), "{:?}", installed.warnings);
    }
    place.control("capture_10 checkrelease cpu exit 1\n");
    let trace = Operation::remove(Resource::Cpu).run(&repo, &runner).unwrap();
    assert_eq!(trace.outcome, Outcome::Vetoed);
    let capture = Capture::read_file(place.file()).unwrap();
    let sequence = sequence(&capture);
    // The install commands of both instances, then the check phase, stopped by the veto.
    let install: Vec<_> =
        sequence.iter().filter(|(_, c, _)| ["scriptinfo", "register", "usage"].contains(&c.as_str())).collect();
    assert_eq!(install.iter().filter(|(n, _, _)| n == "capture_9").count(), install.len() / 2);
    let events: Vec<_> =
        sequence.into_iter().filter(|(_, c, _)| !["scriptinfo", "register", "usage"].contains(&c.as_str())).collect();
    assert!(events.contains(&triple("capture_10", "checkrelease", "cpu")), "{events:?}");
    assert!(
        events.iter().all(|(_, c, r)| c == "checkrelease" && r == "cpu"),
        "the veto stops the operation: {events:?}"
    );
    assert!(capture.runs().iter().all(|r| r.invocation.host == HostKind::Aix && r.end.is_some()));
}

#[test]
fn aix_a_migration_runs_every_phase_in_both_instances() {
    let place = Place::new();
    let runner = Runner::new().setenv("DLPAR_CAPTURE_FILE", place.file());
    let repo = Repository::new(place.work.path().join("repo"));
    for name in ["capture_9", "capture_10"] {
        repo.install(&runner, &place.installed(name), &InstallOptions::default()).unwrap();
    }
    std::fs::remove_file(place.file()).unwrap();
    let trace = Operation::migrate().run(&repo, &runner).unwrap();
    assert_eq!(trace.outcome, Outcome::Success);
    let capture = Capture::read_file(place.file()).unwrap();
    let mut commands: Vec<_> = sequence(&capture).into_iter().map(|(_, c, r)| format!("{c} {r}")).collect();
    commands.dedup();
    assert_eq!(commands, ["checkmigrate pmig", "premigrate pmig", "postmigrate pmig"]);
    assert_eq!(capture.runs().len(), 6);
}

#[test]
fn linux_a_cpu_add_runs_the_hooks_of_both_instances() {
    let place = Place::new();
    // The runner asks `register` at install; the hooks' own variables are for the runs.
    let runner = Runner::new().setenv("DLPAR_CAPTURE_FILE", place.file());
    let hooks = Hooks::new(place.work.path().join("drmgr.d")).setenv("DLPAR_CAPTURE_FILE", place.file());
    for name in ["capture_9", "capture_10"] {
        install(&hooks, &runner, &place.installed(name)).unwrap();
    }
    std::fs::remove_file(place.file()).unwrap();
    let trace = hooks.run(&LinuxOp::Cpu { action: CpuAction::Add, count: 2, fail_kernel: false });
    assert_eq!(trace.outcome, Outcome::Success);
    let capture = Capture::read_file(place.file()).unwrap();
    assert_eq!(
        sequence(&capture),
        [
            triple("capture_9", "pre", "cpu"),
            triple("capture_10", "pre", "cpu"),
            triple("capture_9", "post", "cpu"),
            triple("capture_10", "post", "cpu"),
        ],
        "versionsort: capture_9 before capture_10"
    );
    let run = &capture.runs()[0];
    assert_eq!(run.invocation.host, HostKind::Hook);
    assert_eq!(run.invocation.env_var("DRC_COUNT"), Some("2"));
}
