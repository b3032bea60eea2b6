//! What the capture itself writes to the host: raw lines on stdout, warnings in the
//! host's form. Everything written is kept for the end record.

use dlpar_script::wire::{LogLevel, Reply};

use crate::record::HostKind;

/// The capture's own output.
#[derive(Debug)]
pub(crate) struct Output {
    host: HostKind,
    /// Every line written, in order.
    pub(crate) printed: Vec<String>,
}

impl Output {
    pub(crate) fn new(host: HostKind) -> Output {
        Output { host, printed: Vec::new() }
    }

    /// Writes `text` (whole lines) to stdout as is.
    pub(crate) fn stdout(&mut self, text: &str) {
        self.write(1, text);
    }

    /// A warning: a `DR_LOG_WARNING` line on stdout for drmgr, a `warning:` line on
    /// stderr for a powerpc-utils hook (which does not read `DR_*` lines). Never a veto.
    pub(crate) fn warn(&mut self, message: &str) {
        let message = format!("dlpar_capture: {message}");
        match self.host {
            HostKind::Hook => self.write(2, &format!("warning: {message}\n")),
            HostKind::Aix | HostKind::Unknown => {
                let mut reply = Reply::new();
                reply.log(LogLevel::Warning, &message);
                self.write(1, &String::from_utf8_lossy(reply.as_bytes()));
            }
        }
    }

    fn write(&mut self, fd: i32, text: &str) {
        self.printed.extend(text.lines().map(str::to_owned));
        let mut bytes = text.as_bytes();
        while !bytes.is_empty() {
            // SAFETY: writing from a valid buffer of the given length.
            // AIX: write documented.
            let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
            match usize::try_from(n) {
                Ok(n) if n > 0 => bytes = &bytes[n..],
                _ if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted => {}
                // A closed or broken stdout: the host is not listening; nothing to do.
                _ => return,
            }
        }
    }
}
