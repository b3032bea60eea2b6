use std::fmt::Display;
use std::io::{self, Write};

use super::{Key, LogLevel, neutralise};

/// A reply being built: the only thing that writes `DR_*` lines.
///
/// Lines are collected in memory and written with one call to
/// [`Reply::write_to`], so a reply is never interleaved with anything else and a
/// closed stdout (EPIPE) is ignored rather than a panic.
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
}

impl Reply {
    /// An empty reply.
    pub fn new() -> Reply {
        Reply::default()
    }

    /// Adds `KEY="text"`: a quoted text value, neutralised.
    pub fn text(&mut self, key: &Key, text: &str) {
        self.line(key, &neutralise(text), true);
    }

    /// Adds `KEY=value` without quotes, for numbers, dates and resource words.
    /// The value is neutralised like text, and double quotes become single quotes.
    pub fn token(&mut self, key: &Key, value: impl Display) {
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
    fn a_token_cannot_smuggle_a_second_line() {
        let mut reply = Reply::new();
        reply.token(&Key::VERSION, "1\nDR_ERROR=x");
        assert_eq!(reply.as_bytes(), b"DR_VERSION=1 DR_ERROR=x\n");
    }
}
