//! The JSON and JUnit reports, and the catalogue as docs/checker.md lists it.

use drmgr_sim::Timings;
use drmgr_sim::check::{Report, catalogue};

use crate::check::support::{check, in_repository, script};

#[test]
fn json_has_every_field_of_a_finding() {
    let report = Report { scripts: vec![check(&script("unquoted_error.sh"), false)] };
    let mut json = report.to_json(Timings::Hidden);
    let clone = in_repository("");
    let text =
        serde_json::to_string_pretty(&json).unwrap().replace(clone.to_str().unwrap().trim_end_matches('/'), "[clone]");
    json = serde_json::from_str(&text).unwrap();
    insta::assert_json_snapshot!(json);
}

#[test]
fn junit_has_one_case_per_rule_and_command_and_escapes_xml() {
    let report = Report { scripts: vec![check(&script("unquoted_error.sh"), false)] };
    let xml = report.to_junit(false);
    let failures: Vec<&str> = xml.lines().filter(|l| l.contains("<failure")).collect();
    assert_eq!(failures.len(), 1, "{xml}");
    assert!(failures[0].contains("type=\"error\" message=\"DR_ERROR is text and is not between double quotes\""));
    assert!(xml.contains("<testcase classname=") && xml.contains("name=\"text-unquoted: checkrelease cpu\""));
    assert!(xml.contains("&quot;"), "the fix's quotes are escaped");
    let cases = xml.matches("<testcase ").count();
    assert_eq!(cases, report.scripts[0].checked.len());
    assert!(xml.contains(&format!("tests=\"{cases}\" failures=\"1\"")));
}

#[test]
fn docs_checker_md_lists_the_catalogue_as_it_is() {
    let docs = std::fs::read_to_string(in_repository("docs/checker.md")).unwrap();
    let table = catalogue::markdown();
    assert!(docs.contains(&table), "docs/checker.md is out of date; put this table between its markers:\n{table}");
}

#[test]
fn every_finding_is_a_failing_junit_case_install_refusals_included() {
    let report = Report { scripts: vec![check(&script("no_usage.sh"), false)] };
    let xml = report.to_junit(false);
    assert!(xml.contains("name=\"install-usage: usage mem\">\n      <failure type=\"error\""), "{xml}");
    assert!(xml.contains("tests=\"") && xml.contains("failures=\"1\""), "{xml}");
}

#[test]
fn junit_goes_to_the_file_named_and_json_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("check.xml");
    let warned = script("bad_date.sh");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_drmgr-sim"))
        .args(["check", "--json", "--deny-warnings", "--junit"])
        .args([junit.as_os_str(), warned.as_os_str()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = String::from_utf8(out.stdout).unwrap();
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["scripts"][0]["findings"][0]["rule"], "date-format");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains(
            "<failure type=\"warning\" message=\"DR_DATE=20261204 is not a date in DDMMYYYY: there is no month 26\">"
        ),
        "{xml}"
    );
}
