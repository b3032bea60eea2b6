//! The `drmgr-sim` binary: a few commands end to end.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::support::{HOST, Sim, script};

/// Runs drmgr-sim with the repository of `sim` and its working directory.
fn drmgr_sim(sim: &Sim, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_drmgr-sim"))
        .arg("--root")
        .arg(sim.repo.root())
        .arg("--workdir")
        .arg(sim.dir.path().join("work"))
        .args(["--hostname", HOST])
        .args(args)
        .env_remove("DRMGR_SIM_ROOT")
        .env("XDG_STATE_HOME", sim.dir.path().join("xdg-state"))
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn relative_paths_mean_the_caller_s_directory_not_the_scripts_one() {
    // Scripts run with another working directory; `install ./x` and `-R repo`
    // must still name the caller's files.
    let sim = Sim::new();
    sim.source("perl_guard.pl", "perl_guard");
    let out = Command::new(env!("CARGO_BIN_EXE_drmgr-sim"))
        .current_dir(sim.dir.path())
        .args(["--root", "relative-repo", "--hostname", HOST, "install", "./sources/perl_guard"])
        .env_remove("DRMGR_SIM_ROOT")
        .env("XDG_STATE_HOME", sim.dir.path().join("xdg-state"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(sim.dir.path().join("relative-repo/all/perl_guard").is_file(), "{}", stdout(&out));
}

#[test]
fn install_list_run_uninstall() {
    let sim = Sim::new();
    let source = sim.source("perl_guard.pl", "perl_guard");
    let out = drmgr_sim(&sim, &["install", source.to_str().unwrap(), "-w", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let root = sim.repo.root().display().to_string();
    assert_eq!(
        stdout(&out),
        format!(
            "installed {root}/all/perl_guard for all hosts: Perl guard for processors\n  cpu: keeps bind CPUs 0 and 1\n"
        )
    );

    let out = drmgr_sim(&sim, &["list", "-S", "DRMGR"]);
    let listing = stdout(&out).replace(&root, "ROOT");
    insta::assert_snapshot!("cli_list", listing);

    let out = drmgr_sim(&sim, &["list", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["scripts"][0]["admin_timeout"], 2);
    assert_eq!(doc["scripts"][0]["time_limit"], serde_json::json!({ "seconds": 120, "from": "admin" }));
    assert_eq!(doc["scripts"][0]["active"], true);

    let out = drmgr_sim(&sim, &["run", "remove", "cpu", "--bcpuid", "1", "--json"]);
    assert_eq!(out.status.code(), Some(3), "vetoed");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["outcome"], "vetoed");
    assert_eq!(doc["invocations"][0]["error"], "bind CPU 1 stays with the guard");
    // Microseconds: a process start is never a whole 0 as milliseconds were.
    assert!(doc["invocations"][0]["duration_us"].as_u64().is_some_and(|us| us > 0), "{doc}");
    assert_eq!(doc["operation"]["env"]["DR_LCPUID"], "1");

    let out = drmgr_sim(&sim, &["run", "remove", "cpu", "--bcpuid", "1", "--force"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("note: FORCE: checkrelease skipped\noutcome: SUCCESS\n"), "{}", stdout(&out));

    let out = drmgr_sim(&sim, &["run", "add", "cpu", "--fail-kernel", "--json"]);
    assert_eq!(out.status.code(), Some(4), "failed");

    // Without -w, the listing says which limit applies, with its unit.
    let probe = sim.source("probe.sh", "probe");
    assert!(drmgr_sim(&sim, &["install", probe.to_str().unwrap()]).status.success());
    let out = drmgr_sim(&sim, &["--default-timeout", "7", "list"]);
    assert!(
        stdout(&out).contains("Script Timeout: none, Admin Override Timeout: none (the default, 7 s, applies)\n"),
        "{}",
        stdout(&out)
    );
    assert!(drmgr_sim(&sim, &["uninstall", "probe"]).status.success());

    let out = drmgr_sim(&sim, &["uninstall", "perl_guard"]);
    assert_eq!(stdout(&out), "uninstalled perl_guard (all hosts)\n");
    let out = drmgr_sim(&sim, &["list"]);
    assert!(stdout(&out).ends_with("\nNo DLPAR scripts installed.\n"));
}

#[test]
fn a_missing_repository_is_an_error_naming_it_and_install_creates_it() {
    let sim = Sim::new();
    fs::remove_dir(sim.repo.root()).unwrap();
    let root = sim.repo.root().display().to_string();
    let expected = format!(
        "drmgr-sim: error: the script repository {root} does not exist or is not a directory: check the root \
         directory (install creates it)\n"
    );
    for args in [&["run", "remove", "mem"][..], &["list"], &["list", "--json"], &["uninstall", "x"], &["rebuild"]] {
        let out = drmgr_sim(&sim, args);
        assert_eq!((out.status.code(), stderr(&out)), (Some(1), expected.clone()), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert!(!sim.repo.root().exists());

    let source = sim.source("perl_guard.pl", "perl_guard");
    assert!(drmgr_sim(&sim, &["install", source.to_str().unwrap()]).status.success());
    assert!(sim.repo.root().join("all/perl_guard").is_file());
    assert!(drmgr_sim(&sim, &["list"]).status.success());
}

#[test]
fn bad_input_gets_a_clear_error() {
    let sim = Sim::new();
    let out = drmgr_sim(&sim, &["run", "remove", "cpu", "--mem-mb", "5"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "drmgr-sim: error: --mem-mb does not apply to cpu\n");

    let out = drmgr_sim(&sim, &["run", "topology", "--fail-kernel"]);
    assert_eq!(
        stderr(&out),
        "drmgr-sim: error: a topology update cannot fail (docs/protocol.md §7): there is no kernel failure to simulate\n"
    );

    let out = drmgr_sim(&sim, &["install", "/nonexistent/acme_x"]);
    assert_eq!(stderr(&out), "drmgr-sim: error: /nonexistent/acme_x: No such file or directory (os error 2)\n");

    let out = drmgr_sim(&sim, &["run", "migrate", "--resource", "Bad-Word"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid resource name \"Bad-Word\""), "{}", stderr(&out));

    let out = drmgr_sim(&sim, &["run", "add", "mem", "--setenv", "NOVALUE"]);
    assert!(stderr(&out).contains("\"NOVALUE\" is not NAME=VALUE"), "{}", stderr(&out));
}

#[test]
fn setenv_reaches_the_scripts_and_rebuild_reports() {
    let sim = Sim::new();
    for name in ["a", "b"] {
        let source = sim.source("probe.sh", name);
        assert!(drmgr_sim(&sim, &["install", source.to_str().unwrap()]).status.success());
    }
    let out = drmgr_sim(&sim, &["run", "accel", "--setenv", "PROBE_FAIL=b:preaccevent", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps: Vec<String> = doc["invocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| format!("{} {}", i["command"].as_str().unwrap(), i["script"].as_str().unwrap()))
        .collect();
    assert_eq!(steps, ["preaccevent a", "preaccevent b", "undopreaccevent a"]);

    fs::remove_file(sim.repo.info_file()).unwrap();
    let out = drmgr_sim(&sim, &["rebuild"]);
    assert_eq!(stdout(&out), format!("rebuilt {}: 2 script(s) recorded, 0 left out\n", sim.repo.info_file().display()));
}

/// A directory with stand-ins for the example binaries: the Perl guard refuses bind
/// CPUs 0 and 1, like acme_cpuguard; the licence stand-in refuses every processor;
/// the buffer-pool and quiesce stand-ins agree to everything.
fn examples_dir(sim: &Sim) -> std::path::PathBuf {
    let dir = sim.dir.path().join("examples");
    fs::create_dir(&dir).unwrap();
    for (name, stand_in) in [
        ("acme_cpuguard", "perl_guard.pl"),
        ("acme_licmgr", "standin_licmgr.sh"),
        ("acme_bufpool", "standin_bufpool.sh"),
        ("acme_quiesce", "standin_quiesce.sh"),
    ] {
        let path = dir.join(name);
        fs::copy(script(stand_in), &path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    dir
}

#[test]
fn demo_runs_every_scenario_with_the_examples_found() {
    let sim = Sim::new();
    let dir = examples_dir(&sim);
    let out = drmgr_sim(&sim, &["demo", "--examples-dir", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    for expected in [
        "== 1. A veto ==",
        "outcome: VETOED: checkrelease cpu vetoed by acme_cpuguard: bind CPU 1 stays with the guard",
        "note: FORCE: checkrelease skipped",
        "outcome: VETOED: checkacquire cpu vetoed by acme_licmgr: the licence is full",
        "DR_LOG_INFO: pool shrunk from 1024 to 896 MB",
        "DR_LOG_INFO: removal failed: pool restored to 1024 MB",
        "DR_LOG_INFO: pool grown from 1024 to 1280 MB",
        "== 7. The same binary as a Linux hook ==",
        "stderr| hook pmig pre migrate 0\n   -- the partition is not suspendable (attempt 1 of 2); drmgr retries",
        "stderr| hook cpu post remove 2",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    // The temporary repository is gone afterwards.
    let root = text.lines().next().unwrap().rsplit(' ').next().unwrap();
    assert!(!Path::new(root).exists(), "{root}");
}

#[test]
fn the_demo_s_commands_can_be_pasted() {
    let sim = Sim::new();
    let dir = examples_dir(&sim);
    let out = drmgr_sim(&sim, &["demo", "--keep", "--examples-dir", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    let env = text.lines().find(|l| l.starts_with("$ DEMO_ENV=")).unwrap().trim_start_matches("$ ");
    let veto = text.lines().find(|l| l.starts_with("$ drmgr-sim -R ") && l.contains(" run remove cpu ")).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_drmgr-sim")).parent().unwrap();
    let pasted = Command::new("sh")
        .arg("-c")
        .arg(format!("{env}\n{}", veto.trim_start_matches("$ ")))
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env_remove("DRMGR_SIM_ROOT")
        .env("XDG_STATE_HOME", sim.dir.path().join("xdg-state"))
        .output()
        .unwrap();
    let kept = text.lines().find_map(|l| l.strip_prefix("Kept (remove them when done): ")).unwrap().to_owned();
    for dir in kept.split(' ') {
        fs::remove_dir_all(dir).unwrap();
    }
    assert_eq!(pasted.status.code(), Some(3), "{}\n{}", stdout(&pasted), stderr(&pasted));
    assert!(
        stdout(&pasted).contains("outcome: VETOED: checkrelease cpu vetoed by acme_cpuguard"),
        "{}",
        stdout(&pasted)
    );
}

#[test]
fn demo_without_the_examples_says_to_build_them() {
    let sim = Sim::new();
    let empty = sim.dir.path().join("work");
    let out = drmgr_sim(&sim, &["demo", "--examples-dir", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "drmgr-sim: error: example script(s) acme_bufpool, acme_cpuguard, acme_licmgr, acme_quiesce not found in {}: \
             build the examples first: cargo build --release --workspace\n",
            empty.display()
        )
    );
}

#[test]
fn syslog_id_forwards_the_log_lines_and_an_unreachable_syslog_is_a_warning() {
    let sim = Sim::new();
    let source = sim.source("perl_guard.pl", "perl_guard");
    assert!(drmgr_sim(&sim, &["install", source.to_str().unwrap()]).status.success());
    let socket = sim.dir.path().join("log.sock");
    let syslog = std::os::unix::net::UnixDatagram::bind(&socket).unwrap();
    let out = drmgr_sim(
        &sim,
        &["-S", "ACME", "--syslog-socket", socket.to_str().unwrap(), "run", "remove", "cpu", "--detail", "3"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut buf = [0u8; 512];
    syslog.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
    let n = syslog.recv(&mut buf).unwrap();
    let message = String::from_utf8_lossy(&buf[..n]);
    // Facility user (8) + priority info (6).
    assert!(message.starts_with("<14>"), "{message}");
    assert!(message.contains(" ACME["), "{message}");
    assert!(message.ends_with("]: perl_guard checkrelease cpu: bind CPU 3 may go"), "{message}");

    let gone = sim.dir.path().join("nothing.sock");
    let out = drmgr_sim(&sim, &["-S", "ACME", "--syslog-socket", gone.to_str().unwrap(), "run", "remove", "cpu"]);
    assert!(out.status.success());
    assert!(stderr(&out).starts_with("drmgr-sim: warning: cannot reach syslog at "), "{}", stderr(&out));
    assert!(stderr(&out).ends_with("; DR_LOG_* lines are not forwarded\n"), "{}", stderr(&out));
}
