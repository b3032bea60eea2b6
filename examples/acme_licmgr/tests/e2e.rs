//! acme_licmgr through whole processor operations under drmgr-sim: `bindprocessor -q`
//! answered by the replay runner (`DLPAR_AIX_REPLAY`): four processors online, and
//! one more or one fewer once the kernel step of an addition or removal succeeded.
//! The licence file is in a temporary directory (`ACME_LICMGR_CONF`). Each test
//! snapshots the trace.

use dlpar_script::aix::{RecordedOutput, ReplayRunner};
use std::path::{Path, PathBuf};

use dlpar_script::protocol::{Command, Resource};
use drmgr_sim::{EventVars, InstallOptions, Invocation, Operation, Outcome, Repository, Runner, Trace};
use tempfile::TempDir;

/// A repository with acme_licmgr installed and a licence file holding `licence`.
struct Setup {
    work: TempDir,
    replay: PathBuf,
    _root: TempDir,
    repo: Repository,
    runner: Runner,
}

/// Writes the replay file: `bindprocessor -q` lists `online` processors.
fn write_online(replay: &Path, online: u32) {
    let ids: Vec<String> = (0..online).map(|id| id.to_string()).collect();
    let answer = RecordedOutput::stdout(format!("The available processors are: {}\n", ids.join(" ")));
    std::fs::write(replay, ReplayRunner::new().on(["/usr/sbin/bindprocessor", "-q"], answer).to_json()).unwrap();
}

impl Setup {
    fn new(licence: &str) -> Setup {
        let (root, work) = (TempDir::new().unwrap(), TempDir::new().unwrap());
        let (replay, conf) = (work.path().join("replay.json"), work.path().join("licmgr.conf"));
        write_online(&replay, 4);
        std::fs::write(&conf, licence).unwrap();
        let runner = Runner::new()
            .setenv("DLPAR_AIX_REPLAY", &replay)
            .setenv("ACME_LICMGR_CONF", &conf)
            .setenv("DLPAR_STATE_DIR", work.path().join("state"));
        let repo = Repository::new(root.path());
        repo.install(&runner, env!("CARGO_BIN_EXE_acme_licmgr").as_ref(), &InstallOptions::default()).unwrap();
        Setup { work, replay, _root: root, repo, runner }
    }

    /// Runs `operation` on processor `bcpuid`, with the details logged.
    fn run(&self, operation: Operation, bcpuid: u32) -> Trace {
        let operation = operation.event(EventVars::Cpu { bcpuid, lcpuid: bcpuid }).detail(2);
        let kernel_changes = |invocation: &Invocation| match invocation.command {
            Command::PreAcquire => Some(5),
            Command::PreRelease => Some(3),
            _ => None,
        };
        let observe = |invocation: &Invocation| {
            if let Some(online) = kernel_changes(invocation).filter(|_| !operation.kernel_fails()) {
                write_online(&self.replay, online);
            }
        };
        operation.run_observed(&self.repo, &self.runner, observe).unwrap()
    }

    /// The trace with the temporary directory replaced by `[work]`.
    fn snapshot(&self, trace: &Trace) -> String {
        trace.render_snapshot().replace(&self.work.path().display().to_string(), "[work]")
    }
}

#[test]
fn a_processor_within_the_licence_is_added() {
    let setup = Setup::new("licensed_cpus = 8\n");
    let trace = setup.run(Operation::add(Resource::Cpu), 4);
    assert_eq!(trace.outcome, Outcome::Success);
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn a_processor_beyond_the_licence_is_vetoed() {
    let setup = Setup::new("licensed_cpus = 4\n");
    let trace = setup.run(Operation::add(Resource::Cpu), 4);
    assert_eq!(trace.outcome, Outcome::Vetoed);
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn force_cannot_get_past_the_licence() {
    let setup = Setup::new("licensed_cpus = 4\n");
    let trace = setup.run(Operation::add(Resource::Cpu).force(true), 4);
    assert_eq!(trace.outcome, Outcome::Vetoed);
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn a_failed_addition_runs_the_undo_command() {
    let setup = Setup::new("licensed_cpus = 8\n");
    let trace = setup.run(Operation::add(Resource::Cpu).fail_kernel(true), 4);
    assert_eq!(trace.outcome, Outcome::Failed);
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn a_removal_is_never_refused() {
    let setup = Setup::new("licensed_cpus = 4\n");
    let trace = setup.run(Operation::remove(Resource::Cpu), 3);
    assert_eq!(trace.outcome, Outcome::Success);
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn a_broken_licence_file_is_named() {
    let setup = Setup::new("licensed_cpus = four\n");
    let trace = setup.run(Operation::add(Resource::Cpu), 4);
    assert_eq!(trace.outcome, Outcome::Vetoed);
    insta::assert_snapshot!(setup.snapshot(&trace));
}
