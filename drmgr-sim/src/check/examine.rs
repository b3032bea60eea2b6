//! The rules one run of a script is held to, whatever started it: what its
//! standard output says, how it ended, how long it took.

use std::time::Duration;

use dlpar_script::wire::{Key, ParsedReply, ReplyWarning};

use super::catalogue::{self as rules, Rule};
use super::{Finding, ScriptReport};
use crate::runner::End;
use crate::trace::Invocation;
use crate::trace::text::visible;

/// Offending lines quoted per finding; the rest are counted.
const MAX_QUOTED: usize = 3;

/// Which command a run was, for the findings it gives.
#[derive(Debug, Clone)]
pub(super) struct Run {
    /// The command as run: `checkrelease cpu`, `pmig check`.
    pub(super) label: String,
    /// Its resource word.
    pub(super) resource: Option<String>,
    /// The command line that reproduces it.
    pub(super) reproduce: String,
    /// Whether it ran with edge values: a death is then an `edge-value` finding.
    pub(super) edge: bool,
    /// The time limit the host itself would give it; `None` when the host gives
    /// none (powerpc-utils), so that the checker's own cap is the only one.
    pub(super) host_limit: Option<Duration>,
}

impl Run {
    pub(super) fn finding(&self, rule: &'static Rule, message: String, output: Option<String>) -> Finding {
        Finding {
            rule,
            command: self.label.clone(),
            resource: self.resource.clone(),
            message,
            output,
            reproduce: Some(self.reproduce.clone()),
        }
    }
}

/// The rules of standard output (docs/protocol.md §4): reply lines only, known
/// names, text values quoted.
pub(super) fn reply(report: &mut ScriptReport, run: &Run, reply: &ParsedReply) {
    report.checked(&run.label, &[rules::STDOUT_NOT_REPLY, rules::UNKNOWN_NAME, rules::TEXT_UNQUOTED]);
    let mut stray = Vec::new();
    let mut unknown = Vec::new();
    for warning in &reply.warnings {
        match warning {
            ReplyWarning::UnknownName { line, name } => unknown.push(format!("line {line}: {name}")),
            ReplyWarning::NoEquals { line, text } => stray.push(format!("line {line}: {}", visible(text))),
            ReplyWarning::NotProtocol { line, name } => stray.push(format!("line {line}: {}=…", visible(name))),
            other => stray.push(other.to_string()),
        }
    }
    if !stray.is_empty() {
        let message =
            format!("{} of standard output {} not a DR_NAME=value line", count(stray.len(), "line"), are(stray.len()));
        report.add(run.finding(rules::STDOUT_NOT_REPLY, message, quote(&stray)));
    }
    if !unknown.is_empty() {
        let message = format!("{} the protocol does not define", count(unknown.len(), "name"));
        report.add(run.finding(rules::UNKNOWN_NAME, message, quote(&unknown)));
    }
    let unquoted: Vec<String> = reply
        .pairs
        .iter()
        .filter(|pair| !pair.quoted && Key::new(&pair.name).is_ok_and(|key| key.is_text()))
        .map(|pair| format!("{}={}", pair.name, visible(&pair.value)))
        .collect();
    if let Some(first) = unquoted.first() {
        let name = first.split('=').next().unwrap_or_default();
        let message = format!("{name} is text and is not between double quotes");
        report.add(run.finding(rules::TEXT_UNQUOTED, message, quote(&unquoted)));
    }
}

/// The rules of how a run ended: an exit status (no signal), no interpreter
/// error (a failure with `DR_ERROR` is deliberate, whatever stderr says), within
/// the time limit. Returns whether it ran past the limit.
pub(super) fn end(report: &mut ScriptReport, run: &Run, end: &End, stderr: &str, said_why: bool) -> bool {
    let (signal_rule, interpreter_rule) = if run.edge {
        (rules::EDGE_VALUE, rules::EDGE_VALUE)
    } else {
        (rules::KILLED_BY_SIGNAL, rules::INTERPRETER_ERROR)
    };
    report.checked(&run.label, &[signal_rule, interpreter_rule, rules::TIME_LIMIT]);
    if run.host_limit.is_some() {
        report.checked(&run.label, &[rules::MAX_TIME]);
    }
    let with = if run.edge { " with edge values" } else { "" };
    // A command that dies with every value is not dying of the edge values.
    let dies_anyway = run.edge
        && report.findings.iter().any(|f| {
            f.command == run.label && (f.rule == rules::KILLED_BY_SIGNAL || f.rule == rules::INTERPRETER_ERROR)
        });
    match end {
        End::Signalled(_) if !dies_anyway => {
            let signal = end.signal_name().unwrap_or_default();
            report.add(run.finding(signal_rule, format!("killed by {signal}{with}"), last_lines(stderr)));
        }
        End::TimedOut { limit, .. } => {
            let secs = limit.as_secs_f64();
            let (rule, message) = match run.host_limit {
                Some(host) if host > *limit => (
                    rules::MAX_TIME,
                    format!(
                        "still running after {secs} s, the checker's --max-time; its own limit is {} s",
                        host.as_secs_f64()
                    ),
                ),
                Some(_) => {
                    (rules::TIME_LIMIT, format!("still running after its {secs} s limit: ended as drmgr ends it"))
                }
                None => (
                    rules::TIME_LIMIT,
                    format!("still running after {secs} s: powerpc-utils has no time limit and would wait for ever"),
                ),
            };
            report.add(run.finding(rule, message, last_lines(stderr)));
            return true;
        }
        End::Exited(code) if *code != 0 && !said_why && !dies_anyway => {
            if let Some(line) = interpreter_error(stderr) {
                let message = format!("exit {code}{with} after an interpreter error on standard error");
                report.add(run.finding(interpreter_rule, message, Some(visible(line).into_owned())));
            }
        }
        End::Signalled(_) | End::Exited(_) | End::NotStarted(_) => {}
    }
    false
}

/// The `DR_ERROR` rules (docs/protocol.md §5): a failure says why, and a
/// `DR_ERROR` never comes with exit 0.
pub(super) fn error_line(report: &mut ScriptReport, run: &Run, end: &End, error: Option<String>) {
    report.checked(&run.label, &[rules::ERROR_MISSING, rules::ERROR_WITH_EXIT_0]);
    match (end, error) {
        (End::Exited(0), Some(error)) => {
            let message = "DR_ERROR with exit 0: the host sees success".to_owned();
            report.add(run.finding(
                rules::ERROR_WITH_EXIT_0,
                message,
                Some(format!("{}={}", Key::ERROR, visible(&error))),
            ));
        }
        (End::Exited(code), None) if *code != 0 && *code != Invocation::NOT_SUPPORTED => {
            report.add(run.finding(rules::ERROR_MISSING, format!("exit {code} without DR_ERROR"), None));
        }
        _ => {}
    }
}

/// The share of its time limit a run that ended in time used: a warning past
/// half, and the slowest run remembered.
pub(super) fn time_share(report: &mut ScriptReport, run: &Run, duration: Duration, limit: Duration) {
    report.checked(&run.label, &[rules::TIME_NEAR_LIMIT]);
    let share = duration.as_secs_f64() / limit.as_secs_f64().max(f64::MIN_POSITIVE);
    if report.slowest.as_ref().is_none_or(|(_, d, l)| d.as_secs_f64() / l.as_secs_f64() < share) {
        report.slowest = Some((run.label.clone(), duration, limit));
    }
    if share > 0.5 {
        let message = format!("took more than half of its {} s limit", limit.as_secs_f64());
        report.add(run.finding(rules::TIME_NEAR_LIMIT, message, None));
    }
}

/// What interpreters print when a script is broken rather than failing on
/// purpose: ksh and sh (`not found`, `syntax error`, unset parameters), bash,
/// Perl (`… at FILE line N.`), Python.
const INTERPRETER_SIGNS: [&str; 10] = [
    ": not found",
    "command not found",
    "syntax error",
    "Syntax error",
    "parameter not set",
    "parameter null or not set",
    "bad substitution",
    "unbound variable",
    "Traceback (most recent call last)",
    "Can't locate ",
];

/// The first line of `stderr` that shows an interpreter error, if one does.
fn interpreter_error(stderr: &str) -> Option<&str> {
    stderr.lines().find(|line| INTERPRETER_SIGNS.iter().any(|sign| line.contains(sign)) || perl_die(line))
}

/// Perl's `die` and run-time errors end with ` at FILE line N.`.
fn perl_die(line: &str) -> bool {
    let Some(at) = line.rfind(" line ") else { return false };
    let tail = &line[at + 6..];
    let digits = tail.trim_end_matches(['.', ',']).split(',').next().unwrap_or_default();
    line[..at].contains(" at ") && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The last lines of `stderr`, made visible, or `None` when it is empty.
pub(super) fn last_lines(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    let shown = &lines[lines.len().saturating_sub(MAX_QUOTED)..];
    (!shown.is_empty()).then(|| shown.iter().map(|l| visible(l)).collect::<Vec<_>>().join("\n"))
}

/// The first few of `items`, one a line, with a count of the rest.
fn quote(items: &[String]) -> Option<String> {
    let mut lines: Vec<String> = items.iter().take(MAX_QUOTED).cloned().collect();
    if items.len() > MAX_QUOTED {
        lines.push(format!("… and {} more", items.len() - MAX_QUOTED));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

fn are(n: usize) -> &'static str {
    if n == 1 { "is" } else { "are" }
}

#[cfg(test)]
mod tests {
    use super::{interpreter_error, perl_die};

    #[test]
    fn interpreter_errors_are_recognised_and_messages_are_not() {
        assert!(perl_die("Illegal division by zero at /tmp/x.pl line 12."));
        assert!(perl_die("Died at ./acme.pl line 3, <STDIN> line 1."));
        assert!(!perl_die("the line 3 is fine"));
        assert!(interpreter_error("x.ksh[4]: frobnicate: not found\n").is_some());
        assert!(interpreter_error("x.sh: 3: Syntax error: \"fi\" unexpected").is_some());
        assert!(interpreter_error("error: CPU 0 runs the licence daemon").is_none());
    }
}
