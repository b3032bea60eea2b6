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
//! The capture file is `DLPAR_CAPTURE_FILE` when set, else
//! `/var/adm/dlpar_capture/capture.jsonl` on AIX and
//! `/var/log/dlpar_capture/capture.jsonl` elsewhere; the control file is `control`
//! in the same directory.
//!
//! This library holds the record types ([`record`]) and the reader ([`read`]) that
//! `drmgr-sim compare` and `drmgr-sim replay` share, and the script itself
//! ([`script`], [`run_c_main`]).
//!
//! ```
//! use dlpar_capture::record::SCHEMA;
//! assert_eq!(SCHEMA, "dlpar-capture/1");
//! ```

mod answer;
mod control;
mod experiment;
mod output;
mod probe;
pub mod read;
pub mod record;
mod recorder;
mod store;

pub use answer::{run_c_main, script};
pub use control::{path as control_path, rule as control_rule};
pub use probe::signals::name as signal_name;
pub use store::FILE_VARIABLE;
