//! Online processors, from `bindprocessor -q`.
//!
//! The format (IBM AIX `bindprocessor` page, example for a four-processor system):
//! one line `The available processors are: 0 1 2 3`, listing the bind CPU ids that
//! `bindprocessor PID CPU` accepts.

use super::parse::{number, numbered};
use super::{BindCpu, ParseError};

const COMMAND: &str = "bindprocessor -q";
const PREFIX: &str = "The available processors are:";

/// Reads the output of `bindprocessor -q`: the bind CPU ids of the online processors.
///
/// ```
/// use dlpar_script::aix::{parse_available_processors, BindCpu};
///
/// let cpus = parse_available_processors("The available processors are: 0 1 2 3\n").unwrap();
/// assert_eq!(cpus, [BindCpu(0), BindCpu(1), BindCpu(2), BindCpu(3)]);
/// ```
pub fn parse_available_processors(output: &str) -> Result<Vec<BindCpu>, ParseError> {
    let mut lines = numbered(output);
    let line = lines.next().ok_or_else(|| ParseError::whole(COMMAND, format!("no output, expected {PREFIX:?}")))?;
    let ids = line
        .1
        .trim_start()
        .strip_prefix(PREFIX)
        .ok_or_else(|| ParseError::at(COMMAND, line, format!("expected \"{PREFIX} ...\"")))?;
    let cpus = ids
        .split_whitespace()
        .map(|id| number(COMMAND, line, "processor", id).map(BindCpu))
        .collect::<Result<Vec<_>, _>>()?;
    if cpus.is_empty() {
        return Err(ParseError::at(COMMAND, line, "no processor listed"));
    }
    if let Some(extra) = lines.next() {
        return Err(ParseError::at(COMMAND, extra, "expected a single line"));
    }
    Ok(cpus)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aix::parse::fixture;

    fn parse(text: &str) -> Result<Vec<BindCpu>, ParseError> {
        parse_available_processors(&fixture(text))
    }

    #[test]
    fn normal() {
        assert_eq!(
            parse(include_str!("fixtures/bindprocessor_normal.txt")).unwrap(),
            (0..8).map(BindCpu).collect::<Vec<_>>()
        );
    }

    #[test]
    fn empty() {
        assert_eq!(
            parse(include_str!("fixtures/bindprocessor_empty.txt")).unwrap_err().to_string(),
            "unexpected output from bindprocessor -q, line 1 \"The available processors are:\": no processor listed"
        );
        assert_eq!(
            parse_available_processors("\n").unwrap_err().to_string(),
            "unexpected output from bindprocessor -q: no output, expected \"The available processors are:\""
        );
    }

    #[test]
    fn odd_spacing() {
        assert_eq!(parse(include_str!("fixtures/bindprocessor_odd_spacing.txt")).unwrap(), [0, 1, 2, 3].map(BindCpu));
    }

    #[test]
    fn unexpected_columns() {
        assert_eq!(
            parse(include_str!("fixtures/bindprocessor_unexpected_columns.txt")).unwrap_err().to_string(),
            "unexpected output from bindprocessor -q, line 2 \"SMT threads per processor: 4\": expected a single line"
        );
        let err = parse_available_processors("The available processors are: 0 one\n").unwrap_err();
        assert_eq!(err.problem, "processor \"one\" is not a number");
    }

    #[test]
    fn truncated() {
        assert_eq!(
            parse(include_str!("fixtures/bindprocessor_truncated.txt")).unwrap_err().to_string(),
            "unexpected output from bindprocessor -q, line 1 \"The available proc\": \
             expected \"The available processors are: ...\""
        );
    }
}
