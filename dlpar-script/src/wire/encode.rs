use std::fmt::{Display, Write as _};
use std::io::{self, Write};
use std::ops::Range;

use super::{Key, LogLevel, MAX_LINE_BYTES, MAX_REPLY_BYTES, MAX_VALUE_BYTES, neutralise};

/// Room a reply always leaves below the host's [`MAX_REPLY_BYTES`] for the one
/// `DR_ERROR` line a signal handler (the [watchdog](crate::watchdog)) may append
/// after it: the longest `DR_ERROR` line, with room to spare for the seconds it states.
pub const ANSWER_ROOM: usize = 2 * 1024;

/// The most bytes a [`Reply`] holds: the host's [`MAX_REPLY_BYTES`] less
/// [`ANSWER_ROOM`].
pub const MAX_BYTES: usize = MAX_REPLY_BYTES - ANSWER_ROOM;

/// Room kept within [`MAX_BYTES`] for `DR_ERROR` lines: three of the longest.
const ERROR_ROOM: usize = 3 * (ERROR_PREFIX.len() + MAX_VALUE_BYTES + 2);
/// Room kept within [`MAX_BYTES`] for the line counting dropped lines.
const SUMMARY_ROOM: usize = 128;
/// The most bytes of lines other than `DR_ERROR`.
const OTHER_BYTES: usize = MAX_BYTES - ERROR_ROOM - SUMMARY_ROOM;
const ERROR_PREFIX: &str = "DR_ERROR=\"";

/// A reply being built: the only thing that writes `DR_*` lines.
///
/// Lines are collected in memory and written with one call to
/// [`Reply::write_to`], so a reply is never interleaved with anything else and a
/// closed stdout (EPIPE) is ignored rather than a panic.
///
/// # Size
///
/// A reply never grows past [`MAX_BYTES`], whatever is added, so the host (which
/// reads at most [`MAX_REPLY_BYTES`]) always finds its `DR_ERROR`:
///
/// * lines other than `DR_ERROR` (log lines above all) fill at most
///   [`MAX_BYTES`] less the room kept for three `DR_ERROR` lines and one summary
///   line; once one did not fit, every later one is dropped as well;
/// * dropped lines are counted in one `DR_LOG_WARNING="N log lines dropped: …"`
///   line, kept up to date where the first dropped line would have been;
/// * a line longer than the host's [`MAX_LINE_BYTES`] (only a very long
///   custom [`Key`] makes one) is dropped and counted the same way.
///
/// ```
/// use dlpar_script::wire::{LogLevel, MAX_BYTES, Reply};
///
/// let mut reply = Reply::new();
/// for _ in 0..2000 {
///     reply.log(LogLevel::Warning, &"x".repeat(1000));
/// }
/// reply.error("pool busy");
/// assert!(reply.as_bytes().len() <= MAX_BYTES);
/// assert_eq!(reply.dropped(), 2000 - 1024);
/// let parsed = dlpar_script::wire::parse_reply(reply.as_bytes());
/// assert_eq!(parsed.error().as_deref(), Some("pool busy"));
/// assert!(parsed.warnings.is_empty());
/// ```
///
/// ```
/// use dlpar_script::wire::{Key, LogLevel, Reply};
///
/// let mut reply = Reply::new();
/// reply.token(&Key::RESOURCE, "cpu");
/// reply.log(LogLevel::Info, "bound 3 threads");
/// let mut stdout = Vec::new();
/// reply.write_to(&mut stdout).unwrap();
/// assert_eq!(stdout, b"DR_RESOURCE=cpu\nDR_LOG_INFO=\"bound 3 threads\"\n");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    buf: Vec<u8>,
    /// Bytes of `DR_ERROR` lines in `buf`.
    error_bytes: usize,
    /// Lines dropped for want of room.
    dropped: u64,
    /// Where the line counting them is in `buf`.
    summary: Option<Range<usize>>,
}

impl Reply {
    /// An empty reply.
    pub fn new() -> Reply {
        Reply::default()
    }

    /// Adds `KEY="text"`: a quoted text value, neutralised.
    pub fn text(&mut self, key: &Key, text: &str) {
        if self.is_full(key) {
            return self.drop_line();
        }
        self.line(key, &neutralise(text), true);
    }

    /// Adds `KEY=value` without quotes, for numbers, dates and resource words.
    /// The value is neutralised like text, and double quotes become single quotes.
    pub fn token(&mut self, key: &Key, value: impl Display) {
        if self.is_full(key) {
            return self.drop_line();
        }
        self.line(key, &neutralise(&value.to_string()), false);
    }

    /// Adds `DR_ERROR="message"`.
    pub fn error(&mut self, message: &str) {
        self.text(&Key::ERROR, message);
    }

    /// Adds a `DR_LOG_*="message"` line at `level`.
    pub fn log(&mut self, level: LogLevel, message: &str) {
        self.text(&level.key(), message);
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// How many lines were dropped because the reply was full (see [Size](Reply#size)).
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Whether nothing has been added.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Writes the whole reply with one `write_all` and flushes. A broken pipe (the
    /// reader went away) is not an error: there is nobody left to tell.
    pub fn write_to(&self, mut out: impl Write) -> io::Result<()> {
        match out.write_all(&self.buf).and_then(|()| out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }

    fn line(&mut self, key: &Key, value: &str, quoted: bool) {
        let len = key.as_str().len() + 2 + value.len() + if quoted { 2 } else { 0 };
        let error = *key == Key::ERROR;
        let fits = if error {
            self.error_bytes + len <= ERROR_ROOM
        } else {
            !self.is_full(key) && self.buf.len() - self.error_bytes + len <= OTHER_BYTES
        };
        if !fits || len > MAX_LINE_BYTES {
            self.drop_line();
            return;
        }
        if error {
            self.error_bytes += len;
        }
        self.buf.extend_from_slice(key.as_str().as_bytes());
        self.buf.push(b'=');
        if quoted {
            self.buf.push(b'"');
        }
        self.buf.extend_from_slice(value.as_bytes());
        if quoted {
            self.buf.push(b'"');
        }
        self.buf.push(b'\n');
    }

    /// Whether a line of `key` is dropped whatever its value: a line other than
    /// `DR_ERROR` after one was dropped. Spares encoding what is dropped anyway.
    fn is_full(&self, key: &Key) -> bool {
        self.summary.is_some() && *key != Key::ERROR
    }

    /// Counts a line that did not fit, in the summary line.
    fn drop_line(&mut self) {
        self.dropped += 1;
        let mut line = String::with_capacity(SUMMARY_ROOM);
        let _ = writeln!(
            line,
            "{}=\"{} log lines dropped: a reply holds at most {MAX_BYTES} bytes\"",
            LogLevel::Warning.key().as_str(),
            self.dropped
        );
        let at = self.summary.clone().unwrap_or(self.buf.len()..self.buf.len());
        self.summary = Some(at.start..at.start + line.len());
        self.buf.splice(at, line.into_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn broken_pipe_is_not_an_error() {
        let mut reply = Reply::new();
        reply.error("nobody listens");
        assert!(reply.write_to(Closed).is_ok());
    }

    #[test]
    fn a_full_reply_keeps_room_for_errors_and_counts_what_it_drops() {
        let mut reply = Reply::new();
        let value = "y".repeat(MAX_VALUE_BYTES);
        for _ in 0..5000 {
            reply.log(LogLevel::Info, &value);
        }
        reply.error("first");
        reply.log(LogLevel::Info, "short, but after the reply filled up");
        reply.error(&value);
        // DR_LOG_INFO=" + value + "\n
        let fit = OTHER_BYTES / (13 + MAX_VALUE_BYTES + 2);
        let dropped = 5000 - fit + 1;
        assert_eq!(reply.dropped(), dropped as u64);
        let text = String::from_utf8(reply.as_bytes().to_vec()).unwrap();
        assert!(text.len() <= MAX_BYTES, "{}", text.len());
        let lines: Vec<&str> = text.lines().skip(fit).collect();
        assert_eq!(lines.len(), 3, "the summary and the two errors follow the lines that fit");
        assert_eq!(
            lines[0],
            format!("DR_LOG_WARNING=\"{dropped} log lines dropped: a reply holds at most {MAX_BYTES} bytes\"")
        );
        assert_eq!(lines[1], "DR_ERROR=\"first\"");
        assert_eq!(lines[2], format!("DR_ERROR=\"{value}\""));
        let parsed = super::super::parse_reply(reply.as_bytes());
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn a_line_over_the_hosts_line_limit_is_dropped() {
        let mut reply = Reply::new();
        let key = Key::new(&format!("DR_{}", "K".repeat(MAX_LINE_BYTES))).unwrap();
        reply.token(&key, 1);
        reply.token(&Key::VERSION, 1);
        reply.error("still here");
        assert_eq!(reply.dropped(), 2, "lines after a dropped one are dropped too");
        assert_eq!(
            reply.as_bytes(),
            format!("DR_LOG_WARNING=\"2 log lines dropped: a reply holds at most {MAX_BYTES} bytes\"\nDR_ERROR=\"still here\"\n")
                .as_bytes()
        );
    }

    #[test]
    fn a_token_cannot_smuggle_a_second_line() {
        let mut reply = Reply::new();
        reply.token(&Key::VERSION, "1\nDR_ERROR=x");
        assert_eq!(reply.as_bytes(), b"DR_VERSION=1 DR_ERROR=x\n");
    }
}
