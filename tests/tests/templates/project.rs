//! A rendered project, outside the workspace, built and tested as its user would.
//!
//! A generated project depends on `dlpar-script` and `drmgr-sim` by version, from
//! crates.io. Until they are published, cargo is told on its command line to take
//! them from this repository (`--config patch.crates-io.<crate>.path=…`): the
//! project's own files stay exactly as cargo-generate writes them. The workspace's
//! `Cargo.lock` is copied in so that the project builds with the versions the
//! workspace is tested with, and all rendered projects share one target directory
//! under the workspace's, so the dependencies are compiled once.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use super::render::Template;

/// The crates a generated project names that are not on crates.io yet.
const UNPUBLISHED: [&str; 2] = ["dlpar-script", "drmgr-sim"];

/// A template rendered into a temporary directory outside the workspace.
#[derive(Debug)]
pub(crate) struct Project {
    dir: TempDir,
}

impl Project {
    /// Renders `template` with `given` values into a fresh temporary directory.
    pub(crate) fn render(template: &Template, given: &[(&str, &str)]) -> Project {
        let dir = tempfile::Builder::new().prefix("dlpar-template-").tempdir().expect("a temporary directory");
        assert!(!dir.path().starts_with(workspace()), "the project must live outside the workspace");
        template.render(given, dir.path()).unwrap_or_else(|e| panic!("rendering failed: {e}"));
        std::fs::copy(workspace().join("Cargo.lock"), dir.path().join("Cargo.lock")).expect("copy Cargo.lock");
        Project { dir }
    }

    /// The project's directory.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `cargo test` in the project (which builds its binary first) and returns
    /// the number of tests that passed; panics with cargo's output if anything fails.
    pub(crate) fn cargo_test(&self) -> usize {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command.arg("test").current_dir(self.path());
        for name in UNPUBLISHED {
            let path = workspace().join(name);
            command.arg("--config").arg(format!("patch.crates-io.{name}.path={:?}", path.display().to_string()));
        }
        let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("templates");
        command.env("CARGO_TARGET_DIR", target).env("CARGO_TERM_COLOR", "never").env_remove("CARGO_BUILD_TARGET_DIR");
        let output = command.output().expect("cargo runs");
        let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "cargo test failed in the rendered project:\n{stderr}\n{stdout}");
        passed(&stdout)
    }
}

/// The repository's root.
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().expect("the workspace exists")
}

/// The sum of `N passed` over the `test result:` lines of libtest's output.
fn passed(stdout: &str) -> usize {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split_once(" passed").and_then(|(n, _)| n.parse::<usize>().ok()))
        .sum()
}
