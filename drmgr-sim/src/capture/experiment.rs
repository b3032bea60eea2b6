//! The recorded experiments, written as the control file of drmgr-sim's capture
//! instances, so that each does what its namesake did on the host.
//!
//! The control file is `control` beside the capture file; one rule per line,
//! `SCRIPT COMMAND RESOURCE ACTION [ARGUMENT]`, `-` for no resource (its format is
//! `dlpar_capture`'s, described in docs/capture-format.md).

use std::fmt::Write;
use std::path::Path;

use dlpar_capture::record::Step;

use super::CompareError;
use super::infer::Episode;

/// The control file's name, in the capture file's directory.
const CONTROL_NAME: &str = "control";

/// Writes a control file beside `capture_file` with the steps each recorded
/// invocation of `episode` did, keyed by its instance, command and resource (the
/// first time each was seen; a repeat that did otherwise is noted by the
/// comparison of its outcome). No experiment: no file.
pub(crate) fn write_control(capture_file: &Path, episode: &Episode<'_>) -> Result<(), CompareError> {
    let mut seen: Vec<(&str, Option<&str>, Option<&str>)> = Vec::new();
    let mut text = String::new();
    for run in &episode.runs {
        let inv = run.invocation;
        let key = (inv.installed_name.as_str(), inv.command(), inv.resource());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        for step in &inv.experiment {
            let (action, argument) = match step {
                Step::Exit { status } => ("exit", status.to_string()),
                Step::Sleep { seconds } => ("sleep", seconds.to_string()),
                Step::Print { line } => ("print", line.clone()),
                Step::Error { message } => ("error", message.clone()),
            };
            let (name, command, resource) = key;
            writeln!(text, "{name} {} {} {action} {argument}", command.unwrap_or("-"), resource.unwrap_or("-"))
                .expect("writing to a String cannot fail");
        }
    }
    if text.is_empty() {
        return Ok(());
    }
    let path = capture_file.with_file_name(CONTROL_NAME);
    std::fs::write(&path, text).map_err(|e| CompareError::Setup(format!("{}: {e}", path.display())))
}
