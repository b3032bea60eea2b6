//! Scripts that attack the host: they leave their process group, outlive their
//! leader, flood it with lines, write terminal controls, override event variables.
//! drmgr-sim stays bounded in time and memory and says exactly what happened.

use std::time::Duration;

use dlpar_script::protocol::Resource;
use drmgr_sim::{End, Operation, Trace};

use crate::sim::support::{Sim, pids, still_running, within};

/// Installs `bad.sh` as `name` and runs `remove cpu` with a 0.3 s limit (0.2 s grace),
/// failing the test if drmgr-sim does not return within 20 s.
fn remove_cpu_timed(name: &'static str) -> (Sim, Trace) {
    let sim = Sim::new();
    sim.install("bad.sh", name);
    let runner = sim.runner.clone().default_timeout(Duration::from_millis(300));
    let repo = sim.repo.clone();
    let trace = within(Duration::from_secs(20), move || Operation::remove(Resource::Cpu).run(&repo, &runner).unwrap());
    (sim, trace)
}

#[test]
fn a_script_that_leaves_its_process_group_is_killed_by_pid_and_the_trace_says_so() {
    let (sim, trace) = remove_cpu_timed("bad_leaver");
    let [pid] = pids(&sim, "bad_leaver.pid")[..] else { panic!("one pid expected") };
    let check = &trace.invocations[0];
    assert_eq!(check.end, End::TimedOut { limit: Duration::from_millis(300), killed: true });
    assert_eq!(
        check.notes[..2],
        [
            format!(
                "time limit reached: SIGTERM sent to pid {pid}; its process group {pid} was empty (the script had left it)"
            ),
            format!(
                "grace period over, pid {pid} still running: \
                 SIGKILL sent to pid {pid}; its process group {pid} was empty (the script had left it)"
            ),
        ]
    );
    assert!(!still_running(pid), "pid {pid} survived");
    assert!(check.duration < Duration::from_secs(10), "{:?}", check.duration);
}

#[test]
fn a_group_member_ignoring_sigterm_dies_at_the_end_of_the_grace_period_though_its_leader_has_gone() {
    let (sim, trace) = remove_cpu_timed("bad_orphan");
    let [leader, member] = pids(&sim, "bad_orphan.pids")[..] else { panic!("two pids expected") };
    let check = &trace.invocations[0];
    assert_eq!(check.end, End::TimedOut { limit: Duration::from_millis(300), killed: true });
    assert_eq!(
        check.notes[..2],
        [
            format!("time limit reached: SIGTERM sent to pid {leader} and to its process group {leader}"),
            format!(
                "grace period over, the script had exited but process group {leader} still had members: \
                 SIGKILL sent to process group {leader}"
            ),
        ]
    );
    // Gone, not reparented to init and left running.
    assert!(!still_running(member), "group member {member} survived the limit");
}

#[test]
fn memory_stays_bounded_whatever_the_scripts_print() {
    // Eight scripts each print 1 MiB of `x\n` on stdout and on stderr, in each of
    // the three commands of `remove cpu`: 48 MiB of one-byte lines. Measured peak
    // RSS of the drmgr-sim process: 8.4 MiB with what one invocation keeps bounded,
    // 871 MiB before (one warning kept per line). The limit leaves a wide margin.
    let sim = Sim::new();
    for n in 1..=8 {
        sim.install("bad.sh", &format!("bad_flood{n}"));
    }
    let trace = sim.dir.path().join("trace.txt");
    #[expect(clippy::zombie_processes, reason = "reaped by wait4 below, which also gives its peak RSS")]
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_drmgr-sim"))
        .arg("--root")
        .arg(sim.repo.root())
        .arg("--workdir")
        .arg(sim.dir.path().join("work"))
        .args(["--hostname", crate::sim::support::HOST, "run", "remove", "cpu", "--bcpuid", "1"])
        .env_remove("DRMGR_SIM_ROOT")
        .env("XDG_STATE_HOME", sim.dir.path().join("xdg-state"))
        .stdout(std::fs::File::create(&trace).unwrap())
        .spawn()
        .unwrap();
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be overwritten.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `status` and `usage` are valid for writes; `pid` is our unreaped child.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "status {status:#x}");
    let peak_mib = usage.ru_maxrss / 1024; // kilobytes on Linux
    assert!(peak_mib < 64, "drmgr-sim peaked at {peak_mib} MiB");

    let text = std::fs::read_to_string(&trace).unwrap();
    assert!(
        text.contains("       warning: ... and 524268 more protocol warnings\n"),
        "{}",
        &text[..3000.min(text.len())]
    );
    assert!(text.contains("outcome: SUCCESS"), "{text}");
}

#[test]
fn terminal_controls_from_a_script_are_visible_escapes_in_the_text_trace_and_exact_in_json() {
    let sim = Sim::new();
    sim.install("bad.sh", "bad_ctrl");
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &sim.runner).unwrap();
    let error = "no\0pe\rX\u{9b}2J\u{2028}";
    assert_eq!(trace.invocations[0].error().as_deref(), Some(error));
    let text = trace.render_snapshot();
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    for line in [
        "       DR_ERROR: no\\x00pe\\x0dX\\u{9b}2J\\u{2028}\n",
        "       DR_LOG_INFO: \\x1b[1A\\x1b[2Kall fine\n",
        "       stderr| stderr \\x1b]0;title\\x07\n",
        "outcome: VETOED: checkrelease cpu vetoed by bad_ctrl: no\\x00pe\\x0dX\\u{9b}2J\\u{2028}\n",
    ] {
        assert!(text.contains(line), "{line:?} not in\n{text}");
    }
    let json = trace.to_json(drmgr_sim::Timings::Hidden);
    assert_eq!(json["invocations"][0]["error"], error);
    assert_eq!(json["invocations"][0]["logs"][0]["text"], "\x1b[1A\x1b[2Kall fine");
}

#[test]
fn setenv_refuses_the_variables_the_operation_sets_naming_the_option() {
    let sim = Sim::new();
    sim.install("probe.sh", "probe");
    for (setenv, error) in [
        ("DR_BCPUID=evil", "DR_BCPUID is set by the operation, not by --setenv: use --bcpuid"),
        ("DR_FORCE=TRUE", "DR_FORCE is set by the operation, not by --setenv: use --force"),
        (
            "DR_POST_ERROR=1",
            "DR_POST_ERROR is set by the operation, not by --setenv: \
             DR_* variables are the protocol's, set by drmgr from the event and the phase",
        ),
        (
            "PATH=/evil",
            "PATH is set by the operation, not by --setenv: every script gets PATH=/usr/bin:/etc:/usr/sbin, \
             as drmgr sets it",
        ),
    ] {
        for args in [&["run", "remove", "cpu"][..], &["liveupdate"], &["demo"]] {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_drmgr-sim"))
                .arg("--root")
                .arg(sim.repo.root())
                .args(args)
                .args(["--setenv", setenv])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?} {setenv}: {stderr}");
            assert!(
                stderr.contains(&format!("invalid value '{setenv}' for '--setenv <NAME=VALUE>': {error}\n")),
                "{stderr}"
            );
            assert!(out.stdout.is_empty(), "{args:?} {setenv} ran: {}", String::from_utf8_lossy(&out.stdout));
        }
    }
}

#[test]
fn an_information_file_that_is_not_a_regular_file_is_a_clear_error() {
    let sim = Sim::new();
    std::fs::create_dir_all(sim.repo.root()).unwrap();
    let info = sim.repo.root().join(drmgr_sim::Repository::INFO_FILE);
    let c_path = std::ffi::CString::new(info.to_str().unwrap()).unwrap();
    // SAFETY: `c_path` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let repo = sim.repo.clone();
    let error = within(Duration::from_secs(20), move || repo.scripts().unwrap_err().to_string());
    assert_eq!(error, format!("{}: not a regular file (a FIFO)", info.display()));
}

#[test]
fn terminal_controls_in_an_install_error_are_visible_escapes() {
    let sim = Sim::new();
    let source = sim.source("bad.sh", "bad_infoctrl");
    let error = sim.repo.install(&sim.runner, &source, &drmgr_sim::InstallOptions::default()).unwrap_err();
    assert_eq!(error.to_string(), "bad_infoctrl: scriptinfo: exit 1 (DR_ERROR: \\x1b[2Jgone); exit 0 is required");
}

#[test]
fn as_root_a_state_directory_planted_as_a_link_is_refused_and_its_target_untouched() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return; // the attack needs drmgr-sim as root in someone else's repository
    }
    let sim = Sim::new();
    let source = sim.source("envcheck.sh", "envcheck");
    std::fs::set_permissions(sim.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::chown(&source, Some(65534), Some(65534)).unwrap();
    let runner = drmgr_sim::Runner::new().workdir("/tmp").lang(None::<&str>);
    sim.repo.install(&runner, &source, &drmgr_sim::InstallOptions::default()).unwrap();
    // nobody's repository, holding `.state -> victim`.
    let victim = sim.dir.path().join("victim");
    std::fs::create_dir(&victim).unwrap();
    let before = std::fs::metadata(&victim).unwrap();
    let state = sim.repo.root().join(".state");
    symlink(&victim, &state).unwrap();
    std::os::unix::fs::chown(sim.repo.root(), Some(65534), Some(65534)).unwrap();
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &runner).unwrap();
    let root = sim.repo.root().display();
    assert_eq!(
        trace.invocations[0].end,
        End::NotStarted(format!(
            "{script}: the phase state directory under {root}/.state could not be made: {root}, above the private \
             directory, is owned by uid 65534, who could swap the directory below it: give it to root or to uid 0 \
             (chown), or use another directory (or give the scripts another one with --setenv DLPAR_STATE_DIR=DIR)",
            script = sim.repo.root().join("all/envcheck").display()
        ))
    );
    // The same repository given back to root: the link itself is refused.
    std::os::unix::fs::chown(sim.repo.root(), Some(0), Some(0)).unwrap();
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &runner).unwrap();
    let End::NotStarted(reason) = &trace.invocations[0].end else { panic!("{:?}", trace.invocations[0].end) };
    assert!(reason.contains(&format!("{root}/.state is a symbolic link; refusing to follow it")), "{reason}");
    let after = std::fs::metadata(&victim).unwrap();
    assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 0, "nothing created through the link");
    assert_eq!((after.mode(), after.uid(), after.gid()), (before.mode(), before.uid(), before.gid()));
}
