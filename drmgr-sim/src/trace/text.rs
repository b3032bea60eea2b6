//! The human trace: a phase × script table, then every invocation in order with
//! what it said, then the outcome.

use std::borrow::Cow;
use std::fmt::{self, Write};
use std::io::IsTerminal;
use std::time::Duration;

use dlpar_script::protocol::{Command, Phase};
use dlpar_script::wire::{Key, LogLevel};

use super::{Invocation, Kernel, Outcome, Trace, Verdict};
use crate::runner::End;

/// Log lines shown per invocation; the rest are counted (the JSON has them all).
const MAX_LOGS: usize = 50;
/// stderr lines shown per invocation; the rest are counted.
const MAX_STDERR_LINES: usize = 10;

/// Whether durations appear in a rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timings {
    /// Durations in milliseconds.
    Shown,
    /// No durations (JSON: `duration_us` is 0), for deterministic snapshots.
    Hidden,
}

/// How to render a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours for results and the outcome.
    pub color: bool,
    /// Durations shown or hidden.
    pub timings: Timings,
}

impl Style {
    /// No colour, durations shown: what `Display` prints.
    pub const PLAIN: Style = Style { color: false, timings: Timings::Shown };
    /// No colour, no durations: deterministic, for snapshot tests.
    pub const SNAPSHOT: Style = Style { color: false, timings: Timings::Hidden };

    /// Colour when stdout is a terminal and `NO_COLOR` is not set; durations shown.
    pub fn for_stdout() -> Style {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Style { color, timings: Timings::Shown }
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Tone {
    Good,
    Warn,
    Bad,
}

impl Style {
    pub(crate) fn paint(self, tone: Tone, text: &str) -> String {
        if !self.color {
            return text.to_owned();
        }
        let code = match tone {
            Tone::Good => "32",
            Tone::Warn => "33",
            Tone::Bad => "1;31",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    pub(crate) fn duration(self, duration: Duration) -> Option<String> {
        (self.timings == Timings::Shown).then(|| {
            if duration < Duration::from_millis(10) {
                format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
            } else if duration < Duration::from_secs(1) {
                format!("{} ms", duration.as_millis())
            } else {
                format!("{:.1} s", duration.as_secs_f64())
            }
        })
    }
}

impl Trace {
    /// The human trace in `style`.
    pub fn render(&self, style: Style) -> String {
        render_with(style, |out, style| self.write(out, style))
    }

    /// The deterministic human trace (no colour, no durations), for snapshot tests.
    pub fn render_snapshot(&self) -> String {
        self.render(Style::SNAPSHOT)
    }

    fn write(&self, out: &mut String, style: Style) -> fmt::Result {
        writeln!(out, "{}: {}", self.operation(), env_words(&self.env))?;
        if self.scripts.is_empty() {
            writeln!(out, "scripts registered for {}: none", self.resource)?;
        } else {
            writeln!(out, "scripts registered for {}: {}", self.resource, self.scripts.join(", "))?;
            writeln!(out)?;
            self.write_table(out, style)?;
        }
        writeln!(out)?;
        self.write_invocations(out, style)?;
        for note in &self.notes {
            writeln!(out, "note: {}", visible(note))?;
        }
        write_outcome(out, style, self.outcome, self.reason.as_deref())
    }

    /// One row per script, one column per command of the family.
    fn write_table(&self, out: &mut String, style: Style) -> fmt::Result {
        let family = self.family.commands();
        let columns: Vec<Command> =
            [family.check, family.pre, family.post, family.undo].into_iter().flatten().collect();
        let cells: Vec<Vec<(String, Tone)>> = self
            .scripts
            .iter()
            .map(|script| {
                columns
                    .iter()
                    .map(|&command| {
                        let found = self.invocations.iter().find(|i| &i.script == script && i.command == command);
                        found.map_or(("-".to_owned(), Tone::Good), |i| {
                            let (label, tone) = short_label(i);
                            let text = match style.duration(i.duration) {
                                Some(d) => format!("{label} {d}"),
                                None => label,
                            };
                            (text, tone)
                        })
                    })
                    .collect()
            })
            .collect();
        let headers: Vec<&str> = columns.iter().map(|c| c.as_str()).collect();
        let rows: Vec<&str> = self.scripts.iter().map(String::as_str).collect();
        write_grid(out, style, ("script", &headers), &rows, &cells)
    }

    /// Every invocation in order, with what it said; the kernel step in its place.
    fn write_invocations(&self, out: &mut String, style: Style) -> fmt::Result {
        let rows = Rows::new(&self.invocations);
        for (n, invocation) in self.invocations.iter().enumerate() {
            if self.kernel.after() == Some(n) {
                self.write_kernel(out, style)?;
            }
            rows.write(out, style, n, invocation)?;
        }
        if self.kernel.after() == Some(self.invocations.len()) || self.kernel == Kernel::NotReached {
            self.write_kernel(out, style)?;
        }
        Ok(())
    }

    fn write_kernel(&self, out: &mut String, style: Style) -> fmt::Result {
        let result = match self.kernel {
            Kernel::NotReached => style.paint(Tone::Warn, "not reached"),
            Kernel::Succeeded { .. } => style.paint(Tone::Good, "succeeded"),
            Kernel::Failed { .. } => style.paint(Tone::Bad, "failed (a simulated failure)"),
        };
        writeln!(out, "   -- kernel: {}: {result}", self.kernel_step())
    }
}

/// Runs `write` into a string and trims the lines: table cells are padded to their
/// column, and no line ends in spaces.
pub(crate) fn render_with(style: Style, write: impl FnOnce(&mut String, Style) -> fmt::Result) -> String {
    let mut out = String::new();
    write(&mut out, style).expect("writing to a String cannot fail");
    out.lines().map(|line| format!("{}\n", line.trim_end())).collect()
}

/// A table: a header row (`corner` and the column names), then one row per name
/// with its cells, each column as wide as its widest entry; `-` cells unpainted.
pub(crate) fn write_grid(
    out: &mut String,
    style: Style,
    (corner, columns): (&str, &[&str]),
    rows: &[&str],
    cells: &[Vec<(String, Tone)>],
) -> fmt::Result {
    let name_width = rows.iter().map(|r| r.len()).max().unwrap_or(0).max(corner.len());
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(c, column)| cells.iter().map(|row| row[c].0.len()).max().unwrap_or(0).max(column.len()))
        .collect();
    write!(out, "{corner:name_width$}")?;
    for (column, width) in columns.iter().zip(&widths) {
        write!(out, "  {column:width$}")?;
    }
    writeln!(out)?;
    for (name, row) in rows.iter().zip(cells) {
        write!(out, "{name:name_width$}")?;
        for ((text, tone), width) in row.iter().zip(&widths) {
            let pad = width - text.len();
            let shown = if text == "-" { text.clone() } else { style.paint(*tone, text) };
            write!(out, "  {shown}{:pad$}", "")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The `DR_*` variables as `NAME=value` words, for a trace's first line.
pub(crate) fn env_words(env: &[(String, String)]) -> String {
    env.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
}

/// `outcome: VETOED: reason`, the last line of a trace.
pub(crate) fn write_outcome(out: &mut String, style: Style, outcome: Outcome, reason: Option<&str>) -> fmt::Result {
    let tone = if outcome == Outcome::Success { Tone::Good } else { Tone::Bad };
    write!(out, "outcome: {}", style.paint(tone, &outcome.as_str().to_uppercase()))?;
    match reason {
        Some(reason) => writeln!(out, ": {}", visible(reason)),
        None => writeln!(out),
    }
}

/// The numbered lines of a trace's invocations, their columns as wide as the
/// widest among `invocations`.
pub(crate) struct Rows {
    head_width: usize,
    script_width: usize,
}

impl Rows {
    pub(crate) fn new(invocations: &[Invocation]) -> Rows {
        let head_width = invocations.iter().map(|i| head(i).len()).max().unwrap_or(0);
        let script_width = invocations.iter().map(|i| i.script.len()).max().unwrap_or(0);
        Rows { head_width, script_width }
    }

    /// `  3. checkrelease cpu  acme_guard  vetoed (exit 1)  (2.1 ms)` for invocation
    /// index `n`, then what it said.
    pub(crate) fn write(&self, out: &mut String, style: Style, n: usize, invocation: &Invocation) -> fmt::Result {
        let (label, tone) = long_label(invocation);
        let (head_width, script_width) = (self.head_width, self.script_width);
        write!(
            out,
            "{:>3}. {:head_width$}  {:script_width$}  {}",
            n + 1,
            head(invocation),
            invocation.script,
            style.paint(tone, &label)
        )?;
        match style.duration(invocation.duration) {
            Some(d) => writeln!(out, "  ({d})")?,
            None => writeln!(out)?,
        }
        write_details(out, invocation)
    }
}

/// The command as the script saw it: `checkrelease cpu`.
fn head(invocation: &Invocation) -> String {
    match &invocation.resource {
        Some(resource) => format!("{} {resource}", invocation.command),
        None => invocation.command.to_string(),
    }
}

/// DR_ERROR, DR_LOG_*, warnings and stderr of one invocation, indented.
fn write_details(out: &mut String, invocation: &Invocation) -> fmt::Result {
    const INDENT: &str = "       ";
    // DR_ERROR and DR_LOG_* lines in the order the script wrote them.
    let (mut logs, error) = (0, Key::ERROR);
    for pair in &invocation.reply.pairs {
        let is_log = LogLevel::from_name(&pair.name).is_some();
        logs += usize::from(is_log);
        if pair.name == error.as_str() || (is_log && logs <= MAX_LOGS) {
            let name = LogLevel::from_name(&pair.name).map_or(error.as_str(), |level| level.name());
            writeln!(out, "{INDENT}{name}: {}", visible(&pair.value))?;
        }
    }
    if logs > MAX_LOGS {
        writeln!(out, "{INDENT}... and {} more log lines", logs - MAX_LOGS)?;
    }
    for warning in invocation.warnings() {
        writeln!(out, "{INDENT}warning: {}", visible(&warning))?;
    }
    let lines: Vec<&str> = invocation.stderr.lines().collect();
    for line in lines.iter().take(MAX_STDERR_LINES) {
        writeln!(out, "{INDENT}stderr| {}", visible(line))?;
    }
    if lines.len() > MAX_STDERR_LINES {
        writeln!(out, "{INDENT}stderr| ... and {} more lines", lines.len() - MAX_STDERR_LINES)?;
    }
    Ok(())
}

/// `text` from a script made safe for a terminal: every control character (C0
/// with NUL, CR, ESC and tab; DEL; C1) and the Unicode line and paragraph
/// separators become visible escapes (`\x1b`, `\u{9b}`), so a script cannot move
/// the cursor, erase lines or hide text in the operator's trace. The JSON trace
/// keeps the exact text.
///
/// ```
/// assert_eq!(drmgr_sim::visible("acme\x1b[2Jhook\n"), "acme\\x1b[2Jhook\\x0a");
/// ```
pub fn visible(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !hidden(c) => shown.push(c),
            c if c.is_ascii() => write!(shown, "\\x{:02x}", u32::from(c)).expect("writing to a String cannot fail"),
            c => write!(shown, "\\u{{{:x}}}", u32::from(c)).expect("writing to a String cannot fail"),
        }
    }
    Cow::Owned(shown)
}

/// The table cell: `ok`, `n/s`, `veto(1)`, `fail(1)`, `timeout`, `SIGSEGV`, `not run`.
fn short_label(invocation: &Invocation) -> (String, Tone) {
    let (short, _, tone) = labels(invocation);
    (short, tone)
}

/// The result in words: `ok`, `not supported (exit 10)`, `vetoed (exit 1)`, …
fn long_label(invocation: &Invocation) -> (String, Tone) {
    let (_, long, tone) = labels(invocation);
    (long, tone)
}

/// The result as a table cell, in words, and its tone.
fn labels(invocation: &Invocation) -> (String, String, Tone) {
    let veto = invocation.phase() == Phase::Check;
    match (invocation.verdict(), &invocation.end) {
        (Verdict::Success, _) => ("ok".to_owned(), "ok".to_owned(), Tone::Good),
        (Verdict::NotSupported, _) => ("n/s".to_owned(), "not supported (exit 10)".to_owned(), Tone::Warn),
        (Verdict::Failed, End::Exited(code)) => {
            let (short, long) = if veto { ("veto", "vetoed") } else { ("fail", "failed") };
            (format!("{short}({code})"), format!("{long} (exit {code})"), Tone::Bad)
        }
        (Verdict::Failed, end) => {
            let short = match end {
                End::TimedOut { .. } => "timeout".to_owned(),
                End::Signalled(_) => end.signal_name().unwrap_or_default(),
                End::Exited(_) | End::NotStarted(_) => "not run".to_owned(),
            };
            (short, end.to_string(), Tone::Bad)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn terminal_controls_become_visible_escapes() {
        assert_eq!(visible("\x1b[1A\x1b[2Kok\0\r\t"), "\\x1b[1A\\x1b[2Kok\\x00\\x0d\\x09");
        assert_eq!(visible("a\u{9b}31m\u{85}\u{7f}\u{2028}\u{2029}"), "a\\u{9b}31m\\u{85}\\x7f\\u{2028}\\u{2029}");
        assert_eq!(visible("plain: é ü €"), "plain: é ü €");
    }
}
