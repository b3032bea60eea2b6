//! Reading a script's stdout into what the trace keeps: bounded in entries, not only
//! in bytes. A reply of a million short lines must not cost a hundred bytes a line.

use dlpar_script::wire::{Key, LogLevel, ParsedReply, ReplyWarning, parse_reply};

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

/// The notes on the oddities the parser leaves to the host: pairs glued on one line.
pub(crate) fn glued_pairs(reply: &ParsedReply) -> impl Iterator<Item = String> + '_ {
    reply.pairs.iter().filter_map(|pair| {
        glued_name(&pair.value).map(|glued| {
            format!(
                "line {}: the value of {} contains {glued}=: two pairs glued on one line? kept as one value",
                pair.line, pair.name
            )
        })
    })
}

/// The sign of two pairs written on one line, `DR_ERROR="no"DR_LOG_INFO="x"`: a
/// double quote immediately followed by a protocol name and `=` inside a value
/// (the parser took the first pair's closing quote as part of its value). Only that
/// shape counts: text that merely mentions `NAME=value` (the runtime's watchdog
/// message says `DR_TIMEOUT=30 s`) is not flagged, and the runtime itself never
/// writes a double quote inside a value (its encoder turns it into `'`).
fn glued_name(value: &str) -> Option<&str> {
    value.match_indices("\"DR_").find_map(|(at, _)| {
        let rest = &value[at + 1..];
        let name = &rest[..rest.find('=')?];
        Key::new(name).is_ok().then_some(name)
    })
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

    #[test]
    fn glued_pairs_are_recognised_and_plain_text_is_not() {
        assert_eq!(glued_name("no\"DR_LOG_INFO=\"x"), Some("DR_LOG_INFO"));
        assert_eq!(glued_name("no\"DR_ERROR=x"), Some("DR_ERROR"));
        assert_eq!(glued_name("set DR_FOO = 1"), None);
        assert_eq!(glued_name("DR_ and = apart"), None);
        assert_eq!(glued_name("plain"), None);
        assert_eq!(glued_name("pool=512MB DR_MEM_SIZE_REQUEST=256 seen"), None);
        assert_eq!(glued_name("a \"DR_ = x"), None);
    }

    /// Every shape of message the runtime writes, through its own encoder: none reads
    /// as two glued pairs, however much `NAME=value` text it holds.
    #[test]
    fn the_runtime_s_own_messages_are_never_taken_for_glued_pairs() {
        use dlpar_script::wire::{Key, LogLevel, Reply, parse_reply};
        let messages = [
            "time limit reached in keep_cpu0: still running 0.5 s before the end of DR_TIMEOUT=10 s",
            "DR_DETAIL_LEVEL=\"high\" is malformed: expected a decimal level from 0 to 5; using 0",
            "DR_FORCE=\"maybe\" is malformed: expected TRUE, FALSE, YES, NO, 1 or 0 (any case); reading it as not forced",
            "DR_DETAIL_LEVEL=9 is above 5; using 5",
            "DR_BCPUID=\"three\" is malformed: expected a decimal CPU id from 0 to 4294967295",
            "handler keep_cpu0 panicked: config says \"DR_MEM_SIZE_REQUEST=0\"",
            "pool=512MB DR_FREE_FRAMES=0x4000",
        ];
        let mut reply = Reply::new();
        for message in messages {
            reply.error(message);
            reply.log(LogLevel::Info, message);
            reply.text(&Key::SCRIPTINFO, message);
        }
        let parsed = parse_reply(reply.as_bytes());
        assert_eq!(parsed.pairs.len(), messages.len() * 3);
        for pair in &parsed.pairs {
            assert_eq!(glued_name(&pair.value), None, "{}={:?}", pair.name, pair.value);
        }
    }
}
