//! The probe script as a real process, and small helpers shared by the tests.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use dlpar_script::testing::{Answer, exit_line, invoke_with_env};
use dlpar_script::wire::{ParsedReply, parse_reply};

/// The two entry points of the probe's script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry {
    /// `lifecycle_probe`: Rust's `main` and `Script::run`.
    Rust,
    /// `lifecycle_probe_fast`: C `main` and `Script::run_c_main` (`fast_start`).
    C,
}

impl Entry {
    pub(crate) const BOTH: [Entry; 2] = [Entry::Rust, Entry::C];

    fn example(self) -> &'static str {
        match self {
            Entry::Rust => "lifecycle_probe",
            Entry::C => "lifecycle_probe_fast",
        }
    }
}

/// The probe example of `entry`, built next to this test binary
/// (`target/<profile>/examples/`). `cargo test -p dlpar-script` builds it; a run
/// limited to `--test lifecycle` does not, hence the message.
pub(crate) fn probe_path(entry: Entry) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let profile_dir = exe.parent().and_then(Path::parent).expect("tests live in target/<profile>/deps");
    let probe = profile_dir.join("examples").join(entry.example());
    assert!(
        probe.is_file(),
        "{} is missing: run `cargo test -p dlpar-script` (which builds the examples) or \
         `cargo build -p dlpar-script --examples` first",
        probe.display()
    );
    probe
}

/// The probe (Rust's `main`) started as drmgr would: `args`, an environment of
/// `PATH` plus `vars` only, stdin closed, stdout and stderr captured.
pub(crate) fn probe<K: AsRef<OsStr>, V: AsRef<OsStr>>(
    args: &[&str],
    vars: impl IntoIterator<Item = (K, V)>,
) -> Command {
    probe_entered(Entry::Rust, args, vars)
}

/// [`probe`] through the entry point `entry`.
pub(crate) fn probe_entered<K: AsRef<OsStr>, V: AsRef<OsStr>>(
    entry: Entry,
    args: &[&str],
    vars: impl IntoIterator<Item = (K, V)>,
) -> Command {
    let mut command = Command::new(probe_path(entry));
    command
        .args(args)
        .env_clear()
        .env("PATH", "/usr/bin:/etc:/usr/sbin:/bin")
        .envs(vars)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// What a probe process answered.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) exit: Option<i32>,
    /// The signal that ended it, if one did.
    pub(crate) signal: Option<i32>,
    /// The transcript's `exit: N` line.
    pub(crate) exit_line: String,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) reply: ParsedReply,
}

/// Runs the probe to its end.
pub(crate) fn run_probe<K: AsRef<OsStr>, V: AsRef<OsStr>>(
    args: &[&str],
    vars: impl IntoIterator<Item = (K, V)>,
) -> Run {
    run(probe(args, vars))
}

/// Runs a probe command to its end.
pub(crate) fn run(mut command: Command) -> Run {
    finished(command.output().expect("the probe starts"))
}

/// What a probe that has ended answered.
pub(crate) fn finished(Output { status, stdout, stderr }: Output) -> Run {
    Run {
        exit: status.code(),
        signal: std::os::unix::process::ExitStatusExt::signal(&status),
        exit_line: exit_line(status),
        reply: parse_reply(&stdout),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// A fresh state directory, and the `DLPAR_STATE_DIR` pair that points at it.
pub(crate) struct StateDir {
    pub(crate) root: tempfile::TempDir,
}

impl StateDir {
    pub(crate) fn new() -> StateDir {
        StateDir { root: tempfile::tempdir().expect("a temporary directory") }
    }

    /// The state directory itself, created by the runtime on first save.
    pub(crate) fn path(&self) -> PathBuf {
        self.root.path().join("state")
    }

    /// Creates the state directory as the runtime would (0700), for planting files.
    pub(crate) fn create(&self) {
        std::fs::create_dir_all(self.path()).expect("the state directory");
        std::fs::set_permissions(self.path(), std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .expect("the state directory's mode");
    }

    /// The file of script `script` for operation `family`/`resource`.
    pub(crate) fn file(&self, script: &str, family: &str, resource: &str) -> PathBuf {
        self.path().join(format!("{script}.{family}.{resource}.json"))
    }

    /// `DLPAR_STATE_DIR` pointing here, for a probe's environment.
    pub(crate) fn var_os(&self) -> (OsString, OsString) {
        ("DLPAR_STATE_DIR".into(), self.path().into())
    }

    /// `text` with this directory's path replaced by `[state]`, for snapshots.
    pub(crate) fn redact(&self, text: &str) -> String {
        text.replace(&self.path().display().to_string(), "[state]")
    }
}

/// [`invoke_with_env`] with `DLPAR_STATE_DIR` set to `dir` besides `vars`.
pub(crate) fn invoke_in(script: &dlpar_script::Script, args: &[&str], dir: &StateDir, vars: &[(&str, &str)]) -> Answer {
    let mut env: Vec<(String, String)> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    env.push(("DLPAR_STATE_DIR".to_owned(), dir.path().display().to_string()));
    invoke_with_env(script, args, env)
}

/// Whether this process runs as root (then files can be given to another user).
pub(crate) fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}
