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

/// `capture_9` and `capture_10` installed in a drmgr-sim repository; the capture
/// of the installs, then a fresh capture file for what follows.
fn aix() -> (Place, Runner, Repository, Capture) {
    let place = Place::new();
    let runner = Runner::new().setenv("DLPAR_CAPTURE_FILE", place.file());
    let repo = Repository::new(place.work.path().join("repo"));
    for name in ["capture_9", "capture_10"] {
        let installed = repo.install(&runner, &place.installed(name), &InstallOptions::default()).unwrap();
        assert!(installed.warnings.is_empty(), "{:?}", installed.warnings);
    }
    let install = Capture::read_file(place.file()).unwrap();
    std::fs::remove_file(place.file()).unwrap();
    (place, runner, repo, install)
}

#[test]
fn aix_install_asks_each_instance_scriptinfo_register_and_usage_of_every_resource() {
    let (_place, _runner, _repo, install) = aix();
    let commands: Vec<String> = sequence(&install).into_iter().map(|(n, c, r)| format!("{n} {c} {r}")).collect();
    let words = ["cpu", "mem", "capacity", "var_weight", "pmig", "phib", "acc", "topology"];
    let expected: Vec<String> = ["capture_9", "capture_10"]
        .into_iter()
        .flat_map(|n| {
            [format!("{n} scriptinfo -"), format!("{n} register -")]
                .into_iter()
                .chain(words.iter().map(move |w| format!("{n} usage {w}")))
        })
        .collect();
    assert_eq!(commands, expected);
}

#[test]
fn aix_a_cpu_remove_vetoed_by_one_instance() {
    let (place, runner, repo, _) = aix();
    place.control("capture_10 checkrelease cpu exit 1\n");
    let trace = Operation::remove(Resource::Cpu).run(&repo, &runner).unwrap();
    assert_eq!(trace.outcome, Outcome::Vetoed);
    let capture = Capture::read_file(place.file()).unwrap();
    // drmgr-sim calls scripts in byte order (capture_10 first); the veto stops the phase.
    assert_eq!(sequence(&capture), [triple("capture_10", "checkrelease", "cpu")]);
    let run = &capture.runs()[0];
    assert_eq!((run.invocation.host, run.end.map(|e| e.exit_status)), (HostKind::Aix, Some(1)));
}

#[test]
fn aix_a_migration_runs_every_phase_in_both_instances() {
    let (place, runner, repo, _) = aix();
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
    let hooks_dir = place.work.path().join("drmgr.d");
    std::fs::create_dir(&hooks_dir).unwrap();
    let hooks = Hooks::new(hooks_dir).setenv("DLPAR_CAPTURE_FILE", place.file());
    for name in ["capture_9", "capture_10"] {
        install(&hooks, &runner, &place.installed(name), false).unwrap();
    }
    std::fs::remove_file(place.file()).unwrap();
    let trace = hooks.run(&LinuxOp::Cpu { action: CpuAction::Add, count: 2, fail_kernel: false }).unwrap();
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
