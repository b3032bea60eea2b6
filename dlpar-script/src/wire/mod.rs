//! The wire format between a script and its host: `DR_NAME=value` lines on stdout.
//!
//! The script side writes through [`Reply`], which makes malformed output
//! impossible; the host side reads with [`parse_reply`], which never fails and
//! reports every oddity as a [`ReplyWarning`].
//!
//! # Encoding rules (docs/protocol.md §4, project decisions)
//!
//! * Names are [`Key`]s: `DR_` followed by `A-Z`, `0-9`, `_`; nothing else can be written.
//! * Text values (`DR_ERROR`, `DR_USAGE`, `DR_SCRIPTINFO`, `DR_VENDOR`, `DR_LOG_*`) are
//!   enclosed in double quotes; tokens (`DR_VERSION`, `DR_DATE`, `DR_TIMEOUT`,
//!   `DR_RESOURCE`) are written bare.
//! * One value is one line: each line break (CR LF, CR or LF) and each tab becomes one
//!   space; any other control character (C0, DEL, C1) and the Unicode line and
//!   paragraph separators become `?`.
//! * A double quote inside a value becomes a single quote: no host is known to
//!   understand an escape syntax.
//! * A value longer than [`MAX_VALUE_BYTES`] (1024, the classic syslog message size)
//!   is cut on a UTF-8 boundary and ends with `...`.
//!
//! ```
//! use dlpar_script::wire::{Key, Reply, parse_reply};
//!
//! let mut reply = Reply::new();
//! reply.text(&Key::ERROR, "line one\nsaid \"no\"");
//! assert_eq!(reply.as_bytes(), b"DR_ERROR=\"line one said 'no'\"\n");
//!
//! let parsed = parse_reply(reply.as_bytes());
//! assert_eq!(parsed.first("DR_ERROR"), Some("line one said 'no'"));
//! assert!(parsed.warnings.is_empty());
//! ```

mod encode;
mod key;
mod output;
mod parse;
mod readable;
mod text;

pub use encode::{ANSWER_ROOM, MAX_BYTES, Reply};
pub use key::{Key, KeyError, LogLevel};
pub(crate) use output::{Idle, LOST_COPY, Output, note, write_fd};
pub use parse::{MAX_LINE_BYTES, MAX_REPLY_BYTES, Pair, ParsedReply, ReplyWarning, parse_reply};
pub(crate) use readable::{Readable, each_line};
pub use text::{MAX_VALUE_BYTES, neutralise};
