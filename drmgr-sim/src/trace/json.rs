//! The `--json` document. Its shape is a contract (snapshot-tested): version it in
//! `schema` when it changes.

use serde_json::{Value, json};

use super::{Invocation, Timings, Trace};
use crate::runner::End;

impl Trace {
    /// The schema name and version written in every document. Version 2 replaced
    /// version 1's whole-millisecond `duration_ms` with `duration_us`.
    pub const JSON_SCHEMA: &'static str = "drmgr-sim/trace/2";

    /// The trace as one JSON document:
    ///
    /// ```text
    /// { "schema": "drmgr-sim/trace/2",
    ///   "operation": { "family", "resource", "force", "fail_kernel", "env": { "DR_…": "…" } },
    ///   "scripts": [ names in call order ],
    ///   "invocations": [ { "script", "command", "phase", "resource",
    ///                      "exit" (number or null), "signal" (name or null),
    ///                      "timeout" (null or { "limit_ms", "killed" }),
    ///                      "not_started" (null or the reason),
    ///                      "result" ("success" | "not_supported" | "failed"),
    ///                      "duration_us", "error" (DR_ERROR or null),
    ///                      "logs": [ { "level", "text" } ], "warnings": [ … ], "stderr" } ],
    ///   "kernel": { "result" ("succeeded" | "failed" | "not_reached"), "after" (number or null) },
    ///   "outcome": "success" | "vetoed" | "failed",
    ///   "reason": null or text, "notes": [ … ] }
    /// ```
    ///
    /// The fields:
    ///
    /// * `operation`: the family (`remove`, `add`, `migrate`, …), the resource word
    ///   passed as argv\[2\], whether FORCE was set, whether the kernel step was made
    ///   to fail, and the `DR_*` variables of the check and pre commands.
    /// * `scripts`: the scripts registered for the resource, in call order.
    /// * each invocation: the script's name; the command word; its phase (`check`,
    ///   `pre`, `post`, `undo`); the resource word (or null); the exit code, or the
    ///   name of the signal that ended it; `timeout` when it was ended at its time
    ///   limit (the limit in milliseconds, and whether SIGKILL was needed after
    ///   SIGTERM); `not_started` when it could not be started; `result`, as the
    ///   phase counts it; `duration_us`, its wall-clock time in microseconds;
    ///   `error`, its `DR_ERROR` messages joined with `"; "`; `logs`, its `DR_LOG_*`
    ///   lines in order with their syslog level name; `warnings`, protocol
    ///   oddities and drmgr-sim's notes; `stderr`, what it wrote there (capped).
    /// * `kernel.result`: the simulated kernel step; `kernel.after`: how many
    ///   invocations ran before it (the index in `invocations` of the first one
    ///   after it), null when it was not reached.
    /// * `outcome` and `reason`: how the operation ended and why, if it did not
    ///   succeed; `notes`: what drmgr-sim did on the way (a skipped check, an
    ///   ignored failure).
    ///
    /// With [`Timings::Hidden`] every `duration_us` is 0, for snapshots.
    pub fn to_json(&self, timings: Timings) -> Value {
        json!({
            "schema": Trace::JSON_SCHEMA,
            "operation": {
                "family": self.family.as_str(),
                "resource": self.resource.as_str(),
                "force": self.force,
                "fail_kernel": self.fail_kernel,
                "env": env(&self.env),
            },
            "scripts": self.scripts,
            "invocations": self.invocations.iter().map(|i| invocation(i, timings)).collect::<Vec<_>>(),
            "kernel": { "result": self.kernel.as_str(), "after": self.kernel.after() },
            "outcome": self.outcome.as_str(),
            "reason": self.reason,
            "notes": self.notes,
        })
    }
}

/// The `DR_*` variables as a JSON object, `{ "DR_…": "…" }`.
pub(crate) fn env(env: &[(String, String)]) -> Value {
    Value::Object(env.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect())
}

/// How a program ended, as the `exit`, `signal`, `timeout` and `not_started` fields.
pub(crate) fn end_fields(end: &End) -> serde_json::Map<String, Value> {
    let timeout = match end {
        End::TimedOut { limit, killed } => json!({ "limit_ms": limit.as_millis() as u64, "killed": killed }),
        _ => Value::Null,
    };
    let not_started = match end {
        End::NotStarted(reason) => Value::String(reason.clone()),
        _ => Value::Null,
    };
    let fields = [
        ("exit", json!(end.exit_code())),
        ("signal", json!(end.signal_name())),
        ("timeout", timeout),
        ("not_started", not_started),
    ];
    fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// One invocation, as the `invocations` entries of both schemas show it.
pub(crate) fn invocation(invocation: &Invocation, timings: Timings) -> Value {
    let end = end_fields(&invocation.end);
    let duration_us = match timings {
        Timings::Shown => u64::try_from(invocation.duration.as_micros()).unwrap_or(u64::MAX),
        Timings::Hidden => 0,
    };
    let logs: Vec<Value> =
        invocation.logs().map(|(level, text)| json!({ "level": level.syslog_name(), "text": text })).collect();
    json!({
        "script": invocation.script,
        "command": invocation.command.as_str(),
        "phase": invocation.phase().to_string(),
        "resource": invocation.resource.as_ref().map(|r| r.as_str()),
        "exit": end["exit"],
        "signal": end["signal"],
        "timeout": end["timeout"],
        "not_started": end["not_started"],
        "result": invocation.verdict().as_str(),
        "duration_us": duration_us,
        "error": invocation.error(),
        "logs": logs,
        "warnings": invocation.warnings(),
        "stderr": invocation.stderr,
    })
}
