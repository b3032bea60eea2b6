use std::fmt;

use super::{Key, LogLevel};

/// The longest reply line a host reads, in bytes (a project decision).
pub const MAX_LINE_BYTES: usize = 4 * 1024;
/// The most a host reads of one reply, in bytes (a project decision).
pub const MAX_REPLY_BYTES: usize = 1024 * 1024;

/// One `DR_NAME=value` pair of a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// 1-based line number in the reply.
    pub line: usize,
    /// The name, left of the first `=`.
    pub name: String,
    /// The value, with one pair of surrounding double quotes removed.
    pub value: String,
    /// Whether the value was between double quotes (the form text values must
    /// take, [`Key::is_text`]).
    pub quoted: bool,
}

/// Something odd in a reply. Never fatal: the host reports it and goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyWarning {
    /// The line is not valid UTF-8; it was read with replacement characters.
    NotUtf8 {
        /// 1-based line number.
        line: usize,
    },
    /// The line has no `=`; it was skipped.
    NoEquals {
        /// 1-based line number.
        line: usize,
        /// The line (possibly shortened).
        text: String,
    },
    /// The name does not start with `DR_` or has characters outside `A-Z0-9_`; skipped.
    NotProtocol {
        /// 1-based line number.
        line: usize,
        /// The name (possibly shortened).
        name: String,
    },
    /// A well-formed `DR_*` name the protocol does not define; the pair is kept.
    UnknownName {
        /// 1-based line number.
        line: usize,
        /// The name.
        name: String,
    },
    /// The line is longer than [`MAX_LINE_BYTES`]; it was skipped.
    LineTooLong {
        /// 1-based line number.
        line: usize,
        /// The `DR_*` name the line starts with, when it starts with one followed by
        /// `=`, so that a host can say which answer was lost.
        name: Option<String>,
        /// Its length in bytes.
        bytes: usize,
    },
    /// The reply is longer than [`MAX_REPLY_BYTES`]; reading stopped there.
    ReplyTooLarge,
}

impl fmt::Display for ReplyWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyWarning::NotUtf8 { line } => write!(f, "line {line}: not valid UTF-8"),
            ReplyWarning::NoEquals { line, text } => write!(f, "line {line}: no '=' in {text:?}, ignored"),
            ReplyWarning::NotProtocol { line, name } => {
                write!(f, "line {line}: {name:?} is not a DR_* name, ignored")
            }
            ReplyWarning::UnknownName { line, name } => write!(f, "line {line}: unknown name {name}"),
            ReplyWarning::LineTooLong { line, name, bytes } => {
                let name = name.as_deref().map(|name| format!(" ({name}=...)")).unwrap_or_default();
                write!(f, "line {line}{name}: {bytes} bytes, over the {MAX_LINE_BYTES}-byte limit, ignored")
            }
            ReplyWarning::ReplyTooLarge => {
                write!(f, "reply over {MAX_REPLY_BYTES} bytes: the rest was not read")
            }
        }
    }
}

/// A parsed reply: the pairs in order, and what was odd about it.
///
/// ```
/// use dlpar_script::wire::{LogLevel, parse_reply};
///
/// let reply = parse_reply(b"DR_LOG_INFO=\"ok\"\nhello\nDR_RESOURCE=cpu\nDR_RESOURCE=mem\n");
/// assert_eq!(reply.all("DR_RESOURCE").collect::<Vec<_>>(), ["cpu", "mem"]);
/// assert_eq!(reply.logs().collect::<Vec<_>>(), [(LogLevel::Info, "ok")]);
/// assert_eq!(reply.warnings[0].to_string(), "line 2: no '=' in \"hello\", ignored");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedReply {
    /// The `DR_*` pairs, in order.
    pub pairs: Vec<Pair>,
    /// Everything odd, in order.
    pub warnings: Vec<ReplyWarning>,
}

impl ParsedReply {
    /// The first value of `name`.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|p| p.name == name).map(|p| p.value.as_str())
    }

    /// Every value of `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs.iter().filter(move |p| p.name == name).map(|p| p.value.as_str())
    }

    /// The `DR_ERROR` messages, joined with `"; "` when there are several.
    pub fn error(&self) -> Option<String> {
        let errors: Vec<&str> = self.all("DR_ERROR").collect();
        (!errors.is_empty()).then(|| errors.join("; "))
    }

    /// The `DR_LOG_*` lines, in order.
    pub fn logs(&self) -> impl Iterator<Item = (LogLevel, &str)> {
        self.pairs.iter().filter_map(|p| Some((LogLevel::from_name(&p.name)?, p.value.as_str())))
    }
}

const SHOWN: usize = 80;

fn shorten(text: &str) -> String {
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// The valid `DR_*` name before the first `=` of an over-long line, if it has one
/// (names are short: only the first [`SHOWN`] bytes are looked at).
fn leading_name(raw: &[u8]) -> Option<String> {
    let head = &raw[..raw.len().min(SHOWN + 1)];
    let end = head.iter().position(|&b| b == b'=')?;
    let name = std::str::from_utf8(&head[..end]).ok()?;
    Key::new(name).ok().map(|_| name.to_owned())
}

/// Parses a script's stdout (docs/protocol.md §4, host parsing).
///
/// Lines are split at `\n` (a trailing `\r` is dropped); empty lines are skipped.
/// Each line is split at its first `=`; one pair of surrounding double quotes is
/// removed from the value. Lines without `=`, or whose name is not a `DR_*` name,
/// are skipped with a warning; unknown `DR_*` names are kept with a warning. Lines
/// over [`MAX_LINE_BYTES`] are skipped and input past [`MAX_REPLY_BYTES`] is ignored,
/// each with a warning.
pub fn parse_reply(bytes: &[u8]) -> ParsedReply {
    let mut reply = ParsedReply::default();
    let bytes = if bytes.len() > MAX_REPLY_BYTES {
        reply.warnings.push(ReplyWarning::ReplyTooLarge);
        &bytes[..MAX_REPLY_BYTES]
    } else {
        bytes
    };
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.is_empty() {
            continue;
        }
        if raw.len() > MAX_LINE_BYTES {
            reply.warnings.push(ReplyWarning::LineTooLong { line, name: leading_name(raw), bytes: raw.len() });
            continue;
        }
        let text = String::from_utf8_lossy(raw);
        if matches!(text, std::borrow::Cow::Owned(_)) {
            reply.warnings.push(ReplyWarning::NotUtf8 { line });
        }
        let Some((name, value)) = text.split_once('=') else {
            reply.warnings.push(ReplyWarning::NoEquals { line, text: shorten(&text) });
            continue;
        };
        let Ok(key) = Key::new(name) else {
            reply.warnings.push(ReplyWarning::NotProtocol { line, name: shorten(name) });
            continue;
        };
        if !key.is_known() {
            reply.warnings.push(ReplyWarning::UnknownName { line, name: name.to_owned() });
        }
        let unquoted = value.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
        let quoted = unquoted.is_some();
        let value = unquoted.unwrap_or(value);
        reply.pairs.push(Pair { line, name: name.to_owned(), value: value.to_owned(), quoted });
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_first_equals_and_strips_one_pair_of_quotes() {
        let r = parse_reply(b"DR_USAGE=\"\"a=b\"\"\r\n\nDR_VERSION=1");
        assert_eq!(r.first("DR_USAGE"), Some("\"a=b\""));
        assert_eq!(r.pairs[1].line, 3);
        assert!(r.pairs[0].quoted && !r.pairs[1].quoted);
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn glued_pairs_stay_one_value() {
        let r = parse_reply(b"DR_ERROR=\"a\"DR_LOG_INFO=\"b\"\n");
        assert_eq!(r.first("DR_ERROR"), Some("a\"DR_LOG_INFO=\"b"));
        assert_eq!(r.logs().count(), 0);
    }

    #[test]
    fn oddities_are_warnings() {
        let r = parse_reply(b"dr_error=x\nDR_ACME=1\n\xff=1\nDR_X=\xfe\n");
        assert_eq!(
            r.warnings,
            [
                ReplyWarning::NotProtocol { line: 1, name: "dr_error".into() },
                ReplyWarning::UnknownName { line: 2, name: "DR_ACME".into() },
                ReplyWarning::NotUtf8 { line: 3 },
                ReplyWarning::NotProtocol { line: 3, name: "\u{fffd}".into() },
                ReplyWarning::NotUtf8 { line: 4 },
                ReplyWarning::UnknownName { line: 4, name: "DR_X".into() },
            ]
        );
        assert_eq!(r.first("DR_X"), Some("\u{fffd}"));
    }

    #[test]
    fn size_limits() {
        let mut big = vec![b'x'; MAX_LINE_BYTES + 1];
        big.extend_from_slice(b"\nDR_ERROR=e\n");
        let r = parse_reply(&big);
        assert_eq!(r.warnings, [ReplyWarning::LineTooLong { line: 1, name: None, bytes: MAX_LINE_BYTES + 1 }]);
        assert_eq!(r.error().as_deref(), Some("e"));
        let mut long = b"DR_SCRIPTINFO=\"".to_vec();
        long.resize(5000, b'x');
        let r = parse_reply(&long);
        assert_eq!(
            r.warnings,
            [ReplyWarning::LineTooLong { line: 1, name: Some("DR_SCRIPTINFO".into()), bytes: 5000 }]
        );
        assert_eq!(
            r.warnings[0].to_string(),
            "line 1 (DR_SCRIPTINFO=...): 5000 bytes, over the 4096-byte limit, ignored"
        );

        let huge = b"DR_LOG_DEBUG=0123456789abcdef\n".repeat(MAX_REPLY_BYTES / 16);
        let r = parse_reply(&huge);
        assert_eq!(r.warnings, [ReplyWarning::ReplyTooLarge]);
        // The last line is cut at the limit but still has its `=`: it counts.
        assert_eq!(r.logs().count(), MAX_REPLY_BYTES.div_ceil(30));
    }
}
