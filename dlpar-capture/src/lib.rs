//! `dlpar_capture`: a DLPAR script that records exactly how the host runs scripts,
//! and the capture format it writes.
//!
//! Install the `dlpar_capture` binary like any DLPAR script (`drmgr -i` on AIX,
//! `/etc/drmgr.d/<type>/` on Linux on Power, `drmgr-sim install`). For every
//! invocation it appends records to a capture file (see [`record`]) and answers
//! success; a control file next to the capture file turns on experiments (a veto, a
//! sleep that records the signals that arrive, raw output lines). The procedure is
//! in `docs/confirming-the-protocol.md`, the format in `docs/capture-format.md`.
//!
//! This library holds the record types ([`record`]) and the reader ([`read`]) that
//! `drmgr-sim compare` and `drmgr-sim replay` share.
//!
//! ```
//! use dlpar_capture::record::SCHEMA;
//! assert_eq!(SCHEMA, "dlpar-capture/1");
//! ```

pub mod read;
pub mod record;
