//! `acme_cpuguard` as drmgr runs it: a real process, a clean environment, cwd /tmp.

use std::process::Command;

use dlpar_script::testing::exit_line;
use insta::assert_snapshot;

/// Runs the built script like drmgr: only PATH and the given DR_* variables.
fn drmgr(args: &[&str], env: &[(&str, &str)]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_acme_cpuguard"))
        .args(args)
        .env_clear()
        .env("PATH", "/usr/bin:/etc:/usr/sbin")
        .envs(env.iter().copied())
        .current_dir("/tmp")
        .output()
        .expect("the example binary runs");
    let env: String = env.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    format!(
        "$ {env}acme_cpuguard {}\n{}\n{}",
        args.join(" "),
        exit_line(output.status),
        String::from_utf8_lossy(&output.stdout)
    )
}

#[test]
fn install_commands() {
    let runs = [drmgr(&["scriptinfo"], &[]), drmgr(&["register"], &[]), drmgr(&["usage", "cpu"], &[])];
    assert_snapshot!(runs.join("\n"));
}

#[test]
fn checkrelease_vetoes_the_first_two_bind_ids_only() {
    let runs = [
        drmgr(&["checkrelease", "cpu"], &[("DR_BCPUID", "0")]),
        drmgr(&["checkrelease", "cpu"], &[("DR_BCPUID", "1"), ("DR_FORCE", "TRUE")]),
        drmgr(&["checkrelease", "cpu"], &[("DR_BCPUID", "2")]),
        drmgr(&["checkrelease", "cpu"], &[]),
        drmgr(&["checkrelease", "cpu"], &[("DR_BCPUID", "0x1")]),
    ];
    assert_snapshot!(runs.join("\n"));
}

#[test]
fn other_commands() {
    let runs = [
        drmgr(&["prerelease", "cpu"], &[("DR_BCPUID", "0")]),
        drmgr(&["checkrelease", "mem"], &[]),
        drmgr(&["checkmigrate"], &[]),
        drmgr(&["stopeverything"], &[]),
    ];
    assert_snapshot!(runs.join("\n"));
}

#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_stdout_and_stderr_fail_the_command_without_an_abort() {
    // The reply (DR_ERROR: DR_BCPUID is not set) cannot be written, nor the note
    // saying so: the command still fails with status 1, not SIGABRT.
    let full = || std::fs::File::options().write(true).open("/dev/full").unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_acme_cpuguard"))
        .args(["checkrelease", "cpu"])
        .env_clear()
        .stdout(full())
        .stderr(full())
        .status()
        .expect("the example binary runs");
    assert_eq!(status.code(), Some(1), "{status}");
}
