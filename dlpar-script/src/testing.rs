//! Running a script in-process, for tests.
//!
//! [`invoke`] answers one command as drmgr would see it: exit status and stdout;
//! [`invoke_with_env`] does the same with `DR_*` (or other) variables set. The
//! [`Answer`] prints in a stable form that suits snapshot tests.
//!
//! ```
//! use dlpar_script::prelude::*;
//! use dlpar_script::testing::{invoke, invoke_with_env};
//!
//! let script = Script::new("Acme", "demo").version(1).date("22112026")
//!     .resource(Resource::Mem, "Acme cache lives in memory")
//!     .on(Command::PreRelease, Resource::Mem, |_: &MemEvent, _: &mut Context| Ok(()));
//! let answer = invoke(&script, ["register"]);
//! assert_eq!(answer.to_string(), "exit: 0\nDR_RESOURCE=mem\n");
//! let answer = invoke_with_env(&script, ["prerelease", "mem"], [("DR_MEM_SIZE_REQUEST", "x")]);
//! assert_eq!(answer.exit, 1);
//! ```

use std::ffi::{OsStr, OsString};
use std::fmt;

use crate::Script;
use crate::wire::{ParsedReply, parse_reply};

/// What one command answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The exit status.
    pub exit: u8,
    /// Everything written to stdout.
    pub stdout: String,
    /// stdout parsed as the host would.
    pub reply: ParsedReply,
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", ExitLine::Code(self.exit.into()))?;
        f.write_str(&self.stdout)
    }
}

/// The first line of every transcript this project's tests print, for an answer
/// given in-process ([`Answer`]) or by a real process ([`exit_line`]): `exit: N`, or
/// `exit: signal N` for a process a signal ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExitLine {
    Code(i32),
    Signal(i32),
}

impl fmt::Display for ExitLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExitLine::Code(code) => write!(f, "exit: {code}"),
            ExitLine::Signal(signal) => write!(f, "exit: signal {signal}"),
        }
    }
}

/// How a process ended, as a transcript's first line: `exit: N`, or `exit: signal N`
/// when a signal ended it; the same form as an [`Answer`]'s.
///
/// ```
/// let status = std::process::Command::new("/bin/sh").args(["-c", "exit 3"]).status().unwrap();
/// assert_eq!(dlpar_script::testing::exit_line(status), "exit: 3");
/// ```
pub fn exit_line(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    let line = match (status.code(), status.signal()) {
        (Some(code), _) => ExitLine::Code(code),
        (None, Some(signal)) => ExitLine::Signal(signal),
        // POSIX: a process that did not exit was ended by a signal.
        (None, None) => unreachable!("an ended process has an exit status or a signal"),
    };
    line.to_string()
}

/// Runs `script` on `args` (the words after the program name) with an empty
/// environment.
pub fn invoke(script: &Script, args: impl IntoIterator<Item = impl AsRef<OsStr>>) -> Answer {
    invoke_with_env(script, args, std::iter::empty::<(&str, &str)>())
}

/// Runs `script` on `args` (the words after the program name) with `env` as its
/// whole environment.
pub fn invoke_with_env(
    script: &Script,
    args: impl IntoIterator<Item = impl AsRef<OsStr>>,
    env: impl IntoIterator<Item = (impl AsRef<OsStr>, impl AsRef<OsStr>)>,
) -> Answer {
    let args = args.into_iter().map(|a| a.as_ref().to_owned());
    let argv: Vec<OsString> = std::iter::once(OsString::from("script")).chain(args).collect();
    let mut stdout = Vec::new();
    let exit = script.run_with(argv, env, &mut stdout);
    let reply = parse_reply(&stdout);
    Answer { exit, stdout: String::from_utf8_lossy(&stdout).into_owned(), reply }
}
