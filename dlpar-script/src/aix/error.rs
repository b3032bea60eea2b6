//! Errors of the AIX helpers.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::Duration;

use super::Pid;

/// Why an AIX command, query or action did not give an answer.
///
/// Converts into [`crate::Error`], so handlers can use `?`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AixError {
    /// The command does not exist at its absolute path.
    #[error("{} not found: {}", .path.display(), if cfg!(target_os = "aix") { "is its fileset installed?" } else { "this is not AIX" })]
    NotFound {
        /// The path that was tried.
        path: PathBuf,
    },
    /// A program was named by a relative path.
    #[error("{0:?} is not an absolute path: commands are run by absolute path only")]
    RelativePath(PathBuf),
    /// The command could not be started.
    #[error("could not start {line}: {source}")]
    Spawn {
        /// The command line.
        line: String,
        /// What the system said.
        source: io::Error,
    },
    /// The command ran past its time limit and was killed.
    #[error("{line} did not finish within {} and was killed", Seconds(*.limit))]
    TimedOut {
        /// The command line.
        line: String,
        /// The limit it had.
        limit: Duration,
    },
    /// The command wrote more than the helpers read; its output is not trusted.
    #[error("{line} wrote more than {limit} bytes to {stream}; the output was not read")]
    OutputTooLarge {
        /// The command line.
        line: String,
        /// `stdout` or `stderr`.
        stream: &'static str,
        /// The most bytes read from that stream.
        limit: usize,
    },
    /// The command exited with a non-zero status or was killed by a signal.
    #[error("{line} failed ({}){}", Status(*.status), Stderr(.stderr))]
    Failed {
        /// The command line.
        line: String,
        /// The exit status; `None` when a signal ended it.
        status: Option<i32>,
        /// What it wrote to stderr, trimmed.
        stderr: String,
    },
    /// The command's output is not in the documented format.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A name to pass to a command is not acceptable.
    #[error("invalid {what} {value:?}: {reason}")]
    InvalidName {
        /// What kind of name (`WLM class`, `resource set`).
        what: &'static str,
        /// The name given.
        value: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A process could not be signalled.
    #[error("cannot signal process {pid}: {source}")]
    Signal {
        /// The process.
        pid: Pid,
        /// What the system said.
        source: io::Error,
    },
    /// The replay file of the fake runner is unusable, or has no entry for a call.
    #[error("AIX replay: {0}")]
    Replay(String),
}

impl From<AixError> for crate::Error {
    fn from(error: AixError) -> crate::Error {
        crate::Error::other(error)
    }
}

struct Seconds(Duration);

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} s", self.0.as_secs_f64())
    }
}

struct Status(Option<i32>);

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(code) => write!(f, "exit status {code}"),
            None => f.write_str("killed by a signal"),
        }
    }
}

struct Stderr<'a>(&'a str);

impl fmt::Display for Stderr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() { Ok(()) } else { write!(f, ": {}", self.0) }
    }
}

/// Output that does not match the documented format of a command. It names the
/// command and quotes the offending line, so an administrator can see what changed.
///
/// ```
/// use dlpar_script::aix::parse_available_processors;
///
/// let err = parse_available_processors("Processors: 0 1\n").unwrap_err();
/// assert_eq!(err.to_string(), "unexpected output from bindprocessor -q, line 1 \
///     \"Processors: 0 1\": expected \"The available processors are: ...\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unexpected output from {command}{}: {problem}", At(*.line, .quoted))]
pub struct ParseError {
    /// The command and flags whose output was read, such as `ps -e -m -o THREAD`.
    pub command: &'static str,
    /// The 1-based line number, 0 when the problem is the output as a whole.
    pub line: usize,
    /// The offending line, as printed.
    pub quoted: String,
    /// What was expected.
    pub problem: String,
}

impl ParseError {
    /// An error about a numbered line (1-based, as [`numbered`](super::parse::numbered)
    /// gives them), quoting it.
    pub(crate) fn at(command: &'static str, (line, text): (usize, &str), problem: impl Into<String>) -> ParseError {
        ParseError { command, line, quoted: text.to_owned(), problem: problem.into() }
    }

    /// An error about the output as a whole (empty, or a part missing at its end).
    pub(crate) fn whole(command: &'static str, problem: impl Into<String>) -> ParseError {
        ParseError { command, line: 0, quoted: String::new(), problem: problem.into() }
    }
}

struct At<'a>(usize, &'a String);

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 { Ok(()) } else { write!(f, ", line {} {:?}", self.0, self.1) }
    }
}
