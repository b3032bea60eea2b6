//! The JSON record around a saved value: whose it is, who wrote it, when.

use serde::{Deserialize, Serialize};

/// The record format this runtime writes and reads.
pub(super) const FORMAT: u32 = 1;

/// The first thing read from a state file: a record in another format may have
/// other fields.
#[derive(Debug, Deserialize)]
pub(super) struct Format {
    pub(super) format: u32,
}

/// One state file. `V` is the value when writing or reading it, and
/// [`serde::de::IgnoredAny`] when only the header matters.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Record<V> {
    /// [`FORMAT`] when written by this runtime.
    pub(super) format: u32,
    /// The script's name.
    pub(super) script: String,
    /// The operation: family (`remove`, `add`, …) and resource word.
    pub(super) family: String,
    pub(super) resource: String,
    /// The command word of the handler that saved it.
    pub(super) command: String,
    /// Seconds since the Unix epoch.
    pub(super) saved_at: u64,
    /// Names the invocation that saved it, so that it can read its own value back.
    pub(super) run: String,
    pub(super) value: V,
}
