//! acme_quiesce unchanged on both hosts: drmgr-sim `run` (AIX drmgr) and
//! drmgr-sim `linux` (powerpc-utils hooks), the control file in a temporary
//! directory (`ACME_QUIESCE_CONTROL`). Each test asserts the control file after
//! the operation and snapshots the trace.

use std::path::PathBuf;

use dlpar_script::protocol::Resource;
use drmgr_sim::linux::{CpuAction, Hooks, LinuxOp, install};
use drmgr_sim::{EventVars, InstallOptions, Operation, Outcome, Repository, Runner};
use tempfile::TempDir;

const SCRIPT: &str = env!("CARGO_BIN_EXE_acme_quiesce");

/// The control file and the two hosts, each with the script installed.
struct Setup {
    work: TempDir,
    control: PathBuf,
    runner: Runner,
}

impl Setup {
    fn new(control: &str) -> Setup {
        let work = TempDir::new().unwrap();
        let path = work.path().join("quiesce.ctl");
        std::fs::write(&path, control).unwrap();
        let runner =
            Runner::new().setenv("ACME_QUIESCE_CONTROL", &path).setenv("DLPAR_STATE_DIR", work.path().join("state"));
        Setup { work, control: path, runner }
    }

    fn control(&self) -> String {
        std::fs::read_to_string(&self.control).unwrap()
    }

    /// AIX: a repository with the script installed.
    fn aix(&self) -> Repository {
        let repo = Repository::new(self.work.path().join("repo"));
        repo.install(&self.runner, SCRIPT.as_ref(), &InstallOptions::default()).unwrap();
        repo
    }

    /// Linux: a hooks directory with the script installed for pmig and cpu.
    fn linux(&self) -> Hooks {
        let dir = self.work.path().join("drmgr.d");
        std::fs::create_dir_all(&dir).unwrap();
        // Output captured into the trace (by default a hook writes to the test's own).
        let hooks = Hooks::new(dir)
            .capture(true)
            .setenv("ACME_QUIESCE_CONTROL", &self.control)
            .setenv("DLPAR_STATE_DIR", self.work.path().join("state"));
        let placed = install(&hooks, &self.runner, SCRIPT.as_ref(), false).unwrap();
        assert_eq!(placed.files.len(), 2, "pmig and cpu");
        hooks
    }

    fn redact(&self, text: &str) -> String {
        text.replace(&self.work.path().display().to_string(), "[work]")
    }
}

const RUNNING: &str = "state=running\nworkers=4\n";

#[test]
fn aix_a_migration_quiesces_and_resumes() {
    let setup = Setup::new(RUNNING);
    let trace = Operation::migrate().run(&setup.aix(), &setup.runner).unwrap();
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(setup.control(), RUNNING);
    insta::assert_snapshot!(setup.redact(&trace.render_snapshot()));
}

#[test]
fn linux_a_migration_quiesces_and_resumes_once_across_retries() {
    let setup = Setup::new(RUNNING);
    let trace = setup.linux().run(&LinuxOp::Migrate { fail: false, not_suspendable: 1 }).unwrap();
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(setup.control(), RUNNING);
    insta::assert_snapshot!(setup.redact(&trace.render_snapshot()));
}

#[test]
fn aix_and_linux_both_refuse_a_migration_while_held() {
    let held = "state=running\nworkers=4\nhold=nightly backup\n";
    let setup = Setup::new(held);
    let aix = Operation::migrate().run(&setup.aix(), &setup.runner).unwrap();
    assert_eq!(aix.outcome, Outcome::Vetoed);
    assert_eq!(
        aix.reason.as_deref(),
        Some("checkmigrate pmig vetoed by acme_quiesce: Acme service is held (nightly backup): migrate later")
    );
    let linux = setup.linux().run(&LinuxOp::migrate()).unwrap();
    assert_eq!(linux.outcome, Outcome::Vetoed);
    assert_eq!(setup.control(), held, "nothing was quiesced");
    insta::assert_snapshot!(setup.redact(&linux.render_snapshot()));
}

#[test]
fn both_resume_after_a_failed_migration() {
    let setup = Setup::new(RUNNING);
    let aix = Operation::migrate().fail_kernel(true).run(&setup.aix(), &setup.runner).unwrap();
    assert_eq!((aix.outcome, setup.control().as_str()), (Outcome::Failed, RUNNING), "undopremigrate resumes");
    let linux = setup.linux().run(&LinuxOp::Migrate { fail: true, not_suspendable: 0 }).unwrap();
    assert_eq!((linux.outcome, setup.control().as_str()), (Outcome::Failed, RUNNING), "post resumes");
}

#[test]
fn workers_follow_processors_on_both_hosts() {
    let setup = Setup::new(RUNNING);
    let aix =
        Operation::add(Resource::Cpu).event(EventVars::Cpu { bcpuid: 4, lcpuid: 4 }).run(&setup.aix(), &setup.runner);
    assert_eq!(aix.unwrap().outcome, Outcome::Success);
    assert_eq!(setup.control(), "state=running\nworkers=5\n", "AIX adds one processor per operation");
    let hooks = setup.linux();
    let trace = hooks.run(&LinuxOp::Cpu { action: CpuAction::Remove, count: 3, fail_kernel: false }).unwrap();
    assert_eq!(setup.control(), "state=running\nworkers=2\n", "Linux removes DRC_COUNT processors");
    insta::assert_snapshot!(setup.redact(&trace.render_snapshot()));
    hooks.run(&LinuxOp::Cpu { action: CpuAction::Add, count: 2, fail_kernel: true }).unwrap();
    assert_eq!(setup.control(), "state=running\nworkers=2\n", "a failed addition changed nothing");
}
