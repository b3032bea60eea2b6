//! sysadmin_wlm through whole processor removals and additions under drmgr-sim.
//!
//! The AIX commands are answered by the replay runner (`DLPAR_AIX_REPLAY`) from a
//! small model of the partition: the online processors and the class's resource
//! set. After each command of the operation the test applies what the script ran
//! (`rmrset`, `mkrset`) and what the kernel step did to the model, and writes the
//! replay file again, so each script process sees the partition as the previous
//! ones left it. Phase state lives in a temporary directory (`DLPAR_STATE_DIR`),
//! the configuration in a temporary file (`SYSADMIN_WLM_CONFIG`). Each test asserts
//! the exact argument vectors run, the class's set at the end, and snapshots the
//! trace.

use std::path::PathBuf;

use dlpar_script::aix::{RecordedOutput, ReplayRunner};
use dlpar_script::protocol::{Command, Family, Resource};
use drmgr_sim::{EventVars, InstallOptions, Invocation, Operation, Outcome, Repository, Runner, Trace};
use tempfile::TempDir;

const CLASSES: [&str; 5] = ["/usr/sbin/lsclass", "-C", "-r", "-d", ""];
const RSETS: [&str; 3] = ["/usr/bin/lsrset", "-v", "-a"];
const RMRSET: [&str; 2] = ["/usr/bin/rmrset", "sysadmin/wlm_db"];
const CHCLASS: [&str; 6] = ["/usr/sbin/chclass", "-a", "rset=sysadmin/wlm_db", "-d", "", "db"];
const CONFIG: &str = "# the database class follows the processors\nclass = db\nrset = sysadmin/wlm_db\n";

fn argv<const N: usize>(call: [&str; N]) -> Vec<String> {
    call.map(str::to_owned).to_vec()
}

fn mkrset(cpus: &str) -> Vec<String> {
    argv(["/usr/bin/mkrset", "-c", cpus, "sysadmin/wlm_db"])
}

/// Logical CPUs `0..count` as `lsrset` and `mkrset` write them.
fn range(count: u32) -> String {
    if count == 1 { "0".to_owned() } else { format!("0-{}", count - 1) }
}

/// The partition as the AIX commands show it. Processors are `0..online`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Partition {
    online: u32,
    /// The class's set: `Some(n)` holds `0..n`.
    class_set: Option<u32>,
    classes: Vec<&'static str>,
    /// `mkrset` fails (the rset is in use).
    mkrset_fails: bool,
}

impl Partition {
    fn new(online: u32, class_set: Option<u32>) -> Partition {
        Partition { online, class_set, classes: vec!["System", "db"], mkrset_fails: false }
    }

    fn replay(&self) -> ReplayRunner {
        let classes: String = self.classes.iter().map(|name| format!("{name}::1:\n")).collect();
        let mut rsets = format!(
            "T Name Owner Group Mode CPU Memory Resources\n\
             r sys/sys0 root system r----- {} 98298 sys/sys0\nCPU: {}\nMEM: <0-98298>\n",
            self.online,
            range(self.online)
        );
        if let Some(count) = self.class_set {
            rsets.push_str(&format!(
                "r sysadmin/wlm_db root system rwr-r- {count} 0 sysadmin/wlm_db\nCPU: {}\nMEM: <empty>\n",
                range(count)
            ));
        }
        let mut replay = ReplayRunner::new()
            .on(CLASSES, RecordedOutput::stdout(format!("#name:description:tier:rset\n{classes}")))
            .on(RSETS, RecordedOutput::stdout(rsets))
            .on(RMRSET, RecordedOutput::ok())
            .on(CHCLASS, RecordedOutput::ok());
        for count in 1..=8 {
            let answer = if self.mkrset_fails {
                RecordedOutput::failure(1, "1545-012 The rset is in use.")
            } else {
                RecordedOutput::ok()
            };
            replay = replay.on(mkrset(&range(count)), answer);
        }
        replay
    }

    /// What a command run by the script did to the partition.
    fn apply(&mut self, call: &[String]) {
        match call.first().map(String::as_str) {
            Some("/usr/bin/rmrset") => self.class_set = None,
            Some("/usr/bin/mkrset") if !self.mkrset_fails => {
                let last = call[2].rsplit('-').next().unwrap().parse::<u32>().unwrap();
                self.class_set = Some(last + 1);
            }
            _ => {}
        }
    }
}

/// A repository with sysadmin_wlm installed, the model and its files.
struct Setup {
    dirs: [TempDir; 3],
    repo: Repository,
    runner: Runner,
    replay_file: PathBuf,
    log: PathBuf,
}

impl Setup {
    fn new(config: Option<&str>) -> Setup {
        let (root, state, work) = (TempDir::new().unwrap(), TempDir::new().unwrap(), TempDir::new().unwrap());
        let (log, replay_file) = (work.path().join("calls.jsonl"), work.path().join("replay.json"));
        let config_file = work.path().join("sysadmin_wlm.conf");
        if let Some(text) = config {
            std::fs::write(&config_file, text).unwrap();
        }
        let runner = Runner::new()
            .setenv("DLPAR_AIX_REPLAY", &replay_file)
            .setenv("DLPAR_STATE_DIR", state.path())
            .setenv("SYSADMIN_WLM_CONFIG", &config_file);
        let repo = Repository::new(root.path());
        repo.install(&runner, env!("CARGO_BIN_EXE_sysadmin_wlm").as_ref(), &InstallOptions::default()).unwrap();
        Setup { dirs: [root, state, work], repo, runner, replay_file, log }
    }

    fn write_replay(&self, partition: &Partition) {
        std::fs::write(&self.replay_file, partition.replay().log_to(&self.log).to_json()).unwrap();
    }

    /// Runs `operation` on logical CPU `cpu`, keeping `partition` up to date.
    fn run(&self, operation: Operation, cpu: u32, partition: &mut Partition) -> Trace {
        let operation = operation.event(EventVars::Cpu { bcpuid: cpu, lcpuid: cpu }).detail(3);
        let (removal, kernel_fails) = (operation.family() == Family::Remove, operation.kernel_fails());
        self.write_replay(partition);
        let mut seen = 0;
        let observe = |invocation: &Invocation| {
            let calls = self.calls();
            calls[seen..].iter().for_each(|call| partition.apply(call));
            seen = calls.len();
            let kernel_step = matches!(invocation.command, Command::PreRelease | Command::PreAcquire);
            if kernel_step && !kernel_fails {
                partition.online = if removal { cpu } else { cpu + 1 };
            }
            self.write_replay(partition);
        };
        operation.run_observed(&self.repo, &self.runner, observe).unwrap()
    }

    fn calls(&self) -> Vec<Vec<String>> {
        ReplayRunner::read_log(&self.log).unwrap()
    }

    /// The trace with the temporary directory replaced by `[work]`.
    fn snapshot(&self, trace: &Trace) -> String {
        trace.render_snapshot().replace(&self.dirs[2].path().display().to_string(), "[work]")
    }

    fn state_files(&self) -> usize {
        std::fs::read_dir(self.dirs[1].path()).unwrap().count()
    }
}

#[test]
fn a_removal_takes_the_processor_out_of_the_class_set() {
    let (setup, mut partition) = (Setup::new(Some(CONFIG)), Partition::new(4, Some(4)));
    let trace = setup.run(Operation::remove(Resource::Cpu), 3, &mut partition);
    assert_eq!(trace.outcome, Outcome::Success);
    let check = [argv(CLASSES), argv(RSETS)];
    let pre = [argv(RSETS), argv(RMRSET), mkrset("0-2"), argv(CHCLASS)];
    assert_eq!(setup.calls(), [&check[..], &pre[..], &[argv(RSETS)]].concat());
    assert_eq!((partition.online, partition.class_set), (3, Some(3)));
    assert_eq!(setup.state_files(), 0);
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn a_failed_removal_gives_the_class_its_set_back() {
    let (setup, mut partition) = (Setup::new(Some(CONFIG)), Partition::new(4, Some(4)));
    let trace = setup.run(Operation::remove(Resource::Cpu).fail_kernel(true), 3, &mut partition);
    assert_eq!(trace.outcome, Outcome::Failed);
    let check = [argv(CLASSES), argv(RSETS)];
    let pre = [argv(RSETS), argv(RMRSET), mkrset("0-2"), argv(CHCLASS)];
    let undo = [argv(RSETS), argv(RMRSET), mkrset("0-3"), argv(CHCLASS)];
    assert_eq!(setup.calls(), [&check[..], &pre[..], &undo[..]].concat());
    assert_eq!((partition.online, partition.class_set), (4, Some(4)));
    assert_eq!(setup.state_files(), 0);
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn a_class_wlm_does_not_know_vetoes_the_removal() {
    let setup = Setup::new(Some(CONFIG));
    let mut partition = Partition { classes: vec!["System", "web"], ..Partition::new(4, Some(4)) };
    let trace = setup.run(Operation::remove(Resource::Cpu), 3, &mut partition);
    assert_eq!(trace.outcome, Outcome::Vetoed);
    assert_eq!(setup.calls(), [argv(CLASSES)]);
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn a_forced_removal_skips_the_check_and_still_follows() {
    let (setup, mut partition) = (Setup::new(Some(CONFIG)), Partition::new(4, Some(4)));
    let trace = setup.run(Operation::remove(Resource::Cpu).force(true), 3, &mut partition);
    assert_eq!(trace.outcome, Outcome::Success);
    let pre = [argv(RSETS), argv(RMRSET), mkrset("0-2"), argv(CHCLASS)];
    assert_eq!(setup.calls(), [&pre[..], &[argv(RSETS)]].concat());
    assert_eq!(partition.class_set, Some(3));
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn an_added_processor_joins_the_class_set() {
    let (setup, mut partition) = (Setup::new(Some(CONFIG)), Partition::new(4, Some(4)));
    let trace = setup.run(Operation::add(Resource::Cpu), 4, &mut partition);
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(setup.calls(), [argv(RSETS), argv(RMRSET), mkrset("0-4"), argv(CHCLASS)]);
    assert_eq!((partition.online, partition.class_set), (5, Some(5)));
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn the_first_run_makes_the_class_set() {
    let (setup, mut partition) = (Setup::new(Some(CONFIG)), Partition::new(4, None));
    let trace = setup.run(Operation::add(Resource::Cpu), 4, &mut partition);
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(setup.calls(), [argv(RSETS), mkrset("0-4"), argv(CHCLASS)]);
    assert_eq!(partition.class_set, Some(5));
}

#[test]
fn a_missing_configuration_is_named() {
    let (setup, mut partition) = (Setup::new(None), Partition::new(4, Some(4)));
    let trace = setup.run(Operation::remove(Resource::Cpu), 3, &mut partition);
    assert_eq!(trace.outcome, Outcome::Vetoed);
    assert!(setup.calls().is_empty());
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn a_failing_mkrset_is_reported_and_drmgr_goes_on() {
    let setup = Setup::new(Some(CONFIG));
    let mut partition = Partition { mkrset_fails: true, ..Partition::new(4, Some(4)) };
    let trace = setup.run(Operation::remove(Resource::Cpu), 3, &mut partition);
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(partition.class_set, None, "the set was removed and could not be made again");
    insta::assert_snapshot!(setup.snapshot(&trace));
}

#[test]
fn a_missing_processor_id_is_named() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sysadmin_wlm"))
        .args(["prerelease", "cpu"])
        .env_clear()
        .env("DR_BCPUID", "3")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "DR_ERROR=\"DR_LCPUID is not set\"\n");
}
