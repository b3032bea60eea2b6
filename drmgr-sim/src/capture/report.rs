//! A comparison in words (points with the same values grouped, mismatches in full)
//! and as one JSON document.

use std::fmt::{self, Write};

use serde_json::{Value, json};

use super::point::{Agreement, Point};
use super::{Compared, Comparison};
use crate::trace::text::visible;

/// The longest value shown on a matching point's line.
const SHORT: usize = 100;

impl Comparison {
    /// The schema name and version of [`Comparison::to_json`].
    pub const JSON_SCHEMA: &'static str = "drmgr-sim/compare/1";

    /// The comparison in words: per operation, one line per group of points that
    /// agree alike with the same values; a mismatch shows both values and the rule
    /// it touches, a point not comparable says why.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out).expect("writing to a String cannot fail");
        out
    }

    fn write(&self, out: &mut String) -> fmt::Result {
        writeln!(
            out,
            "compare {}: {} operation(s), {} points: {} match, {} mismatch, {} not comparable",
            self.source,
            self.operations.len(),
            self.points().count(),
            self.count(Agreement::Match),
            self.count(Agreement::Mismatch),
            self.count(Agreement::NotComparable)
        )?;
        for (n, op) in self.operations.iter().enumerate() {
            writeln!(out)?;
            write_operation(out, n + 1, op)?;
        }
        if !self.unplaced.is_empty() {
            writeln!(out)?;
        }
        for (invocation, why) in &self.unplaced {
            writeln!(out, "not compared: {}: {}", visible(invocation), visible(why))?;
        }
        let result = match self.count(Agreement::Mismatch) {
            0 => "result: drmgr-sim agrees with the capture".to_owned(),
            n => format!("result: MISMATCH at {n} point(s)"),
        };
        writeln!(out, "\n{result}")
    }

    /// The comparison as JSON (one element of [`to_json`]'s `captures`):
    ///
    /// ```text
    /// { "source": "capture.jsonl",
    ///   "operations": [ { "host": "aix" | "hook", "operation": "remove cpu: DR_BCPUID=3 …",
    ///                     "assumed": [ … ],
    ///                     "points": [ { "aspect", "invocation" (null for the operation),
    ///                                   "result": "match" | "mismatch" | "not_comparable",
    ///                                   "capture", "drmgr_sim",
    ///                                   "rule": null or { "section", "text" }, "reason" } ] } ],
    ///   "unplaced": [ { "invocation", "reason" } ],
    ///   "summary": { "match", "mismatch", "not_comparable" } }
    /// ```
    pub fn to_json(&self) -> Value {
        let operations: Vec<Value> = self
            .operations
            .iter()
            .map(|op| {
                json!({
                    "host": op.host,
                    "operation": op.operation,
                    "assumed": op.assumed,
                    "points": op.points.iter().map(point_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "source": self.source,
            "operations": operations,
            "unplaced": self.unplaced.iter().map(|(i, r)| json!({ "invocation": i, "reason": r })).collect::<Vec<_>>(),
            "summary": {
                "match": self.count(Agreement::Match),
                "mismatch": self.count(Agreement::Mismatch),
                "not_comparable": self.count(Agreement::NotComparable),
            },
        })
    }
}

/// Several comparisons as one document, `{ "schema": "drmgr-sim/compare/1", "captures": [ … ] }`.
///
/// ```
/// let document = drmgr_sim::capture::to_json(&[]);
/// assert_eq!(document["schema"], "drmgr-sim/compare/1");
/// ```
pub fn to_json(comparisons: &[Comparison]) -> Value {
    json!({
        "schema": Comparison::JSON_SCHEMA,
        "captures": comparisons.iter().map(Comparison::to_json).collect::<Vec<_>>(),
    })
}

fn point_json(point: &Point) -> Value {
    json!({
        "aspect": point.aspect.as_str(),
        "invocation": point.invocation,
        "result": point.agreement.as_str().replace(' ', "_"),
        "capture": point.capture,
        "drmgr_sim": point.simulated,
        "rule": point.rule.map(|r| json!({ "section": r.section, "text": r.text })),
        "reason": point.reason,
    })
}

/// Points that agree alike with the same values, in order of first appearance.
fn groups(points: &[Point]) -> Vec<Vec<&Point>> {
    let mut groups: Vec<Vec<&Point>> = Vec::new();
    for point in points {
        let same = |g: &&mut Vec<&Point>| {
            let first = g[0];
            (first.aspect, first.agreement, &first.capture, &first.simulated)
                == (point.aspect, point.agreement, &point.capture, &point.simulated)
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(group) => group.push(point),
            None => groups.push(vec![point]),
        }
    }
    groups
}

fn write_operation(out: &mut String, n: usize, op: &Compared) -> fmt::Result {
    writeln!(out, "{n}. {} {}", op.host, visible(&op.operation))?;
    for assumed in &op.assumed {
        writeln!(out, "   assumed: {assumed}")?;
    }
    const INDENT: &str = "                    ";
    for group in groups(&op.points) {
        let first = group[0];
        let invocations: Vec<&str> = group.iter().filter_map(|p| p.invocation.as_deref()).collect();
        let scope = match invocations.as_slice() {
            [] => String::new(),
            [one] => format!(" ({one})"),
            many => format!(" ({} invocations: {}, …)", many.len(), many[0]),
        };
        let head = format!("   {:<15} {}{}", first.agreement.as_str(), first.aspect, visible(&scope));
        match first.agreement {
            Agreement::Match => writeln!(out, "{head}: {}", visible(&short(&first.capture)))?,
            Agreement::Mismatch => {
                writeln!(out, "{head}")?;
                writeln!(out, "{INDENT}capture:   {}", visible(&first.capture))?;
                writeln!(out, "{INDENT}drmgr-sim: {}", visible(&first.simulated))?;
                if let Some(rule) = first.rule {
                    writeln!(out, "{INDENT}rule:      {rule}")?;
                }
            }
            Agreement::NotComparable => {
                writeln!(out, "{head}: {}", first.reason.as_deref().unwrap_or_default())?;
                writeln!(out, "{INDENT}capture:   {}", visible(&short(&first.capture)))?;
                writeln!(out, "{INDENT}drmgr-sim: {}", visible(&short(&first.simulated)))?;
            }
        }
    }
    Ok(())
}

/// `text`, cut to [`SHORT`] characters with `…`.
fn short(text: &str) -> String {
    match text.char_indices().nth(SHORT) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
