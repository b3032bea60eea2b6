//! install / uninstall / rebuild / the information file (docs/protocol.md §8).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use dlpar_script::protocol::Resource;
use drmgr_sim::{InstallOptions, Location, RepoError, Repository};

use crate::sim::support::{HOST, Sim};

fn install_error(sim: &Sim, file: &str, name: &str) -> String {
    let source = sim.source(file, name);
    sim.repo.install(&sim.runner, &source, &InstallOptions::default()).unwrap_err().to_string()
}

#[test]
fn install_records_the_answers_and_copies_the_script() {
    let sim = Sim::new();
    let options = InstallOptions { admin_timeout: Some(2), ..InstallOptions::default() };
    let installed = sim.install_with("perl_guard.pl", "perl_guard", &options);
    let entry = &installed.entry;
    assert_eq!((entry.name.as_str(), &entry.location), ("perl_guard", &Location::All));
    assert_eq!((entry.vendor.as_str(), entry.info.as_str()), ("Tests", "Perl guard for processors"));
    assert_eq!(
        (entry.version, entry.date.as_str(), entry.timeout, entry.admin_timeout),
        (2, "22112026", Some(5), Some(2))
    );
    assert_eq!(entry.resources, [(Resource::Cpu, "keeps bind CPUs 0 and 1".to_owned())]);
    assert!(installed.warnings.is_empty() && installed.replaced.is_empty());
    assert_eq!(sim.repo.script_path(entry), sim.repo.root().join("all/perl_guard"));
    assert_eq!(
        fs::read(sim.repo.script_path(entry)).unwrap(),
        fs::read(crate::sim::support::script("perl_guard.pl")).unwrap()
    );
    assert_eq!(sim.runner.time_limit(entry.timeout, entry.admin_timeout), Duration::from_secs(120));
    assert_eq!(sim.repo.scripts().unwrap(), std::slice::from_ref(entry));
    insta::assert_snapshot!("information_file", fs::read_to_string(sim.repo.info_file()).unwrap());
}

#[test]
fn install_refuses_files_that_cannot_be_scripts() {
    let sim = Sim::new();
    let source = sim.source("probe.sh", "probe");
    fs::set_permissions(&source, fs::Permissions::from_mode(0o644)).unwrap();
    let err = sim.repo.install(&sim.runner, &source, &InstallOptions::default()).unwrap_err();
    assert!(matches!(err, RepoError::NotExecutable { mode: 0o644, .. }));
    assert_eq!(
        err.to_string(),
        format!("{} is not executable (mode 644): make it executable first (chmod +x)", source.display())
    );

    let dir = sim.dir.path().join("work");
    let err = sim.repo.install(&sim.runner, &dir, &InstallOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), format!("{} is not a regular file", dir.display()));

    let hidden = sim.source("probe.sh", ".probe");
    let err = sim.repo.install(&sim.runner, &hidden, &InstallOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "\".probe\" cannot be a script name: hidden names are reserved");
    assert!(!sim.repo.info_file().exists());
}

#[test]
fn install_warns_about_what_it_accepts_but_drmgr_would_not_use_as_meant() {
    let sim = Sim::new();
    let warnings = |name: &str| sim.install("bad.sh", name).warnings;
    assert_eq!(
        warnings("bad_custom"),
        ["register: memory is not a resource drmgr sends (cpu, mem, capacity, var_weight, pmig, phib, acc, \
          topology): only an operation that names it reaches this script, such as `drmgr-sim run accel --resource \
          memory`"]
    );
    assert_eq!(
        warnings("bad_nodate"),
        ["scriptinfo: DR_DATE=99999999 is not a date in DDMMYYYY: there is no month 99"]
    );
    // One day is the documented bound, and accepted.
    assert_eq!(warnings("bad_day"), [] as [String; 0]);
    assert_eq!(sim.repo.scripts().unwrap().iter().find(|e| e.name == "bad_day").unwrap().timeout, Some(86_400));
}

#[test]
fn install_validates_every_answer() {
    let sim = Sim::new();
    for (name, expected) in [
        (
            "bad_info",
            "bad_info: scriptinfo: DR_VERSION is missing; DR_DATE \"2026\" is not 8 digits; DR_SCRIPTINFO is missing; \
             DR_VENDOR is missing",
        ),
        ("bad_infofail", "bad_infofail: scriptinfo: exit 1 (DR_ERROR: no licence file); exit 0 is required"),
        (
            "bad_register",
            "bad_register: register: DR_RESOURCE: invalid resource name \"Memory\": byte 0 ('M') is not one of a-z, 0-9, _",
        ),
        ("bad_twice", "bad_twice: register: resource cpu is registered twice"),
        ("bad_none", "bad_none: register: no DR_RESOURCE line: the script registers nothing"),
        ("bad_usage", "bad_usage: usage cpu: no DR_USAGE line"),
        (
            "bad_doubled",
            "bad_doubled: scriptinfo: DR_VERSION is given 2 times: give it once; DR_DATE is given 2 times: give it \
             once; DR_SCRIPTINFO is given 2 times: give it once",
        ),
        ("bad_usagetwice", "bad_usagetwice: usage cpu: DR_USAGE is given 2 times: give it once"),
        (
            "bad_longinfo",
            "bad_longinfo: scriptinfo: line 3 (DR_SCRIPTINFO=...): 5000 bytes, over the 4096-byte limit, ignored: \
             every line of an install answer must fit in 4096 bytes; shorten it",
        ),
        (
            "bad_longusage",
            "bad_longusage: usage cpu: line 1 (DR_USAGE=...): 200001 bytes, over the 4096-byte limit, ignored: every \
             line of an install answer must fit in 4096 bytes; shorten it",
        ),
        (
            "bad_separator",
            "bad_separator: scriptinfo: DR_SCRIPTINFO contains U+2028, a line break for many readers: one line is \
             required",
        ),
        (
            "bad_forever",
            "bad_forever: scriptinfo: DR_TIMEOUT=4294967295 is above the 86400 seconds (one day) install accepts; \
             give a shorter limit, or let the administrator set one with -w MINUTES",
        ),
    ] {
        assert_eq!(install_error(&sim, "bad.sh", name), expected);
    }
    assert_eq!(sim.repo.scripts().unwrap(), []);
    assert!(!sim.repo.root().join("all").exists());
}

#[test]
fn an_install_command_past_its_time_limit_fails_the_install() {
    let sim = Sim::new();
    let source = sim.source("bad.sh", "bad_installhang");
    let runner = sim.runner.clone().default_timeout(Duration::from_millis(200));
    let err = sim.repo.install(&runner, &source, &InstallOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "bad_installhang: scriptinfo: timed out after 0.2 s (SIGTERM sent to its process group); exit 0 is required"
    );
}

#[test]
fn a_name_clash_is_refused_unless_forced() {
    let sim = Sim::new();
    sim.install("probe.sh", "guard");
    let err = install_error(&sim, "perl_guard.pl", "guard");
    assert_eq!(err, "guard is already installed for all hosts: use -f to replace it");
    assert_eq!(sim.repo.scripts().unwrap()[0].info, "probe guard");

    let forced = InstallOptions { force: true, ..InstallOptions::default() };
    let installed = sim.install_with("perl_guard.pl", "guard", &forced);
    assert_eq!(installed.replaced[0].info, "probe guard");
    let scripts = sim.repo.scripts().unwrap();
    assert_eq!(scripts.len(), 1);
    assert_eq!(scripts[0].info, "Perl guard for processors");
}

#[test]
fn per_host_scripts_run_only_on_their_host() {
    let sim = Sim::new();
    let here = InstallOptions { host: Some(HOST.into()), ..InstallOptions::default() };
    let there = InstallOptions { host: Some("otherhost".into()), ..InstallOptions::default() };
    sim.install_with("probe.sh", "local", &here);
    sim.install_with("probe.sh", "remote", &there);
    sim.install("probe.sh", "shared");
    assert!(sim.repo.root().join("testhost/local").is_file() && sim.repo.root().join("otherhost/remote").is_file());
    let names = |repo: &Repository| repo.active().unwrap().into_iter().map(|e| e.name).collect::<Vec<_>>();
    assert_eq!(names(&sim.repo), ["local", "shared"]);
    assert_eq!(names(&sim.repo.clone().with_hostname("otherhost")), ["remote", "shared"]);
    assert_eq!(sim.repo.scripts().unwrap().len(), 3);

    // A name for all hosts and one for this host clash: both would run here.
    let err = sim.repo.install(&sim.runner, &sim.source("probe.sh", "shared"), &here).unwrap_err();
    assert_eq!(err.to_string(), "shared is already installed for all hosts: use -f to replace it");
    // Two different hosts may each have their own.
    sim.install_with("probe.sh", "local", &there);

    let bad = InstallOptions { host: Some("all".into()), ..InstallOptions::default() };
    let err = sim.repo.install(&sim.runner, &sim.source("probe.sh", "x"), &bad).unwrap_err();
    assert_eq!(err.to_string(), "\"all\" cannot be a host name for -D: all is the directory of scripts for every host");
}

#[test]
fn uninstall_removes_the_file_and_the_record() {
    let sim = Sim::new();
    let here = InstallOptions { host: Some(HOST.into()), ..InstallOptions::default() };
    sim.install_with("probe.sh", "probe", &here);
    let err = sim.repo.uninstall("probe", None).unwrap_err();
    assert_eq!(err.to_string(), "probe is not installed for all hosts");
    let removed = sim.repo.uninstall("probe", Some(HOST)).unwrap();
    assert_eq!(removed.location, Location::Host(HOST.into()));
    assert!(!sim.repo.root().join("testhost/probe").exists());
    assert_eq!(sim.repo.scripts().unwrap(), []);
}

#[test]
fn rebuild_recreates_the_information_file_from_the_scripts_present() {
    let sim = Sim::new();
    let options = InstallOptions { admin_timeout: Some(3), ..InstallOptions::default() };
    sim.install_with("perl_guard.pl", "perl_guard", &options);
    sim.install_with("probe.sh", "probe", &InstallOptions { host: Some("lpar9".into()), ..InstallOptions::default() });
    let before = sim.repo.scripts().unwrap();

    // A stray file that is no script, and a lost information file.
    fs::copy(crate::sim::support::script("bad.sh"), sim.repo.root().join("all/bad_info")).unwrap();
    fs::write(sim.repo.info_file(), "{ not json").unwrap();
    let err = sim.repo.scripts().unwrap_err().to_string();
    assert!(
        err.contains("not valid") && err.ends_with("`drmgr-sim rebuild` re-creates it from the scripts present"),
        "{err}"
    );

    let rebuilt = sim.repo.rebuild(&sim.runner).unwrap();
    assert!(rebuilt.old_file_problem.is_some());
    assert_eq!(rebuilt.left_out.len(), 1);
    assert!(rebuilt.left_out[0].1.starts_with("bad_info: scriptinfo: DR_VERSION is missing"));
    let mut expected = before.clone();
    expected[0].admin_timeout = None; // lost with the old file
    assert_eq!(rebuilt.recorded, expected);

    // With a readable old file, the -w overrides survive.
    sim.repo.uninstall("perl_guard", None).unwrap();
    sim.install_with("perl_guard.pl", "perl_guard", &options);
    let rebuilt = sim.repo.rebuild(&sim.runner).unwrap();
    assert_eq!(rebuilt.old_file_problem, None);
    assert_eq!(rebuilt.recorded, before);
}

#[test]
fn an_information_file_of_another_version_is_refused() {
    let sim = Sim::new();
    fs::create_dir_all(sim.repo.root()).unwrap();
    fs::write(sim.repo.info_file(), r#"{"format":"drmgr-sim information file","version":2,"scripts":[]}"#).unwrap();
    let err = sim.repo.scripts().unwrap_err().to_string();
    assert!(err.contains("format \"drmgr-sim information file\" version 2, this drmgr-sim reads"), "{err}");
}

#[test]
fn an_information_file_naming_a_path_outside_the_repository_is_refused() {
    let sim = Sim::new();
    fs::create_dir_all(sim.repo.root()).unwrap();
    let file = |name: &str, host: &str| {
        format!(
            r#"{{"format":"drmgr-sim information file","version":1,"scripts":[{{"name":{name},"host":{host},
            "vendor":"Acme","info":"x","version":1,"date":"22112026","timeout":null,"admin_timeout":null,
            "resources":[{{"name":"cpu","usage":"x"}}]}}]}}"#
        )
    };
    let refused = |name: &str, host: &str| {
        fs::write(sim.repo.info_file(), file(name, host)).unwrap();
        let err = sim.repo.scripts().unwrap_err().to_string();
        let prefix = format!("information file {}: ", sim.repo.info_file().display());
        let suffix = "; `drmgr-sim rebuild` re-creates it from the scripts present";
        err.strip_prefix(&prefix).and_then(|e| e.strip_suffix(suffix)).unwrap_or(&err).to_owned()
    };
    assert_eq!(refused(r#""../../bin/evil""#, "null"), r#""../../bin/evil" cannot be a script name: it contains '/'"#);
    assert_eq!(refused(r#"".hidden""#, "null"), r#"".hidden" cannot be a script name: hidden names are reserved"#);
    assert_eq!(
        refused(r#""acme_app""#, r#""..""#),
        r#"script acme_app: ".." cannot be a host name for -D: it starts with '.'"#
    );
    assert_eq!(
        refused(r#""acme_app""#, r#""a/b""#),
        r#"script acme_app: "a/b" cannot be a host name for -D: it contains '/'"#
    );
}
