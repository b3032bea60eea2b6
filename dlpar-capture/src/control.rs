//! The control file: experiments an administrator turns on, per script, command
//! and resource.
//!
//! ```text
//! # script        command        resource  action  argument
//! b_capture       checkmigrate   pmig      exit    1
//! *               prerelease     cpu       sleep   40
//! a_capture       postacquire    cpu       print   DR_MYSTERY=1
//! *               check          pmig      error   refused by experiment
//! ```
//!
//! One rule per line; `#` starts a comment line. The first three columns match the
//! name the script was installed under, the command word and the resource word
//! (`-` for none); `*` matches anything. On a powerpc-utils hook the command is
//! `PHASE` and the resource `DRC_TYPE`. Every matching rule, in file order, is a step
//! of the experiment; steps after the first `exit` are not done:
//!
//! * `exit N`: end with status N (0–255) — a veto when not 0;
//! * `sleep N`: sleep N seconds (1–3600), recording each signal as it arrives;
//! * `print TEXT`: write TEXT (everything after one space, as is) and a newline to stdout;
//! * `error TEXT`: write `DR_ERROR="TEXT"` to stdout (the status stays 0 unless an
//!   `exit` follows).
//!
//! A file that cannot be read, or any line that is not a rule, makes the whole file
//! malformed: the script records, warns, and runs no experiment.

use std::path::{Path, PathBuf};

use crate::record::Step;

/// The control file's name, in the capture file's directory.
pub(crate) const NAME: &str = "control";

/// The control file beside `capture_file`.
///
/// ```
/// use std::path::Path;
/// let control = dlpar_capture::control_path(Path::new("/tmp/c/capture.jsonl"));
/// assert_eq!(control, Path::new("/tmp/c/control"));
/// ```
pub fn path(capture_file: &Path) -> PathBuf {
    capture_file.with_file_name(NAME)
}

/// The control-file line that makes `script` do `step` for `command` on
/// `resource` (`None`: the `-` column), as the capture reads it back (the grammar is in
/// `docs/capture-format.md`).
///
/// ```
/// use dlpar_capture::record::Step;
/// let line = dlpar_capture::control_rule("b_capture", Some("checkrelease"), Some("cpu"), &Step::Exit { status: 1 });
/// assert_eq!(line, "b_capture checkrelease cpu exit 1");
/// ```
pub fn rule(script: &str, command: Option<&str>, resource: Option<&str>, step: &Step) -> String {
    let (action, argument) = match step {
        Step::Exit { status } => ("exit", status.to_string()),
        Step::Sleep { seconds } => ("sleep", seconds.to_string()),
        Step::Print { line } => ("print", line.clone()),
        Step::Error { message } => ("error", message.clone()),
    };
    format!("{script} {} {} {action} {argument}", command.unwrap_or("-"), resource.unwrap_or("-"))
}

/// The largest control file read.
pub(crate) const MAX_BYTES: u64 = 64 * 1024;

/// The longest sleep, in seconds: an hour covers any `DR_TIMEOUT` worth testing.
pub(crate) const MAX_SLEEP: u32 = 3600;

/// One rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    script: String,
    command: String,
    resource: String,
    step: Step,
}

/// What one invocation is, for matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Target<'a> {
    pub(crate) script: &'a str,
    pub(crate) command: Option<&'a str>,
    pub(crate) resource: Option<&'a str>,
}

/// Reads every rule, or says which line is wrong and how to fix it.
pub(crate) fn parse(text: &str) -> Result<Vec<Rule>, String> {
    let mut rules = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let bad = |why: &str| format!("line {}: {why}: {line:?}", index + 1);
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        // Columns are separated by blanks; the argument is everything after the one
        // blank that follows the action, kept exactly (leading blanks included).
        let (script, rest) = word(line.trim_start());
        let (command, rest) = word(rest.trim_start_matches(BLANKS));
        let (resource, rest) = word(rest.trim_start_matches(BLANKS));
        let (action, argument) = word(rest.trim_start_matches(BLANKS));
        if action.is_empty() {
            return Err(bad("expected SCRIPT COMMAND RESOURCE ACTION [ARGUMENT]"));
        }
        let number =
            |max: u32, what: &str| argument.trim().parse::<u32>().ok().filter(|n| *n <= max).ok_or_else(|| bad(what));
        let step = match action {
            "exit" => Step::Exit { status: number(255, "exit takes a status from 0 to 255")? as u8 },
            "sleep" => match number(MAX_SLEEP, "sleep takes seconds from 1 to 3600")? {
                0 => return Err(bad("sleep takes seconds from 1 to 3600")),
                seconds => Step::Sleep { seconds },
            },
            "print" => Step::Print { line: argument.to_owned() },
            "error" => Step::Error { message: argument.to_owned() },
            _ => return Err(bad("the action is exit, sleep, print or error")),
        };
        rules.push(Rule { script: script.into(), command: command.into(), resource: resource.into(), step });
    }
    Ok(rules)
}

/// What separates columns.
const BLANKS: [char; 2] = [' ', '\t'];

/// The first word of `text` and what follows the blank after it.
fn word(text: &str) -> (&str, &str) {
    text.split_once(BLANKS).unwrap_or((text, ""))
}

/// The steps for `target`, in file order, up to and including the first `exit`.
pub(crate) fn steps(rules: &[Rule], target: Target<'_>) -> Vec<Step> {
    let matches = |pattern: &str, value: Option<&str>| pattern == "*" || pattern == value.unwrap_or("-");
    let mut steps = Vec::new();
    for rule in rules {
        if matches(&rule.script, Some(target.script))
            && matches(&rule.command, target.command)
            && matches(&rule.resource, target.resource)
        {
            let last = matches!(rule.step, Step::Exit { .. });
            steps.push(rule.step.clone());
            if last {
                break;
            }
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARGET: Target<'static> =
        Target { script: "b_capture", command: Some("checkmigrate"), resource: Some("pmig") };

    #[test]
    fn matching_rules_become_steps_in_order_up_to_the_first_exit() {
        let rules = parse(
            "# experiments\n\
             b_capture checkmigrate pmig print DR_LOG_INFO=\"hello there\"\n\
             a_capture checkmigrate pmig exit 1\n\
             *\t*\t*\terror  one leading blank kept\n\
             * checkmigrate - exit 3\n\
             * * pmig exit 10\n\
             * * * sleep 5\n",
        )
        .unwrap();
        assert_eq!(
            steps(&rules, TARGET),
            [
                Step::Print { line: "DR_LOG_INFO=\"hello there\"".into() },
                Step::Error { message: " one leading blank kept".into() },
                Step::Exit { status: 10 },
            ]
        );
        let no_resource = Target { resource: None, ..TARGET };
        assert_eq!(steps(&rules, no_resource)[1..], [Step::Exit { status: 3 }]);
        let register = Target { script: "b_capture", command: Some("register"), resource: None };
        assert_eq!(steps(&rules, register)[1..], [Step::Sleep { seconds: 5 }]);
    }

    #[test]
    fn a_sleep_and_an_empty_print_are_steps() {
        let rules = parse("* * * sleep 3600\n* * * print\n").unwrap();
        assert_eq!(steps(&rules, TARGET), [Step::Sleep { seconds: 3600 }, Step::Print { line: String::new() }]);
        assert_eq!(steps(&parse("\n# nothing\n").unwrap(), TARGET), []);
    }

    #[test]
    fn a_written_rule_reads_back_as_its_step() {
        let cases = [
            Step::Exit { status: 255 },
            Step::Sleep { seconds: 40 },
            Step::Print { line: "  DR_MYSTERY=1".into() },
            Step::Error { message: "refused by experiment".into() },
        ];
        for step in cases {
            let rules = parse(&rule("b_capture", Some("checkmigrate"), None, &step)).unwrap();
            let target = Target { resource: None, ..TARGET };
            assert_eq!(steps(&rules, target), [step]);
        }
    }

    #[test]
    fn every_malformed_line_is_named() {
        let cases = [
            ("* * *\n", "line 1: expected SCRIPT COMMAND RESOURCE ACTION [ARGUMENT]: \"* * *\""),
            ("# ok\n* * * exit 256\n", "line 2: exit takes a status from 0 to 255: \"* * * exit 256\""),
            ("* * * exit -1\n", "line 1: exit takes a status from 0 to 255: \"* * * exit -1\""),
            ("* * * sleep 0\n", "line 1: sleep takes seconds from 1 to 3600: \"* * * sleep 0\""),
            ("* * * sleep 3601\n", "line 1: sleep takes seconds from 1 to 3600: \"* * * sleep 3601\""),
            ("* * * sleep\n", "line 1: sleep takes seconds from 1 to 3600: \"* * * sleep\""),
            ("* * * veto 1\n", "line 1: the action is exit, sleep, print or error: \"* * * veto 1\""),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text).unwrap_err(), expected);
        }
    }
}
