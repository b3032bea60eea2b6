use std::fmt;

use crate::event::DecodeError;

/// The result type of handlers.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a handler did not succeed. Its text becomes the `DR_ERROR` line and the
/// command exits with status 1.
///
/// ```
/// use dlpar_script::Error;
///
/// let veto = Error::refuse("CPU 0 runs the licence daemon");
/// assert!(veto.is_refusal());
/// assert_eq!(veto.to_string(), "CPU 0 runs the licence daemon");
/// assert_eq!(Error::missing("DR_MEM_SIZE_REQUEST").to_string(), "DR_MEM_SIZE_REQUEST is not set");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The script refuses the operation (a veto in a check phase).
    #[error("{0}")]
    Refused(String),
    /// The handler could not do its work.
    #[error("{0}")]
    Failed(String),
    /// A `DR_*` variable the handler needs is not set.
    #[error("{0} is not set")]
    Missing(&'static str),
    /// A `DR_*` variable is malformed.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// An I/O error. Transparent: its message and its `source()` are the io error's
    /// own, so a report that walks the chain prints the io error once.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Any other error, kept whole: transparent, so its message is the wrapped
    /// error's and `source()` continues with the wrapped error's causes.
    #[error(transparent)]
    Other(Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl Error {
    /// Refuse the operation with a reason an administrator can act on.
    pub fn refuse(reason: impl fmt::Display) -> Error {
        Error::Refused(reason.to_string())
    }

    /// Report a failure.
    ///
    /// ```
    /// assert_eq!(dlpar_script::Error::failed("pool busy").to_string(), "pool busy");
    /// ```
    pub fn failed(reason: impl fmt::Display) -> Error {
        Error::Failed(reason.to_string())
    }

    /// A required `DR_*` variable is absent.
    pub fn missing(variable: &'static str) -> Error {
        Error::Missing(variable)
    }

    /// Wrap any error.
    ///
    /// ```
    /// let e = dlpar_script::Error::other("x".parse::<u8>().unwrap_err());
    /// assert_eq!(e.to_string(), "invalid digit found in string");
    /// ```
    pub fn other(error: impl std::error::Error + Send + Sync + 'static) -> Error {
        Error::Other(Box::new(error))
    }

    /// The `DR_ERROR` text: this error's message, then each cause in its
    /// [`source`](std::error::Error::source) chain that the text so far does not
    /// already contain, joined by `": "`. An error whose message already names its
    /// cause (as this crate's do) reads the same as its `Display`; one that keeps its
    /// cause only as a source (as thiserror recommends) loses nothing in the reply.
    ///
    /// ```
    /// #[derive(Debug, thiserror::Error)]
    /// #[error("could not read the licence file")]
    /// struct LicenceError(#[source] std::io::Error);
    ///
    /// let gone = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
    /// let e = dlpar_script::Error::other(LicenceError(gone));
    /// assert_eq!(e.to_string(), "could not read the licence file");
    /// assert_eq!(e.reply_text(), "could not read the licence file: no such file");
    /// ```
    pub fn reply_text(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(error) = cause {
            let message = error.to_string();
            if !text.contains(&message) {
                text.push_str(": ");
                text.push_str(&message);
            }
            cause = error.source();
        }
        text
    }

    /// Whether this is a deliberate refusal rather than a failure.
    pub fn is_refusal(&self) -> bool {
        matches!(self, Error::Refused(_))
    }
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::*;

    /// Every message of the chain, walking `source()`.
    fn chain(error: &Error) -> Vec<String> {
        let mut messages = Vec::new();
        let mut next: Option<&dyn std::error::Error> = Some(error);
        while let Some(e) = next {
            messages.push(e.to_string());
            next = e.source();
        }
        messages
    }

    #[derive(Debug, thiserror::Error)]
    #[error("could not load the pool settings")]
    struct Settings(#[source] Parse);

    #[derive(Debug, thiserror::Error)]
    #[error("line 3 is not a number")]
    struct Parse(#[source] std::num::ParseIntError);

    #[test]
    fn an_io_error_is_printed_once() {
        let e = Error::from(io::Error::new(io::ErrorKind::PermissionDenied, "permission denied"));
        assert_eq!(chain(&e), ["permission denied"]);
        assert_eq!(e.reply_text(), "permission denied");
    }

    #[test]
    fn other_keeps_the_whole_chain() {
        let e = Error::other(Settings(Parse("x".parse::<u8>().unwrap_err())));
        assert_eq!(
            chain(&e),
            ["could not load the pool settings", "line 3 is not a number", "invalid digit found in string"]
        );
        assert_eq!(
            e.reply_text(),
            "could not load the pool settings: line 3 is not a number: invalid digit found in string"
        );
        assert!(matches!(&e, Error::Other(inner) if inner.is::<Settings>()));
    }

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        #[derive(Debug, thiserror::Error)]
        #[error("could not open /etc/acme.conf: {0}")]
        struct Open(#[source] io::Error);
        let e = Error::other(Open(io::Error::new(io::ErrorKind::NotFound, "not found")));
        assert_eq!(chain(&e), ["could not open /etc/acme.conf: not found", "not found"]);
        assert_eq!(e.reply_text(), "could not open /etc/acme.conf: not found");
    }
}
