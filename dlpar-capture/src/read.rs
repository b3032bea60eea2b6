//! Reading capture files: every line checked, and a clear error naming the line for
//! input that is truncated, from a newer schema, or not a capture at all.
//!
//! ```
//! use dlpar_capture::read::{Capture, ReadProblem};
//!
//! let error = Capture::parse("notes.txt", "hello\n").unwrap_err();
//! assert_eq!(error.line, 1);
//! assert!(matches!(error.problem, ReadProblem::Foreign(_)));
//! assert_eq!(error.to_string(), "notes.txt line 1: not a dlpar-capture record (not JSON: expected value at line 1 column 1)");
//! ```

use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::record::{End, Invocation, Line, Record, SCHEMA, SCHEMA_NAME, SCHEMA_VERSION, SignalArrival};

/// The largest capture file read, in bytes (twice the script's default cap, so a
/// file and its rotated generation concatenated still fit).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A capture file, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// Its lines, in file order.
    pub lines: Vec<Line>,
}

/// Why a capture could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The file (or the name the caller gave the text).
    pub source_name: String,
    /// The 1-based line; 0 for the file as a whole.
    pub line: usize,
    /// What is wrong.
    pub problem: ReadProblem,
}

/// What is wrong with a capture.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadProblem {
    /// The file could not be read.
    Io(String),
    /// The file holds no record.
    Empty,
    /// The line is not a record of any `dlpar-capture` schema.
    Foreign(String),
    /// The line is from a newer schema than this reader knows.
    Newer(String),
    /// The line was cut short: the script was stopped mid-write or the file was cut.
    Truncated,
    /// The line claims this schema but does not follow it.
    Invalid(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: ", self.source_name)?;
        } else {
            write!(f, "{} line {}: ", self.source_name, self.line)?;
        }
        match &self.problem {
            ReadProblem::Io(why) => write!(f, "cannot read the capture: {why}"),
            ReadProblem::Empty => f.write_str("no records: not a capture, or nothing was recorded yet"),
            ReadProblem::Foreign(why) => write!(f, "not a dlpar-capture record ({why})"),
            ReadProblem::Newer(schema) => {
                write!(f, "schema {schema} is newer than this reader's {SCHEMA}: use a newer dlpar-capture / drmgr-sim")
            }
            ReadProblem::Truncated => {
                f.write_str("the record is cut short (the file was truncated or a write was interrupted)")
            }
            ReadProblem::Invalid(why) => write!(f, "not a valid {SCHEMA} record: {why}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// One invocation's lines, gathered by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run<'a> {
    /// The invocation id.
    pub id: &'a str,
    /// The invocation record.
    pub invocation: &'a Invocation,
    /// The signals that arrived, in order.
    pub signals: Vec<&'a SignalArrival>,
    /// The end record; `None` if the script was killed (or is still running).
    pub end: Option<&'a End>,
}

impl Capture {
    /// Reads and checks the capture file at `path` (at most [`MAX_FILE_BYTES`]).
    ///
    /// ```
    /// let error = dlpar_capture::read::Capture::read_file("/nonexistent/capture.jsonl").unwrap_err();
    /// assert_eq!(error.line, 0);
    /// ```
    pub fn read_file(path: impl AsRef<Path>) -> Result<Capture, ReadError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let whole = |problem| ReadError { source_name: name.clone(), line: 0, problem };
        let bytes = read_capped(path).map_err(|e| whole(ReadProblem::Io(e)))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
            ReadError { source_name: name.clone(), line, problem: ReadProblem::Foreign("not UTF-8 text".into()) }
        })?;
        Capture::parse(&name, &text)
    }

    /// Checks every line of `text`; `source_name` names it in errors.
    ///
    /// ```
    /// use dlpar_capture::read::{Capture, ReadProblem};
    /// let newer = r#"{"schema":"dlpar-capture/2","id":"1","kind":"end"}"#;
    /// let error = Capture::parse("c.jsonl", &format!("{newer}\n")).unwrap_err();
    /// assert_eq!(error.problem, ReadProblem::Newer("dlpar-capture/2".into()));
    /// ```
    pub fn parse(source_name: &str, text: &str) -> Result<Capture, ReadError> {
        let error = |line, problem| ReadError { source_name: source_name.to_owned(), line, problem };
        let mut lines = Vec::new();
        let mut rest = text;
        let mut number = 0;
        while !rest.is_empty() {
            number += 1;
            let (line, complete) = match rest.split_once('\n') {
                Some((line, after)) => {
                    rest = after;
                    (line, true)
                }
                None => (std::mem::take(&mut rest), false),
            };
            if line.trim().is_empty() && complete {
                continue;
            }
            let parsed = parse_line(line).map_err(|problem| error(number, problem))?;
            if !complete {
                // The writer ends every record with a newline in the same write.
                return Err(error(number, ReadProblem::Truncated));
            }
            lines.push(parsed);
        }
        if lines.is_empty() {
            return Err(error(0, ReadProblem::Empty));
        }
        Ok(Capture { lines })
    }

    /// The invocations, in the order their invocation records appear; signal and
    /// end lines without an invocation record are not part of any run.
    ///
    /// ```
    /// use dlpar_capture::read::Capture;
    /// let text = concat!(
    ///     r#"{"schema":"dlpar-capture/1","id":"a","kind":"end","at":{"monotonic_ns":1,"wall_ns":1},"answered_by":"capture","exit_status":0}"#,
    ///     "\n"
    /// );
    /// assert!(Capture::parse("c", text).unwrap().runs().is_empty());
    /// ```
    pub fn runs(&self) -> Vec<Run<'_>> {
        self.lines
            .iter()
            .filter_map(|line| match &line.record {
                Record::Invocation(invocation) => Some((line.id.as_str(), invocation.as_ref())),
                _ => None,
            })
            .map(|(id, invocation)| {
                let mut run = Run { id, invocation, signals: Vec::new(), end: None };
                for line in self.lines.iter().filter(|l| l.id == id) {
                    match &line.record {
                        Record::Signal(signal) => run.signals.push(signal),
                        Record::End(end) if run.end.is_none() => run.end = Some(end),
                        _ => {}
                    }
                }
                run
            })
            .collect()
    }
}

fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("larger than {MAX_FILE_BYTES} bytes"));
    }
    Ok(bytes)
}

/// One line: JSON, of our schema, of a version we read, then the record itself.
fn parse_line(line: &str) -> Result<Line, ReadProblem> {
    let value: Value = match serde_json::from_str(line) {
        Ok(value) => value,
        Err(e) if e.is_eof() => return Err(ReadProblem::Truncated),
        Err(e) => return Err(ReadProblem::Foreign(format!("not JSON: {e}"))),
    };
    let schema = match value.get("schema") {
        Some(Value::String(schema)) => schema.clone(),
        Some(_) => return Err(ReadProblem::Foreign("its `schema` is not a string".into())),
        None => return Err(ReadProblem::Foreign("no `schema` field".into())),
    };
    let Some(version) = schema.strip_prefix(SCHEMA_NAME) else {
        return Err(ReadProblem::Foreign(format!("schema {schema:?}")));
    };
    match version.parse::<u32>() {
        Ok(v) if v == SCHEMA_VERSION => {}
        Ok(v) if v > SCHEMA_VERSION => return Err(ReadProblem::Newer(schema)),
        _ => return Err(ReadProblem::Foreign(format!("schema {schema:?}"))),
    }
    serde_json::from_value(value).map_err(|e| ReadProblem::Invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{AnsweredBy, Stamp};

    fn end_line(id: &str) -> String {
        let end = End { at: Stamp::default(), answered_by: AnsweredBy::Capture, exit_status: 0, printed: vec![] };
        serde_json::to_string(&Line::new(id, Record::End(end))).unwrap()
    }

    fn invocation_line(id: &str) -> String {
        serde_json::to_string(&Line::new(id, Record::Invocation(Box::default()))).unwrap()
    }

    fn problem(text: &str) -> (usize, ReadProblem) {
        let e = Capture::parse("c", text).unwrap_err();
        (e.line, e.problem)
    }

    #[test]
    fn an_invocation_round_trips_and_runs_gather_by_id() {
        let signal = serde_json::to_string(&Line::new(
            "a",
            Record::Signal(SignalArrival { signal: "SIGTERM".into(), number: 15, ..Default::default() }),
        ))
        .unwrap();
        let text = [invocation_line("a"), invocation_line("b"), signal, end_line("b"), end_line("a")].join("\n") + "\n";
        let capture = Capture::parse("c", &text).unwrap();
        let runs = capture.runs();
        assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(runs[0].signals.len(), 1);
        assert!(runs[0].end.is_some() && runs[1].end.is_some());
        assert_eq!(runs[1].signals.len(), 0);
    }

    #[test]
    fn a_last_line_without_newline_is_truncated_even_if_it_parses() {
        let text = format!("{}\n{}", end_line("a"), end_line("b"));
        assert_eq!(problem(&text), (2, ReadProblem::Truncated));
        let cut = format!("{}\n{}\n", end_line("a"), &end_line("b")[..40]);
        assert_eq!(problem(&cut), (2, ReadProblem::Truncated));
    }

    #[test]
    fn foreign_and_newer_input_name_the_line() {
        assert_eq!(problem(""), (0, ReadProblem::Empty));
        assert_eq!(problem("{\"a\":1}\n"), (1, ReadProblem::Foreign("no `schema` field".into())));
        let trace = "{\"schema\":\"drmgr-sim/trace/2\"}\n";
        assert_eq!(problem(trace), (1, ReadProblem::Foreign("schema \"drmgr-sim/trace/2\"".into())));
        let newer = format!("{}\n{{\"schema\":\"dlpar-capture/3\"}}\n", end_line("a"));
        assert_eq!(problem(&newer), (2, ReadProblem::Newer("dlpar-capture/3".into())));
        let (line, ReadProblem::Invalid(_)) =
            problem("{\"schema\":\"dlpar-capture/1\",\"id\":\"x\",\"kind\":\"nap\"}\n")
        else {
            panic!("not invalid")
        };
        assert_eq!(line, 1);
        assert_eq!(
            Capture::parse("c.jsonl", "\n\n{\"schema\":\"dlpar-capture/2\"}\n").unwrap_err().to_string(),
            "c.jsonl line 3: schema dlpar-capture/2 is newer than this reader's dlpar-capture/1: use a newer dlpar-capture / drmgr-sim"
        );
    }
}
