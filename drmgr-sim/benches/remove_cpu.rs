//! A `remove cpu` operation over 1, 10 and 100 installed scripts, against spawning
//! `/bin/true` the same number of times.
//!
//! Run with `cargo bench -p drmgr-sim --bench remove_cpu`.
//!
//! Each script is installed through the real install path (a small shell script
//! answers `scriptinfo`, `register`, `usage`), then its installed file is replaced by
//! a copy of `/bin/true`, so every invocation of the operation costs what spawning
//! `/bin/true` costs and the difference is drmgr-sim's own overhead: the clean
//! environment, the process group, the pipes and their bounded reads, the time
//! limit, the reply parsing and the trace. The baseline spawns `/bin/true checkrelease
//! cpu` with `std::process::Command::status` as many times as the operation has
//! invocations (3 per script: checkrelease, prerelease, postrelease). Rounds of the
//! two are interleaved and medians reported.

// A benchmark's report is its output.
#![allow(clippy::print_stdout)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use dlpar_script::protocol::Resource;
use drmgr_sim::{InstallOptions, Operation, Outcome, Repository, Runner};

const ANSWERS: &str = r#"#!/bin/sh
case $1 in
scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=22112026 'DR_SCRIPTINFO="bench"' 'DR_VENDOR="bench"' ;;
register) echo DR_RESOURCE=cpu ;;
usage) echo 'DR_USAGE="bench"' ;;
esac
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let work = tempfile::tempdir()?;
    let runner = Runner::new().workdir(work.path());
    println!("remove cpu, each script /bin/true; baseline: /bin/true spawned as often");
    println!(
        "{:>7} {:>11} {:>12} {:>13} {:>14} {:>6}",
        "scripts", "invocations", "op median", "per invocation", "/bin/true each", "ratio"
    );
    for (scripts, rounds) in [(1, 41), (10, 21), (100, 7)] {
        let root = tempfile::tempdir()?;
        let repo = install(&root.path().join("repo"), work.path(), &runner, scripts)?;
        let op = Operation::remove(Resource::Cpu);
        let invocations = scripts * 3;
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let started = Instant::now();
            let trace = op.run(&repo, &runner)?;
            ours.push(started.elapsed());
            assert_eq!((trace.outcome, trace.invocations.len()), (Outcome::Success, invocations));
            let started = Instant::now();
            for _ in 0..invocations {
                Command::new("/bin/true").args(["checkrelease", "cpu"]).status()?;
            }
            theirs.push(started.elapsed());
        }
        let (op_median, true_median) = (median(&mut ours), median(&mut theirs));
        let per = op_median / invocations as u32;
        let per_true = true_median / invocations as u32;
        println!(
            "{scripts:>7} {invocations:>11} {:>9.2} ms {:>11.0} µs {:>11.0} µs {:>5.2}x",
            ms(op_median),
            micros(per),
            micros(per_true),
            per.as_secs_f64() / per_true.as_secs_f64()
        );
    }
    Ok(())
}

/// A repository with `count` scripts installed, each then replaced by `/bin/true`.
fn install(
    root: &Path,
    scratch: &Path,
    runner: &Runner,
    count: usize,
) -> Result<Repository, Box<dyn std::error::Error>> {
    let repo = Repository::new(root);
    for n in 0..count {
        let source = scratch.join(format!("bench_{n:03}"));
        fs::write(&source, ANSWERS)?;
        fs::set_permissions(&source, fs::Permissions::from_mode(0o755))?;
        let installed = repo.install(runner, &source, &InstallOptions::default())?;
        fs::copy("/bin/true", repo.script_path(&installed.entry))?;
    }
    Ok(repo)
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
