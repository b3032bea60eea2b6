//! The checker as tests use it, and the scripts of `tests/check/scripts/`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use drmgr_sim::check::{Checker, Report, ScriptReport};
use drmgr_sim::{Runner, Timings};

/// A checker with a short grace period and no `LANG`, so reports are the same
/// on every machine.
pub(crate) fn checker() -> Checker {
    let runner = Runner::new().lang(None::<&str>).grace(Duration::from_millis(200));
    Checker::new(runner).max_time(Duration::from_secs(5))
}

/// The path of a corpus script.
pub(crate) fn script(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check/scripts").join(file)
}

/// The path of a file of the repository (`examples/legacy/...`).
pub(crate) fn in_repository(path: &str) -> PathBuf {
    let clone = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("drmgr-sim lives in the clone");
    clone.join(path)
}

/// Checks one script (as a hook with `hook`).
pub(crate) fn check(path: &Path, hook: bool) -> ScriptReport {
    checker().hook(hook).check(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The rule ids that fired, sorted, once each.
pub(crate) fn fired(report: &ScriptReport) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = report.findings.iter().map(|f| f.rule.id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The text report, with the clone's path written `[clone]`.
pub(crate) fn render(reports: Vec<ScriptReport>) -> String {
    let clone = in_repository("");
    Report { scripts: reports }
        .render(Timings::Hidden, false)
        .replace(clone.to_str().unwrap().trim_end_matches('/'), "[clone]")
}
