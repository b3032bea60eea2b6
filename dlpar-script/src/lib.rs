//! Write AIX DLPAR scripts in Rust.
//!
//! When processors, memory, entitled capacity or variable weight are added to or
//! removed from a running AIX partition, or the partition migrates or hibernates,
//! `drmgr` runs every installed *DLPAR script* with a command word
//! (`checkrelease cpu`, `prerelease mem`, …) and `DR_*` environment variables, and
//! reads back `DR_*=value` lines and an exit status. This crate turns that protocol
//! into typed handlers and guarantees a well-formed answer, whatever a handler does.
//!
//! A script is a few handler functions, each annotated with the command and resource
//! it answers, and one `main!` with the metadata drmgr asks for at install time:
//!
//! ```
//! # mod doc {
//! use dlpar_script::prelude::*;
//!
//! /// Refuse to give away the CPU that runs the licence daemon.
//! #[checkrelease(cpu)]
//! fn keep_cpu0(ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
//!     if ev.bcpuid == Some(0) {
//!         return Err(Error::refuse("CPU 0 runs the licence daemon"));
//!     }
//!     Ok(())
//! }
//!
//! dlpar_script::main! {
//!     vendor: "Acme",
//!     info: "Acme DB follows CPU changes",
//!     version: 1,
//!     date: "22112026",
//!     timeout: 30,
//!     usage: { cpu: "Acme DB worker threads are bound to processors" },
//!     handlers: [keep_cpu0],
//! }
//! # }
//! # fn main() {}
//! ```
//!
//! `main!` expands to the plain builder, which works without macros and is what
//! tests drive in-process:
//!
//! ```
//! use dlpar_script::prelude::*;
//!
//! fn keep_cpu0(ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
//!     if ev.bcpuid == Some(0) {
//!         return Err(Error::refuse("CPU 0 runs the licence daemon"));
//!     }
//!     Ok(())
//! }
//!
//! fn script() -> Script {
//!     Script::new("Acme", "Acme DB follows CPU changes")
//!         .version(1)
//!         .date("22112026")
//!         .timeout(30)
//!         .resource(Resource::Cpu, "Acme DB worker threads are bound to processors")
//!         .on(Command::CheckRelease, Resource::Cpu, keep_cpu0)
//! }
//!
//! // fn main() -> std::process::ExitCode { script().run() }
//! let answer = dlpar_script::testing::invoke(&script(), ["scriptinfo"]);
//! assert_eq!(answer.stdout, "DR_VERSION=1\nDR_DATE=22112026\n\
//!     DR_SCRIPTINFO=\"Acme DB follows CPU changes\"\nDR_VENDOR=\"Acme\"\nDR_TIMEOUT=30\n");
//! let answer = dlpar_script::testing::invoke_with_env(&script(), ["checkrelease", "cpu"], [("DR_BCPUID", "0")]);
//! assert_eq!(answer.to_string(), "exit: 1\nDR_ERROR=\"CPU 0 runs the licence daemon\"\n");
//! ```
//!
//! # Map of the crate
//!
//! * [`protocol`]: command words, families, phases, resources, argv.
//! * [`event`]: the `DR_*` variables decoded into typed events.
//! * [`wire`]: the `DR_*=value` output, the encoder and the host-side parser.
//! * [`Script`], [`Context`], [`Error`]: building and running a script.
//! * [`logging`]: `log` records as `DR_LOG_*` lines, gated by `DR_DETAIL_LEVEL`.
//! * [`state`]: what a pre handler saves for the post or undo handler.
//! * [`watchdog`]: answering drmgr before it ends a script past its time limit.
//! * `aix` (feature `aix`): typed helpers for `ps`, `bindprocessor`, `ipcs`,
//!   `lsrset`, `lsclass`, `chclass`, the commands that resolve what blocks a removal.
//! * [`hook`]: the same script as a powerpc-utils `drmgr` hook on Linux on Power.
//! * [`testing`]: answering a command in-process, for tests.
//! * [`main!`] and the handler attributes ([`checkrelease`], [`prerelease`], …): the
//!   same scripts with less code, checked at compile time.
//!
//! # Cargo features
//!
//! Both are off by default, so a script that needs neither compiles neither:
//!
//! | feature | adds | extra crates |
//! |---|---|---|
//! | `syslog` | `Script::syslog`: a copy of each shown log line to the local syslog daemon | `syslog`, `time`, `hostname` and theirs |
//! | `aix` | the `aix` module: the AIX command helpers and `CpuRelease` | none |
//!
//! ```toml
//! [dependencies]
//! dlpar-script = { version = "0.1", features = ["aix"] }
//! ```
//!
//! # What the runtime guarantees
//!
//! stdout belongs to the runtime: only [`wire::Reply`] writes there, once, and every
//! line is a valid `DR_*` line. While a handler runs, fd 1 is a copy of stderr, so
//! whatever a handler or a child process it starts prints goes to stderr, never
//! into the reply (see [`Script::run`]). The reply stays within
//! [`wire::MAX_BYTES`], below what the host reads, with room kept for `DR_ERROR`.
//! A handler's error becomes `DR_ERROR` and exit 1; a panic becomes
//! `DR_ERROR` naming the handler and exit 1, whether or not stderr can be written;
//! an unknown command word exits 10; the host's `SIGTERM` is answered with
//! `DR_ERROR` ([`watchdog`]). Release builds must keep `panic = "unwind"` for
//! panics to be answered.

#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "aix")]
#[cfg_attr(docsrs, doc(cfg(feature = "aix")))]
pub mod aix;
pub mod event;
pub mod hook;
pub mod logging;
pub mod protocol;
pub mod state;
pub mod testing;
pub mod watchdog;
pub mod wire;

pub mod prelude;

/// The handler attributes, one per event command of `dlpar-script-vocab`'s table;
/// re-exported here and in the prelude.
mod attributes {
    /// `pub use` of the attribute of each row that has one.
    macro_rules! attributes {
        ($($(#[$doc:meta])* $variant:ident = $word:ident $(| $alias:literal)*, $family:ident, $phase:ident { $($attribute:tt)* })+) => {
            $(attributes!(@row $word { $($attribute)* });)+
        };
        (@row $word:ident {}) => {};
        (@row $word:ident { $($attribute:tt)+ }) => {
            pub use dlpar_script_macros::$word;
        };
    }

    dlpar_script_vocab::commands!(attributes);
}
mod error;
mod fs;
mod script;

/// Named after the version, which `dlpar-script-macros` (pinned to the same one)
/// writes in every path it generates.
#[doc(hidden)]
#[path = "private.rs"]
pub mod __private_0_1_0;

/// The secure-file layer, for the workspace's own crates (`dlpar-liveupdate`) only:
/// not part of the public API, no stability promise.
#[doc(hidden)]
pub mod __fs {
    pub use crate::fs::{FsError, PrivateDir};
}

#[doc(inline)]
pub use attributes::*;
#[doc(inline)]
pub use dlpar_script_macros::main;
pub use error::{Error, Result};
/// The `log` crate, whose macros handlers use to write `DR_LOG_*` lines; see [`logging`].
/// A script needs no `log` dependency of its own: `use dlpar_script::log;`.
pub use log;
pub use script::{Context, InvalidScript, Problem, Script, ScriptInfo, Target, TextIssue};
/// The `serde` crate (with its derive macros), for [phase state](state) values. A
/// script needs no `serde` dependency of its own: derive with the prelude's
/// `Serialize`/`Deserialize` and `#[serde(crate = "dlpar_script::serde")]`.
pub use serde;
