//! The AIX commands this module runs, and one run of a command.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use super::AixError;
use crate::protocol::word_enum;

word_enum! {
    /// An AIX command, always run by its absolute path: drmgr gives scripts
    /// `PATH=/usr/bin:/etc:/usr/sbin`, and a script must never depend on a lookup.
    ///
    /// | command | path | where the path comes from |
    /// |---|---|---|
    /// | `ps` | `/usr/bin/ps` | IBM AIX ps page (X/Open ps lives in `/usr/bin`) |
    /// | `bindprocessor` | `/usr/sbin/bindprocessor` | IBM AIX bindprocessor page, "Files" section |
    /// | `ipcs` | `/usr/bin/ipcs` | IBM AIX ipcs page |
    /// | `lsrset` | `/usr/bin/lsrset` | the rset commands (`mkrset`, `lsrset`, …) live in `/usr/bin` |
    /// | `lsclass` | `/usr/sbin/lsclass` | WLM administration commands live in `/usr/sbin` |
    /// | `chclass` | `/usr/sbin/chclass` | as `lsclass` |
    ///
    /// Only the `bindprocessor` path could be checked against a published "Files" section;
    /// the others follow the AIX layout and are to be confirmed on a partition. Each path
    /// is written once, here.
    ///
    /// ```
    /// use dlpar_script::aix::AixCommand;
    ///
    /// assert_eq!(AixCommand::Bindprocessor.path().to_str(), Some("/usr/sbin/bindprocessor"));
    /// assert_eq!(AixCommand::Ps.line(["-e"]).to_string(), "/usr/bin/ps -e");
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[non_exhaustive]
    pub enum AixCommand {
        /// `ps`: processes, their threads, bindings and flags.
        Ps = "ps",
        /// `bindprocessor`: online processors, binding and unbinding processes.
        Bindprocessor = "bindprocessor",
        /// `ipcs`: System V shared-memory segments.
        Ipcs = "ipcs",
        /// `lsrset`: resource sets.
        Lsrset = "lsrset",
        /// `lsclass`: Workload Manager classes.
        Lsclass = "lsclass",
        /// `chclass`: changing a Workload Manager class.
        Chclass = "chclass",
    }
}

impl AixCommand {
    /// The absolute path of the command.
    pub fn path(self) -> &'static Path {
        Path::new(match self {
            AixCommand::Ps => "/usr/bin/ps",
            AixCommand::Bindprocessor => "/usr/sbin/bindprocessor",
            AixCommand::Ipcs => "/usr/bin/ipcs",
            AixCommand::Lsrset => "/usr/bin/lsrset",
            AixCommand::Lsclass => "/usr/sbin/lsclass",
            AixCommand::Chclass => "/usr/sbin/chclass",
        })
    }

    /// The command with these arguments.
    pub fn line<I, S>(self, args: I) -> CommandLine
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let args = args.into_iter().map(Into::into).collect();
        CommandLine { program: self.path().to_path_buf(), args, aix: true }
    }
}

/// A program given by absolute path and its argument vector: never a shell command
/// line, so no text is ever interpreted.
///
/// ```
/// use dlpar_script::aix::CommandLine;
///
/// let line = CommandLine::new("/bin/sleep", ["5"]).unwrap();
/// assert_eq!(line.argv(), ["/bin/sleep", "5"]);
/// assert_eq!(CommandLine::new("sleep", ["5"]).unwrap_err().to_string(),
///     "\"sleep\" is not an absolute path: commands are run by absolute path only");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    program: PathBuf,
    args: Vec<OsString>,
    /// Built by [`AixCommand::line`]: off AIX, the same path may hold another
    /// system's command with another output format, which must not be run.
    aix: bool,
}

impl CommandLine {
    /// A command line for `program`, which must be an absolute path.
    pub fn new<I, S>(program: impl Into<PathBuf>, args: I) -> Result<CommandLine, AixError>
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let program = program.into();
        if !program.is_absolute() {
            return Err(AixError::RelativePath(program));
        }
        Ok(CommandLine { program, args: args.into_iter().map(Into::into).collect(), aix: false })
    }

    /// The program's absolute path.
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// The arguments after the program.
    pub fn args(&self) -> &[OsString] {
        &self.args
    }

    /// Whether this is one of the [`AixCommand`]s.
    pub fn is_aix_command(&self) -> bool {
        self.aix
    }

    /// The whole argument vector, program first, as text (lossy for non-UTF-8).
    pub fn argv(&self) -> Vec<String> {
        std::iter::once(self.program.as_os_str())
            .chain(self.args.iter().map(OsString::as_os_str))
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }
}

/// For messages only: words with spaces or quotes, and empty words, are shown quoted.
impl fmt::Display for CommandLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, word) in self.argv().iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if word.is_empty() || word.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'') {
                write!(f, "{word:?}")?;
            } else {
                f.write_str(word)?;
            }
        }
        Ok(())
    }
}

/// What a finished command wrote and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandOutput {
    /// The exit status, or `None` when a signal ended the command.
    pub status: Option<i32>,
    /// Standard output (invalid UTF-8 replaced).
    pub stdout: String,
    /// Standard error (invalid UTF-8 replaced).
    pub stderr: String,
}

impl CommandOutput {
    /// A successful run that printed `stdout`.
    ///
    /// ```
    /// let out = dlpar_script::aix::CommandOutput::success("The available processors are: 0 1\n");
    /// assert_eq!(out.status, Some(0));
    /// ```
    pub fn success(stdout: impl Into<String>) -> CommandOutput {
        CommandOutput { status: Some(0), stdout: stdout.into(), stderr: String::new() }
    }

    /// Whether the command exited with status 0.
    pub fn succeeded(&self) -> bool {
        self.status == Some(0)
    }

    /// `Ok(self)` when the command succeeded, else [`AixError::Failed`] quoting stderr.
    pub fn check(self, line: &CommandLine) -> Result<CommandOutput, AixError> {
        if self.succeeded() {
            return Ok(self);
        }
        Err(AixError::Failed { line: line.to_string(), status: self.status, stderr: self.stderr.trim().to_owned() })
    }
}
