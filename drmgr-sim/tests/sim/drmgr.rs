//! drmgr's own command line: through a link named `drmgr` and as `drmgr-sim drmgr`,
//! with `-R`/`-S` kept under a private `XDG_STATE_HOME`, never under the real home.
//! These are sessions that keep settings, each in its own state home, which a
//! trycmd case (tests/sim/cli/, one shared state home that must stay empty) cannot
//! have; the one-shot refusals are cases there (`drmgr_*.toml`, `unset_repository_*.toml`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use drmgr_sim::Repository;

use crate::sim::support::{Sim, script};

/// A user's session: a `drmgr` link in its own bin directory, its own state
/// directory, the sources directory as the current directory.
struct Session {
    sim: Sim,
    bin: PathBuf,
}

impl Session {
    fn new() -> Session {
        let sim = Sim::new();
        let bin = sim.dir.path().join("bin");
        fs::create_dir(&bin).unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_drmgr-sim"), bin.join("drmgr")).unwrap();
        Session { sim, bin }
    }

    fn dir(&self) -> &Path {
        self.sim.dir.path()
    }

    fn state_home(&self) -> PathBuf {
        self.dir().join("xdg-state")
    }

    fn root(&self) -> &Path {
        self.sim.repo.root()
    }

    fn command(&self, program: &Path, args: &[&str]) -> Output {
        Command::new(program)
            .args(args)
            .current_dir(self.dir().join("sources"))
            .env_remove("DRMGR_SIM_ROOT")
            .env("XDG_STATE_HOME", self.state_home())
            .output()
            .unwrap()
    }

    /// `drmgr ARGS` through the link.
    fn drmgr(&self, args: &[&str]) -> Output {
        self.command(&self.bin.join("drmgr"), args)
    }

    /// `drmgr-sim ARGS`.
    fn sim(&self, args: &[&str]) -> Output {
        self.command(env!("CARGO_BIN_EXE_drmgr-sim").as_ref(), args)
    }

    /// `exit N`, then stdout and stderr, with this session's paths and the host name
    /// replaced by words.
    fn transcript(&self, out: &Output) -> String {
        let text = format!(
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        text.replace(&self.root().display().to_string(), "ROOT")
            .replace(&self.dir().display().to_string(), "DIR")
            .replace(&format!("Host Name: {}\n", Repository::new("/").hostname()), "Host Name: HOST\n")
    }
}

#[test]
fn an_unset_repository_creates_nothing() {
    // The messages are cases in tests/sim/cli/unset_repository_*.toml; here, what
    // a case cannot show: run as root, nothing is created, not even the settings.
    let session = Session::new();
    let source = session.sim.source("probe.sh", "acme_probe");
    let system = Path::new(Repository::DEFAULT_ROOT);
    let existed = system.exists();
    for out in [
        session.drmgr(&["-i", source.to_str().unwrap()]),
        session.sim(&["drmgr", "-b"]),
        session.sim(&["install", source.to_str().unwrap()]),
    ] {
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains(": error: no script repository is set: "));
    }
    assert_eq!(system.exists(), existed, "{} was created", system.display());
    assert!(!session.state_home().exists(), "a refused command wrote settings");
}

#[test]
fn a_session_as_an_aix_administrator_types_it() {
    let session = Session::new();
    let root = session.root().to_str().unwrap();
    session.sim.source("perl_guard.pl", "acme_guard");
    let guard_v3 = session.dir().join("v3/acme_guard");
    fs::create_dir(guard_v3.parent().unwrap()).unwrap();
    let text = fs::read_to_string(script("perl_guard.pl")).unwrap().replace("DR_VERSION=2", "DR_VERSION=3");
    fs::write(&guard_v3, text).unwrap();
    fs::set_permissions(&guard_v3, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    let mut transcript = String::new();
    let mut step = |label: &str, out: Output| {
        transcript += &format!("$ {label}\n{}\n", session.transcript(&out));
    };
    step("drmgr -R ROOT", session.drmgr(&["-R", root]));
    step("drmgr -S ACME", session.drmgr(&["-S", "ACME"]));
    // A relative name is taken from the current directory (the sources).
    step("drmgr -i acme_guard -w 2", session.drmgr(&["-i", "acme_guard", "-w", "2"]));
    let info = fs::read(session.sim.repo.info_file()).unwrap();
    step("drmgr -i acme_guard", session.drmgr(&["-i", "acme_guard"]));
    assert_eq!(fs::read(session.sim.repo.info_file()).unwrap(), info, "a name conflict changed the repository");
    step("drmgr -f -i DIR/v3/acme_guard", session.drmgr(&["-f", "-i", guard_v3.to_str().unwrap()]));
    step("drmgr -l", session.drmgr(&["-l"]));
    step("drmgr -i acme_guard -D lpar9", session.drmgr(&["-i", "acme_guard", "-D", "lpar9"]));
    step("drmgr -u acme_guard -D lpar9", session.drmgr(&["-u", "acme_guard", "-D", "lpar9"]));
    fs::remove_file(session.sim.repo.info_file()).unwrap();
    step("drmgr -b", session.drmgr(&["-b"]));
    step("drmgr -l -R ROOT", session.drmgr(&["-l", "-R", root]));
    step("drmgr -u acme_guard", session.drmgr(&["-u", "acme_guard"]));
    step("drmgr -u acme_guard", session.drmgr(&["-u", "acme_guard"]));
    step("drmgr -i acme_guard -D lpar9", session.drmgr(&["-i", "acme_guard", "-D", "lpar9"]));
    step("drmgr -l", session.drmgr(&["-l"]));
    step("drmgr -u acme_guard -D lpar9", session.drmgr(&["-u", "acme_guard", "-D", "lpar9"]));
    insta::assert_snapshot!("drmgr_session", transcript);

    // The other form and the subcommands read the same kept settings.
    assert_eq!(session.sim(&["drmgr", "-l"]).stdout, session.drmgr(&["-l"]).stdout);
    assert_eq!(session.sim(&["list"]).stdout, session.drmgr(&["-l"]).stdout);
    let settings = fs::read_to_string(session.state_home().join("drmgr-sim/settings.json")).unwrap();
    let settings: serde_json::Value = serde_json::from_str(&settings).unwrap();
    assert_eq!(settings["root"], root);
    assert_eq!(settings["syslog_id"], "ACME");
    // -R on the command wins over the kept one, in both forms, and is not kept.
    let other = session.dir().join("other");
    for out in [
        session.sim(&["-R", other.to_str().unwrap(), "list"]),
        session.sim(&["--root", other.to_str().unwrap(), "drmgr", "-l"]),
    ] {
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains(&format!("the script repository {} does not exist", other.display()))
        );
    }
    assert_eq!(settings["root"], root);
}

#[test]
fn every_mistake_names_itself_and_changes_nothing() {
    let session = Session::new();
    let root = session.root().to_str().unwrap();
    assert!(session.drmgr(&["-R", root]).status.success());
    session.sim.source("bad.sh", "bad_usage");
    fs::write(session.dir().join("sources/acme_noexec"), "#!/bin/sh\n").unwrap();
    let mut transcript = String::new();
    // The flag mistakes, which need no repository, are cases in tests/sim/cli/drmgr_*.toml.
    for args in [
        &["-i", "acme_missing"][..],
        &["-i", "acme_noexec"],
        &["-i", "bad_usage"],
        &["-u", "acme_missing"],
        &["-R", "/dev/null"],
    ] {
        transcript += &format!("$ drmgr {}\n{}\n", args.join(" "), session.transcript(&session.drmgr(args)));
    }
    insta::assert_snapshot!("drmgr_mistakes", transcript);
    // Nothing was installed, recorded or kept by any of them.
    assert_eq!(fs::read_dir(session.root()).unwrap().count(), 0);
    let settings = fs::read_to_string(session.state_home().join("drmgr-sim/settings.json")).unwrap();
    assert!(settings.contains(&format!("\"root\": \"{root}\"")), "{settings}");
}

#[test]
fn settings_follow_xdg_state_home_then_home() {
    let session = Session::new();
    let home = session.dir().join("home");
    fs::create_dir(&home).unwrap();
    for state_home in [None, Some(""), Some("relative/state")] {
        let mut command = Command::new(session.bin.join("drmgr"));
        command.args(["-R", session.root().to_str().unwrap()]).env("HOME", &home).env_remove("XDG_STATE_HOME");
        if let Some(value) = state_home {
            command.env("XDG_STATE_HOME", value);
        }
        let out = command.output().unwrap();
        assert!(out.status.success(), "{:?}", String::from_utf8_lossy(&out.stderr));
        assert!(home.join(".local/state/drmgr-sim/settings.json").is_file(), "{state_home:?}");
        fs::remove_dir_all(home.join(".local")).unwrap();
    }
    // A relative -R is kept as an absolute path, and the directory is made.
    let out = Command::new(session.bin.join("drmgr"))
        .args(["-R", "relative/repo"])
        .current_dir(session.dir())
        .env("XDG_STATE_HOME", session.state_home())
        .output()
        .unwrap();
    assert!(out.status.success(), "{:?}", String::from_utf8_lossy(&out.stderr));
    let kept = fs::read_to_string(session.state_home().join("drmgr-sim/settings.json")).unwrap();
    let kept: serde_json::Value = serde_json::from_str(&kept).unwrap();
    assert_eq!(kept["root"], session.dir().join("relative/repo").to_str().unwrap());
    assert!(session.dir().join("relative/repo").is_dir());

    let out = Command::new(session.bin.join("drmgr"))
        .arg("-l")
        .env_remove("HOME")
        .env_remove("XDG_STATE_HOME")
        .env_remove("DRMGR_SIM_ROOT")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "drmgr: error: cannot place drmgr-sim's settings (drmgr -R, -S): neither XDG_STATE_HOME nor HOME is an \
         absolute path; set one of them\n"
    );
}
