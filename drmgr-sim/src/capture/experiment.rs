//! The recorded experiments, written as the control file of drmgr-sim's capture
//! instances, so that each does what its namesake did on the host.
//!
//! The control file and its rules are `dlpar_capture`'s ([`dlpar_capture::control_path`],
//! [`dlpar_capture::control_rule`]; the format is in docs/capture-format.md).

use std::path::Path;

use super::CompareError;
use super::infer::Episode;

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
            let (name, command, resource) = key;
            text.push_str(&dlpar_capture::control_rule(name, command, resource, step));
            text.push('\n');
        }
    }
    if text.is_empty() {
        return Ok(());
    }
    let path = dlpar_capture::control_path(capture_file);
    std::fs::write(&path, text).map_err(|e| CompareError::Setup(format!("{}: {e}", path.display())))
}
