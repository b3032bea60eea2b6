//! The fake runner: answers from recorded outputs and records every call.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::CommandRunner;
use crate::aix::{AixError, CommandLine, CommandOutput};

/// A recorded answer to one command line (what [`ReplayRunner`] gives back as the
/// command's [`CommandOutput`]).
///
/// ```
/// use dlpar_script::aix::RecordedOutput;
///
/// assert_eq!(RecordedOutput::failure(1, "1730-002 Invalid process ID").status, 1);
/// assert!(RecordedOutput::timeout().timeout);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedOutput {
    /// Standard output.
    #[serde(default)]
    pub stdout: String,
    /// Standard error.
    #[serde(default)]
    pub stderr: String,
    /// The exit status.
    #[serde(default)]
    pub status: i32,
    /// The command hangs: the call fails with [`AixError::TimedOut`].
    #[serde(default, skip_serializing_if = "is_false")]
    pub timeout: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

impl RecordedOutput {
    /// Exit status 0 with this standard output.
    pub fn stdout(stdout: impl Into<String>) -> RecordedOutput {
        RecordedOutput { stdout: stdout.into(), ..RecordedOutput::default() }
    }

    /// Exit status 0 and no output.
    pub fn ok() -> RecordedOutput {
        RecordedOutput::default()
    }

    /// A failure with this status and standard error.
    pub fn failure(status: i32, stderr: impl Into<String>) -> RecordedOutput {
        RecordedOutput { status, stderr: stderr.into(), ..RecordedOutput::default() }
    }

    /// A command that does not finish in time.
    pub fn timeout() -> RecordedOutput {
        RecordedOutput { timeout: true, ..RecordedOutput::default() }
    }
}

/// One line of a replay file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    argv: Vec<String>,
    #[serde(default)]
    stdout: String,
    #[serde(default)]
    stderr: String,
    #[serde(default)]
    status: i32,
    #[serde(default, skip_serializing_if = "is_false")]
    timeout: bool,
}

impl Entry {
    fn reply(&self) -> RecordedOutput {
        RecordedOutput {
            stdout: self.stdout.clone(),
            stderr: self.stderr.clone(),
            status: self.status,
            timeout: self.timeout,
        }
    }
}

/// A replay file: the answers, and where to record the calls.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    log: Option<PathBuf>,
    commands: Vec<Entry>,
}

/// Answers command lines from recorded outputs, for tests and `drmgr-sim` demos.
///
/// Each entry maps an exact argument vector (program path first) to a [`RecordedOutput`].
/// When several entries have the same argument vector, they answer in turn and the
/// last one keeps answering. A call without an entry is an [`AixError::Replay`]
/// naming the argument vector. Every call is recorded, in memory ([`calls`]) and,
/// when the file names a `log`, appended to that file as one JSON array per line, so
/// a test can assert the exact argument vectors a script process used.
///
/// The replay file (named by `DLPAR_AIX_REPLAY`, see
/// [`runner_from_env`](crate::aix::runner_from_env)) is JSON:
///
/// ```json
/// {
///   "log": "calls.jsonl",
///   "commands": [
///     { "argv": ["/usr/sbin/bindprocessor", "-q"],
///       "stdout": "The available processors are: 0 1 2 3\n" },
///     { "argv": ["/usr/sbin/bindprocessor", "-u", "4242"],
///       "status": 1, "stderr": "1730-002 ..." },
///     { "argv": ["/usr/bin/ps", "-e", "-m", "-o", "THREAD"], "timeout": true }
///   ]
/// }
/// ```
///
/// `stdout`, `stderr` default to empty, `status` to 0, `timeout` to false; a relative
/// `log` is resolved against the replay file's directory. Unknown keys are errors.
///
/// ```
/// use std::time::Duration;
/// use dlpar_script::aix::{AixCommand, CommandRunner, ReplayRunner, RecordedOutput};
///
/// let runner = ReplayRunner::new()
///     .on(["/usr/sbin/bindprocessor", "-q"], RecordedOutput::stdout("The available processors are: 0 1\n"));
/// let out = runner.run(&AixCommand::Bindprocessor.line(["-q"]), Duration::from_secs(1)).unwrap();
/// assert_eq!(out.stdout, "The available processors are: 0 1\n");
/// assert_eq!(runner.calls(), [["/usr/sbin/bindprocessor", "-q"]]);
///
/// let err = runner.run(&AixCommand::Bindprocessor.line(["-u", "7"]), Duration::from_secs(1)).unwrap_err();
/// assert_eq!(err.to_string(), "AIX replay: no entry for [\"/usr/sbin/bindprocessor\", \"-u\", \"7\"]");
/// ```
///
/// [`calls`]: ReplayRunner::calls
#[derive(Debug, Default)]
pub struct ReplayRunner {
    file: ReplayFile,
    used: Mutex<Vec<bool>>,
    calls: Mutex<Vec<Vec<String>>>,
}

impl ReplayRunner {
    /// A runner without entries.
    pub fn new() -> ReplayRunner {
        ReplayRunner::default()
    }

    /// Adds an entry answering `argv` (program path first) with `reply`.
    pub fn on<I, S>(mut self, argv: I, reply: RecordedOutput) -> ReplayRunner
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let RecordedOutput { stdout, stderr, status, timeout } = reply;
        self.file.commands.push(Entry {
            argv: argv.into_iter().map(Into::into).collect(),
            stdout,
            stderr,
            status,
            timeout,
        });
        self.used.get_mut().unwrap_or_else(PoisonError::into_inner).push(false);
        self
    }

    /// Also appends every call to `path`, one JSON array per line.
    pub fn log_to(mut self, path: impl Into<PathBuf>) -> ReplayRunner {
        self.file.log = Some(path.into());
        self
    }

    /// Loads a replay file.
    pub fn load(path: impl AsRef<Path>) -> Result<ReplayRunner, AixError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| AixError::Replay(format!("cannot read {}: {e}", path.display())))?;
        let base = path.parent().unwrap_or(Path::new("."));
        ReplayRunner::from_json(&text, base).map_err(|e| match e {
            AixError::Replay(message) => AixError::Replay(format!("{}: {message}", path.display())),
            other => other,
        })
    }

    /// Reads a replay file's text; a relative `log` is resolved against `base`.
    pub fn from_json(text: &str, base: &Path) -> Result<ReplayRunner, AixError> {
        let mut file: ReplayFile = serde_json::from_str(text).map_err(|e| AixError::Replay(e.to_string()))?;
        file.log = file.log.map(|log| base.join(log));
        let used = vec![false; file.commands.len()];
        Ok(ReplayRunner { file, used: Mutex::new(used), calls: Mutex::default() })
    }

    /// The replay file's text for these entries, for a test to write where
    /// `DLPAR_AIX_REPLAY` points.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.file)
            .unwrap_or_else(|e| unreachable!("a replay file always serializes: {e}"))
    }

    /// Every argument vector run so far, in order.
    pub fn calls(&self) -> Vec<Vec<String>> {
        self.calls.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Reads a call log written by runners with a `log`: the argument vectors, in order.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let log = dir.path().join("calls.jsonl");
    /// std::fs::write(&log, "[\"/usr/sbin/bindprocessor\",\"-q\"]\n").unwrap();
    /// assert_eq!(dlpar_script::aix::ReplayRunner::read_log(&log).unwrap(), [["/usr/sbin/bindprocessor", "-q"]]);
    /// ```
    pub fn read_log(path: impl AsRef<Path>) -> Result<Vec<Vec<String>>, AixError> {
        let path = path.as_ref();
        let text = match std::fs::read_to_string(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            other => other.map_err(|e| AixError::Replay(format!("cannot read {}: {e}", path.display())))?,
        };
        text.lines()
            .map(|line| {
                serde_json::from_str(line)
                    .map_err(|e| AixError::Replay(format!("{}: bad log line {line:?}: {e}", path.display())))
            })
            .collect()
    }

    fn record(&self, argv: &[String]) -> Result<(), AixError> {
        self.calls.lock().unwrap_or_else(PoisonError::into_inner).push(argv.to_vec());
        let Some(log) = &self.file.log else { return Ok(()) };
        let line = serde_json::to_string(argv).map_err(|e| AixError::Replay(e.to_string()))?;
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .and_then(|mut file| file.write_all(format!("{line}\n").as_bytes()))
            .map_err(|e| AixError::Replay(format!("cannot record the call in {}: {e}", log.display())))
    }

    fn answer(&self, argv: &[String]) -> Option<RecordedOutput> {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        let matching = || self.file.commands.iter().enumerate().filter(|(_, entry)| entry.argv == argv);
        let (index, entry) = matching().find(|(i, _)| !used[*i]).or_else(|| matching().next_back())?;
        used[index] = true;
        Some(entry.reply())
    }
}

impl CommandRunner for ReplayRunner {
    fn run(&self, line: &CommandLine, limit: Duration) -> Result<CommandOutput, AixError> {
        let argv = line.argv();
        self.record(&argv)?;
        let reply = self.answer(&argv).ok_or_else(|| AixError::Replay(format!("no entry for {argv:?}")))?;
        if reply.timeout {
            return Err(AixError::TimedOut { line: line.to_string(), limit });
        }
        Ok(CommandOutput { status: Some(reply.status), stdout: reply.stdout, stderr: reply.stderr })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aix::AixCommand;

    const LIMIT: Duration = Duration::from_secs(1);

    fn ps() -> CommandLine {
        AixCommand::Ps.line(["-e"])
    }

    #[test]
    fn entries_for_one_argv_answer_in_turn_and_the_last_repeats() {
        let runner = ReplayRunner::new()
            .on(["/usr/bin/ps", "-e"], RecordedOutput::stdout("first"))
            .on(["/usr/bin/ps", "-e"], RecordedOutput::stdout("second"));
        let outputs: Vec<_> = (0..3).map(|_| runner.run(&ps(), LIMIT).unwrap().stdout).collect();
        assert_eq!(outputs, ["first", "second", "second"]);
        assert_eq!(runner.calls().len(), 3);
    }

    #[test]
    fn failures_and_timeouts_are_replayed() {
        let runner = ReplayRunner::new()
            .on(["/usr/bin/ps", "-e"], RecordedOutput::failure(2, "no"))
            .on(["/usr/sbin/bindprocessor", "-q"], RecordedOutput::timeout());
        let out = runner.run(&ps(), LIMIT).unwrap();
        assert_eq!((out.status, out.stderr.as_str()), (Some(2), "no"));
        let err = runner.run(&AixCommand::Bindprocessor.line(["-q"]), LIMIT).unwrap_err();
        assert_eq!(err.to_string(), "/usr/sbin/bindprocessor -q did not finish within 1 s and was killed");
    }

    #[test]
    fn a_file_round_trips_and_logs_calls_relative_to_itself() {
        let dir = tempfile::tempdir().unwrap();
        let runner = ReplayRunner::new().log_to("calls.jsonl").on(["/usr/bin/ps", "-e"], RecordedOutput::stdout("x"));
        let path = dir.path().join("replay.json");
        std::fs::write(&path, runner.to_json()).unwrap();

        let loaded = ReplayRunner::load(&path).unwrap();
        loaded.run(&ps(), LIMIT).unwrap();
        loaded.run(&AixCommand::Bindprocessor.line(["-u", "12"]), LIMIT).unwrap_err();
        let log = ReplayRunner::read_log(dir.path().join("calls.jsonl")).unwrap();
        assert_eq!(log, [vec!["/usr/bin/ps", "-e"], vec!["/usr/sbin/bindprocessor", "-u", "12"]]);
    }

    #[test]
    fn bad_replay_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("replay.json");
        let err = ReplayRunner::load(&path).unwrap_err().to_string();
        assert!(err.starts_with(&format!("AIX replay: cannot read {}: ", path.display())), "{err}");

        std::fs::write(&path, r#"{"commands": [{"argv": ["/usr/bin/ps"], "exit": 1}]}"#).unwrap();
        let err = ReplayRunner::load(&path).unwrap_err().to_string();
        assert!(err.starts_with(&format!("AIX replay: {}: unknown field `exit`", path.display())), "{err}");
    }
}
