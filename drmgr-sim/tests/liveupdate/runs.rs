//! Whole Live Update runs through the library: the safe kernel-extension check, the
//! timeline on both sides, and a failure at each checked phase.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use dlpar_liveupdate::{FileSafeKextList, KextPath, LvupdateData, SafeKext, SafeKextList};
use drmgr_sim::liveupdate::{LiveUpdate, LiveUpdateTrace, LuPhase, Side};
use drmgr_sim::{InstallOptions, Outcome, Repository, Runner, Timings};

/// A system root holding the repository, the safe list and the logs, with two
/// installed probe scripts (`a_app`, `b_app`; drmgr-sim's own test script).
pub(crate) struct World {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) repo: Repository,
    pub(crate) runner: Runner,
}

impl World {
    pub(crate) fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("work")).unwrap();
        let repo = Repository::new(dir.path()).with_hostname("testhost");
        let runner =
            Runner::new().workdir(dir.path().join("work")).grace(Duration::from_millis(200)).lang(None::<&str>);
        let world = World { dir, repo, runner };
        for name in ["a_app", "b_app"] {
            let source = world.dir.path().join(name);
            fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts/probe.sh"), &source).unwrap();
            fs::set_permissions(&source, fs::Permissions::from_mode(0o755)).unwrap();
            world.repo.install(&world.runner, &source, &InstallOptions::default()).unwrap();
        }
        world
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Adds entries to the safe list, as `lvupdate-safe-ke -a` would.
    pub(crate) fn safe(&self, kexts: &[SafeKext]) {
        let list = FileSafeKextList::new(self.root());
        for kext in kexts {
            list.add(kext).unwrap();
        }
    }

    /// Runs the Live Update with `PROBE_FAIL` set to `fail` (see probe.sh).
    fn run(&self, lu: LiveUpdate, fail: &str) -> LiveUpdateTrace {
        lu.run(&self.repo, &self.runner.clone().setenv("PROBE_FAIL", fail)).unwrap()
    }

    /// The text trace with the root replaced by `<root>`.
    pub(crate) fn redact(&self, text: &str) -> String {
        text.replace(self.root().to_str().unwrap(), "<root>")
    }

    fn log(&self) -> PathBuf {
        self.root().join("var/adm/ras/liveupdate/logs/lvupdlog")
    }
}

pub(crate) fn kext(path: &str) -> KextPath {
    path.parse().unwrap()
}

fn steps(trace: &LiveUpdateTrace) -> Vec<String> {
    trace.steps().map(|(phase, command, script)| format!("{phase} {command} {script}")).collect()
}

/// The `post-error` steps of a trace (`post-error undopremigrate b_app`), in order.
fn post_error_steps(trace: &LiveUpdateTrace) -> Vec<String> {
    steps(trace).into_iter().filter(|s| s.starts_with("post-error")).collect()
}

#[test]
fn a_live_update_with_safe_kernel_extensions_runs_the_whole_timeline() {
    let _serial = crate::serial();
    let world = World::new();
    world.safe(&[SafeKext::new(kext("/usr/lib/drivers/acme_dd"))]);
    let lu =
        LiveUpdate::new(world.root()).loaded([kext("/usr/lib/drivers/acme_dd")]).lusafe([kext("/opt/acme/lusafe.ext")]);
    let trace = world.run(lu, "");
    assert_eq!(trace.outcome, Outcome::Success);
    assert!(!world.log().exists(), "nothing is logged when the check passes");
    insta::assert_snapshot!(world.redact(&trace.render_snapshot()));
    insta::assert_json_snapshot!(trace.to_json(Timings::Hidden));
}

#[test]
fn an_unsafe_kernel_extension_stops_the_update_and_is_logged_by_name() {
    let _serial = crate::serial();
    let world = World::new();
    world.safe(&[
        SafeKext::new(kext("/usr/lib/drivers/acme_dd")),
        SafeKext::preview_only(kext("/opt/acme/preview_only.ext")),
    ]);
    let lu = LiveUpdate::new(world.root()).loaded([
        kext("/usr/lib/drivers/acme_dd"),
        kext("/opt/acme/preview_only.ext"),
        kext("/usr/lib/drivers/unlisted"),
    ]);
    let trace = world.run(lu, "");
    assert_eq!(trace.outcome, Outcome::Failed);
    assert!(trace.invocations.is_empty(), "no DLPAR script runs");
    insta::assert_snapshot!(world.redact(&trace.render_snapshot()));
    let log = fs::read_to_string(world.log()).unwrap();
    let lines: Vec<&str> = log.lines().map(|l| l.split_once(" UTC ").unwrap().1).collect();
    insta::assert_snapshot!(lines.join("\n"), @"
    liveupdate: the loaded kernel extension /opt/acme/preview_only.ext is not safe for Live Update: add it with lvupdateSafeKE -a, load it with SYS_LUSAFE, or unload it; the Live Update is stopped
    liveupdate: the loaded kernel extension /usr/lib/drivers/unlisted is not safe for Live Update: add it with lvupdateSafeKE -a, load it with SYS_LUSAFE, or unload it; the Live Update is stopped
    ");
}

#[test]
fn the_preview_counts_preview_only_entries_and_runs_no_script() {
    let _serial = crate::serial();
    let world = World::new();
    world.safe(&[SafeKext::preview_only(kext("/opt/acme/preview_only.ext"))]);
    let lu = LiveUpdate::new(world.root()).loaded([kext("/opt/acme/preview_only.ext")]).preview(true);
    let trace = world.run(lu, "");
    assert_eq!(trace.outcome, Outcome::Success);
    assert!(trace.invocations.is_empty());
    insta::assert_snapshot!(world.redact(&trace.render_snapshot()), @"
    live update pmig: DR_FORCE=FALSE DR_DETAIL_LEVEL=0
    scripts registered for pmig: a_app, b_app
    lvupdate.data: kext_check not set (the check runs)
    safe kernel-extension check (preview):
         /opt/acme/preview_only.ext  safe for the preview: on the safe list with -p
    note: preview: the safe kernel-extension check only; no DLPAR script runs
    outcome: SUCCESS
    ");
}

#[test]
fn kext_check_no_bypasses_the_check() {
    let _serial = crate::serial();
    let world = World::new();
    let unlisted = || [kext("/usr/lib/drivers/unlisted")];
    let mut data = LvupdateData::new();
    data.set_kext_check(false);
    let trace = world.run(LiveUpdate::new(world.root()).loaded(unlisted()).data(data.clone()), "");
    assert_eq!(trace.outcome, Outcome::Success);
    assert_eq!(trace.invocations.len(), 12);
    assert!(!world.log().exists());
    let text = world.redact(&trace.render_snapshot());
    let head: Vec<&str> = text.lines().take(5).collect();
    insta::assert_snapshot!(head.join("\n"), @"
    live update pmig: DR_FORCE=FALSE DR_DETAIL_LEVEL=0
    scripts registered for pmig: a_app, b_app
    lvupdate.data: kext_check = no
    safe kernel-extension check (bypassed):
         /usr/lib/drivers/unlisted  NOT SAFE: not on the safe list and not loaded with SYS_LUSAFE
    ");
    assert!(text.contains("note: kext_check = no in lvupdate.data: the safe kernel-extension check is bypassed\n"));

    // The system's own lvupdate.data is read when none is given.
    let system_file = world.root().join("var/adm/ras/liveupdate/lvupdate.data");
    data.write(&system_file).unwrap();
    let trace = world.run(LiveUpdate::new(world.root()).loaded(unlisted()), "");
    assert_eq!((trace.outcome, trace.data_file.as_deref()), (Outcome::Success, Some(system_file.as_path())));
    // And `kext_check = yes` there enforces it again.
    fs::write(&system_file, "general:\n\tkext_check = yes\n").unwrap();
    let trace = world.run(LiveUpdate::new(world.root()).loaded(unlisted()), "");
    assert_eq!(trace.outcome, Outcome::Failed);
}

#[test]
fn a_bad_lvupdate_data_is_an_error_naming_the_line() {
    let _serial = crate::serial();
    let world = World::new();
    let system_file = world.root().join("var/adm/ras/liveupdate/lvupdate.data");
    fs::create_dir_all(system_file.parent().unwrap()).unwrap();
    fs::write(&system_file, "general:\n\tkext_check = maybe\n").unwrap();
    let err = LiveUpdate::new(world.root()).run(&world.repo, &world.runner).unwrap_err();
    assert_eq!(
        world.redact(&err.to_string()),
        "lvupdate.data: line 2: general: kext_check = \"maybe\" is not valid: expected yes or no"
    );
}

#[test]
fn a_veto_on_the_original_stops_before_the_surrogate() {
    let _serial = crate::serial();
    let world = World::new();
    let trace = world.run(LiveUpdate::new(world.root()), "b_app:checkmigrate");
    assert_eq!(trace.outcome, Outcome::Vetoed);
    assert_eq!(steps(&trace), ["orig-check checkmigrate a_app", "orig-check checkmigrate b_app",]);
    // No script ran premigrate: DR_POST_ERROR has no one to undo.
    assert_eq!(
        trace.phases.last().map(|p| (p.phase, p.invocations.is_empty())),
        Some((LuPhase::PostError(Side::Original), true))
    );
    insta::assert_snapshot!(world.redact(&trace.render_snapshot()));
}

#[test]
fn a_failure_at_each_checked_phase_sends_dr_post_error_once() {
    let _serial = crate::serial();
    let world = World::new();
    let mut transcript = String::new();
    for phase in LuPhase::TIMELINE.into_iter().filter(|p| p.is_checked()) {
        let trace = world.run(LiveUpdate::new(world.root()).fail_at(phase), "");
        let expected = if phase.command().is_some() { Outcome::Vetoed } else { Outcome::Failed };
        assert_eq!(trace.outcome, expected, "{phase}");
        let last = trace.phases.last().unwrap().phase;
        assert_eq!(last, LuPhase::PostError(phase.side()), "{phase}");
        let undo = post_error_steps(&trace);
        let expected: &[&str] = match phase.command() {
            // At DR_CHECK no premigrate has run yet.
            Some(_) => &[],
            None => &["post-error undopremigrate b_app", "post-error undopremigrate a_app"],
        };
        assert_eq!(undo, expected, "{phase}");
        transcript.push_str(&format!("==== --fail-at {phase}\n{}\n", world.redact(&trace.render_snapshot())));
    }
    insta::assert_snapshot!(transcript);
}

#[test]
fn unchecked_failures_are_reported_and_the_update_goes_on() {
    let _serial = crate::serial();
    let world = World::new();
    let lu = LiveUpdate::new(world.root()).fail_at(LuPhase::OrigPost);
    let trace = world.run(lu, "a_app:premigrate b_app:postmigrate");
    assert_eq!(trace.outcome, Outcome::Success);
    insta::assert_snapshot!(trace.notes.join("\n"), @"
    orig-pre: premigrate pmig failed for a_app on the original: a_app refuses premigrate; not checked, the Live Update goes on
    surr-pre: premigrate pmig failed for a_app on the surrogate: a_app refuses premigrate; not checked, the Live Update goes on
    orig-post: postmigrate pmig failed for b_app on the original: b_app refuses postmigrate; not checked, the Live Update goes on
    orig-post: the system's own part of DR_POST failed on the original (a simulated failure at orig-post); not checked, the Live Update goes on
    surr-post: postmigrate pmig failed for b_app on the surrogate: b_app refuses postmigrate; not checked, the Live Update goes on
    ");
}

#[test]
fn dr_post_error_skips_a_script_whose_premigrate_failed() {
    let _serial = crate::serial();
    let world = World::new();
    let trace = world.run(LiveUpdate::new(world.root()).fail_at(LuPhase::SurrPreKernel), "a_app:premigrate");
    assert_eq!(trace.outcome, Outcome::Failed);
    let undo = post_error_steps(&trace);
    assert_eq!(undo, ["post-error undopremigrate b_app"], "{}", world.redact(&trace.render_snapshot()));
}

#[test]
fn a_failing_dr_post_error_is_reported() {
    let _serial = crate::serial();
    let world = World::new();
    let trace = world.run(LiveUpdate::new(world.root()).fail_at(LuPhase::OrigPreKernel), "a_app:undopremigrate");
    assert_eq!(trace.outcome, Outcome::Failed);
    assert_eq!(trace.notes, ["post-error: undopremigrate failed for a_app: reported"]);
}

#[test]
fn another_resource_word_reaches_the_scripts_registered_for_it() {
    let _serial = crate::serial();
    let world = World::new();
    let runner = world.runner.clone().setenv("PROBE_RESOURCES", "acme_lu");
    let source = world.dir.path().join("c_app");
    fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts/probe.sh"), &source).unwrap();
    world.repo.install(&runner, &source, &InstallOptions::default()).unwrap();
    let lu = LiveUpdate::new(world.root()).resource("acme_lu".parse().unwrap());
    let trace = lu.run(&world.repo, &world.runner).unwrap();
    assert_eq!(trace.scripts, ["c_app"]);
    assert_eq!(steps(&trace)[0], "orig-check checkmigrate c_app");
    assert_eq!(trace.invocations[0].resource.as_ref().map(|r| r.as_str()), Some("acme_lu"));
}
