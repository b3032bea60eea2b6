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
    /// An I/O error.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Any other error, with its source kept.
    #[error("{0}")]
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

    /// Whether this is a deliberate refusal rather than a failure.
    pub fn is_refusal(&self) -> bool {
        matches!(self, Error::Refused(_))
    }
}
