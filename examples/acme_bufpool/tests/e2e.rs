//! acme_bufpool through whole operations under drmgr-sim: the control file the
//! server reads in a temporary directory (`ACME_BUFPOOL_CONTROL`), phase state in
//! another (`DLPAR_STATE_DIR`). Each test asserts the control file after the
//! operation and snapshots the trace.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use dlpar_script::protocol::Resource;
use dlpar_script::testing::exit_line;
use drmgr_sim::{EventVars, InstallOptions, MemVars, Operation, Outcome, Repository, Runner, Trace};
use tempfile::TempDir;

/// The server's tuning before each operation.
const START: &str = "pool_mb=2048\nthreads=8\nspare_threads=2\n";

/// What the script writes for these values.
fn control(pool_mb: u64, threads: u64, spare_threads: u64) -> String {
    format!(
        "# Acme buffer pool tuning; rewritten by acme_bufpool on DLPAR events.\n\
         pool_mb={pool_mb}\nthreads={threads}\nspare_threads={spare_threads}\n"
    )
}

/// A repository with acme_bufpool installed and the server's control file.
struct Setup {
    dirs: [TempDir; 3],
    repo: Repository,
    runner: Runner,
    control: PathBuf,
}

impl Setup {
    fn new(control_text: &str) -> Setup {
        let (root, state, work) = (TempDir::new().unwrap(), TempDir::new().unwrap(), TempDir::new().unwrap());
        let control = work.path().join("bufpool.ctl");
        std::fs::write(&control, control_text).unwrap();
        std::fs::set_permissions(&control, std::fs::Permissions::from_mode(0o644)).unwrap();
        let runner = Runner::new().setenv("ACME_BUFPOOL_CONTROL", &control).setenv("DLPAR_STATE_DIR", state.path());
        let repo = Repository::new(root.path());
        repo.install(&runner, env!("CARGO_BIN_EXE_acme_bufpool").as_ref(), &InstallOptions::default()).unwrap();
        Setup { dirs: [root, state, work], repo, runner, control }
    }

    fn run(&self, operation: Operation, event: EventVars) -> Trace {
        operation.event(event).detail(3).run(&self.repo, &self.runner).unwrap()
    }

    fn control(&self) -> String {
        std::fs::read_to_string(&self.control).unwrap()
    }

    fn state_files(&self) -> usize {
        std::fs::read_dir(self.dirs[1].path()).unwrap().count()
    }

    /// The trace with the temporary directory replaced by `[work]`.
    fn snapshot(&self, trace: &Trace) -> String {
        trace.render_snapshot().replace(&self.dirs[2].path().display().to_string(), "[work]")
    }
}

/// `request_mb` on a partition with 4 GB, of which 3 GB pinnable.
fn memory(request_mb: u64) -> EventVars {
    EventVars::Mem(MemVars { request_mb, pinnable_frames: 0xC0000, total_frames: 0x100000, ..MemVars::default() })
}

fn remove_mem() -> Operation {
    Operation::remove(Resource::Mem)
}

#[test]
fn a_memory_removal_shrinks_the_pool() {
    let setup = Setup::new(START);
    let trace = setup.run(remove_mem(), memory(256));
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(setup.control(), control(1920, 8, 2));
    assert_eq!(setup.state_files(), 0, "postrelease dropped the record");
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn a_removal_under_the_pinnable_floor_is_vetoed() {
    let setup = Setup::new(START);
    let trace = setup.run(remove_mem(), memory(2816));
    assert_eq!(trace.outcome, Outcome::Vetoed);
    assert_eq!(setup.control(), START, "nothing changed");
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn a_forced_removal_shrinks_the_pool_without_asking() {
    let setup = Setup::new(START);
    let trace = setup.run(remove_mem().force(true), memory(2816));
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(setup.control(), control(640, 8, 2));
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn a_failed_removal_gives_the_pool_its_size_back() {
    let setup = Setup::new(START);
    let trace = setup.run(remove_mem().fail_kernel(true), memory(256));
    assert_eq!(trace.outcome, Outcome::Failed);
    assert_eq!(setup.control(), control(2048, 8, 2));
    assert_eq!(setup.state_files(), 0);
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn added_memory_grows_the_pool() {
    let setup = Setup::new(START);
    let trace = setup.run(Operation::add(Resource::Mem), memory(1024));
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(setup.control(), control(2560, 8, 2));
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn capacity_changes_retune_the_worker_threads() {
    let setup = Setup::new(START);
    let trace = setup.run(Operation::remove(Resource::Capacity), EventVars::Capacity { capacity: 200, delta: -50 });
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(setup.control(), control(2048, 6, 2));
    let added = setup.run(Operation::add(Resource::Capacity), EventVars::Capacity { capacity: 150, delta: 100 });
    assert_eq!(setup.control(), control(2048, 10, 2));
    insta::assert_snapshot!([setup.snapshot(&trace), setup.snapshot(&added)].join("\n"));
}

#[test]
fn weight_changes_retune_the_spare_threads() {
    let setup = Setup::new(START);
    let trace = setup.run(Operation::remove(Resource::VarWeight), EventVars::VarWeight { weight: 128, delta: -128 });
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(setup.control(), control(2048, 8, 0));
    let raised = setup.run(Operation::add(Resource::VarWeight), EventVars::VarWeight { weight: 0, delta: 255 });
    assert_eq!(setup.control(), control(2048, 8, 4));
    insta::assert_snapshot!([setup.snapshot(&trace), setup.snapshot(&raised)].join("\n"));
}

#[test]
fn a_broken_control_file_is_named_and_left_alone() {
    let broken = "pool_mb=2048\nthreads=eight\nspare_threads=2\n";
    let setup = Setup::new(broken);
    let trace = setup.run(remove_mem(), memory(256));
    assert_eq!(trace.outcome, Outcome::Success, "a failed prerelease does not stop the removal");
    assert_eq!(setup.control(), broken);
    assert_eq!(setup.state_files(), 0);
    insta::assert_snapshot!(setup.snapshot(&trace));
}

/// Runs the built script once, as drmgr would, with only these `DR_*` variables.
fn invoke(setup: &Setup, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_acme_bufpool"))
        .args(args)
        .env_clear()
        .env("ACME_BUFPOOL_CONTROL", &setup.control)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let env: String = env.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    let stdout = String::from_utf8_lossy(&output.stdout);
    format!("$ {env}acme_bufpool {}\n{}\n{stdout}", args.join(" "), exit_line(output.status))
}

#[test]
fn missing_event_variables_are_named() {
    let setup = Setup::new(START);
    let runs = [
        invoke(&setup, &["checkrelease", "mem"], &[("DR_MEM_SIZE_REQUEST", "256")]),
        invoke(&setup, &["postacquire", "mem"], &[]),
        invoke(&setup, &["postrelease", "capacity"], &[("DR_CPU_CAPACITY", "200")]),
        invoke(&setup, &["postacquire", "var_weight"], &[("DR_VAR_WEIGHT_DELTA", "10")]),
    ];
    assert_eq!(setup.control(), START, "nothing was written");
    insta::assert_snapshot!(runs.join("\n"));
}
