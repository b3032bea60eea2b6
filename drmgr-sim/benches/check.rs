//! How long `drmgr-sim check` takes on a clean script: the corpus's clean POSIX
//! shell script (`tests/check/scripts/clean.sh`) and the legacy ksh and Perl
//! examples (`examples/legacy/`).
//!
//! Run with `cargo bench -p drmgr-sim --bench check`. Each round checks each
//! script once through [`Checker::check`] (the whole catalogue: install, every
//! command of every family in each variant, edge values, the unknown word,
//! portability); rounds are interleaved and medians reported, with the number of
//! runs and the time per run.
//!
//! Then the hostile scripts of the corpus, once each with `--max-time 1`: a
//! 20 MB flood on stdout and stderr, binary garbage, a hundred background
//! children and a hang; for each, the wall time and this process's peak resident
//! set size afterwards (`VmHWM`), which shows that the checker's memory does
//! not follow what a script writes.

// A benchmark's report is its output.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use drmgr_sim::Runner;
use drmgr_sim::check::{Checker, Severity};

const ROUNDS: usize = 11;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let work = tempfile::tempdir()?;
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let clone = crate_dir.parent().ok_or("no clone")?;
    let scripts: Vec<(&str, PathBuf)> = vec![
        ("POSIX sh, clean.sh", crate_dir.join("tests/check/scripts/clean.sh")),
        ("ksh, sysadmin_cpuguard", clone.join("examples/legacy/sysadmin_cpuguard.ksh")),
        ("Perl, sysadmin_memwatch", clone.join("examples/legacy/sysadmin_memwatch.pl")),
    ];
    let checker = Checker::new(Runner::new().workdir(work.path()));
    let at_start = peak_rss_kib();
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); scripts.len()];
    let mut runs = vec![0; scripts.len()];
    for _ in 0..ROUNDS {
        for (i, (_, path)) in scripts.iter().enumerate() {
            let started = Instant::now();
            let report = checker.check(path)?;
            times[i].push(started.elapsed());
            assert_eq!(report.count(Severity::Error) + report.count(Severity::Warning), 0, "{}", path.display());
            runs[i] = report.runs;
        }
    }
    println!(
        "drmgr-sim check on a clean script, {ROUNDS} rounds, medians (peak RSS at start {at_start} KiB, after {} KiB)",
        peak_rss_kib()
    );
    println!("{:<26} {:>5} {:>10} {:>10}", "script", "runs", "check", "per run");
    for (i, (name, _)) in scripts.iter().enumerate() {
        times[i].sort();
        let median = times[i][ROUNDS / 2];
        println!(
            "{name:<26} {:>5} {:>7.0} ms {:>7.2} ms",
            runs[i],
            median.as_secs_f64() * 1000.0,
            median.as_secs_f64() * 1000.0 / runs[i] as f64
        );
    }
    println!();
    println!("hostile scripts, --max-time 1 s, once each (peak RSS before: {} KiB)", peak_rss_kib());
    println!("{:<26} {:>10} {:>14}", "script", "check", "peak RSS after");
    let hostile = checker.max_time(Duration::from_secs(1));
    for file in ["flood.sh", "garbage.sh", "forks.sh", "hang.sh"] {
        let started = Instant::now();
        hostile.check(&crate_dir.join("tests/check/scripts").join(file))?;
        println!("{file:<26} {:>7.0} ms {:>10} KiB", started.elapsed().as_secs_f64() * 1000.0, peak_rss_kib());
    }
    Ok(())
}

/// This process's peak resident set size so far, in KiB: `VmHWM` of
/// `/proc/self/status` (Linux; not `getrusage`, whose `ru_maxrss` keeps the peak
/// of the image before `execve`, here cargo's own).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap_or("0 kB");
    line.trim().trim_end_matches("kB").trim().parse().unwrap_or(0)
}
