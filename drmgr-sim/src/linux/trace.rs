//! What a hook run did: every hook run in order, the host's own steps between
//! them, the outcome. Rendered like the `run` trace: a hook × phase table, every
//! run numbered with what it wrote, the outcome last; or one JSON document.

use std::fmt::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use dlpar_script::hook::{DrcType, HookAction, HookPhase};
use serde_json::{Value, json};

use super::discover::Listing;
use super::{LinuxOp, PowerpcUtils};
use crate::runner::{End, Ran, timed_out};
use crate::trace::json::{end_fields, env as env_json};
use crate::trace::text::{Tone, env_words, render_with, visible, write_grid, write_outcome};
use crate::trace::{Outcome, Style, Timings};

/// Output lines shown per stream of one run; the rest are counted (the JSON has them all).
const MAX_LINES: usize = 10;

/// One run of one hook.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HookRun {
    /// The hook's file name.
    pub hook: String,
    /// `PHASE`.
    pub phase: HookPhase,
    /// The hook variables it got, in the order set.
    pub env: Vec<(String, String)>,
    /// How it ended.
    pub end: End,
    /// Wall-clock time.
    pub duration: Duration,
    /// What it wrote to stdout (bounded, lossily UTF-8).
    pub stdout: String,
    /// What it wrote to stderr (bounded, lossily UTF-8).
    pub stderr: String,
    /// What drmgr-sim noticed: output cut, pipes left open.
    pub notes: Vec<String>,
}

impl HookRun {
    pub(crate) fn new(hook: &str, phase: HookPhase, env: Vec<(String, String)>, ran: Ran) -> HookRun {
        let Ran { end, duration, stdout, stderr, notes } = ran;
        HookRun { hook: hook.to_owned(), phase, env, end, duration, stdout, stderr, notes }
    }

    /// How it ended, in words: `exit 1`, `killed by SIGSEGV`, `timed out after
    /// 1 s (SIGTERM sent to the hook)`.
    pub fn how(&self) -> String {
        match self.end {
            End::TimedOut { limit, killed } => timed_out(limit, killed, "the hook"),
            _ => self.end.to_string(),
        }
    }

    /// Whether powerpc-utils counts it as failed: anything but exit 0 (a signal counts as 1).
    pub fn failed(&self) -> bool {
        self.end != End::Exited(0)
    }

    /// The run as a `steps` entry of [`HookTrace::to_json`].
    pub(crate) fn to_json(&self, timings: Timings) -> Value {
        let mut value = json!({
            "kind": "hook",
            "hook": self.hook,
            "phase": self.phase.as_str(),
            "env": env_json(&self.env),
            "result": if self.failed() { "failed" } else { "success" },
            "duration_ms": match timings { Timings::Shown => self.duration.as_millis() as u64, Timings::Hidden => 0 },
            "stdout": self.stdout,
            "stderr": self.stderr,
            "notes": self.notes,
        });
        if let Value::Object(map) = &mut value {
            map.extend(end_fields(&self.end));
        }
        value
    }
}

/// One step of an operation, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A hook ran.
    Hook(HookRun),
    /// The host did something between the phases (the migration, the kernel step).
    Host {
        /// What, in words.
        what: String,
        /// Whether it went well.
        ok: bool,
    },
}

/// The record of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HookTrace {
    /// The release simulated.
    pub version: PowerpcUtils,
    /// The operation.
    pub op: LinuxOp,
    /// `DRC_TYPE`.
    pub drc_type: DrcType,
    /// `ACTION` (not passed by 1.3.11, shown anyway).
    pub action: HookAction,
    /// The type directory.
    pub dir: PathBuf,
    /// What it held.
    pub listing: Listing,
    /// Every step, in order.
    pub steps: Vec<Step>,
    /// How the operation ended.
    pub outcome: Outcome,
    /// Why it was vetoed or failed.
    pub reason: Option<String>,
    /// Failures reported and ignored, missing directories.
    pub notes: Vec<String>,
    /// Whether the hooks' stdout and stderr were captured ([`Hooks::capture`](super::Hooks::capture));
    /// otherwise they went to drmgr-sim's own.
    pub captured: bool,
    /// The `DLPAR_STATE_DIR` drmgr-sim added to every hook's environment, if any.
    pub state_dir: Option<PathBuf>,
}

impl HookTrace {
    pub(super) fn new(version: PowerpcUtils, op: LinuxOp, dir: PathBuf, listing: Listing) -> HookTrace {
        let mut notes = Vec::new();
        match &listing {
            Listing::Missing => notes.push(format!("no hooks found: {} does not exist", dir.display())),
            Listing::Unreadable(e) => notes.push(format!("no hooks found: {} cannot be read: {e}", dir.display())),
            Listing::Entries(_) if listing.runnable().is_empty() => {
                notes.push(format!("no hooks found: nothing in {} would run", dir.display()))
            }
            Listing::Entries(_) => {}
        }
        HookTrace {
            version,
            op,
            drc_type: op.drc_type(),
            action: op.action(),
            dir,
            listing,
            steps: Vec::new(),
            outcome: Outcome::Success,
            reason: None,
            notes,
            captured: false,
            state_dir: None,
        }
    }

    pub(super) fn finish(&mut self, outcome: Outcome, reason: String) {
        self.outcome = outcome;
        self.reason = Some(reason);
    }

    /// The hook runs, in order.
    pub fn runs(&self) -> impl Iterator<Item = &HookRun> {
        self.steps.iter().filter_map(|s| match s {
            Step::Hook(run) => Some(run),
            Step::Host { .. } => None,
        })
    }

    /// The hooks that run, in order.
    pub fn hooks(&self) -> Vec<&str> {
        self.listing.runnable().into_iter().map(|e| e.name.as_str()).collect()
    }

    /// The operation in words: `migrate`, `cpu add --count 2`.
    pub fn operation(&self) -> String {
        match self.op {
            LinuxOp::Migrate { .. } => "migrate".to_owned(),
            LinuxOp::Cpu { count, .. } => format!("cpu {} --count {count}", self.action),
        }
    }

    fn phases(&self) -> &'static [HookPhase] {
        match self.op {
            LinuxOp::Migrate { .. } => &[HookPhase::Check, HookPhase::Undocheck, HookPhase::Pre, HookPhase::Post],
            LinuxOp::Cpu { .. } => &[HookPhase::Pre, HookPhase::Post],
        }
    }

    /// The human trace in `style`.
    pub fn render(&self, style: Style) -> String {
        render_with(style, |out, style| self.write(out, style))
    }

    /// The deterministic human trace (no colour, no durations), for snapshot tests.
    pub fn render_snapshot(&self) -> String {
        self.render(Style::SNAPSHOT)
    }

    fn write(&self, out: &mut String, style: Style) -> fmt::Result {
        writeln!(
            out,
            "linux {} (powerpc-utils {}): DRC_TYPE={} ACTION={}",
            self.operation(),
            self.version,
            self.drc_type,
            self.action
        )?;
        // Names come from the directory and may hold anything: shown, never obeyed.
        let hooks: Vec<String> = self.hooks().into_iter().map(|h| visible(h).into_owned()).collect();
        let shown = if hooks.is_empty() { "none".to_owned() } else { hooks.join(", ") };
        writeln!(out, "hooks in {}: {shown}", visible(&self.dir.display().to_string()))?;
        if let Listing::Entries(entries) = &self.listing {
            for entry in entries {
                if let Some(skip) = &entry.skipped {
                    writeln!(out, "skipped {}: {skip}", visible(&entry.name))?;
                }
            }
        }
        if !self.captured {
            writeln!(out, "output: the hooks wrote to drmgr-sim's own stdout and stderr, as to drmgr's")?;
        }
        if let Some(dir) = &self.state_dir {
            writeln!(
                out,
                "state: every hook also got DLPAR_STATE_DIR={} (a simulator addition)",
                visible(&dir.display().to_string())
            )?;
        }
        if !hooks.is_empty() {
            writeln!(out)?;
            self.write_table(out, style, &hooks)?;
        }
        writeln!(out)?;
        let runs: Vec<&HookRun> = self.runs().collect();
        let phase_width = runs.iter().map(|r| r.phase.as_str().len()).max().unwrap_or(0);
        let hook_width = runs.iter().map(|r| visible(&r.hook).chars().count()).max().unwrap_or(0);
        let mut n = 0;
        for step in &self.steps {
            match step {
                Step::Hook(run) => {
                    n += 1;
                    write_run(out, style, n, run, (phase_width, hook_width))?;
                }
                Step::Host { what, ok } => {
                    writeln!(out, "   -- {}", style.paint(if *ok { Tone::Good } else { Tone::Warn }, what))?;
                }
            }
        }
        for note in &self.notes {
            writeln!(out, "note: {note}")?;
        }
        write_outcome(out, style, self.outcome, self.reason.as_deref())
    }

    /// One row per hook, one column per phase; a phase run several times shows
    /// each result.
    fn write_table(&self, out: &mut String, style: Style, shown: &[String]) -> fmt::Result {
        let columns = self.phases();
        let hooks = self.hooks();
        let cells: Vec<Vec<(String, Tone)>> = hooks
            .iter()
            .map(|hook| {
                columns
                    .iter()
                    .map(|phase| {
                        let runs: Vec<_> = self.runs().filter(|r| r.hook == *hook && r.phase == *phase).collect();
                        let tone = if runs.iter().any(|r| r.failed()) { Tone::Bad } else { Tone::Good };
                        let text: Vec<String> = runs.iter().map(|r| label(r).0).collect();
                        (if text.is_empty() { "-".to_owned() } else { text.join(",") }, tone)
                    })
                    .collect()
            })
            .collect();
        let headers: Vec<&str> = columns.iter().map(|p| p.as_str()).collect();
        let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
        write_grid(out, style, ("hook", &headers), &shown, &cells)
    }

    /// The schema name and version of [`HookTrace::to_json`].
    pub const JSON_SCHEMA: &'static str = "drmgr-sim/linux-trace/1";

    /// The trace as one JSON document:
    ///
    /// ```text
    /// { "schema": "drmgr-sim/linux-trace/1", "powerpc_utils": "1.3.12",
    ///   "operation": { "drc_type", "action", "count" (cpu) , "fail", "not_suspendable" (pmig) },
    ///   "hooks_dir", "directory": "read" | "missing" | "unreadable",
    ///   "hooks": [ names in run order ], "skipped": [ { "name", "reason" } ],
    ///   "output": "inherited" | "captured" ("stdout"/"stderr" below are empty
    ///             unless captured), "state_dir": the added DLPAR_STATE_DIR or null,
    ///   "steps": [ { "kind": "hook", "hook", "phase", "env": { … }, "exit", "signal",
    ///                "timeout" (null or { "limit_ms", "killed" }), "not_started",
    ///                "result" ("success" | "failed"), "duration_ms", "stdout", "stderr", "notes" }
    ///            | { "kind": "host", "what", "ok" } ],
    ///   "outcome": "success" | "vetoed" | "failed", "reason", "notes": [ … ] }
    /// ```
    ///
    /// With [`Timings::Hidden`] every `duration_ms` is 0, for snapshots.
    pub fn to_json(&self, timings: Timings) -> Value {
        let operation = match self.op {
            LinuxOp::Migrate { fail, not_suspendable } => json!({
                "drc_type": self.drc_type.as_str(), "action": self.action.as_str(),
                "fail": fail, "not_suspendable": not_suspendable,
            }),
            LinuxOp::Cpu { count, fail_kernel, .. } => json!({
                "drc_type": self.drc_type.as_str(), "action": self.action.as_str(),
                "count": count, "fail": fail_kernel,
            }),
        };
        let (directory, skipped) = match &self.listing {
            Listing::Missing => ("missing", Vec::new()),
            Listing::Unreadable(_) => ("unreadable", Vec::new()),
            Listing::Entries(entries) => (
                "read",
                entries
                    .iter()
                    .filter_map(|e| e.skipped.as_ref().map(|s| json!({ "name": e.name, "reason": s.to_string() })))
                    .collect(),
            ),
        };
        let steps: Vec<Value> = self
            .steps
            .iter()
            .map(|step| match step {
                Step::Host { what, ok } => json!({ "kind": "host", "what": what, "ok": ok }),
                Step::Hook(run) => run.to_json(timings),
            })
            .collect();
        json!({
            "schema": HookTrace::JSON_SCHEMA,
            "powerpc_utils": self.version.as_str(),
            "operation": operation,
            "hooks_dir": self.dir.display().to_string(),
            "directory": directory,
            "hooks": self.hooks(),
            "skipped": skipped,
            "output": if self.captured { "captured" } else { "inherited" },
            "state_dir": self.state_dir,
            "steps": steps,
            "outcome": self.outcome.as_str(),
            "reason": self.reason,
            "notes": self.notes,
        })
    }
}

/// The table cell, the result in words, and its tone.
fn label(run: &HookRun) -> (String, String, Tone) {
    match &run.end {
        End::Exited(0) => ("ok".to_owned(), "ok".to_owned(), Tone::Good),
        End::Exited(code) => (format!("fail({code})"), format!("failed (exit {code})"), Tone::Bad),
        End::TimedOut { .. } => ("timeout".to_owned(), run.how(), Tone::Bad),
        End::Signalled(_) => (run.end.signal_name().unwrap_or_default(), run.end.to_string(), Tone::Bad),
        End::NotStarted(_) => ("not run".to_owned(), run.end.to_string(), Tone::Bad),
    }
}

/// `  3. check  10-guard  failed (exit 1)  (2.1 ms)`, the columns `widths` wide,
/// then the run's details.
pub(crate) fn write_run(
    out: &mut String,
    style: Style,
    n: usize,
    run: &HookRun,
    (phase_width, hook_width): (usize, usize),
) -> fmt::Result {
    let (_, long, tone) = label(run);
    let hook = visible(&run.hook);
    write!(out, "{n:>3}. {:phase_width$}  {hook:hook_width$}  {}", run.phase.as_str(), style.paint(tone, &long))?;
    match style.duration(run.duration) {
        Some(d) => writeln!(out, "  ({d})")?,
        None => writeln!(out)?,
    }
    write_details(out, run)
}

/// The variables, what the hook wrote and drmgr-sim's notes, indented.
fn write_details(out: &mut String, run: &HookRun) -> fmt::Result {
    const INDENT: &str = "       ";
    writeln!(out, "{INDENT}env: {}", env_words(&run.env))?;
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        let lines: Vec<&str> = text.lines().collect();
        for line in lines.iter().take(MAX_LINES) {
            writeln!(out, "{INDENT}{stream}| {}", visible(line))?;
        }
        if lines.len() > MAX_LINES {
            writeln!(out, "{INDENT}{stream}| ... and {} more lines", lines.len() - MAX_LINES)?;
        }
    }
    for note in &run.notes {
        writeln!(out, "{INDENT}warning: {note}")?;
    }
    Ok(())
}
