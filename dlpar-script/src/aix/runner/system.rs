//! The real runner: spawns the command by absolute path, with a time limit.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::CommandRunner;
use super::capture::{self, Captured};
use crate::aix::{AixError, CommandLine, CommandOutput};

/// The most bytes read from a command's stdout (a `ps` of a large partition stays
/// well below it).
const STDOUT_LIMIT: usize = 16 << 20;
/// The most bytes read from a command's stderr.
const STDERR_LIMIT: usize = 64 << 10;

/// Runs commands for real.
///
/// * The program is started by its absolute path with its argument vector: no shell,
///   no `PATH` lookup.
/// * Its environment is exactly `PATH=/usr/bin:/etc:/usr/sbin` (what drmgr gives
///   scripts) and `LANG=C`, `LC_ALL=C`, so headers and messages are the documented
///   English ones whatever the caller's locale.
/// * It runs in its own process group; past the time limit the whole group is killed
///   (SIGKILL: the commands run here only read or make one change, there is nothing
///   to shut down cleanly) and the call fails with [`AixError::TimedOut`].
/// * Off AIX, every [`AixCommand`](crate::aix::AixCommand) is reported absent
///   ([`AixError::NotFound`]), even where another system has a command of the same
///   name (Linux's `/usr/bin/ps`): its output format is not the AIX one.
/// * At most 16 MiB of stdout and 64 KiB of stderr are read; more is
///   [`AixError::OutputTooLarge`], never a truncated answer.
///
/// ```
/// use std::time::Duration;
/// use dlpar_script::aix::{AixCommand, CommandRunner, SystemRunner};
///
/// # if cfg!(not(target_os = "aix")) {
/// let err = SystemRunner::new().run(&AixCommand::Bindprocessor.line(["-q"]), Duration::from_secs(5)).unwrap_err();
/// assert_eq!(err.to_string(), "/usr/sbin/bindprocessor not found: this is not AIX");
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct SystemRunner {
    _private: (),
}

impl SystemRunner {
    /// The real runner.
    pub fn new() -> SystemRunner {
        SystemRunner::default()
    }
}

impl CommandRunner for SystemRunner {
    fn run(&self, line: &CommandLine, limit: Duration) -> Result<CommandOutput, AixError> {
        let deadline = Instant::now() + limit;
        let mut child = spawn(line)?;
        // A grandchild may still hold the pipes open: reading them has the same deadline.
        let Some((status, stdout, stderr)) = capture::collect(&mut child, (STDOUT_LIMIT, STDERR_LIMIT), deadline)
        else {
            kill_group(&mut child);
            return Err(AixError::TimedOut { line: line.to_string(), limit });
        };
        Ok(CommandOutput {
            status: status.code(),
            stdout: text(line, "stdout", stdout, STDOUT_LIMIT)?,
            stderr: text(line, "stderr", stderr, STDERR_LIMIT)?,
        })
    }
}

fn spawn(line: &CommandLine) -> Result<Child, AixError> {
    let not_found = || AixError::NotFound { path: line.program().to_path_buf() };
    // Off AIX, /usr/bin/ps and /usr/bin/ipcs exist but are other commands.
    if !line.program().exists() || (line.is_aix_command() && cfg!(not(target_os = "aix"))) {
        return Err(not_found());
    }
    Command::new(line.program())
        .args(line.args())
        .env_clear()
        .env("PATH", "/usr/bin:/etc:/usr/sbin")
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // AIX: setpgid and posix_spawnattr_setpgroup (std uses one) are documented; verify the group on a partition.
        .process_group(0)
        .spawn()
        .map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => not_found(),
            _ => AixError::Spawn { line: line.to_string(), source },
        })
}

/// Kills the child's process group, then reaps the child.
fn kill_group(child: &mut Child) {
    if let Ok(pgid) = libc::pid_t::try_from(child.id()) {
        // AIX (kill subroutine): a pid below -1 signals every process of group |pid|, as used here.
        // SAFETY: kill(2) has no memory-safety preconditions; a negative pid names the
        // process group the child leads (it was started with process_group(0)).
        unsafe { libc::kill(-pgid, libc::SIGKILL) };
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn text(line: &CommandLine, stream: &'static str, captured: Captured, limit: usize) -> Result<String, AixError> {
    if captured.overflowed {
        return Err(AixError::OutputTooLarge { line: line.to_string(), stream, limit });
    }
    Ok(String::from_utf8_lossy(&captured.bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(program: &str, args: &[&str], limit: Duration) -> Result<CommandOutput, AixError> {
        SystemRunner::new().run(&CommandLine::new(program, args.iter().copied()).unwrap(), limit)
    }

    #[test]
    #[cfg(not(target_os = "aix"))]
    fn every_aix_command_is_reported_absent_off_aix() {
        for command in crate::aix::AixCommand::ALL {
            let err = SystemRunner::new().run(&command.line(["-q"]), Duration::from_secs(5)).unwrap_err();
            assert_eq!(err.to_string(), format!("{} not found: this is not AIX", command.path().display()));
        }
    }

    #[test]
    fn a_command_past_its_limit_is_killed() {
        let started = Instant::now();
        let err = run("/bin/sleep", &["30"], Duration::from_millis(200)).unwrap_err();
        assert_eq!(err.to_string(), "/bin/sleep 30 did not finish within 0.2 s and was killed");
        // Killed, not waited for: far from the 30 seconds of the sleep.
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_grandchild_holding_the_pipe_does_not_outlive_the_limit() {
        let err = run("/bin/sh", &["-c", "/bin/sleep 30 & echo started"], Duration::from_millis(300)).unwrap_err();
        assert!(matches!(err, AixError::TimedOut { .. }), "{err}");
    }

    #[test]
    fn output_status_and_environment_are_reported() {
        let out =
            run("/bin/sh", &["-c", "echo \"$PATH $LC_ALL $HOME\"; echo oops >&2; exit 3"], Duration::from_secs(10))
                .unwrap();
        assert_eq!(
            out,
            CommandOutput { status: Some(3), stdout: "/usr/bin:/etc:/usr/sbin C \n".into(), stderr: "oops\n".into() }
        );
        let line = CommandLine::new("/bin/sh", ["-c", "exit 3"]).unwrap();
        assert_eq!(out.check(&line).unwrap_err().to_string(), "/bin/sh -c \"exit 3\" failed (exit status 3): oops");
    }

    #[test]
    fn arguments_are_passed_verbatim_never_through_a_shell() {
        let out = run("/bin/echo", &["$(id)", "a;b", "*"], Duration::from_secs(10)).unwrap();
        assert_eq!(out.stdout, "$(id) a;b *\n");
    }

    #[test]
    fn too_much_output_is_refused() {
        let err = run("/bin/sh", &["-c", "head -c 70000 /dev/zero >&2"], Duration::from_secs(10)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/bin/sh -c \"head -c 70000 /dev/zero >&2\" wrote more than 65536 bytes to stderr; the output was not read"
        );
    }

    #[test]
    fn both_pipes_are_drained_on_one_thread_whatever_the_order() {
        // Each side writes past a pipe's capacity while the other waits: a reader
        // that drained one pipe before the other would never finish.
        let script = "head -c 200000 /dev/zero | tr '\\0' o; head -c 60000 /dev/zero | tr '\\0' e >&2; \
                      head -c 100000 /dev/zero | tr '\\0' o";
        let out = run("/bin/sh", &["-c", script], Duration::from_secs(20)).unwrap();
        assert_eq!((out.stdout.len(), out.stderr.len()), (300_000, 60_000));
        assert!(out.stdout.bytes().all(|b| b == b'o') && out.stderr.bytes().all(|b| b == b'e'));
    }

    #[test]
    fn a_signalled_command_has_no_status() {
        let out = run("/bin/sh", &["-c", "kill -TERM $$"], Duration::from_secs(10)).unwrap();
        assert_eq!(out.status, None);
    }
}
