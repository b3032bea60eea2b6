//! Reading a script's stdout into what the trace keeps: bounded in entries, not only
//! in bytes. A reply of a million short lines must not cost a hundred bytes a line.

use dlpar_script::wire::{LogLevel, ParsedReply, ReplyWarning, parse_reply};

/// `DR_LOG_*` pairs kept of one reply; later ones are counted.
pub(crate) const MAX_KEPT_LOGS: usize = 1000;
/// Other `DR_*` pairs (`DR_ERROR`, `DR_RESOURCE`, …) kept of one reply; later ones
/// are counted. Counted apart from the logs, so a flood of logs cannot push the
/// `DR_ERROR` after it out of the trace.
pub(crate) const MAX_KEPT_OTHERS: usize = 1000;
/// Protocol warnings kept of one reply; later ones are counted.
pub(crate) const MAX_KEPT_WARNINGS: usize = 20;
/// The reply is parsed in pieces of about this many bytes (cut after a newline), so
/// that what the parser builds before it is trimmed stays small too.
const PIECE: usize = 16 * 1024;

/// A parsed reply trimmed to the caps above, with the counts of what was not kept.
#[derive(Debug, Default)]
pub(crate) struct KeptReply {
    pub(crate) reply: ParsedReply,
    pub(crate) logs_not_kept: usize,
    pub(crate) others_not_kept: usize,
    pub(crate) warnings_not_kept: usize,
}

impl KeptReply {
    /// Parses `stdout` piece by piece, keeping the first pairs and warnings up to
    /// the caps; line numbers are those of the whole reply.
    pub(crate) fn parse(stdout: &[u8]) -> KeptReply {
        let mut kept = KeptReply::default();
        let (mut logs, mut others) = (0, 0);
        let mut lines_before = 0;
        for piece in pieces(stdout) {
            let parsed = parse_reply(piece);
            for mut pair in parsed.pairs {
                pair.line += lines_before;
                let (count, not_kept, cap) = if LogLevel::from_name(&pair.name).is_some() {
                    (&mut logs, &mut kept.logs_not_kept, MAX_KEPT_LOGS)
                } else {
                    (&mut others, &mut kept.others_not_kept, MAX_KEPT_OTHERS)
                };
                if *count < cap {
                    *count += 1;
                    kept.reply.pairs.push(pair);
                } else {
                    *not_kept += 1;
                }
            }
            for warning in parsed.warnings {
                if kept.reply.warnings.len() < MAX_KEPT_WARNINGS {
                    kept.reply.warnings.push(shifted(warning, lines_before));
                } else {
                    kept.warnings_not_kept += 1;
                }
            }
            lines_before += piece.iter().filter(|&&b| b == b'\n').count();
        }
        kept
    }
}

/// `bytes` cut into pieces of about [`PIECE`] bytes, each ending with a newline
/// except the last; a line longer than a piece stays whole.
fn pieces(mut bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    std::iter::from_fn(move || {
        if bytes.is_empty() {
            return None;
        }
        let newline = |&b: &u8| b == b'\n';
        let end = if bytes.len() <= PIECE {
            bytes.len()
        } else if let Some(last) = bytes[..PIECE].iter().rposition(newline) {
            last + 1
        } else {
            bytes[PIECE..].iter().position(newline).map_or(bytes.len(), |next| PIECE + next + 1)
        };
        let (piece, rest) = bytes.split_at(end);
        bytes = rest;
        Some(piece)
    })
}

/// `warning` with its line number moved down by `lines`.
fn shifted(warning: ReplyWarning, lines: usize) -> ReplyWarning {
    use ReplyWarning::*;
    match warning {
        NotUtf8 { line } => NotUtf8 { line: line + lines },
        NoEquals { line, text } => NoEquals { line: line + lines, text },
        NotProtocol { line, name } => NotProtocol { line: line + lines, name },
        UnknownName { line, name } => UnknownName { line: line + lines, name },
        LineTooLong { line, name, bytes } => LineTooLong { line: line + lines, name, bytes },
        ReplyTooLarge => ReplyTooLarge,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_end_at_newlines_and_keep_long_lines_whole() {
        let mut bytes = b"a\n".repeat(PIECE);
        bytes.extend(vec![b'y'; 3 * PIECE]);
        bytes.extend_from_slice(b"\nz");
        let cut: Vec<&[u8]> = pieces(&bytes).collect();
        assert_eq!(cut.concat(), bytes);
        assert!(cut[..cut.len() - 1].iter().all(|piece| piece.ends_with(b"\n")));
        assert!(cut.iter().any(|piece| piece.len() == 3 * PIECE + 1), "the long line was cut");
        assert_eq!(cut.last().unwrap(), b"z");
    }

    #[test]
    fn line_numbers_are_those_of_the_whole_reply_and_the_excess_is_counted() {
        let mut bytes = b"DR_LOG_INFO=\"x\"\n".repeat(MAX_KEPT_LOGS + 5);
        bytes.extend_from_slice(&b"noise\n".repeat(PIECE));
        bytes.extend_from_slice(b"DR_ERROR=\"last\"\n");
        let kept = KeptReply::parse(&bytes);
        assert_eq!(kept.reply.logs().count(), MAX_KEPT_LOGS);
        assert_eq!(kept.logs_not_kept, 5);
        assert_eq!(kept.reply.error().as_deref(), Some("last"));
        let last_line = MAX_KEPT_LOGS + 5 + PIECE + 1;
        assert_eq!(kept.reply.pairs.last().unwrap().line, last_line);
        assert_eq!(kept.reply.warnings.len(), MAX_KEPT_WARNINGS);
        assert_eq!(kept.warnings_not_kept, PIECE - MAX_KEPT_WARNINGS);
        let first_noise = MAX_KEPT_LOGS + 6;
        assert_eq!(kept.reply.warnings[0].to_string(), format!("line {first_noise}: no '=' in \"noise\", ignored"));
    }
}
