//! A temporary repository, a runner and the test scripts.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use drmgr_sim::{InstallOptions, Installed, Repository, Runner, Trace};
use tempfile::TempDir;

/// The host name tests see themselves as.
pub(crate) const HOST: &str = "testhost";

/// A temporary repository with its own working and state directories.
pub(crate) struct Sim {
    pub(crate) dir: TempDir,
    pub(crate) repo: Repository,
    pub(crate) runner: Runner,
}

impl Sim {
    pub(crate) fn new() -> Sim {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["work", "state", "sources", "root"] {
            fs::create_dir(dir.path().join(sub)).unwrap();
        }
        let repo = Repository::new(dir.path().join("root")).with_hostname(HOST);
        let runner = Runner::new()
            .workdir(dir.path().join("work"))
            .grace(Duration::from_millis(200))
            .lang(None::<&str>)
            .setenv("DLPAR_STATE_DIR", dir.path().join("state"));
        Sim { dir, repo, runner }
    }

    /// Copies `tests/scripts/<file>` to a source file called `name`, executable.
    pub(crate) fn source(&self, file: &str, name: &str) -> PathBuf {
        let path = self.dir.path().join("sources").join(name);
        fs::copy(script(file), &path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// Installs `tests/scripts/<file>` as `name`, for all hosts.
    pub(crate) fn install(&self, file: &str, name: &str) -> Installed {
        self.install_with(file, name, &InstallOptions::default())
    }

    pub(crate) fn install_with(&self, file: &str, name: &str, options: &InstallOptions) -> Installed {
        let source = self.source(file, name);
        self.repo.install(&self.runner, &source, options).unwrap_or_else(|e| panic!("install {name}: {e}"))
    }

    /// The runner with one more variable.
    pub(crate) fn with_env(&self, name: &str, value: &str) -> Runner {
        self.runner.clone().setenv(name, value)
    }
}

/// The path of a test script.
pub(crate) fn script(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts").join(file)
}

/// `command script` for every invocation, in order.
pub(crate) fn steps(trace: &Trace) -> Vec<String> {
    trace.steps().map(|(command, script)| format!("{command} {script}")).collect()
}

/// Whether process `pid` is still running: it exists and is not a zombie waiting to
/// be reaped. Waits up to two seconds for it to go, since a signal takes a moment.
pub(crate) fn still_running(pid: u32) -> bool {
    let stat = Path::new("/proc").join(pid.to_string()).join("stat");
    let running =
        || fs::read_to_string(&stat).is_ok_and(|s| s.rsplit(')').next().is_some_and(|r| !r.starts_with(" Z")));
    for _ in 0..200 {
        if !running() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

/// Runs `op` on its own thread and gives up after `bound`: a hang in drmgr-sim is
/// a test failure, not a test run that never ends.
pub(crate) fn within<T: Send + 'static>(bound: Duration, op: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || send.send(op()));
    receive.recv_timeout(bound).unwrap_or_else(|_| panic!("drmgr-sim did not return within {bound:?}"))
}

/// The whitespace-separated numbers a test script wrote to `file` in the state directory.
pub(crate) fn pids(sim: &Sim, file: &str) -> Vec<u32> {
    let text = fs::read_to_string(sim.dir.path().join("state").join(file)).unwrap();
    text.split_whitespace().map(|pid| pid.parse().unwrap()).collect()
}

/// The real `dlpar_capture` binary, built once per test run (cargo builds only
/// this package's binaries for its tests; a build that is up to date costs a
/// fraction of a second). It lands beside drmgr-sim's own binary, where
/// `drmgr-sim compare` looks for it.
pub(crate) fn capture_bin() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = Path::new(env!("CARGO_BIN_EXE_drmgr-sim")).parent().unwrap().to_owned();
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let mut build = std::process::Command::new(cargo);
            build.args(["build", "--quiet", "-p", "dlpar-capture", "--bin", "dlpar_capture"]);
            if dir.file_name().is_some_and(|profile| profile == "release") {
                build.arg("--release");
            }
            let out = build.current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
            assert!(out.status.success(), "building dlpar_capture: {}", String::from_utf8_lossy(&out.stderr));
            let bin = dir.join("dlpar_capture");
            assert!(bin.is_file(), "{} was not built", bin.display());
            bin
        })
        .clone()
}
