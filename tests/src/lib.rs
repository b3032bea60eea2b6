//! Shared helpers for the workspace test suites, and the README's code as doctests.

use std::process::Command;

/// Runs the current executable again with `args` and, as drmgr does, nothing in its
/// environment but `env`; returns `exit: N` and what it wrote to stdout.
///
/// The pass cases of the UI suite use it: a case's `main` answers the command when
/// it is given one, and otherwise runs itself once per command to check the answers,
/// so the `main` written by `dlpar_script::main!` is tested as a real process.
///
/// ```no_run
/// let answer = dlpar_tests::rerun(&["--version"], &[]);
/// assert!(answer.starts_with("exit: "));
/// ```
pub fn rerun(args: &[&str], env: &[(&str, &str)]) -> String {
    let exe = std::env::current_exe().expect("the path of the running executable");
    let output = Command::new(exe)
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("the running executable can be started again");
    let code = output.status.code().map_or_else(|| "killed".to_owned(), |c| c.to_string());
    format!("exit: {code}\n{}", String::from_utf8_lossy(&output.stdout))
}

/// The README's Rust snippets, compiled (and run, where they say so) by
/// `cargo test --doc -p dlpar-tests`, with the dependencies the README lists.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeSnippets;
