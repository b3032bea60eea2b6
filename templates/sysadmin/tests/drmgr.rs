//! Runs sysadmin_{{subsystem}} the way drmgr does, through drmgr-sim: installed into a
//! scratch repository, then driven through whole processor removals and additions.
//!
//! `cargo test` builds the script and runs these tests. To watch an operation
//! yourself, print `trace.render_snapshot()` in a test and run
//! `cargo test -- --nocapture`.

use dlpar_script::protocol::Resource;
use drmgr_sim::{EventVars, InstallOptions, Operation, Outcome, Repository, Runner, Trace};
use tempfile::TempDir;

const SCRIPT: &str = env!("CARGO_BIN_EXE_sysadmin_{{subsystem}}");

/// A scratch partition: a script repository, deleted when the test ends (drmgr-sim
/// keeps any phase state inside it).
struct Partition {
    repo: Repository,
    runner: Runner,
    _root: TempDir,
}

impl Partition {
    /// Installs the script, as `drmgr -i` would.
    fn new() -> Partition {
        let root = tempfile::tempdir().unwrap();
        let repo = Repository::new(root.path());
        let runner = Runner::new();
        repo.install(&runner, SCRIPT.as_ref(), &InstallOptions::default())
            .expect("the script installs");
        Partition { repo, runner, _root: root }
    }

    /// Runs one operation on processor `bcpuid` (the logical id is the same here).
    fn run(&self, operation: Operation, bcpuid: u32) -> Trace {
        let operation = operation.event(EventVars::Cpu { bcpuid, lcpuid: bcpuid }).detail(3);
        operation.run(&self.repo, &self.runner).expect("the operation runs")
    }
}

/// The commands that ran, as `command script` lines.
fn steps(trace: &Trace) -> Vec<String> {
    trace.steps().map(|(command, script)| format!("{command} {script}")).collect()
}

/// The log lines (`DR_LOG_*`) and errors (`DR_ERROR`) the commands printed, in order.
fn messages(trace: &Trace) -> Vec<String> {
    let mut messages = Vec::new();
    for invocation in &trace.invocations {
        messages.extend(invocation.reply.logs().map(|(_, text)| text.to_owned()));
        messages.extend(invocation.reply.error());
    }
    messages
}

#[test]
fn drmgr_records_the_script_at_install() {
    let partition = Partition::new();
    let scripts = partition.repo.scripts().unwrap();
    assert_eq!(scripts.len(), 1);
    let entry = &scripts[0];
    assert_eq!(entry.name, "sysadmin_{{subsystem}}");
    assert_eq!((entry.vendor.as_str(), entry.info.as_str()), ("{{maintainer}}", "{{description}}"));
    assert_eq!(
        entry.resources.iter().map(|(resource, _)| resource.clone()).collect::<Vec<_>>(),
        [Resource::Cpu]
    );
}

#[test]
fn a_removal_that_leaves_enough_processors_goes_through() {
    let trace = Partition::new().run(Operation::remove(Resource::Cpu), 3);
    assert_eq!(trace.outcome, Outcome::Success);
    let script = "sysadmin_{{subsystem}}";
    let expected =
        ["checkrelease", "prerelease", "postrelease"].map(|command| format!("{command} {script}"));
    assert_eq!(steps(&trace), expected);
    assert_eq!(
        messages(&trace),
        [
            "processor 3 may go: 3 processors stay online",
            "processor 3 was removed: 3 processors online"
        ]
    );
}

#[test]
fn a_removal_that_leaves_too_few_processors_is_refused() {
    let trace = Partition::new().run(Operation::remove(Resource::Cpu), 1);
    assert_eq!(trace.outcome, Outcome::Vetoed);
    assert_eq!(steps(&trace), ["checkrelease sysadmin_{{subsystem}}"]);
    assert_eq!(
        messages(&trace),
        ["sysadmin_{{subsystem}} keeps 2 processors online; removing processor 1 would leave 1"]
    );
}

#[test]
fn a_forced_removal_skips_the_check() {
    let trace = Partition::new().run(Operation::remove(Resource::Cpu).force(true), 1);
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(
        steps(&trace),
        ["prerelease sysadmin_{{subsystem}}", "postrelease sysadmin_{{subsystem}}"]
    );
}

#[test]
fn an_addition_is_logged() {
    let trace = Partition::new().run(Operation::add(Resource::Cpu), 4);
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(messages(&trace), ["processor 4 was added: 5 processors online"]);
}
