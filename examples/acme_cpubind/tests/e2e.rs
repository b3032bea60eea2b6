//! acme_cpubind through whole processor removals under drmgr-sim, with the AIX
//! commands answered by the replay runner (`DLPAR_AIX_REPLAY`) and phase state in a
//! temporary directory (`DLPAR_STATE_DIR`). Each test asserts the exact argument
//! vectors the script processes ran and snapshots the trace.

use std::path::PathBuf;

use dlpar_script::aix::{RecordedOutput, ReplayRunner};
use dlpar_script::protocol::Resource;
use drmgr_sim::{EventVars, InstallOptions, Operation, Outcome, Repository, Runner};
use tempfile::TempDir;

const PS: [&str; 5] = ["/usr/bin/ps", "-e", "-m", "-o", "THREAD"];
const CLASSES: [&str; 5] = ["/usr/sbin/lsclass", "-C", "-r", "-d", ""];
const RSETS: [&str; 3] = ["/usr/bin/lsrset", "-v", "-a"];
const ONLINE: [&str; 2] = ["/usr/sbin/bindprocessor", "-q"];
const UNBIND: [&str; 3] = ["/usr/sbin/bindprocessor", "-u", "4242"];
const REBIND: [&str; 3] = ["/usr/sbin/bindprocessor", "4242", "3"];

/// The worker 4242 is bound to bind CPU 3, the one being removed; 7070 to CPU 1.
const PS_OUTPUT: &str = "\
USER PID PPID TID ST CP PRI SC WCHAN F TT BND COMMAND
acme 4242 1 - A 2 60 1 * 240001 - 3 /opt/acme/bin/worker -n 4
- - - 8111 S 2 60 1 - 400400 - 3 -
acme 5150 1 - A 0 60 1 * 240001 - - /opt/acme/bin/agent
- - - 9001 S 0 60 1 - 400400 - - -
root 7070 1 - A 0 60 1 - 200001 pts/0 1 /usr/bin/ksh ./bench.sh
- - - 12001 R 0 60 1 - 0 pts/0 1 -
";

const CLASSES_HEADER: &str = "#name:description:tier:rset";

/// A repository with acme_cpubind installed, its state directory and call log.
struct Setup {
    _dirs: [TempDir; 3],
    repo: Repository,
    runner: Runner,
    log: PathBuf,
}

fn setup(replay: ReplayRunner) -> Setup {
    let (root, state, work) = (TempDir::new().unwrap(), TempDir::new().unwrap(), TempDir::new().unwrap());
    let log = work.path().join("calls.jsonl");
    let replay_file = work.path().join("replay.json");
    std::fs::write(&replay_file, replay.log_to(&log).to_json()).unwrap();
    let runner = Runner::new().setenv("DLPAR_AIX_REPLAY", &replay_file).setenv("DLPAR_STATE_DIR", state.path());
    let repo = Repository::new(root.path());
    repo.install(&runner, env!("CARGO_BIN_EXE_acme_cpubind").as_ref(), &InstallOptions::default()).unwrap();
    Setup { _dirs: [root, state, work], repo, runner, log }
}

fn remove_cpu3() -> Operation {
    Operation::remove(Resource::Cpu).event(EventVars::Cpu { bcpuid: 3, lcpuid: 3 }).detail(3)
}

fn calls(setup: &Setup) -> Vec<Vec<String>> {
    ReplayRunner::read_log(&setup.log).unwrap()
}

fn argv<const N: usize>(call: [&str; N]) -> Vec<String> {
    call.map(str::to_owned).to_vec()
}

fn aix() -> ReplayRunner {
    ReplayRunner::new()
        .on(CLASSES, RecordedOutput::stdout(format!("{CLASSES_HEADER}\nSystem::0:\nacme::1:\n")))
        .on(PS, RecordedOutput::stdout(PS_OUTPUT))
        .on(UNBIND, RecordedOutput::ok())
        .on(ONLINE, RecordedOutput::stdout("The available processors are: 0 1 2 3\n"))
        .on(REBIND, RecordedOutput::ok())
}

#[test]
fn a_successful_removal_unbinds_and_leaves_unbound() {
    let setup = setup(aix());
    let trace = remove_cpu3().run(&setup.repo, &setup.runner).unwrap();
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(calls(&setup), [argv(CLASSES), argv(PS), argv(UNBIND)]);
    insta::assert_snapshot!(trace.render_snapshot());
}

#[test]
fn a_failed_removal_binds_the_worker_again() {
    let setup = setup(aix());
    let trace = remove_cpu3().fail_kernel(true).run(&setup.repo, &setup.runner).unwrap();
    assert_eq!(trace.outcome, Outcome::Failed);
    assert_eq!(calls(&setup), [argv(CLASSES), argv(PS), argv(UNBIND), argv(ONLINE), argv(REBIND)]);
    insta::assert_snapshot!(trace.render_snapshot());
}

/// WLM class `acme` is confined to the resource set `acme/last`, whose only
/// processor is logical CPU 3; the worker is bound as in [`aix`].
fn aix_with_confined_class() -> ReplayRunner {
    let rsets = "T Name Owner Group Mode CPU Memory Resources\n\
                 r acme/last root system rwr-r- 1 0 acme/last\nCPU: 3\nMEM: <empty>\n";
    ReplayRunner::new()
        .on(CLASSES, RecordedOutput::stdout(format!("{CLASSES_HEADER}\nSystem::0:\nacme:Acme workers:1:acme/last\n")))
        .on(RSETS, RecordedOutput::stdout(rsets))
        .on(PS, RecordedOutput::stdout(PS_OUTPUT))
        .on(UNBIND, RecordedOutput::ok())
}

#[test]
fn a_class_confined_to_the_processor_vetoes_the_removal() {
    let setup = setup(aix_with_confined_class());
    let trace = remove_cpu3().run(&setup.repo, &setup.runner).unwrap();
    assert_eq!(trace.outcome, Outcome::Vetoed);
    assert_eq!(calls(&setup), [argv(CLASSES), argv(RSETS)]);
    insta::assert_snapshot!(trace.render_snapshot());
}

#[test]
fn a_forced_removal_skips_the_check_and_still_unbinds() {
    let setup = setup(aix_with_confined_class());
    let trace = remove_cpu3().force(true).run(&setup.repo, &setup.runner).unwrap();
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(calls(&setup), [argv(PS), argv(UNBIND)]);
    insta::assert_snapshot!(trace.render_snapshot());
}
