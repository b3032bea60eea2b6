//! What `drmgr-sim check` prints: text for people, one JSON document, JUnit XML.

use std::fmt::Write;

use serde_json::{Value, json};

use super::catalogue::Severity;
use super::{Finding, ScriptReport};
use crate::trace::Timings;

/// The findings of every script checked, ready to render.
///
/// ```
/// use drmgr_sim::Timings;
/// use drmgr_sim::check::Report;
///
/// let report = Report { scripts: Vec::new() };
/// assert!(report.passed(true));
/// assert_eq!(report.render(Timings::Hidden, false), "verdict: PASSED: no errors, no warnings in 0 scripts\n");
/// assert_eq!(report.to_json(Timings::Hidden)["verdict"], "passed");
/// assert!(report.to_junit(false).starts_with("<?xml"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// One report per script, in the order checked.
    pub scripts: Vec<ScriptReport>,
}

impl Report {
    /// How many findings of `severity` in all.
    pub fn count(&self, severity: Severity) -> usize {
        self.scripts.iter().map(|s| s.count(severity)).sum()
    }

    /// No errors, and no warnings either when `deny_warnings`.
    pub fn passed(&self, deny_warnings: bool) -> bool {
        self.count(Severity::Error) == 0 && !(deny_warnings && self.count(Severity::Warning) > 0)
    }

    /// The one-line verdict.
    fn verdict(&self, deny_warnings: bool) -> String {
        let (errors, warnings) = (self.count(Severity::Error), self.count(Severity::Warning));
        let word = match (self.passed(deny_warnings), errors) {
            (true, _) => "PASSED",
            (false, 0) => "FAILED (warnings denied)",
            (false, _) => "FAILED",
        };
        let n = |count: usize, what: &str| match count {
            0 => format!("no {what}s"),
            1 => format!("1 {what}"),
            n => format!("{n} {what}s"),
        };
        let scripts =
            if self.scripts.len() == 1 { "1 script".to_owned() } else { format!("{} scripts", self.scripts.len()) };
        format!("verdict: {word}: {}, {} in {scripts}", n(errors, "error"), n(warnings, "warning"))
    }

    /// The text report: per script, its findings grouped by command, each with
    /// its rule, evidence, the offending output, the command line that
    /// reproduces it and the fix; then the verdict, which warnings fail too with
    /// `deny_warnings`. With [`Timings::Hidden`] no duration appears (for
    /// snapshots).
    pub fn render(&self, timings: Timings, deny_warnings: bool) -> String {
        let mut out = String::new();
        for script in &self.scripts {
            render_script(&mut out, script, timings);
        }
        out.push_str(&self.verdict(deny_warnings));
        out.push('\n');
        out
    }

    /// One JSON document (`drmgr-sim/check/1`): every finding with `rule`,
    /// `severity`, `command`, `resource`, `message`, `evidence`, `doc`, plus the
    /// protocol `section`, the quoted `output`, `reproduce` and `fix`; per script,
    /// the command that used the largest share of its time limit (`slowest`,
    /// `null` with [`Timings::Hidden`]).
    pub fn to_json(&self, timings: Timings) -> Value {
        let scripts: Vec<Value> = self
            .scripts
            .iter()
            .map(|script| {
                json!({
                    "script": script.script.display().to_string(),
                    "mode": if script.hook { "hook" } else { "aix" },
                    "runs": script.runs,
                    "errors": script.count(Severity::Error),
                    "warnings": script.count(Severity::Warning),
                    "stopped": script.stopped,
                    "slowest": script.slowest.as_ref().filter(|_| timings == Timings::Shown).map(|(label, duration, limit)| json!({
                        "command": label,
                        "duration_us": duration.as_micros(),
                        "limit_s": limit.as_secs_f64(),
                        "share": duration.as_secs_f64() / limit.as_secs_f64(),
                    })),
                    "findings": script.findings.iter().map(finding_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "format": "drmgr-sim/check/1",
            "verdict": if self.passed(false) { "passed" } else { "failed" },
            "errors": self.count(Severity::Error),
            "warnings": self.count(Severity::Warning),
            "scripts": scripts,
        })
    }

    /// JUnit XML: one test suite per script, one test case per rule and command
    /// checked. An error is a `<failure>`; a warning is one too with
    /// `deny_warnings`, else it is written to the case's `<system-out>`.
    pub fn to_junit(&self, deny_warnings: bool) -> String {
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let failing = |f: &Finding| f.rule.severity == Severity::Error || deny_warnings;
        let (tests, failures): (usize, usize) =
            self.scripts.iter().fold((0, 0), |(t, f), s| (t + s.checked.len(), f + failing_cases(s, &failing)));
        let _ = writeln!(xml, "<testsuites name=\"drmgr-sim check\" tests=\"{tests}\" failures=\"{failures}\">");
        for script in &self.scripts {
            let name = escape(&script.script.display().to_string());
            let failures = failing_cases(script, &failing);
            let _ = writeln!(
                xml,
                "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failures}\">",
                script.checked.len()
            );
            for (command, rule) in &script.checked {
                let found: Vec<&Finding> =
                    script.findings.iter().filter(|f| &f.command == command && f.rule.id == *rule).collect();
                let case = format!("{rule}: {command}");
                let _ = write!(xml, "    <testcase classname=\"{name}\" name=\"{}\"", escape(&case));
                if found.is_empty() {
                    xml.push_str("/>\n");
                    continue;
                }
                xml.push_str(">\n");
                let text: Vec<String> = found.iter().map(|f| finding_text(f)).collect();
                let text = escape(&text.join("\n"));
                if found.iter().any(|f| failing(f)) {
                    let message = escape(&found[0].message);
                    let kind = found[0].rule.severity;
                    let _ = writeln!(xml, "      <failure type=\"{kind}\" message=\"{message}\">{text}</failure>");
                } else {
                    let _ = writeln!(xml, "      <system-out>{text}</system-out>");
                }
                xml.push_str("    </testcase>\n");
            }
            xml.push_str("  </testsuite>\n");
        }
        xml.push_str("</testsuites>\n");
        xml
    }
}

/// How many (command, rule) cases of `script` have a failing finding.
fn failing_cases(script: &ScriptReport, failing: &impl Fn(&Finding) -> bool) -> usize {
    script
        .checked
        .iter()
        .filter(|(command, rule)| {
            script.findings.iter().any(|f| &f.command == command && f.rule.id == *rule && failing(f))
        })
        .count()
}

fn render_script(out: &mut String, script: &ScriptReport, timings: Timings) {
    let mode = if script.hook { "powerpc-utils hook" } else { "AIX DLPAR script" };
    let _ = writeln!(out, "== {} ({mode})", script.script.display());
    let mut summary = format!("{} runs", script.runs);
    if let (Timings::Shown, Some((label, duration, limit))) = (timings, &script.slowest) {
        let share = duration.as_secs_f64() / limit.as_secs_f64() * 100.0;
        let _ = write!(
            summary,
            "; slowest: {label}, {:.1} ms, {share:.2}% of its {} s limit",
            duration.as_secs_f64() * 1000.0,
            limit.as_secs_f64()
        );
    }
    let (errors, warnings) = (script.count(Severity::Error), script.count(Severity::Warning));
    let _ = writeln!(out, "   {summary}; {errors} error(s), {warnings} warning(s)");
    if let Some(stopped) = &script.stopped {
        let _ = writeln!(out, "   stopped: {stopped}");
    }
    let mut commands: Vec<&str> = Vec::new();
    for finding in &script.findings {
        if !commands.contains(&finding.command.as_str()) {
            commands.push(&finding.command);
        }
    }
    for command in commands {
        let _ = writeln!(out, "-- {command}");
        for finding in script.findings.iter().filter(|f| f.command == command) {
            for line in finding_text(finding).lines() {
                let _ = writeln!(out, "   {line}");
            }
        }
    }
    out.push('\n');
}

/// One finding as text: the rule line, then its output, reproduction and fix.
fn finding_text(finding: &Finding) -> String {
    let rule = finding.rule;
    let mut text = format!("{} [{}] {} ({})", rule.severity, rule.id, finding.message, rule.basis());
    if let Some(output) = &finding.output {
        for line in output.lines() {
            let _ = write!(text, "\n   | {line}");
        }
    }
    if let Some(reproduce) = &finding.reproduce {
        let _ = write!(text, "\n   reproduce: {reproduce}");
    }
    let _ = write!(text, "\n   fix: {}", rule.fix);
    text
}

fn finding_json(finding: &Finding) -> Value {
    json!({
        "rule": finding.rule.id,
        "severity": finding.rule.severity.as_str(),
        "command": finding.command,
        "resource": finding.resource,
        "message": finding.message,
        "evidence": finding.rule.evidence,
        "section": finding.rule.section,
        "doc": finding.rule.doc(),
        "output": finding.output,
        "reproduce": finding.reproduce,
        "fix": finding.rule.fix,
    })
}

/// `text` safe inside an XML 1.0 attribute or element: the five markup
/// characters as entities, and characters XML 1.0 forbids (most C0 controls)
/// made visible as `\xNN`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn xml_escapes_markup_and_makes_forbidden_characters_visible() {
        assert_eq!(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
        assert_eq!(escape("bell\x07 esc\x1b[31m"), "bell\\x07 esc\\x1b[31m");
        assert_eq!(escape("line\nnext"), "line\nnext");
    }
}
