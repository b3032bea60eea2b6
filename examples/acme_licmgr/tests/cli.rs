//! `acme_licmgr` as drmgr runs it: a real process, only `PATH` and `DR_*` in its
//! environment, plus the two test aids: `ACME_LICMGR_CONF` (the licence file) and
//! `DLPAR_AIX_REPLAY` (answers `bindprocessor -q`). Both are relative paths inside a
//! temporary directory, the process's working directory, so snapshots are stable.

use std::path::Path;
use std::process::Command;

use dlpar_script::testing::exit_line;
use insta::assert_snapshot;

/// A temporary working directory with a licence file and a replay of `bindprocessor -q`.
struct Partition {
    dir: tempfile::TempDir,
}

impl Partition {
    /// `online` processors online; the licence file holds `licence` (None: no file).
    fn new(online: usize, licence: Option<&str>) -> Partition {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let ids: Vec<String> = (0..online).map(|i| i.to_string()).collect();
        let stdout = format!("The available processors are: {}\\n", ids.join(" "));
        let replay =
            format!(r#"{{ "commands": [ {{ "argv": ["/usr/sbin/bindprocessor", "-q"], "stdout": "{stdout}" }} ] }}"#);
        std::fs::write(dir.path().join("aix.json"), replay).expect("the replay file is written");
        if let Some(text) = licence {
            std::fs::write(dir.path().join("licmgr.conf"), text).expect("the licence file is written");
        }
        Partition { dir }
    }

    /// Replaces the replay with one where `bindprocessor -q` fails.
    fn bindprocessor_fails(self) -> Partition {
        let replay = r#"{ "commands": [ { "argv": ["/usr/sbin/bindprocessor", "-q"], "status": 1,
            "stderr": "bindprocessor: 1730-001 the system call failed" } ] }"#;
        std::fs::write(self.dir.path().join("aix.json"), replay).expect("the replay file is written");
        self
    }

    /// Runs the script with `args` and the `DR_*` variables in `env`.
    fn drmgr(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        run(self.dir.path(), args, env)
    }
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_acme_licmgr"))
        .args(args)
        .env_clear()
        .env("PATH", "/usr/bin:/etc:/usr/sbin")
        .env("ACME_LICMGR_CONF", "licmgr.conf")
        .env("DLPAR_AIX_REPLAY", "aix.json")
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .expect("the example binary runs");
    let env: String = env.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    format!(
        "$ {env}acme_licmgr {}\n{}\n{}",
        args.join(" "),
        exit_line(output.status),
        String::from_utf8_lossy(&output.stdout)
    )
}

#[test]
fn install_commands() {
    let partition = Partition::new(2, None);
    let runs = [
        partition.drmgr(&["scriptinfo"], &[]),
        partition.drmgr(&["register"], &[]),
        partition.drmgr(&["usage", "cpu"], &[]),
    ];
    assert_snapshot!(runs.join("\n"));
}

#[test]
fn checkacquire_refuses_processors_beyond_the_licence() {
    let licence = Some("# Acme licence, order 4711\nlicensed_cpus = 4\n");
    let runs = [
        Partition::new(2, licence).drmgr(&["checkacquire", "cpu"], &[("DR_BCPUID", "2"), ("DR_DETAIL_LEVEL", "2")]),
        Partition::new(3, licence).drmgr(&["checkacquire", "cpu"], &[("DR_BCPUID", "3")]),
        Partition::new(4, licence).drmgr(&["checkacquire", "cpu"], &[("DR_BCPUID", "4")]),
        // drmgr never forces past a checkacquire veto; the script refuses all the same.
        Partition::new(4, licence).drmgr(&["checkacquire", "cpu"], &[("DR_BCPUID", "4"), ("DR_FORCE", "TRUE")]),
        Partition::new(6, licence).drmgr(&["checkacquire", "cpu"], &[]),
    ];
    assert_snapshot!(runs.join("\n"));
}

#[test]
fn a_missing_or_malformed_licence_file_is_an_error() {
    let args = ["checkacquire", "cpu"];
    let env = [("DR_BCPUID", "1")];
    let runs = [
        Partition::new(1, None).drmgr(&args, &env),
        Partition::new(1, Some("licensed cpus 4\n")).drmgr(&args, &env),
        Partition::new(1, Some("licensed_cpus = many\n")).drmgr(&args, &env),
        Partition::new(1, Some("licensed_cpus = 0\n")).drmgr(&args, &env),
        Partition::new(1, Some("licenced_cpus = 4\n")).drmgr(&args, &env),
        Partition::new(1, Some("licensed_cpus = 4\nlicensed_cpus = 8\n")).drmgr(&args, &env),
        Partition::new(1, Some("# no setting\n")).drmgr(&args, &env),
    ];
    assert_snapshot!(runs.join("\n"));
}

#[test]
fn a_failing_aix_command_is_an_error() {
    let partition = Partition::new(1, Some("licensed_cpus = 4\n")).bindprocessor_fails();
    assert_snapshot!(partition.drmgr(&["checkacquire", "cpu"], &[("DR_BCPUID", "1")]));
}

#[test]
fn post_commands_report_licence_use_from_detail_level_2() {
    let partition = Partition::new(3, Some("licensed_cpus = 4\n"));
    let runs = [
        partition.drmgr(&["postacquire", "cpu"], &[("DR_BCPUID", "2"), ("DR_DETAIL_LEVEL", "2")]),
        partition.drmgr(&["postacquire", "cpu"], &[("DR_BCPUID", "2")]),
        partition.drmgr(&["postrelease", "cpu"], &[("DR_BCPUID", "3"), ("DR_DETAIL_LEVEL", "3")]),
    ];
    assert_snapshot!(runs.join("\n"));
}

#[test]
fn removals_are_never_refused_and_other_resources_are_not_registered() {
    let partition = Partition::new(4, Some("licensed_cpus = 4\n"));
    let runs = [
        partition.drmgr(&["checkrelease", "cpu"], &[("DR_BCPUID", "3")]),
        partition.drmgr(&["prerelease", "cpu"], &[("DR_BCPUID", "3")]),
        partition.drmgr(&["preacquire", "cpu"], &[("DR_BCPUID", "4")]),
        partition.drmgr(&["checkacquire", "mem"], &[("DR_MEM_SIZE_REQUEST", "256")]),
        partition.drmgr(&["checkmigrate"], &[]),
    ];
    assert_snapshot!(runs.join("\n"));
}
