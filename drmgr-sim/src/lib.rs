//! drmgr-sim: the host side of the DLPAR script protocol, a drmgr work-alike.
//!
//! It installs DLPAR scripts into a repository and runs whole DLPAR operations
//! against them with real processes, the sequencing of the protocol (docs/protocol.md §7),
//! per-invocation time limits, and a trace to read or snapshot. It runs **any**
//! executable — Rust binaries built with `dlpar-script`, POSIX shell, Perl.
//!
//! # Testing your script through a whole operation
//!
//! A vendor's `cargo test` can install its own script into a temporary repository
//! and drive it through an operation, then snapshot the deterministic trace with
//! `insta`. A Rust vendor installs its binary with
//! `env!("CARGO_BIN_EXE_<name>")` from an integration test; here a two-line shell
//! script stands in for it:
//!
//! ```
//! use std::os::unix::fs::PermissionsExt;
//! use dlpar_script::protocol::Resource;
//! use drmgr_sim::{EventVars, InstallOptions, Operation, Outcome, Repository, Runner, Timings};
//!
//! let dir = tempfile::tempdir()?;
//! let script = dir.path().join("acme_guard");
//! std::fs::write(&script, r#"#!/bin/sh
//! case $1 in
//! scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=22112026 'DR_SCRIPTINFO="guard"' 'DR_VENDOR="Acme"' ;;
//! register) echo DR_RESOURCE=cpu ;;
//! usage) echo 'DR_USAGE="Acme needs CPU 0"' ;;
//! checkrelease) [ "$DR_BCPUID" != 0 ] || { echo 'DR_ERROR="CPU 0 stays"'; exit 1; } ;;
//! esac
//! "#)?;
//! std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
//!
//! let repo = Repository::new(dir.path().join("repo"));
//! let runner = Runner::new().setenv("DLPAR_STATE_DIR", dir.path());
//! repo.install(&runner, &script, &InstallOptions::default())?;
//!
//! let trace = Operation::remove(Resource::Cpu).event(EventVars::Cpu { bcpuid: 0, lcpuid: 0 }).run(&repo, &runner)?;
//! assert_eq!(trace.outcome, Outcome::Vetoed);
//! assert_eq!(trace.reason.as_deref(), Some("checkrelease cpu vetoed by acme_guard: CPU 0 stays"));
//! assert!(trace.render_snapshot().ends_with("outcome: VETOED: checkrelease cpu vetoed by acme_guard: CPU 0 stays\n"));
//! assert_eq!(trace.to_json(Timings::Hidden)["invocations"][0]["exit"], 1);
//! // insta::assert_snapshot!(trace.render_snapshot());
//! // insta::assert_json_snapshot!(trace.to_json(Timings::Hidden));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The pieces
//!
//! * [`Repository`]: `install` (runs `scriptinfo`, `register`, `usage`, validates,
//!   copies, records), `uninstall`, `scripts`, `active`, `rebuild`. The information
//!   file's format is documented at [`Repository::INFO_FILE`] and in the module source.
//! * [`Runner`]: how one command is started — clean environment, working directory,
//!   process group, time limit, bounded reads; [`Runner::setenv`] is the
//!   simulator-only way to give scripts extra variables in tests.
//! * [`Operation`]: a family, a resource, the [`EventVars`], FORCE, a failing kernel
//!   step; [`Operation::run`] gives a [`Trace`].
//! * [`Trace`]: every [`Invocation`] in order, the [`Kernel`] step, the [`Outcome`];
//!   rendered as text ([`Trace::render`], [`Trace::render_snapshot`]) or JSON
//!   ([`Trace::to_json`]).
//! * [`Syslog`]: forwards `DR_LOG_*` lines, as `drmgr -S ID` does.
//! * [`capture`]: field truth — [`capture::Comparer`] holds drmgr-sim against a
//!   capture recorded by `dlpar_capture` on a real host, point by point;
//!   [`capture::replay`] runs a script with exactly the invocations a capture recorded.
//! * [`check`]: `drmgr-sim check`, a conformance checker for any DLPAR script:
//!   [`check::Checker`] gives findings against the rule [`check::catalogue`].
//! * [`linux`]: powerpc-utils' drmgr hooks on Linux on Power — [`linux::Hooks`]
//!   runs a hooks directory around a migration or a processor change as its
//!   `run_hooks` does, [`linux::install`] places a script there.
//!
//! # Sequencing (docs/protocol.md §7)
//!
//! Scripts run in name order (bytes); rollback runs in reverse order. A check phase
//! stops at the first veto. Exit 10 means "not supported": a warning, counted as a
//! success. A time-out, a signal or a script that cannot start counts as a failure.
//!
//! | family | check | a failing pre command | kernel failure | post |
//! |---|---|---|---|---|
//! | remove | `checkrelease`, skipped with FORCE | reported, the removal goes on | `undoprerelease` for every script that ran `prerelease` | `postrelease` for every script |
//! | add | `checkacquire`, always (a veto cannot be forced) | stops the operation unless FORCE; `undopreacquire` for the scripts that ran `preacquire`, the failing one included | `undopreacquire` likewise | `postacquire` for the scripts that ran `preacquire` |
//! | migrate, hibernate | `checkmigrate`/`checkhibernate`, always | reported, goes on | `undopremigrate`/`undohibernate` for the scripts that ran the pre command; no post | for the scripts that ran the pre command |
//! | accelerator | none | stops the event; `undopreaccevent` only for the scripts whose `preaccevent` succeeded | the same undo | `postaccevent` for the scripts that ran `preaccevent` |
//! | topology | none | ignored (reported) | cannot fail | `posttopologyupdate` for the scripts that ran the pre command |
//!
//! Post and undo failures are reported (DR_ERROR, trace notes) and change nothing.
//! For migrate, hibernate, accelerator and topology FORCE only sets `DR_FORCE=TRUE`.
//! `DR_MEM_SIZE_COMPLETED` is the whole request for the commands after a successful
//! kernel step, and the `completed_mb` value before it and in undo.
//!
//! # Scripts run as…
//!
//! When drmgr-sim runs as root, every script runs as its file's owner and group
//! (docs/protocol.md §1; install keeps the owner when copying). Otherwise it runs as the user
//! who started drmgr-sim.

pub mod capture;
pub mod check;
mod host;
pub mod linux;
pub mod liveupdate;
mod operation;
mod operator_file;
mod repository;
mod runner;
mod syslog;
mod trace;

pub use operation::{EventVars, MemVars, Operation, OperationError};
pub use repository::{InstallOptions, Installed, Location, Rebuilt, RepoError, Repository, ScriptEntry};
pub use runner::{End, Runner};
pub use syslog::Syslog;
pub use trace::text::visible;
pub use trace::{Invocation, Kernel, Outcome, Style, Timings, Trace, Verdict};
