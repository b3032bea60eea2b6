//! `replay`: a script run with exactly the invocations a capture recorded.

use std::path::PathBuf;
use std::process::ExitCode;

use drmgr_sim::capture::{ReplayOptions, replay};
use drmgr_sim::{Style, Timings};

use super::run::SetenvArgs;
use super::{Failure, Global};

#[derive(Debug, clap::Args)]
pub(super) struct ReplayArgs {
    /// The capture file written by dlpar_capture.
    #[arg(value_name = "CAPTURE")]
    capture: PathBuf,
    /// The script to run in place of the capture instances (after `--`).
    #[arg(last = true, required = true, value_name = "SCRIPT")]
    script: PathBuf,
    /// Print one JSON document instead of the text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    setenv: SetenvArgs,
}

pub(super) fn replay_capture(global: &Global, args: &ReplayArgs) -> Result<ExitCode, Failure> {
    let capture = dlpar_capture::read::Capture::read_file(&args.capture)?;
    let options = ReplayOptions::new().runner(args.setenv.apply(global.runner()));
    let replayed = replay(&capture, &args.capture.display().to_string(), &args.script, &options)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&replayed.to_json(Timings::Shown))?);
    } else {
        print!("{}", replayed.render(Style::for_stdout()));
    }
    Ok(ExitCode::SUCCESS)
}
