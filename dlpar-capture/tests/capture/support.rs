//! Running the binary with a clean environment and reading what it recorded.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use dlpar_capture::read::{Capture, Run};
use dlpar_capture::record::Invocation;
use tempfile::TempDir;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_dlpar_capture");

/// A capture directory and the binary installed under a name of our choice.
pub(crate) struct Place {
    pub(crate) work: TempDir,
}

impl Place {
    pub(crate) fn new() -> Place {
        Place { work: TempDir::new().unwrap() }
    }

    /// The capture file (its directory does not exist yet).
    pub(crate) fn file(&self) -> PathBuf {
        self.work.path().join("captures/capture.jsonl")
    }

    /// Writes the control file next to the capture file (creating the 0700 directory).
    pub(crate) fn control(&self, text: &str) {
        let dir = self.file().parent().unwrap().to_owned();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
        let control = dir.join("control");
        std::fs::write(&control, text).unwrap();
        std::fs::set_permissions(&control, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    }

    /// The binary copied as `name` into the work directory.
    pub(crate) fn installed(&self, name: &str) -> PathBuf {
        let path = self.work.path().join(name);
        if !path.exists() {
            std::fs::copy(BIN, &path).unwrap();
        }
        path
    }

    /// A command running the binary as `name` with only `DLPAR_CAPTURE_FILE` and `env`.
    pub(crate) fn command(&self, name: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut command = Command::new(self.installed(name));
        command.args(args).env_clear().env("DLPAR_CAPTURE_FILE", self.file()).envs(env.iter().copied());
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        command
    }

    pub(crate) fn run(&self, name: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        spawn(&mut self.command(name, args, env)).wait_with_output().unwrap()
    }

    pub(crate) fn capture(&self) -> Capture {
        Capture::read_file(self.file()).unwrap()
    }
}

/// Starts `command`, again while the binary is "busy": a copy another test thread
/// has just written stays open for writing in any child forked meanwhile until that
/// child execs, and exec refuses such a file (`ETXTBSY`).
pub(crate) fn spawn(command: &mut Command) -> Child {
    let mut tries = 0;
    loop {
        match command.spawn() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.unwrap(),
        }
    }
}

/// The only run of a capture.
pub(crate) fn only_run(capture: &Capture) -> Run<'_> {
    let mut runs = capture.runs();
    assert_eq!(runs.len(), 1, "{capture:#?}");
    runs.remove(0)
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The environment of a record without `DLPAR_CAPTURE_FILE`.
pub(crate) fn env_without_file(invocation: &Invocation) -> Vec<&str> {
    invocation.env.iter().map(String::as_str).filter(|e| !e.starts_with("DLPAR_CAPTURE_FILE=")).collect()
}

pub(crate) fn mode(path: &Path) -> u32 {
    std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(path).unwrap().permissions()) & 0o777
}
