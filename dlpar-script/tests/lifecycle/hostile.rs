//! Misbehaving handlers (issue 13): stray output, panics with stderr unwritable, a
//! panic while unwinding, a flood of log lines, closed standard descriptors and
//! the host's `SIGTERM`. Each through both entry points of the probe where the
//! entry could matter.

use std::fs::File;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use dlpar_script::prelude::*;
use dlpar_script::wire::{MAX_BYTES, parse_reply};

use super::support::{Entry, Run, finished, probe_entered, run};

/// `checkacquire cpu` of the probe through `entry`, with `knobs` set.
fn hostile(entry: Entry, knobs: &[(&str, &str)]) -> std::process::Command {
    probe_entered(entry, &["checkacquire", "cpu"], knobs.iter().copied())
}

const STRAY_ON_STDERR: &str = "DR_ERROR=\"forged by println\"\npartial writepartial print\
                               DR_ERROR=\"forged through a lock\"\nDR_ERROR=\"forged by a child\"\n";

#[test]
fn output_a_handler_writes_to_stdout_never_reaches_the_reply() {
    for entry in Entry::BOTH {
        let ok = run(hostile(entry, &[("PROBE_STRAY", "1")]));
        assert_eq!(
            (ok.exit, ok.stdout.as_str(), ok.stderr.as_str()),
            (Some(0), "DR_LOG_WARNING=\"child exited with exit status: 0\"\n", STRAY_ON_STDERR),
            "{entry:?}"
        );
        // A partial line cannot glue onto the real DR_ERROR.
        let failed = run(hostile(entry, &[("PROBE_STRAY", "1"), ("PROBE_FAIL", "1")]));
        assert_eq!(
            (failed.exit, failed.stdout.as_str()),
            (Some(1), "DR_LOG_WARNING=\"child exited with exit status: 0\"\nDR_ERROR=\"the handler's own error\"\n"),
            "{entry:?}"
        );
    }
}

/// The device and inode of an open descriptor.
fn identity(fd: i32) -> (u64, u64) {
    // SAFETY: fstat writes a stat of an open descriptor into `stat`.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::fstat(fd, &mut stat) }, 0, "fd {fd}: {}", std::io::Error::last_os_error());
    (stat.st_dev as u64, stat.st_ino as u64)
}

#[test]
fn in_process_runs_leave_the_callers_descriptors_alone() {
    let before = identity(1);
    let script = Script::new("Acme", "Acme checks")
        .version(1)
        .date("22112026")
        .resource(Resource::Cpu, "Acme binds")
        .on(Command::CheckAcquire, Resource::Cpu, move |_: &CpuEvent, _: &mut Context| {
            assert_eq!(identity(1), before, "fd 1 is the caller's while the handler runs");
            Err(Error::failed("answered"))
        });
    let answer = dlpar_script::testing::invoke(&script, ["checkacquire", "cpu"]);
    assert_eq!(answer.to_string(), "exit: 1\nDR_ERROR=\"answered\"\n");
    assert_eq!(identity(1), before);
}

/// stderr on a pipe whose reader has gone.
fn broken_pipe() -> Stdio {
    let mut fds = [0; 2];
    // SAFETY: pipe writes two descriptors it opened into `fds`.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: both are open and ours; the write end is handed over to Stdio.
    unsafe {
        libc::close(fds[0]);
        std::os::fd::FromRawFd::from_raw_fd(fds[1])
    }
}

/// Standard errors that take no writes, each with what it is.
fn unwritable_stderrs() -> Vec<(&'static str, Stdio)> {
    let mut stderrs = vec![("a closed pipe", broken_pipe())];
    if cfg!(target_os = "linux") {
        stderrs.push(("/dev/full", File::options().write(true).open("/dev/full").unwrap().into()));
    }
    stderrs
}

#[test]
fn a_panic_is_answered_when_stderr_cannot_be_written() {
    for entry in Entry::BOTH {
        for (what, stderr) in unwritable_stderrs() {
            let mut command = hostile(entry, &[("PROBE_PANIC", "once")]);
            command.stderr(stderr);
            let panicked = run(command);
            assert_eq!(
                (panicked.exit, panicked.stdout.as_str()),
                (Some(1), "DR_ERROR=\"handler hostile panicked: first panic\"\n"),
                "{entry:?}, stderr on {what}"
            );
        }
    }
}

#[test]
fn a_panic_while_unwinding_is_answered_before_the_abort() {
    for entry in Entry::BOTH {
        let aborted = run(hostile(entry, &[("PROBE_PANIC", "twice")]));
        assert_eq!(
            (aborted.exit, aborted.signal, aborted.stdout.as_str()),
            (
                None,
                Some(libc::SIGABRT),
                "DR_ERROR=\"handler hostile panicked: first panic; then panicked again: second panic, from a Drop\"\n"
            ),
            "{entry:?}: {}",
            aborted.stderr
        );
    }
}

#[test]
fn closed_standard_descriptors_never_make_a_handlers_file_stdout() {
    for entry in Entry::BOTH {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("handler's file");
        let mut command = hostile(entry, &[("PROBE_OPEN", file.to_str().unwrap()), ("PROBE_FAIL", "1")]);
        command.stdout(Stdio::inherit());
        // SAFETY: close(2) is async-signal-safe, as a pre_exec closure must be.
        unsafe {
            command.pre_exec(|| {
                libc::close(libc::STDOUT_FILENO);
                Ok(())
            })
        };
        let closed = run(command);
        assert_eq!(closed.exit, Some(1), "{entry:?}: {}", closed.stderr);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "", "{entry:?}: the reply went into the handler's file");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_flood_of_log_lines_keeps_the_reply_and_the_memory_bounded() {
    // 200,000 warnings of 1 KB, then an error: 206 MB of reply, unbounded.
    let mut command = hostile(Entry::Rust, &[("PROBE_WARNINGS", "200000"), ("PROBE_FAIL", "1")]);
    #[expect(clippy::zombie_processes, reason = "reaped with wait4, which also reports its resource usage")]
    let mut child = command.stderr(Stdio::null()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let (mut status, mut usage) = (0, unsafe { std::mem::zeroed::<libc::rusage>() });
    // SAFETY: waits for our own child; status and usage are written by the kernel.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    let stdout = reader.join().unwrap().unwrap();
    assert_eq!(libc::WEXITSTATUS(status), 1);
    assert!(stdout.len() <= MAX_BYTES, "{} bytes", stdout.len());
    let reply = parse_reply(&stdout);
    assert_eq!(reply.warnings, []);
    assert_eq!(reply.error().as_deref(), Some("the handler's own error"));
    let warnings: Vec<&str> = reply.pairs.iter().filter(|p| p.name == "DR_LOG_WARNING").map(|p| &*p.value).collect();
    let kept = warnings.len() - 1;
    assert!(kept > 1000, "the reply is filled first: {kept} lines");
    assert_eq!(
        warnings.last().copied(),
        Some(&*format!("{} log lines dropped: a reply holds at most {MAX_BYTES} bytes", 200_000 - kept))
    );
    // ru_maxrss is in KiB on Linux. Unbounded, the probe grew past 200 MB.
    let peak = usage.ru_maxrss as u64 * 1024;
    assert!(peak < 16 << 20, "peak RSS {peak} bytes");
}

/// Starts `command` (whose handler creates `ready` when it works), sends it
/// `SIGTERM` once it does, and returns what it answered.
fn terminated(mut command: std::process::Command, ready: &std::path::Path) -> Run {
    let child = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready.exists() {
        assert!(Instant::now() < deadline, "the handler never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    // SAFETY: signals our own child.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) }, 0);
    finished(child.wait_with_output().unwrap())
}

#[test]
fn the_hosts_sigterm_is_answered() {
    let cases: [(Entry, &[(&str, &str)]); 3] = [
        (Entry::Rust, &[]),
        // The watchdog armed (far off), and a thread keeping the reply busy.
        (Entry::Rust, &[("PROBE_TIMEOUT", "60"), ("PROBE_BUSY_LOGGER", "1"), ("DR_DETAIL_LEVEL", "3")]),
        (Entry::C, &[]),
    ];
    for (entry, knobs) in cases {
        let dir = tempfile::tempdir().unwrap();
        let ready = dir.path().join("ready");
        let mut vars = vec![("PROBE_SLEEP_MS", "60000"), ("PROBE_READY", ready.to_str().unwrap())];
        vars.extend_from_slice(knobs);
        let ended = terminated(probe_entered(entry, &["checkrelease", "mem"], vars), &ready);
        assert_eq!(ended.exit, Some(143), "{entry:?} {knobs:?}: {}", ended.stdout);
        assert_eq!(ended.reply.warnings, []);
        let error = ended.reply.error().expect("a DR_ERROR");
        let seconds = error
            .strip_prefix("slow_check was ended by the host after ")
            .and_then(|rest| {
                rest.strip_suffix(" s (SIGTERM): the host's time limit (drmgr -w) is shorter than the command needs")
            })
            .unwrap_or_else(|| panic!("{entry:?} {knobs:?}: {error}"));
        let (whole, tenth) = seconds.split_once('.').unwrap();
        assert!(whole.parse::<u64>().unwrap() < 60 && tenth.len() == 1, "{seconds}");
        assert_eq!(ended.reply.pairs.last().map(|p| p.name.as_str()), Some("DR_ERROR"));
        if !knobs.is_empty() {
            assert_eq!(ended.reply.first("DR_LOG_INFO"), Some("working for 60000 ms"), "the lines so far come first");
        }
    }
}

#[test]
fn stray_output_with_stderr_unwritable_never_changes_the_answer() {
    for entry in Entry::BOTH {
        for (what, stderr) in unwritable_stderrs() {
            let mut command = hostile(entry, &[("PROBE_STRAY", "1")]);
            command.stderr(stderr);
            let ok = run(command);
            assert_eq!(
                (ok.exit, ok.stdout.as_str()),
                (Some(0), "DR_LOG_WARNING=\"child exited with exit status: 0\"\n"),
                "{entry:?}, stderr on {what}"
            );
        }
    }
}

#[test]
fn a_handler_that_closes_the_runtime_s_descriptors_never_gets_the_reply_in_its_file() {
    for entry in Entry::BOTH {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("handler's file");
        let knobs = [("PROBE_CLOSE_FDS", "1"), ("PROBE_OPEN", file.to_str().unwrap()), ("PROBE_FAIL", "1")];
        let closed = run(hostile(entry, &knobs));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "", "{entry:?}: the reply went into the handler's file");
        // The exit status still answers; the reply, on stdout no more, is on stderr after a note.
        assert_eq!(
            (closed.exit, closed.stdout.as_str(), closed.stderr.as_str()),
            (
                Some(1),
                "",
                "dlpar-script: the reply is written to stderr instead of stdout: the runtime's private copy of \
                 stdout was closed or replaced while the handler ran (a handler must not close descriptors it did \
                 not open)\nDR_ERROR=\"the handler's own error\"\n"
            ),
            "{entry:?}"
        );
    }
}

#[test]
fn after_a_fork_without_exec_only_the_process_the_host_started_answers() {
    const NOTE: &str = "dlpar-script: a process forked by handler hostile returned into the runtime; only the \
                        process the host started answers, so this one exits without a reply (end a forked child \
                        with exec or _exit)\n";
    for entry in Entry::BOTH {
        let ok = run(hostile(entry, &[("PROBE_FORK", "1")]));
        assert_eq!(
            (ok.exit, ok.stdout.as_str(), ok.stderr.as_str()),
            (Some(0), "DR_LOG_WARNING=\"the forked child exited with status 0\"\n", NOTE),
            "{entry:?}"
        );
        let failed = run(hostile(entry, &[("PROBE_FORK", "1"), ("PROBE_FAIL", "1")]));
        assert_eq!(
            (failed.exit, failed.stdout.as_str(), failed.stderr.as_str()),
            (
                Some(1),
                "DR_LOG_WARNING=\"the forked child exited with status 1\"\nDR_ERROR=\"the handler's own error\"\n",
                NOTE
            ),
            "{entry:?}"
        );
    }
}

#[test]
fn a_sigterm_once_the_answer_is_decided_does_not_cut_the_reply() {
    for entry in Entry::BOTH {
        let dir = tempfile::tempdir().unwrap();
        let done = dir.path().join("done");
        // 600 warnings of 1 KB: the reply fills the pipe, which nobody reads yet.
        let knobs = [("PROBE_WARNINGS", "600"), ("PROBE_DONE", done.to_str().unwrap()), ("PROBE_FAIL", "1")];
        let child = hostile(entry, &knobs).spawn().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !done.exists() {
            assert!(Instant::now() < deadline, "the handler never finished");
            std::thread::sleep(Duration::from_millis(10));
        }
        // The handler has returned; the runtime is now blocked writing the reply.
        std::thread::sleep(Duration::from_millis(300));
        // SAFETY: signals our own child.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) }, 0);
        std::thread::sleep(Duration::from_millis(100));
        let ended = finished(child.wait_with_output().unwrap());
        assert_eq!((ended.exit, ended.signal), (Some(1), None), "{entry:?}: {}", ended.stderr);
        assert_eq!(ended.reply.warnings, [], "{entry:?}: no line cut");
        assert_eq!(ended.reply.logs().count(), 600, "{entry:?}");
        assert_eq!(
            ended.reply.pairs.last().map(|p| (&*p.name, &*p.value)),
            Some(("DR_ERROR", "the handler's own error"))
        );
    }
}
