//! The Live Update trace as text and as JSON.

use std::fmt::{self, Write};

use serde_json::{Value, json};

use super::{LiveUpdateTrace, LuPhase, PhaseRecord};
use crate::trace::json::env as env_json;
use crate::trace::json::invocation as invocation_json;
use crate::trace::text::{Rows, Tone, env_words, visible, write_outcome};
use crate::trace::{Style, Timings};

impl LiveUpdateTrace {
    /// The schema name and version written in every JSON document.
    pub const JSON_SCHEMA: &'static str = "drmgr-sim/liveupdate/2";

    /// The human trace in `style`.
    pub fn render(&self, style: Style) -> String {
        let mut out = String::new();
        self.write(&mut out, style).expect("writing to a String cannot fail");
        out
    }

    /// The deterministic human trace (no colour, no durations), for snapshot tests.
    pub fn render_snapshot(&self) -> String {
        self.render(Style::SNAPSHOT)
    }

    fn write(&self, out: &mut String, style: Style) -> fmt::Result {
        writeln!(out, "live update {}: {}", self.resource, env_words(&self.env))?;
        let scripts = if self.scripts.is_empty() { "none".to_owned() } else { self.scripts.join(", ") };
        writeln!(out, "scripts registered for {}: {scripts}", self.resource)?;
        let setting = match self.kext_check_setting {
            Some(true) => "kext_check = yes",
            Some(false) => "kext_check = no",
            None => "kext_check not set (the check runs)",
        };
        match &self.data_file {
            Some(file) => writeln!(out, "lvupdate.data: {}: {setting}", file.display())?,
            None => writeln!(out, "lvupdate.data: {setting}")?,
        }
        self.write_kexts(out)?;
        let rows = Rows::new(&self.invocations);
        for record in &self.phases {
            if record.phase == LuPhase::OrigPost {
                writeln!(out, "-- point of no return --")?;
            }
            writeln!(out, "{}", heading(record))?;
            for n in record.invocations.clone() {
                rows.write(out, style, n, &self.invocations[n])?;
            }
            self.write_system_part(out, style, record)?;
        }
        for note in &self.notes {
            writeln!(out, "note: {}", visible(note))?;
        }
        if let Some(file) = &self.log_file {
            writeln!(out, "log: {}", file.display())?;
        }
        write_outcome(out, style, self.outcome, self.reason.as_deref())
    }

    fn write_kexts(&self, out: &mut String) -> fmt::Result {
        let mode = self.kext_check.mode.as_str();
        if self.kext_check.kexts.is_empty() {
            return writeln!(out, "safe kernel-extension check ({mode}): no kernel extension loaded");
        }
        writeln!(out, "safe kernel-extension check ({mode}):")?;
        let width = self.kext_check.kexts.iter().map(|(k, _)| k.as_str().len()).max().unwrap_or(0);
        for (kext, safety) in &self.kext_check.kexts {
            writeln!(out, "     {:width$}  {}", kext.as_str(), safety.describe())?;
        }
        Ok(())
    }

    /// The kernel extensions' part of a kernel phase, or an injected failure.
    fn write_system_part(&self, out: &mut String, style: Style, record: &PhaseRecord) -> fmt::Result {
        let who = if record.phase.command().is_some() { "system" } else { "kernel extensions" };
        let result = match (record.injected, record.phase.is_checked()) {
            (false, _) if record.phase.command().is_some() => return Ok(()),
            (false, _) => style.paint(Tone::Good, "ok"),
            (true, true) => style.paint(Tone::Bad, &format!("failed (a simulated failure at {})", record.phase)),
            (true, false) => {
                style.paint(Tone::Warn, &format!("failed (a simulated failure at {}), not checked", record.phase))
            }
        };
        writeln!(out, "   -- {who}: {result}")
    }

    /// The trace as one JSON document:
    ///
    /// ```text
    /// { "schema": "drmgr-sim/liveupdate/2",
    ///   "resource", "env": { "DR_…": "…" }, "scripts": [ names in call order ],
    ///   "lvupdate_data": { "file" (path or null), "kext_check" (true, false or null) },
    ///   "kext_check": { "mode" ("enforced" | "preview" | "bypassed"),
    ///                   "kexts": [ { "path", "safety", "safe" } ] },
    ///   "phases": [ { "phase", "side" ("orig" | "surr"), "notification", "checked",
    ///                 "command" (or null), "injected", "stopped",
    ///                 "invocations": [ as in drmgr-sim/trace/2 ] } ],
    ///   "outcome": "success" | "vetoed" | "failed", "reason" (or null),
    ///   "log_file" (or null), "notes": [ … ] }
    /// ```
    ///
    /// With [`Timings::Hidden`] every `duration_us` is 0, for snapshots.
    pub fn to_json(&self, timings: Timings) -> Value {
        let kexts: Vec<Value> = self
            .kext_check
            .kexts
            .iter()
            .map(|(kext, safety)| json!({ "path": kext.as_str(), "safety": safety.as_str(), "safe": safety.is_safe() }))
            .collect();
        let phases: Vec<Value> = self
            .phases
            .iter()
            .map(|record| {
                let invocations: Vec<Value> =
                    self.invocations[record.invocations.clone()].iter().map(|i| invocation_json(i, timings)).collect();
                json!({
                    "phase": record.phase.as_str(),
                    "side": record.phase.side().as_str(),
                    "notification": record.phase.notification(),
                    "checked": record.phase.is_checked(),
                    "command": record.phase.command().map(|c| c.as_str()),
                    "injected": record.injected,
                    "stopped": record.stopped,
                    "invocations": invocations,
                })
            })
            .collect();
        json!({
            "schema": LiveUpdateTrace::JSON_SCHEMA,
            "resource": self.resource.as_str(),
            "env": env_json(&self.env),
            "scripts": self.scripts,
            "lvupdate_data": { "file": self.data_file, "kext_check": self.kext_check_setting },
            "kext_check": { "mode": self.kext_check.mode.as_str(), "kexts": kexts },
            "phases": phases,
            "outcome": self.outcome.as_str(),
            "reason": self.reason,
            "log_file": self.log_file,
            "notes": self.notes,
        })
    }
}

/// `orig-check: DR_CHECK on the original (checkmigrate), return code checked`.
fn heading(record: &PhaseRecord) -> String {
    let phase = record.phase;
    let side = phase.side().describe();
    let command = phase.command().map_or_else(|| " (kernel extensions)".to_owned(), |c| format!(" ({c})"));
    let rule = match phase {
        LuPhase::PostError(_) => ", for the scripts whose premigrate succeeded",
        _ if phase.is_checked() => ", return code checked",
        _ => ", return code not checked",
    };
    format!("{phase}: {} on {side}{command}{rule}", phase.notification())
}
