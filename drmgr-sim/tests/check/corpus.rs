//! One script per defect: exactly the expected rules fire, and the report shows
//! them (snapshots). Every rule of the catalogue fires for some script; the clean
//! scripts, the legacy examples among them, fire none.

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use drmgr_sim::check::catalogue;

use crate::check::support::{check, checker, fired, in_repository, render, script};

/// Each corpus script, whether it is a hook, and the rules that must fire.
const CORPUS: &[(&str, bool, &[&str])] = &[
    ("clean.sh", false, &[]),
    ("missing_vendor.sh", false, &["install-scriptinfo"]),
    ("register_nothing.pl", false, &["install-register", "unknown-name"]),
    ("no_usage.sh", false, &["install-usage"]),
    ("bad_date.sh", false, &["date-format"]),
    ("custom_resource.sh", false, &["resource-not-sent"]),
    ("debug_echo.sh", false, &["stdout-not-reply"]),
    ("unknown_name.pl", false, &["unknown-name"]),
    ("unquoted_error.sh", false, &["text-unquoted"]),
    ("silent_veto.pl", false, &["error-missing"]),
    ("error_exit_0.sh", false, &["error-with-exit-0"]),
    ("segfault.sh", false, &["killed-by-signal"]),
    ("missing_command.ksh", false, &["error-missing", "interpreter-error"]),
    ("perl_die.pl", false, &["error-missing", "interpreter-error"]),
    ("slow_check.sh", false, &["time-near-limit"]),
    ("hang.sh", false, &["time-limit"]),
    ("exit0_unknown.sh", false, &["unknown-word"]),
    ("edge_division.pl", false, &["edge-value", "error-missing"]),
    ("post_twice.sh", false, &["repeat-not-harmless"]),
    // The README's example, whose output it shows.
    ("sysadmin_appguard.ksh", false, &["stdout-not-reply", "text-unquoted", "unknown-word"]),
    ("bash_shebang.sh", false, &["shebang-not-on-aix"]),
    ("env_perl.pl", false, &["shebang-env"]),
    ("gnu_sed.ksh", false, &["gnu-option"]),
    ("proc_cpuinfo.sh", false, &["linux-path"]),
    ("hook_clean.sh", true, &[]),
    ("hook_post_fails.sh", true, &["hook-failure-ignored"]),
    ("hook_exit10.sh", true, &["hook-exit-10"]),
];

#[test]
fn each_defect_fires_exactly_its_rules_and_the_report_shows_it() {
    let mut all_fired = BTreeSet::new();
    for &(file, hook, expected) in CORPUS {
        let report = check(&script(file), hook);
        assert_eq!(fired(&report), expected, "{file}");
        all_fired.extend(fired(&report));
        insta::assert_snapshot!(file, render(vec![report]));
    }
    all_fired.insert(refused_name());
    all_fired.insert(cut_by_max_time());
    let missing: Vec<&str> = catalogue::ALL.iter().map(|r| r.id).filter(|id| !all_fired.contains(id)).collect();
    assert!(missing.is_empty(), "rules no test makes fire: {missing:?}");
}

/// A clean script copied to a name install refuses (a space in it) fires
/// `install-refused` only.
fn refused_name() -> &'static str {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("acme guard");
    std::fs::copy(script("clean.sh"), &path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    let report = check(&path, false);
    assert_eq!(fired(&report), ["install-refused"]);
    assert_eq!(
        report.findings[0].message,
        "install refused: \"acme guard\" cannot be a script name: it contains spaces or control characters"
    );
    catalogue::INSTALL_REFUSED.id
}

/// A command still running at the checker's `--max-time`, inside its own
/// limit, fires `max-time` only (slow_check.sh sleeps 2.5 s in checkrelease,
/// with `DR_TIMEOUT=4`).
fn cut_by_max_time() -> &'static str {
    let report = checker().max_time(Duration::from_secs(1)).check(&script("slow_check.sh")).unwrap();
    assert_eq!(fired(&report), ["max-time"]);
    assert_eq!(report.findings[0].message, "still running after 1 s, the checker's --max-time; its own limit is 4 s");
    catalogue::MAX_TIME.id
}

#[test]
fn the_legacy_ksh_and_perl_examples_pass_without_a_warning() {
    let reports: Vec<_> = ["examples/legacy/sysadmin_cpuguard.ksh", "examples/legacy/sysadmin_memwatch.pl"]
        .iter()
        .map(|path| check(&in_repository(path), false))
        .collect();
    for report in &reports {
        assert_eq!(fired(report), Vec::<&str>::new(), "{}", report.script.display());
        assert_eq!(report.stopped, None);
    }
    insta::assert_snapshot!(render(reports));
}
