//! Small helpers shared by the parsers of command output.

use super::ParseError;

/// The lines of an output, numbered from 1, without trailing blank lines.
pub(crate) fn numbered(output: &str) -> impl Iterator<Item = (usize, &str)> {
    let body = output.trim_end_matches(['\n', '\r', ' ', '\t']);
    body.lines().enumerate().filter(move |_| !body.is_empty()).map(|(i, line)| (i + 1, line.trim_end_matches('\r')))
}

/// Splits `line` into `count` whitespace-separated columns, the last one taking the
/// rest of the line (it may contain spaces, like a command with its arguments).
/// `None` when the line has fewer columns.
pub(crate) fn columns(line: &str, count: usize) -> Option<Vec<&str>> {
    let mut out = Vec::with_capacity(count);
    let mut rest = line.trim_start();
    while out.len() + 1 < count {
        let end = rest.find(char::is_whitespace)?;
        out.push(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    let last = rest.trim_end();
    if last.is_empty() {
        return None;
    }
    out.push(last);
    Some(out)
}

/// Checks that the next line is a header naming exactly `expected`, in order;
/// `missing` says what is wrong with an output that ends before it.
pub(crate) fn expect_header<'a>(
    command: &'static str,
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
    expected: &[&str],
    missing: &str,
) -> Result<(), ParseError> {
    let line = lines.next().ok_or_else(|| ParseError::whole(command, missing))?;
    if line.1.split_whitespace().eq(expected.iter().copied()) {
        return Ok(());
    }
    Err(ParseError::at(command, line, format!("expected the header {:?}", expected.join(" "))))
}

/// The columns of a table row under a header of `count` names, split by [`columns`];
/// an error naming the count when the line has fewer.
pub(crate) fn row<'l>(command: &'static str, line: (usize, &'l str), count: usize) -> Result<Vec<&'l str>, ParseError> {
    columns(line.1, count).ok_or_else(|| ParseError::at(command, line, format!("expected {count} columns")))
}

/// A decimal number in a column.
pub(crate) fn number<T: std::str::FromStr>(
    command: &'static str,
    line: (usize, &str),
    column: &str,
    value: &str,
) -> Result<T, ParseError> {
    value.parse().map_err(|_| ParseError::at(command, line, format!("{column} {value:?} is not a number")))
}

/// A fixture's text without its `%%` header lines (where the format comes from).
#[cfg(test)]
pub(crate) fn fixture(text: &str) -> String {
    text.lines().filter(|line| !line.starts_with("%%")).map(|line| format!("{line}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_keep_the_rest_of_the_line_together() {
        assert_eq!(columns("  a  b   c d  ", 3), Some(vec!["a", "b", "c d"]));
        assert_eq!(columns("a b", 3), None);
        assert_eq!(columns("a b ", 3), None);
    }

    #[test]
    fn numbering_skips_only_trailing_blank_lines() {
        let lines: Vec<_> = numbered("a\n\nb\n\n\n").collect();
        assert_eq!(lines, [(1, "a"), (2, ""), (3, "b")]);
        assert_eq!(numbered("").count(), 0);
        assert_eq!(numbered("\n \n").count(), 0);
    }
}
