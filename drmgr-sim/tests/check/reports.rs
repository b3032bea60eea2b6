//! The JSON and JUnit reports, and the catalogue as docs/checker.md lists it.

use drmgr_sim::check::{Report, catalogue};

use crate::support::{check, in_repository, script};

#[test]
fn json_has_every_field_of_a_finding() {
    let report = Report { scripts: vec![check(&script("unquoted_error.sh"), false)] };
    let mut json = report.to_json();
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
