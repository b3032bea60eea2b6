//! `drmgr-sim linux` (issues 16, 20): hook directories run as powerpc-utils'
//! `run_hooks` does, with the shell hook `tests/scripts/hook.sh` under several
//! names and the perl probe `tests/scripts/probe_hook.pl`, which reports how it
//! was started.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use drmgr_sim::linux::{CpuAction, DrcType, Hooks, LinuxOp, PowerpcUtils, install};
use drmgr_sim::{Outcome, Runner, Timings};

use crate::sim::support::script;

/// A temporary hooks directory.
struct Dir {
    root: tempfile::TempDir,
}

impl Dir {
    fn new() -> Dir {
        Dir { root: tempfile::tempdir().unwrap() }
    }

    /// The hooks, their output captured into the trace.
    fn hooks(&self) -> Hooks {
        Hooks::new(self.root.path()).grace(Duration::from_millis(200)).capture(true)
    }

    /// An empty type directory, so that the hooks directory is one.
    fn type_dir(&self, drc_type: DrcType) {
        fs::create_dir_all(self.root.path().join(drc_type.as_str())).unwrap();
    }

    /// `drmgr-sim linux --hooks-dir DIR ARGS`.
    fn sim(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_drmgr-sim"))
            .arg("linux")
            .arg("--hooks-dir")
            .arg(self.root.path())
            .args(args)
            .output()
            .unwrap()
    }

    /// Copies the test hook into `<type>/<name>` with `mode`.
    fn hook(&self, drc_type: DrcType, name: &str, mode: u32) -> PathBuf {
        let dir = self.root.path().join(drc_type.as_str());
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        fs::copy(script("hook.sh"), &path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    /// A trace with this directory replaced by `[hooks]` and the uid of the state
    /// directory by `[uid]`.
    fn redact(&self, text: &str) -> String {
        // SAFETY: geteuid(2) has no preconditions and cannot fail.
        let uid = unsafe { libc::geteuid() };
        text.replace(&self.root.path().display().to_string(), "[hooks]")
            .replace(&format!("/.state/{uid}"), "/.state/[uid]")
    }
}

/// `phase hook` for every run, in order.
fn runs(trace: &drmgr_sim::linux::HookTrace) -> Vec<String> {
    trace.runs().map(|r| format!("{} {}", r.phase, r.hook)).collect()
}

fn cpu(action: CpuAction, count: u32, fail_kernel: bool) -> LinuxOp {
    LinuxOp::Cpu { action, count, fail_kernel }
}

#[test]
fn hooks_run_in_version_order_with_exactly_the_hook_variables() {
    let dir = Dir::new();
    for name in ["10-b", "9-a", "09-z"] {
        dir.hook(DrcType::Pmig, name, 0o700);
    }
    dir.hook(DrcType::Pmig, "5-group-exec-only", 0o650);
    fs::create_dir(dir.root.path().join("pmig/7-dir")).unwrap();
    symlink("9-a", dir.root.path().join("pmig/11-link")).unwrap();
    symlink("missing", dir.root.path().join("pmig/12-dangling")).unwrap();
    let trace = dir.hooks().without_state_dir().run(&LinuxOp::migrate()).unwrap();
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(trace.hooks(), ["09-z", "9-a", "10-b", "11-link"]);
    insta::assert_snapshot!(dir.redact(&trace.render_snapshot()));
}

#[test]
fn powerpc_utils_1_3_11_passes_only_drc_type_and_phase_and_runs_no_cpu_hooks() {
    let dir = Dir::new();
    dir.hook(DrcType::Pmig, "hook", 0o755);
    dir.hook(DrcType::Cpu, "hook", 0o755);
    let hooks = dir.hooks().without_state_dir().powerpc_utils(PowerpcUtils::V1_3_11);
    let trace = hooks.run(&LinuxOp::migrate()).unwrap();
    let stderr: Vec<&str> = trace.runs().map(|r| r.stderr.as_str()).collect();
    assert_eq!(
        stderr,
        [
            "hook args=0 pwd=/ env=DRC_TYPE=pmig PHASE=check \n",
            "hook args=0 pwd=/ env=DRC_TYPE=pmig PHASE=pre \n",
            "hook args=0 pwd=/ env=DRC_TYPE=pmig PHASE=post \n"
        ]
    );
    let trace = hooks.run(&cpu(CpuAction::Add, 2, false)).unwrap();
    assert_eq!((trace.runs().count(), trace.outcome), (0, Outcome::Success));
    assert_eq!(trace.notes, ["powerpc-utils 1.3.11 runs no cpu hooks (they arrived in 1.3.12): none ran"]);
}

#[test]
fn a_failed_check_vetoes_and_runs_undocheck_for_every_hook() {
    let dir = Dir::new();
    for name in ["1-veto", "2-segv-veto", "3-ok"] {
        dir.hook(DrcType::Pmig, name, 0o755);
    }
    let trace = dir.hooks().run(&LinuxOp::migrate()).unwrap();
    assert_eq!(trace.outcome, Outcome::Vetoed);
    assert_eq!(
        runs(&trace),
        [
            "check 1-veto",
            "check 2-segv-veto",
            "check 3-ok",
            "undocheck 1-veto",
            "undocheck 2-segv-veto",
            "undocheck 3-ok"
        ]
    );
    assert_eq!(
        trace.reason.as_deref(),
        Some("check failed in 1-veto (exit 1), 2-segv-veto (exit 1); undocheck ran for every hook")
    );
}

#[test]
fn an_exit_by_signal_counts_as_a_failure() {
    let dir = Dir::new();
    dir.hook(DrcType::Pmig, "segv", 0o755);
    let trace = dir.hooks().run(&LinuxOp::Migrate { fail: false, not_suspendable: 0 }).unwrap();
    assert_eq!(trace.outcome, Outcome::Success, "pre cannot veto");
    assert_eq!(trace.notes, ["pre: segv (killed by SIGSEGV) failed; powerpc-utils reports it and goes on"]);
}

#[test]
fn pre_runs_again_on_each_not_suspendable_retry_and_post_runs_after_a_failed_migration() {
    let dir = Dir::new();
    dir.hook(DrcType::Pmig, "a", 0o755);
    let trace = dir.hooks().run(&LinuxOp::Migrate { fail: true, not_suspendable: 2 }).unwrap();
    assert_eq!(trace.outcome, Outcome::Failed);
    assert_eq!(runs(&trace), ["check a", "pre a", "pre a", "pre a", "post a"]);
    let json = serde_json::to_string_pretty(&trace.to_json(Timings::Hidden)).unwrap();
    insta::assert_snapshot!(dir.redact(&json));
}

#[test]
fn cpu_hooks_see_the_requested_then_the_changed_count_and_their_failures_are_ignored() {
    let dir = Dir::new();
    dir.hook(DrcType::Cpu, "fail", 0o755);
    let trace = dir.hooks().run(&cpu(CpuAction::Remove, 3, false)).unwrap();
    assert_eq!(trace.outcome, Outcome::Success);
    let counts: Vec<&str> =
        trace.runs().map(|r| r.env.iter().find(|(k, _)| k == "DRC_COUNT").unwrap().1.as_str()).collect();
    assert_eq!(counts, ["3", "3"]);
    let trace = dir.hooks().run(&cpu(CpuAction::Add, 2, true)).unwrap();
    assert_eq!(trace.outcome, Outcome::Failed);
    let counts: Vec<&str> =
        trace.runs().map(|r| r.env.iter().find(|(k, _)| k == "DRC_COUNT").unwrap().1.as_str()).collect();
    assert_eq!(counts, ["2", "0"], "post runs after the failure, with what changed");
    insta::assert_snapshot!(dir.redact(&trace.render_snapshot()));
}

#[test]
fn a_missing_type_directory_is_success_with_no_hooks_found() {
    let dir = Dir::new();
    dir.type_dir(DrcType::Cpu);
    let trace = dir.hooks().run(&LinuxOp::migrate()).unwrap();
    assert_eq!((trace.outcome, trace.runs().count()), (Outcome::Success, 0));
    assert_eq!(dir.redact(&trace.notes.join("\n")), "no hooks found: [hooks]/pmig does not exist");
}

#[test]
fn the_timeout_sends_sigterm_then_sigkill_to_the_hook_alone() {
    let dir = Dir::new();
    dir.hook(DrcType::Pmig, "hang", 0o755);
    let trace = dir.hooks().timeout(Duration::from_millis(300)).run(&LinuxOp::migrate()).unwrap();
    let pre = trace.runs().find(|r| r.phase.as_str() == "pre").unwrap();
    assert_eq!(pre.how(), "timed out after 0.3 s (SIGTERM sent to the hook, SIGKILL after the grace period)");
    assert!(pre.duration < Duration::from_secs(20), "the sleep was ended: {:?}", pre.duration);
    let pid = |note: &str| note.split_whitespace().find_map(|w| w.parse::<u32>().ok()).unwrap();
    assert_eq!(
        pre.notes.iter().map(|n| n.replace(&pid(n).to_string(), "N")).collect::<Vec<_>>(),
        [
            "time limit reached: SIGTERM sent to pid N (its process group is drmgr-sim's own)",
            "grace period over, pid N still running: SIGKILL sent to pid N (its process group is drmgr-sim's own)"
        ],
        "the group, drmgr-sim's, is never signalled"
    );
    assert_eq!(trace.outcome, Outcome::Success, "a pre failure does not stop the migration");
}

#[test]
fn install_copies_links_and_refuses_resources_without_hooks() {
    let dir = Dir::new();
    let runner = Runner::new().workdir(dir.root.path()).setenv("HOOK_REGISTER", "pmig mem cpu");
    let source = dir.root.path().join("acme_hook");
    fs::copy(script("hook.sh"), &source).unwrap();
    fs::set_permissions(&source, fs::Permissions::from_mode(0o755)).unwrap();
    let placed = install(&dir.hooks(), &runner, &source, false).unwrap();
    assert_eq!(
        placed.refused,
        [("mem".to_owned(), "powerpc-utils runs no hooks for mem (only cpu and pmig)".to_owned())]
    );
    let pmig = dir.root.path().join("pmig/acme_hook");
    let cpu_link = dir.root.path().join("cpu/acme_hook");
    assert!(fs::symlink_metadata(&pmig).unwrap().is_file());
    assert_eq!(fs::read_link(&cpu_link).unwrap(), Path::new("../pmig/acme_hook"));
    assert_eq!(dir.hooks().run(&cpu(CpuAction::Add, 1, false)).unwrap().hooks(), ["acme_hook"]);

    let only_mem = Runner::new().workdir(dir.root.path()).setenv("HOOK_REGISTER", "mem");
    let error = install(&dir.hooks(), &only_mem, &source, true).unwrap_err();
    assert_eq!(
        error.to_string(),
        "acme_hook registers mem, and powerpc-utils runs hooks only for cpu and pmig: nothing to install"
    );
}

#[test]
fn the_command_line_exits_3_on_a_veto_and_4_on_a_failure_and_lists() {
    let dir = Dir::new();
    dir.hook(DrcType::Pmig, "veto", 0o755);
    dir.hook(DrcType::Pmig, "off", 0o644);
    let sim = |args: &[&str]| dir.sim(args);
    assert_eq!(sim(&["--capture-output", "migrate"]).status.code(), Some(3));
    assert_eq!(sim(&["--capture-output", "cpu", "add", "--count", "1", "--fail-kernel"]).status.code(), Some(4));
    let json = sim(&["--json", "cpu", "remove", "--count", "1"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        (json.status.code(), &doc["schema"], &doc["outcome"], &doc["output"]),
        (Some(0), &"drmgr-sim/linux-trace/1".into(), &"success".into(), &"captured".into())
    );
    let list = sim(&["list"]);
    assert_eq!(
        dir.redact(&String::from_utf8_lossy(&list.stdout)),
        "[hooks]/cpu: missing (no hooks)\n[hooks]/pmig:\n  off   skipped: no owner-execute bit (mode 0644): chmod u+x to enable\n  veto  runs\n"
    );
}

/// The blocked signal mask of a hook started by powerpc-utils' drmgr v1.3.13 from
/// a shell with nothing blocked, as `/proc/<pid>/status` shows it (SigBlk), measured
/// with `probe_hook.pl` under the real drmgr built from its source: every signal but
/// BUS, XFSZ, SEGV, TRAP, ILL, FPE, SYS, PIPE, VTALRM, ALRM, QUIT, ABRT (and KILL,
/// STOP, which cannot be blocked, and glibc's 32 and 33, which sigfillset leaves out).
const DRMGR_SIGBLK: &str = "fffffffe3cfbca03";

/// The lines `probe_hook.pl` wrote, one per run.
fn seen(dir: &Dir) -> Vec<String> {
    fs::read_to_string(dir.root.path().join("seen")).unwrap().lines().map(|l| dir.redact(l)).collect()
}

/// What fd `n` of this process is, as the probe reports it.
fn own_fd(n: u32) -> String {
    fs::read_link(format!("/proc/self/fd/{n}")).map_or("closed".to_owned(), |t| t.display().to_string())
}

#[test]
fn a_hook_starts_as_under_powerpc_utils_drmgr_mask_fds_group_cwd_and_exactly_four_variables() {
    let dir = Dir::new();
    let probe = dir.root.path().join("pmig/probe");
    fs::create_dir(dir.root.path().join("pmig")).unwrap();
    fs::copy(script("probe_hook.pl"), &probe).unwrap();
    // The test thread's own mask is the one drmgr-sim adds drmgr's to: make it empty.
    // SAFETY: an initialised empty set; the old mask is not asked for.
    unsafe {
        let mut none: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut none);
        libc::pthread_sigmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
    }
    let trace = Hooks::new(dir.root.path()).without_state_dir().run(&LinuxOp::migrate()).unwrap();
    assert_eq!(trace.outcome, Outcome::Success);
    let fds = format!("fd0={} fd1={} fd2={}", own_fd(0), own_fd(1), own_fd(2));
    let line = |phase: &str| {
        format!(
            "{phase} blocked={DRMGR_SIGBLK} same_group=1 {fds} cwd=/ args=0 env=ACTION=migrate,DRC_COUNT=0,DRC_TYPE=pmig,PHASE={phase}"
        )
    };
    assert_eq!(seen(&dir), [line("check"), line("pre"), line("post")]);
    let text = dir.redact(&trace.render_snapshot());
    assert!(text.contains("output: the hooks wrote to drmgr-sim's own stdout and stderr, as to drmgr's\n"), "{text}");
}

#[test]
fn capture_output_gives_pipes_and_the_state_directory_a_fifth_variable_each_on_its_own_switch() {
    let dir = Dir::new();
    fs::create_dir(dir.root.path().join("cpu")).unwrap();
    fs::copy(script("probe_hook.pl"), dir.root.path().join("cpu/probe")).unwrap();
    let trace = dir.hooks().run(&cpu(CpuAction::Add, 2, false)).unwrap();
    let state = dir.root.path().join(".state").join(unsafe { libc::geteuid() }.to_string());
    assert_eq!(trace.state_dir.as_deref(), Some(state.as_path()));
    assert_eq!(fs::metadata(&state).unwrap().permissions().mode() & 0o7777, 0o700);
    for line in seen(&dir) {
        let fds: Vec<&str> = line.split(' ').filter(|w| w.starts_with("fd1=") || w.starts_with("fd2=")).collect();
        assert!(fds.iter().all(|fd| fd[4..].starts_with("pipe:")), "{line}");
        assert!(
            line.ends_with(",DLPAR_STATE_DIR=[hooks]/.state/[uid],DRC_COUNT=2,DRC_TYPE=cpu,PHASE=pre")
                || line.ends_with(",DLPAR_STATE_DIR=[hooks]/.state/[uid],DRC_COUNT=2,DRC_TYPE=cpu,PHASE=post"),
            "{line}"
        );
        assert!(line.contains(&format!("blocked={DRMGR_SIGBLK} same_group=1 ")), "{line}");
    }
    fs::remove_file(dir.root.path().join("seen")).unwrap();
    dir.hooks().without_state_dir().run(&cpu(CpuAction::Add, 2, false)).unwrap();
    assert!(
        seen(&dir).iter().all(|line| line.ends_with("env=ACTION=add,DRC_COUNT=2,DRC_TYPE=cpu,PHASE=pre")
            || line.ends_with("env=ACTION=add,DRC_COUNT=2,DRC_TYPE=cpu,PHASE=post")),
        "{:?}",
        seen(&dir)
    );
    let given = dir.hooks().setenv("DLPAR_STATE_DIR", "/srv/state").run(&cpu(CpuAction::Add, 1, false)).unwrap();
    assert_eq!(given.state_dir, None, "a DLPAR_STATE_DIR given with setenv takes its place");
}

#[test]
fn a_hooks_directory_that_is_missing_a_file_or_not_one_is_an_error_that_says_what_to_give() {
    let dir = Dir::new();
    let file = dir.root.path().join("file");
    fs::write(&file, "").unwrap();
    let cases = [
        (
            dir.root.path().join("no/such"),
            "the hooks directory [hooks]/no/such does not exist: give the directory that holds cpu/ and pmig/ (--hooks-dir DIR; powerpc-utils reads /etc/drmgr.d)",
        ),
        (
            file,
            "the hooks directory [hooks]/file is not a directory: give the directory that holds cpu/ and pmig/ (--hooks-dir DIR)",
        ),
        (
            PathBuf::from("/proc"),
            "/proc holds neither cpu/ nor pmig/, so it is not a hooks directory: give the right one (--hooks-dir DIR), or create /proc/pmig or /proc/cpu for the hooks",
        ),
    ];
    for (path, message) in cases {
        let error = Hooks::new(&path).run(&LinuxOp::migrate()).unwrap_err();
        assert_eq!(dir.redact(&error.to_string()), message);
    }
}

#[test]
fn every_option_linux_shows_works_and_the_others_are_hidden_and_refused() {
    let dir = Dir::new();
    dir.type_dir(DrcType::Pmig);
    let help = dir.sim(&["--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    for hidden in ["--default-timeout", "--workdir", "--root", "--syslog-id", "--syslog-socket", "--hostname"] {
        assert!(!help.contains(hidden), "{hidden} is shown:\n{help}");
    }
    // The refusal's message: tests/sim/cli/linux_default_timeout_refused.toml.
    assert_eq!(dir.sim(&["migrate", "--workdir", "/"]).status.code(), Some(1));
}

#[test]
fn out_of_range_counts_are_refused() {
    let dir = Dir::new();
    dir.type_dir(DrcType::Pmig);
    // The command line's usage errors: tests/sim/cli/linux_*_out_of_range.toml.
    let error = dir.hooks().run(&LinuxOp::Migrate { fail: false, not_suspendable: u32::MAX }).unwrap_err();
    assert_eq!(error.to_string(), "not suspendable retries 4294967295 is out of range: give 0 to 1000");
    let error = dir.hooks().run(&cpu(CpuAction::Add, 0, false)).unwrap_err();
    assert_eq!(error.to_string(), "processor count 0 is out of range: give 1 to 2147483647");
}

#[test]
fn linux_install_follows_the_repository_s_name_rules_and_needs_f_to_replace() {
    let dir = Dir::new();
    let runner = Runner::new().workdir(dir.root.path());
    let sources = tempfile::tempdir().unwrap();
    let source = |name: &str| {
        let path = sources.path().join(name);
        fs::copy(script("hook.sh"), &path).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    };
    for (name, message) in [
        ("evil\x1b[2J", "\"evil\\u{1b}[2J\" cannot be a script name: it contains spaces or control characters"),
        ("two\nlines", "\"two\\nlines\" cannot be a script name: it contains spaces or control characters"),
        (".hidden", "\".hidden\" cannot be a script name: hidden names are reserved"),
    ] {
        let error = install(&dir.hooks(), &runner, &source(name), false).unwrap_err();
        assert_eq!(error.to_string(), message);
    }
    let not_executable = source("acme_noexec");
    fs::set_permissions(&not_executable, fs::Permissions::from_mode(0o644)).unwrap();
    let error = install(&dir.hooks(), &runner, &not_executable, false).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("{} is not executable (mode 644): make it executable first (chmod +x)", not_executable.display())
    );
    let twice = sources.path().join("acme_twice");
    fs::write(&twice, "#!/bin/sh\n[ \"$1\" = register ] && printf 'DR_RESOURCE=cpu\\nDR_RESOURCE=cpu\\n'\nexit 0\n")
        .unwrap();
    fs::set_permissions(&twice, fs::Permissions::from_mode(0o755)).unwrap();
    let error = install(&dir.hooks(), &runner, &twice, false).unwrap_err();
    assert_eq!(error.to_string(), "acme_twice: register failed: resource cpu is registered twice");
    assert!(!dir.root.path().join("cpu/acme_twice").exists(), "nothing is placed");
    // What a script says is shown, never obeyed by the terminal.
    let hostile = sources.path().join("acme_hostile");
    fs::write(&hostile, "#!/bin/sh\nprintf 'DR_ERROR=no\\033[2J\\n'\nexit 1\n").unwrap();
    fs::set_permissions(&hostile, fs::Permissions::from_mode(0o755)).unwrap();
    let error = install(&dir.hooks(), &runner, &hostile, false).unwrap_err();
    assert_eq!(error.to_string(), "acme_hostile: register failed: exit 1 (DR_ERROR: no\\x1b[2J)");
    fs::write(&hostile, "#!/bin/sh\nprintf 'DR_RESOURCE=mem\\033[2J\\n'\n").unwrap();
    let error = install(&dir.hooks(), &runner, &hostile, false).unwrap_err();
    assert_eq!(
        error.to_string(),
        "acme_hostile registers mem\\x1b[2J, and powerpc-utils runs hooks only for cpu and pmig: nothing to install"
    );
    let ok = source("acme_hook");
    install(&dir.hooks(), &runner, &ok, false).unwrap();
    let error = install(&dir.hooks(), &runner, &ok, false).unwrap_err();
    assert_eq!(
        dir.redact(&error.to_string()),
        "acme_hook is already installed as [hooks]/cpu/acme_hook: use -f to replace it"
    );
    assert_eq!(install(&dir.hooks(), &runner, &ok, true).unwrap().files.len(), 2);
    // The same at the command line: tests/sim/cli/linux_install.trycmd.
    let missing = Hooks::new(dir.root.path().join("typo"));
    assert!(
        matches!(install(&missing, &runner, &ok, false), Err(drmgr_sim::linux::InstallError::Hooks(_))),
        "install never creates the hooks directory"
    );
}

#[test]
fn names_with_control_characters_are_shown_escaped_never_raw() {
    let dir = Dir::new();
    dir.hook(DrcType::Pmig, "evil\x1b[2J", 0o755);
    let list = dir.sim(&["list"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(!text.contains('\x1b') && text.contains("  evil\\x1b[2J  runs\n"), "{text}");
    let run = dir.sim(&["--capture-output", "migrate"]);
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        !text.contains('\x1b')
            && text.contains(
                "hooks in [hooks]/pmig: evil\\x1b[2J\n"
                    .replace("[hooks]", &dir.root.path().display().to_string())
                    .as_str()
            ),
        "{text}"
    );
}

#[test]
fn drmgr_sim_blocks_sigterm_while_it_runs_hooks_unless_interruptible() {
    let dir = Dir::new();
    dir.hook(DrcType::Pmig, "nap", 0o755);
    let started = |extra: &[&str]| {
        let child = Command::new(env!("CARGO_BIN_EXE_drmgr-sim"))
            .arg("linux")
            .arg("--hooks-dir")
            .arg(dir.root.path())
            .arg("--capture-output")
            .args(extra)
            .arg("migrate")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(400));
        // SAFETY: kill(2) on our own child, not yet reaped.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) }, 0);
        child
    };
    let status = started(&[]).wait().unwrap();
    assert_eq!(status.code(), Some(0), "SIGTERM stays pending, as in drmgr: the operation ends normally");
    let status = started(&["--interruptible"]).wait().unwrap();
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(libc::SIGTERM));
}

#[test]
fn the_environment_is_in_powerpc_utils_order_and_an_extra_variable_cannot_replace_a_hook_variable() {
    let dir = Dir::new();
    dir.hook(DrcType::Cpu, "hook", 0o755);
    let trace = dir.hooks().without_state_dir().setenv("ACME", "1").run(&cpu(CpuAction::Remove, 1, false)).unwrap();
    let pre = trace.runs().next().unwrap();
    assert_eq!(
        pre.stderr, "hook args=0 pwd=/ env=DRC_TYPE=cpu DRC_COUNT=1 ACTION=remove PHASE=pre ACME=1 \n",
        "setenv order, not sorted: powerpc-utils' clearenv then setenv calls, then the extras"
    );
    let error = dir.hooks().setenv("PHASE", "post").run(&LinuxOp::migrate()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "PHASE is a hook variable, set by the operation and the phase: it cannot be given as an extra variable"
    );
    // --setenv refuses it: tests/sim/cli/linux_setenv_hook_variable.toml.
}
