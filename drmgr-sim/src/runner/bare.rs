//! A program started with nothing but what the caller gives: no arguments, an
//! exact environment, a working directory, a signal mask, an optional time limit,
//! and drmgr-sim's own standard descriptors and process group unless output is
//! captured. This is how powerpc-utils starts its hooks (the `linux` module); the
//! spawning, the signals at the limit and the bounded reads are the runner's own.

use std::ffi::{CString, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{self, Stdio};
use std::time::{Duration, Instant};

use super::end::End;
use super::watch::{Limits, lost_track, watch};
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
    /// Its signal mask at `exec`.
    pub(crate) mask: libc::sigset_t,
    /// Whether its stdout and stderr are pipes read into [`Ran`]; otherwise it
    /// writes to drmgr-sim's own. Its stdin is drmgr-sim's either way.
    pub(crate) capture: bool,
    /// SIGTERM to it after this long, SIGKILL after the grace period (its process
    /// group is drmgr-sim's, so the group is not signalled); `None`: no limit.
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
            own_group: false,
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
                    ran.end = End::Signalled(libc::SIGKILL);
                    ran.notes.push(lost_track(&mut child, &error, "the program"));
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

    fn spawn(&self) -> io::Result<process::Child> {
        let mut command = process::Command::new(self.path);
        command.current_dir(self.workdir);
        if self.capture {
            command.stdout(Stdio::piped()).stderr(Stdio::piped());
        }
        let exec = Exec::new(self.path, self.env, self.mask)?;
        // SAFETY: the closure only calls sigprocmask and execve, both
        // async-signal-safe, on memory prepared before the fork.
        unsafe { command.pre_exec(move || exec.run()) };
        spawn_retrying(&mut command)
    }
}

/// The end of a start done by hand, after the standard library has set up the
/// child's descriptors and directory: the mask, then `execve` with the
/// environment in the caller's order. The standard library would empty the mask
/// and sort the environment by name; powerpc-utils' hooks get drmgr's mask and
/// the order its `setenv` calls made (`DRC_TYPE`, `DRC_COUNT`, `ACTION`, `PHASE`).
/// Everything is allocated before the fork: the child only reads it.
struct Exec {
    mask: libc::sigset_t,
    /// The program, argv (itself, then null) and envp (`NAME=value`, then null),
    /// as addresses into `_strings`, which owns them.
    program: usize,
    argv: [usize; 2],
    envp: Vec<usize>,
    _strings: Vec<CString>,
}

// SAFETY: the addresses point into `_strings`, owned by the same value and never
// changed after `new`; the value is only read, in the forked child.
unsafe impl Send for Exec {}
// SAFETY: as above; nothing is written through a shared reference.
unsafe impl Sync for Exec {}

impl Exec {
    fn new(path: &Path, env: &[(OsString, OsString)], mask: libc::sigset_t) -> io::Result<Exec> {
        let nul = |bytes: Vec<u8>| CString::new(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e));
        let mut strings = vec![nul(path.as_os_str().as_bytes().to_vec())?];
        for (name, value) in env {
            strings.push(nul([name.as_bytes(), b"=", value.as_bytes()].concat())?);
        }
        // A CString's heap buffer stays put when the CString itself moves.
        let address = |s: &CString| s.as_ptr() as usize;
        let program = address(&strings[0]);
        let mut envp: Vec<usize> = strings[1..].iter().map(address).collect();
        envp.push(0);
        Ok(Exec { mask, program, argv: [program, 0], envp, _strings: strings })
    }

    fn run(&self) -> io::Result<()> {
        // SAFETY: `mask` is an initialised sigset_t; the old mask is not asked for.
        if unsafe { libc::sigprocmask(libc::SIG_SETMASK, &self.mask, std::ptr::null_mut()) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let argv = self.argv.as_ptr().cast::<*const libc::c_char>();
        let envp = self.envp.as_ptr().cast::<*const libc::c_char>();
        // SAFETY: NUL-terminated strings and null-terminated arrays of them, alive
        // in `self`; execve returns only on failure.
        unsafe { libc::execve(self.program as *const libc::c_char, argv, envp) };
        Err(io::Error::last_os_error())
    }
}
