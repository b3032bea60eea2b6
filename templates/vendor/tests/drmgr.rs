//! Runs {{vendor}}_{{subsystem}} the way drmgr does, through drmgr-sim: installed into a
//! scratch repository, then driven through whole memory removals and additions.
//!
//! `cargo test` builds the script and runs these tests. To watch an operation
//! yourself, print `trace.render_snapshot()` in a test and run
//! `cargo test -- --nocapture`.

use dlpar_script::protocol::Resource;
use drmgr_sim::{
    EventVars, InstallOptions, MemVars, Operation, Outcome, Repository, Runner, Trace,
};
use tempfile::TempDir;

const NAME: &str = "{{vendor}}_{{subsystem}}";
const SCRIPT: &str = env!("CARGO_BIN_EXE_{{vendor}}_{{subsystem}}");

/// A scratch partition: a script repository, deleted when the test ends. drmgr-sim
/// keeps the scripts' phase state inside it (`<root>/.state/<uid>`), away from the
/// system's state directory.
struct Partition {
    repo: Repository,
    runner: Runner,
    root: TempDir,
}

impl Partition {
    /// Installs the script, as `drmgr -i` would.
    fn new() -> Partition {
        let root = tempfile::tempdir().unwrap();
        let repo = Repository::new(root.path());
        let runner = Runner::new();
        repo.install(&runner, SCRIPT.as_ref(), &InstallOptions::default())
            .expect("the script installs");
        Partition { repo, runner, root }
    }

    /// Runs one memory operation of `request_mb` on a partition with 3 GB pinnable
    /// (drmgr-sim's defaults for the other values).
    fn run(&self, operation: Operation, request_mb: u64) -> Trace {
        let memory = MemVars { request_mb, pinnable_frames: 0xC0000, ..MemVars::default() };
        let operation = operation.event(EventVars::Mem(memory)).detail(3);
        operation.run(&self.repo, &self.runner).expect("the operation runs")
    }

    /// The phase-state files left behind, in every user's state directory.
    fn state_files(&self) -> usize {
        let users = std::fs::read_dir(self.root.path().join(".state")).into_iter().flatten();
        users.flatten().map(|user| std::fs::read_dir(user.path()).map_or(0, |dir| dir.count())).sum()
    }
}

/// The commands that ran, as `command script` lines.
fn steps(trace: &Trace) -> Vec<String> {
    trace.steps().map(|(command, script)| format!("{command} {script}")).collect()
}

/// `command NAME` for each command.
fn expected(commands: &[&str]) -> Vec<String> {
    commands.iter().map(|command| format!("{command} {NAME}")).collect()
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
    assert_eq!(entry.name, NAME);
    assert_eq!(
        (entry.vendor.as_str(), entry.info.as_str()),
        ("{{vendor_name}}", "{{description}}")
    );
    assert_eq!(
        entry.resources.iter().map(|(resource, _)| resource.clone()).collect::<Vec<_>>(),
        [Resource::Mem]
    );
}

#[test]
fn a_removal_that_leaves_enough_pinnable_memory_goes_through() {
    let partition = Partition::new();
    let trace = partition.run(Operation::remove(Resource::Mem), 256);
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(steps(&trace), expected(&["checkrelease", "prerelease", "postrelease"]));
    assert_eq!(
        messages(&trace),
        ["{{subsystem}} gives back 256 MB", "256 MB removed: {{subsystem}} stays 256 MB smaller"]
    );
    assert_eq!(partition.state_files(), 0, "the phase state is gone once the operation is over");
}

#[test]
fn a_removal_that_leaves_too_little_pinnable_memory_is_refused() {
    let trace = Partition::new().run(Operation::remove(Resource::Mem), 2816);
    assert_eq!(trace.outcome, Outcome::Vetoed);
    assert_eq!(steps(&trace), expected(&["checkrelease"]));
    assert_eq!(
        messages(&trace),
        ["{{subsystem}} needs 512 MB of pinnable memory; removing 2816 MB would leave 256 MB"]
    );
}

#[test]
fn a_forced_removal_skips_the_check() {
    let trace = Partition::new().run(Operation::remove(Resource::Mem).force(true), 2816);
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(steps(&trace), expected(&["prerelease", "postrelease"]));
}

#[test]
fn a_failed_removal_gives_the_memory_back() {
    let partition = Partition::new();
    let trace = partition.run(Operation::remove(Resource::Mem).fail_kernel(true), 256);
    assert_eq!(trace.outcome, Outcome::Failed);
    assert_eq!(steps(&trace), expected(&["checkrelease", "prerelease", "undoprerelease"]));
    assert_eq!(
        messages(&trace),
        [
            "{{subsystem}} gives back 256 MB",
            "the removal failed: {{subsystem}} takes its 256 MB back"
        ]
    );
    assert_eq!(partition.state_files(), 0);
}

#[test]
fn an_addition_lets_the_application_grow() {
    let trace = Partition::new().run(Operation::add(Resource::Mem), 1024);
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(steps(&trace), expected(&["checkacquire", "preacquire", "postacquire"]));
    assert_eq!(messages(&trace), ["1024 MB added: {{subsystem}} may grow"]);
}

#[test]
fn processor_changes_do_not_concern_the_script() {
    let partition = Partition::new();
    let trace = Operation::remove(Resource::Cpu).run(&partition.repo, &partition.runner).unwrap();
    assert_eq!(trace.outcome, Outcome::Success);
    assert!(trace.invocations.is_empty(), "{}", trace.render_snapshot());
}
