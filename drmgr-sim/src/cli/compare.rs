//! `compare`: drmgr-sim held against captures recorded by `dlpar_capture`.

use std::path::PathBuf;
use std::process::ExitCode;

use dlpar_capture::read::Capture;
use drmgr_sim::capture::{Comparer, Comparison, to_json};

use super::{Failure, Global};

#[derive(Debug, clap::Args)]
pub(super) struct CompareArgs {
    /// Capture files written by dlpar_capture (on AIX, under powerpc-utils, or under drmgr-sim).
    #[arg(required = true, value_name = "CAPTURE")]
    captures: Vec<PathBuf>,
    /// The dlpar_capture binary installed as capture instances [default: dlpar_capture
    /// next to this executable].
    #[arg(long, value_name = "PATH", env = "DLPAR_CAPTURE_BIN")]
    capture_bin: Option<PathBuf>,
    /// Print one JSON document instead of the text.
    #[arg(long)]
    json: bool,
}

/// Reads every capture first (bad input is named before anything runs), then
/// compares each; 0 when nothing mismatches, 3 when something does.
pub(super) fn compare(global: &Global, args: &CompareArgs) -> Result<ExitCode, Failure> {
    let captures = args.captures.iter().map(Capture::read_file).collect::<Result<Vec<_>, _>>()?;
    let bin = match &args.capture_bin {
        Some(bin) => bin.clone(),
        None => Comparer::find_capture_bin(None)?,
    };
    let comparer = Comparer::new(bin).runner(global.runner());
    let comparisons = captures
        .iter()
        .zip(&args.captures)
        .map(|(capture, path)| comparer.compare(capture, &path.display().to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&to_json(&comparisons))?);
    } else {
        let texts: Vec<String> = comparisons.iter().map(Comparison::render).collect();
        print!("{}", texts.join("\n"));
    }
    Ok(if comparisons.iter().all(Comparison::agrees) { ExitCode::SUCCESS } else { ExitCode::from(3) })
}
