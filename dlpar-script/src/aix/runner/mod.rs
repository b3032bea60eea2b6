//! Running AIX commands: the real runner and a replaying fake.
//!
//! Every query of this module goes through a [`CommandRunner`]. On AIX that is the
//! [`SystemRunner`]; in tests and under `drmgr-sim` it is a [`ReplayRunner`] that
//! answers from a replay file, named by the `DLPAR_AIX_REPLAY` environment variable
//! (see [`runner_from_env`]).

mod capture;
mod replay;
mod system;

use std::time::Duration;

pub use replay::{RecordedOutput, ReplayRunner};
pub use system::SystemRunner;

use super::{AixError, CommandLine, CommandOutput};

/// The environment variable naming the replay file of the fake runner. A simulator-
/// and test-only aid: drmgr never sets it.
pub const REPLAY_ENV: &str = "DLPAR_AIX_REPLAY";

/// Runs one command line within a time limit and returns what it printed.
///
/// A non-zero exit status is not an error at this level: it comes back in
/// [`CommandOutput::status`] for the caller to judge.
pub trait CommandRunner: std::fmt::Debug {
    /// Runs `line`, killing it when it runs longer than `limit`.
    fn run(&self, line: &CommandLine, limit: Duration) -> Result<CommandOutput, AixError>;
}

impl<R: CommandRunner + ?Sized> CommandRunner for &R {
    fn run(&self, line: &CommandLine, limit: Duration) -> Result<CommandOutput, AixError> {
        (**self).run(line, limit)
    }
}

impl<R: CommandRunner + ?Sized> CommandRunner for Box<R> {
    fn run(&self, line: &CommandLine, limit: Duration) -> Result<CommandOutput, AixError> {
        (**self).run(line, limit)
    }
}

/// The fake runner when `DLPAR_AIX_REPLAY` names a replay file, else the real one.
///
/// A replay file that cannot be read is an error, never a silent fall back to the
/// real commands.
///
/// ```
/// // Without DLPAR_AIX_REPLAY, the real runner.
/// let runner = dlpar_script::aix::runner_from_env().unwrap();
/// assert!(format!("{runner:?}").starts_with("SystemRunner"));
/// ```
pub fn runner_from_env() -> Result<Box<dyn CommandRunner + Send + Sync>, AixError> {
    match std::env::var_os(REPLAY_ENV) {
        Some(path) if !path.is_empty() => Ok(Box::new(ReplayRunner::load(path)?)),
        _ => Ok(Box::new(SystemRunner::new())),
    }
}
