//! A program started with nothing but what the caller gives: no arguments, an
//! exact environment, a working directory, an optional time limit. This is how
//! powerpc-utils starts its hooks (the `linux` module); the spawning, the process
//! group, the signals at the limit and the bounded reads are the runner's own.

use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{self, Stdio};
use std::time::{Duration, Instant};

use super::end::End;
use super::watch::{Limits, watch};
use super::{Runner, spawn_retrying, start_error};

/// What to start.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bare<'a> {
    /// The program.
    pub(crate) path: &'a Path,
    /// Its whole environment.
    pub(crate) env: &'a [(OsString, OsString)],
    /// Its working directory.
    pub(crate) workdir: &'a Path,
    /// SIGTERM to its process group after this long, SIGKILL after the grace
    /// period; `None`: no limit.
    pub(crate) limit: Option<Duration>,
    /// Between SIGTERM and SIGKILL.
    pub(crate) grace: Duration,
}

/// How a bare program ended and what it wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ran {
    pub(crate) end: End,
    pub(crate) duration: Duration,
    /// stdout, at most [`Runner::STDERR_LIMIT`] bytes, lossily UTF-8.
    pub(crate) stdout: String,
    /// stderr, likewise.
    pub(crate) stderr: String,
    /// Output cut, pipes left open, drmgr-sim losing track.
    pub(crate) notes: Vec<String>,
}

impl Bare<'_> {
    /// Runs the program to its end. Never fails: a program that cannot start is
    /// an [`End::NotStarted`] saying why.
    pub(crate) fn run(&self) -> Ran {
        let started = Instant::now();
        let limits = Limits {
            // A century stands for "no limit": the watch loop caps huge waits.
            time: self.limit.unwrap_or(Duration::MAX),
            grace: self.grace,
            stdout: Runner::STDERR_LIMIT,
            stderr: Runner::STDERR_LIMIT,
        };
        let mut ran = Ran {
            end: End::NotStarted(String::new()),
            duration: Duration::ZERO,
            stdout: String::new(),
            stderr: String::new(),
            notes: Vec::new(),
        };
        match self.spawn() {
            Err(error) => ran.end = End::NotStarted(start_error(&error, self.path, self.workdir)),
            Ok(mut child) => match watch(&mut child, &limits) {
                Err(error) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    ran.end = End::Signalled(libc::SIGKILL);
                    ran.notes.push(format!("drmgr-sim lost track of the program ({error}) and killed it"));
                }
                Ok(watched) => {
                    ran.end = watched.end(self.limit.unwrap_or(Duration::MAX));
                    ran.notes.extend(watched.signals.iter().cloned());
                    ran.stdout = String::from_utf8_lossy(&watched.stdout.kept).into_owned();
                    if watched.stdout.discarded() > 0 {
                        ran.notes.push(format!(
                            "stdout: the program wrote {} bytes; only the first {} were kept",
                            watched.stdout.total,
                            Runner::STDERR_LIMIT
                        ));
                    }
                    ran.stderr = String::from_utf8_lossy(&watched.stderr.kept).into_owned();
                    ran.notes.extend(watched.stderr_notes(Runner::STDERR_LIMIT));
                }
            },
        }
        ran.duration = started.elapsed();
        ran
    }

    fn spawn(&self) -> std::io::Result<process::Child> {
        let mut command = process::Command::new(self.path);
        command.env_clear().envs(self.env.iter().map(|(k, v)| (k, v)));
        command.current_dir(self.workdir).process_group(0);
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        spawn_retrying(&mut command)
    }
}
