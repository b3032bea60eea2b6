//! `drmgr-sim linux` (issue 16): hook directories run as powerpc-utils'
//! `run_hooks` does, with the shell hook `tests/scripts/hook.sh` under several names.

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

    fn hooks(&self) -> Hooks {
        Hooks::new(self.root.path()).grace(Duration::from_millis(200))
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

    /// A trace with this directory replaced by `[hooks]`.
    fn redact(&self, text: &str) -> String {
        text.replace(&self.root.path().display().to_string(), "[hooks]")
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
    let trace = dir.hooks().run(&LinuxOp::migrate());
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(trace.hooks(), ["09-z", "9-a", "10-b", "11-link"]);
    insta::assert_snapshot!(dir.redact(&trace.render_snapshot()));
}

#[test]
fn powerpc_utils_1_3_11_passes_only_drc_type_and_phase() {
    let dir = Dir::new();
    dir.hook(DrcType::Cpu, "hook", 0o755);
    let trace = dir.hooks().powerpc_utils(PowerpcUtils::V1_3_11).run(&cpu(CpuAction::Add, 2, false));
    let stderr: Vec<&str> = trace.runs().map(|r| r.stderr.as_str()).collect();
    assert_eq!(
        stderr,
        ["hook args=0 pwd=/ env=DRC_TYPE=cpu PHASE=pre \n", "hook args=0 pwd=/ env=DRC_TYPE=cpu PHASE=post \n"]
    );
}

#[test]
fn a_failed_check_vetoes_and_runs_undocheck_for_every_hook() {
    let dir = Dir::new();
    for name in ["1-veto", "2-segv-veto", "3-ok"] {
        dir.hook(DrcType::Pmig, name, 0o755);
    }
    let trace = dir.hooks().run(&LinuxOp::migrate());
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
    let trace = dir.hooks().run(&LinuxOp::Migrate { fail: false, not_suspendable: 0 });
    assert_eq!(trace.outcome, Outcome::Success, "pre cannot veto");
    assert_eq!(trace.notes, ["pre: segv (killed by SIGSEGV) failed; powerpc-utils reports it and goes on"]);
}

#[test]
fn pre_runs_again_on_each_not_suspendable_retry_and_post_runs_after_a_failed_migration() {
    let dir = Dir::new();
    dir.hook(DrcType::Pmig, "a", 0o755);
    let trace = dir.hooks().run(&LinuxOp::Migrate { fail: true, not_suspendable: 2 });
    assert_eq!(trace.outcome, Outcome::Failed);
    assert_eq!(runs(&trace), ["check a", "pre a", "pre a", "pre a", "post a"]);
    let json = serde_json::to_string_pretty(&trace.to_json(Timings::Hidden)).unwrap();
    insta::assert_snapshot!(dir.redact(&json));
}

#[test]
fn cpu_hooks_see_the_requested_then_the_changed_count_and_their_failures_are_ignored() {
    let dir = Dir::new();
    dir.hook(DrcType::Cpu, "fail", 0o755);
    let trace = dir.hooks().run(&cpu(CpuAction::Remove, 3, false));
    assert_eq!(trace.outcome, Outcome::Success);
    let counts: Vec<&str> =
        trace.runs().map(|r| r.env.iter().find(|(k, _)| k == "DRC_COUNT").unwrap().1.as_str()).collect();
    assert_eq!(counts, ["3", "3"]);
    let trace = dir.hooks().run(&cpu(CpuAction::Add, 2, true));
    assert_eq!(trace.outcome, Outcome::Failed);
    let counts: Vec<&str> =
        trace.runs().map(|r| r.env.iter().find(|(k, _)| k == "DRC_COUNT").unwrap().1.as_str()).collect();
    assert_eq!(counts, ["2", "0"], "post runs after the failure, with what changed");
    insta::assert_snapshot!(dir.redact(&trace.render_snapshot()));
}

#[test]
fn a_missing_directory_is_success_with_no_hooks_found() {
    let dir = Dir::new();
    let trace = dir.hooks().run(&LinuxOp::migrate());
    assert_eq!((trace.outcome, trace.runs().count()), (Outcome::Success, 0));
    assert_eq!(dir.redact(&trace.notes.join("\n")), "no hooks found: [hooks]/pmig does not exist");
}

#[test]
fn the_timeout_sends_sigterm_then_sigkill_to_the_hook_s_group() {
    let dir = Dir::new();
    dir.hook(DrcType::Pmig, "hang", 0o755);
    let trace = dir.hooks().timeout(Duration::from_millis(300)).run(&LinuxOp::migrate());
    let pre = trace.runs().find(|r| r.phase.as_str() == "pre").unwrap();
    assert_eq!(
        pre.end.to_string(),
        "timed out after 0.3 s (SIGTERM sent to its process group, SIGKILL after the grace period)"
    );
    assert!(pre.duration < Duration::from_secs(20), "the sleep was ended: {:?}", pre.duration);
    assert_eq!(trace.outcome, Outcome::Success, "a pre failure does not stop the migration");
}

#[test]
fn install_copies_links_and_refuses_resources_without_hooks() {
    let dir = Dir::new();
    let runner = Runner::new().workdir(dir.root.path()).setenv("HOOK_REGISTER", "pmig mem cpu");
    let source = dir.root.path().join("acme_hook");
    fs::copy(script("hook.sh"), &source).unwrap();
    fs::set_permissions(&source, fs::Permissions::from_mode(0o755)).unwrap();
    let placed = install(&dir.hooks(), &runner, &source).unwrap();
    assert_eq!(
        placed.refused,
        [("mem".to_owned(), "powerpc-utils runs no hooks for mem (only cpu and pmig)".to_owned())]
    );
    let pmig = dir.root.path().join("pmig/acme_hook");
    let cpu_link = dir.root.path().join("cpu/acme_hook");
    assert!(fs::symlink_metadata(&pmig).unwrap().is_file());
    assert_eq!(fs::read_link(&cpu_link).unwrap(), Path::new("../pmig/acme_hook"));
    assert_eq!(dir.hooks().run(&cpu(CpuAction::Add, 1, false)).hooks(), ["acme_hook"]);

    let only_mem = Runner::new().workdir(dir.root.path()).setenv("HOOK_REGISTER", "mem");
    let error = install(&dir.hooks(), &only_mem, &source).unwrap_err();
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
    let sim = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_drmgr-sim"))
            .arg("linux")
            .arg("--hooks-dir")
            .arg(dir.root.path())
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(sim(&["migrate"]).status.code(), Some(3));
    assert_eq!(sim(&["cpu", "add", "--count", "1", "--fail-kernel"]).status.code(), Some(4));
    let json = sim(&["--json", "cpu", "remove", "--count", "1"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        (json.status.code(), &doc["schema"], &doc["outcome"]),
        (Some(0), &"drmgr-sim/linux-trace/1".into(), &"success".into())
    );
    let list = sim(&["list"]);
    assert_eq!(
        dir.redact(&String::from_utf8_lossy(&list.stdout)),
        "[hooks]/cpu: missing (no hooks)\n[hooks]/pmig:\n  off   skipped: no owner-execute bit (mode 0644): chmod u+x to enable\n  veto  runs\n"
    );
}
