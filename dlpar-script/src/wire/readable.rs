//! The reply as readable lines, for a powerpc-utils hook's stderr.
//!
//! The runtime builds the same reply as for AIX; on the way out each `DR_*` line
//! becomes `label: message`. The conversion allocates nothing, so the watchdog's
//! signal handler uses it too.

use std::io::{self, Write};

use crate::wire::LogLevel;

/// The label of a reply line's name.
fn label(name: &[u8]) -> Option<&'static str> {
    let level = |l: LogLevel| l.name().as_bytes() == name;
    Some(match () {
        _ if name == b"DR_ERROR" || level(LogLevel::Err) => "error",
        _ if level(LogLevel::Warning) => "warning",
        _ if level(LogLevel::Info) => "info",
        _ if level(LogLevel::Debug) => "debug",
        _ if level(LogLevel::Emerg) => "emergency",
        _ => return None,
    })
}

/// Calls `emit` with the pieces of the readable form of `reply`'s lines, in order:
/// `DR_LOG_WARNING="x"` becomes `warning: x` and a newline; a line of any other
/// name is passed on as it is.
pub(crate) fn each_line(reply: &[u8], mut emit: impl FnMut(&[u8])) {
    for line in reply.split_inclusive(|&b| b == b'\n') {
        let body = line.strip_suffix(b"\n").unwrap_or(line);
        let Some(eq) = body.iter().position(|&b| b == b'=') else {
            emit(line);
            continue;
        };
        let (name, value) = (&body[..eq], &body[eq + 1..]);
        match label(name) {
            Some(label) => {
                let text = value.strip_prefix(b"\"").and_then(|v| v.strip_suffix(b"\"")).unwrap_or(value);
                emit(label.as_bytes());
                emit(b": ");
                emit(text);
                emit(b"\n");
            }
            None => emit(line),
        }
    }
}

/// A writer that turns the reply written to it into readable lines on `inner`.
/// The reply arrives in one piece ([`crate::wire::Reply::write_to`]); it is
/// converted on `flush`.
#[derive(Debug)]
pub(crate) struct Readable<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Readable<W> {
    pub(crate) fn new(inner: W) -> Readable<W> {
        Readable { inner, pending: Vec::new() }
    }

    /// Writes one `label: message` line at once (ignoring a closed stderr: there
    /// is nobody left to tell).
    pub(crate) fn line(&mut self, label: &str, message: &str) {
        let _ = writeln!(self.inner, "{label}: {}", crate::wire::neutralise(message));
    }

    /// [`Readable::line`], then returns `code`: a hook's whole answer.
    pub(crate) fn say(&mut self, label: &str, message: &str, code: u8) -> u8 {
        self.line(label, message);
        code
    }
}

impl<W: Write> Write for Readable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        let mut result = Ok(());
        each_line(&pending, |piece| {
            if result.is_ok() {
                result = self.inner.write_all(piece);
            }
        });
        result.and_then(|()| self.inner.flush())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readable(reply: &[u8]) -> String {
        let mut out = Vec::new();
        each_line(reply, |piece| out.extend_from_slice(piece));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn reply_lines_become_labelled_lines() {
        let reply = b"DR_LOG_WARNING=\"slow disk\"\nDR_LOG_INFO=\"quiesced\"\nDR_LOG_ERR=\"lost\"\n\
            DR_LOG_DEBUG=\"d\"\nDR_LOG_EMERG=\"e\"\nDR_ERROR=\"the service did not stop\"\n";
        assert_eq!(
            readable(reply),
            "warning: slow disk\ninfo: quiesced\nerror: lost\ndebug: d\nemergency: e\nerror: the service did not stop\n"
        );
    }

    #[test]
    fn other_lines_pass_unchanged() {
        assert_eq!(readable(b"DR_RESOURCE=cpu\nno equals sign\n"), "DR_RESOURCE=cpu\nno equals sign\n");
    }

    #[test]
    fn the_writer_converts_on_flush() {
        let mut out = Vec::new();
        let mut writer = Readable::new(&mut out);
        writer.write_all(b"DR_ERROR=\"x\"\n").unwrap();
        writer.flush().unwrap();
        assert_eq!(out, b"error: x\n");
    }
}
