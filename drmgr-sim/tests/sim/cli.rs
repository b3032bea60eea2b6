//! The `drmgr-sim` binary end to end: the terminal sessions in `tests/sim/cli/`
//! (argv, exit status, output), and here what a session cannot show (a syslog
//! socket, the demo's temporary directories, a pasted command line).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::sim::support::{HOST, Sim, script};

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

/// The cases in `tests/sim/cli/` (see its README): sessions run in a copy of
/// `tests/scripts/`, one-shots in the crate directory; `drmgr-sim` and the few
/// shell tools a session uses are the commands they may run.
///
/// `drmgr` is drmgr-sim through a link of that name (drmgr's own command line). Every
/// case runs with `XDG_STATE_HOME` at an empty directory, `[STATE]` in the outputs,
/// so that no case reads the settings `drmgr -R`/`-S` keep for the user running the
/// tests; a case must not keep any there (sessions that do are in `drmgr.rs`).
#[test]
fn sessions() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sim-cli");
    let (state, link) = (scratch.join("state"), scratch.join("bin/drmgr"));
    fs::create_dir_all(link.parent().unwrap()).unwrap();
    let binary = Path::new(env!("CARGO_BIN_EXE_drmgr-sim"));
    if fs::read_link(&link).ok().as_deref() != Some(binary) {
        let _ = fs::remove_file(&link);
        std::os::unix::fs::symlink(binary, &link).unwrap();
    }
    trycmd::TestCases::new()
        .register_bin("drmgr-sim", binary)
        .register_bin("drmgr", link)
        .register_bins(["cp", "mkdir", "rm"].map(|tool| (tool, Path::new("/bin").join(tool))))
        .env("XDG_STATE_HOME", state.display().to_string())
        .insert_var("[STATE]", state.display().to_string())
        .unwrap()
        .case("tests/sim/cli/*.trycmd")
        .case("tests/sim/cli/*.toml");
}

/// `--json` gives each invocation's time in microseconds: a process start is never
/// a whole 0 as milliseconds were. (The sessions show `duration_us` as `[..]`.)
#[test]
fn json_durations_are_microseconds() {
    let sim = Sim::new();
    let source = sim.source("perl_guard.pl", "perl_guard");
    assert!(drmgr_sim(&sim, &["install", source.to_str().unwrap()]).status.success());
    let out = drmgr_sim(&sim, &["run", "remove", "cpu", "--bcpuid", "1", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["invocations"][0]["duration_us"].as_u64().is_some_and(|us| us > 0), "{doc}");
}

#[test]
fn relative_replay_and_state_paths_given_with_setenv_mean_the_caller_s_directory() {
    // Scripts run in /tmp (here: work/); the user typed the paths where they are.
    let sim = Sim::new();
    let source = sim.source("envcheck.sh", "envcheck");
    let out = Command::new(env!("CARGO_BIN_EXE_drmgr-sim"))
        .current_dir(sim.dir.path())
        .args(["--root", "root", "--workdir", "work", "--hostname", HOST, "install"])
        .arg(&source)
        .env_remove("DRMGR_SIM_ROOT")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = Command::new(env!("CARGO_BIN_EXE_drmgr-sim"))
        .current_dir(sim.dir.path())
        .args(["--root", "root", "--workdir", "work", "--hostname", HOST, "run", "remove", "cpu", "--detail", "3"])
        .args(["--setenv", "DLPAR_AIX_REPLAY=replay.json", "--setenv", "DLPAR_STATE_DIR=./state"])
        .args(["--setenv", "ACME_CONF=acme.conf", "--setenv", "DLPAR_AIX_REPLAY_ABS=/x/replay.json"])
        .env_remove("DRMGR_SIM_ROOT")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let here = sim.dir.path().display();
    let text = stdout(&out);
    for expected in [
        format!("DR_LOG_DEBUG: DLPAR_AIX_REPLAY={here}/replay.json"),
        format!("DR_LOG_DEBUG: DLPAR_STATE_DIR={here}/./state"),
        // Other variables are passed as given: drmgr-sim cannot know they are paths.
        "DR_LOG_DEBUG: ACME_CONF=acme.conf".to_owned(),
        "DR_LOG_DEBUG: DLPAR_AIX_REPLAY_ABS=/x/replay.json".to_owned(),
    ] {
        assert!(text.contains(&expected), "{expected:?} missing from:\n{text}");
    }
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
fn demo_installed_alone_says_what_it_needs_and_finds_a_clone_s_build() {
    // As after `cargo install drmgr-sim`: the executable alone in a bin directory.
    let sim = Sim::new();
    let bin = sim.dir.path().join("bin");
    fs::create_dir(&bin).unwrap();
    fs::copy(env!("CARGO_BIN_EXE_drmgr-sim"), bin.join("drmgr-sim")).unwrap();
    let demo = |cwd: &Path| {
        Command::new(bin.join("drmgr-sim"))
            .current_dir(cwd)
            .args(["--root", sim.repo.root().to_str().unwrap(), "demo"])
            .env_remove("DRMGR_SIM_ROOT")
            .output()
            .unwrap()
    };
    let work = sim.dir.path().join("work");
    let out = demo(&work);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "drmgr-sim: error: the demo runs the repository's example scripts (acme_bufpool, acme_cpuguard, \
             acme_licmgr, acme_quiesce), which are not installed with drmgr-sim (`cargo install drmgr-sim` installs \
             drmgr-sim alone); they are in neither {} nor {}/target/release: in a clone of the dlpar-script \
             repository, `cargo build --release --workspace` builds them into target/release, then run \
             `./target/release/drmgr-sim demo` there, or `drmgr-sim demo --examples-dir CLONE/target/release`\n",
            bin.display(),
            work.display()
        )
    );
    // Started in a clone whose release build holds the examples, it finds them.
    let clone = sim.dir.path().join("clone");
    fs::create_dir_all(clone.join("target")).unwrap();
    fs::rename(examples_dir(&sim), clone.join("target/release")).unwrap();
    let out = demo(&clone);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("== 1. A veto =="), "{}", stdout(&out));
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
