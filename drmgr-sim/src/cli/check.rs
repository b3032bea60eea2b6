//! `check`: the conformance checker, one report for every script named.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use drmgr_sim::Timings;
use drmgr_sim::check::{Checker, Report};

use super::{Failure, Global};

#[derive(Debug, clap::Args)]
pub(super) struct CheckArgs {
    /// The scripts to check: any executable (ksh, Perl, a compiled program).
    #[arg(value_name = "SCRIPT", required = true)]
    scripts: Vec<PathBuf>,
    /// Check powerpc-utils hooks (/etc/drmgr.d) instead of AIX DLPAR scripts.
    #[arg(long)]
    hook: bool,
    /// Print one JSON document instead of the text.
    #[arg(long)]
    json: bool,
    /// Also write the findings as JUnit XML to FILE (one test case per rule and command).
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// The longest wait for one command, whatever the script's DR_TIMEOUT.
    #[arg(long, value_name = "SECONDS", default_value_t = Checker::DEFAULT_MAX_TIME.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    max_time: u64,
}

/// Checks every script; exit 0 when none has an error (nor, with
/// `--deny-warnings`, a warning), 1 otherwise, 2 when a script could not be
/// checked at all.
pub(super) fn run(global: &Global, args: &CheckArgs) -> Result<ExitCode, Failure> {
    let checker = Checker::new(global.runner()).hook(args.hook).max_time(Duration::from_secs(args.max_time));
    let mut report = Report::default();
    let mut unusable = false;
    for script in &args.scripts {
        match checker.check(script) {
            Ok(checked) => report.scripts.push(checked),
            Err(error) => {
                eprintln!("drmgr-sim: error: cannot check {}: {error}", script.display());
                unusable = true;
            }
        }
    }
    if report.scripts.is_empty() {
        return Ok(ExitCode::from(2));
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json(Timings::Shown))?);
    } else {
        print!("{}", report.render(Timings::Shown, args.deny_warnings));
    }
    if let Some(file) = &args.junit {
        std::fs::write(file, report.to_junit(args.deny_warnings))
            .map_err(|e| format!("--junit {}: {e}", file.display()))?;
    }
    Ok(match (unusable, report.passed(args.deny_warnings)) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::SUCCESS,
        (false, false) => ExitCode::FAILURE,
    })
}
