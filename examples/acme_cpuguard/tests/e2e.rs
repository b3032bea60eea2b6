//! acme_cpuguard through whole processor operations under drmgr-sim: installed into
//! a scratch repository, then driven through removals and an addition. Each test
//! snapshots the trace.

use std::path::PathBuf;

use dlpar_script::protocol::Resource;
use drmgr_sim::{EventVars, InstallOptions, Operation, Outcome, Repository, Runner, Trace};

/// A fresh repository with acme_cpuguard installed, under this test's own directory.
fn install(test: &str) -> (Repository, Runner) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("acme_cpuguard-e2e").join(test);
    match std::fs::remove_dir_all(&dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => panic!("cannot clear {}: {e}", dir.display()),
        _ => {}
    }
    let repo = Repository::new(dir.join("repository"));
    let runner = Runner::new().setenv("DLPAR_STATE_DIR", dir.join("state"));
    repo.install(&runner, env!("CARGO_BIN_EXE_acme_cpuguard").as_ref(), &InstallOptions::default()).unwrap();
    (repo, runner)
}

fn run(test: &str, operation: Operation, bcpuid: u32) -> Trace {
    let (repo, runner) = install(test);
    operation.event(EventVars::Cpu { bcpuid, lcpuid: bcpuid }).run(&repo, &runner).unwrap()
}

#[test]
fn removing_a_processor_above_the_floor_succeeds() {
    let trace = run("success", Operation::remove(Resource::Cpu), 3);
    assert_eq!(trace.outcome, Outcome::Success);
    insta::assert_snapshot!(trace.render_snapshot());
}

#[test]
fn removing_one_of_the_first_two_processors_is_vetoed() {
    let trace = run("veto", Operation::remove(Resource::Cpu), 1);
    assert_eq!(trace.outcome, Outcome::Vetoed);
    insta::assert_snapshot!(trace.render_snapshot());
}

#[test]
fn a_forced_removal_skips_the_veto() {
    let trace = run("force", Operation::remove(Resource::Cpu).force(true), 1);
    assert_eq!(trace.outcome, Outcome::Success);
    insta::assert_snapshot!(trace.render_snapshot());
}

#[test]
fn a_failed_removal_runs_the_undo_command() {
    let trace = run("undo", Operation::remove(Resource::Cpu).fail_kernel(true), 3);
    assert_eq!(trace.outcome, Outcome::Failed);
    insta::assert_snapshot!(trace.render_snapshot());
}

#[test]
fn an_addition_is_not_the_guard_s_business() {
    let trace = run("add", Operation::add(Resource::Cpu), 4);
    assert_eq!(trace.outcome, Outcome::Success);
    insta::assert_snapshot!(trace.render_snapshot());
}
