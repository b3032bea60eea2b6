//! Typed helpers for the AIX commands that resolve DLPAR dependencies.
//!
//! A processor removal fails while a process is bound to the processor; a memory
//! removal fails when too much memory is pinned. The protocol page names the commands
//! a script uses to find and resolve such dependencies (`ps`, `bindprocessor`, `kill`,
//! `ipcs`, `lsrset`, `lsclass`, `chclass`); this module runs them safely and reads
//! their output into types:
//!
//! | need | call | command |
//! |---|---|---|
//! | processes bound to a processor, plock status | [`Aix::bound_to`], [`Aix::plocked`], [`Aix::processes`] | `ps -e -m -o THREAD` |
//! | online processors | [`Aix::online_processors`] | `bindprocessor -q` |
//! | bind, unbind | [`Aix::bind`], [`Aix::unbind`] | `bindprocessor PID CPU`, `bindprocessor -u PID` |
//! | signal a process | [`send_signal`] | `kill(2)`, no subprocess |
//! | pinned shared memory with owners and sizes | [`Aix::pinned_segments`], [`Aix::shared_segments`] | `ipcs -m -b -p [-P]` |
//! | resource sets and their CPUs | [`Aix::rsets`] | `lsrset -v -a` |
//! | WLM classes and their rsets | [`Aix::classes`], [`Aix::set_class_rset`] | `lsclass -C -r`, `chclass -a rset=…` |
//!
//! On top of them, [`CpuRelease`] is the usual processor-removal building block:
//! unbind what is bound to the processor being removed, remember it in phase state,
//! rebind it when the removal is undone.
//!
//! # Running commands
//!
//! Commands run through a [`CommandRunner`]: by absolute path, with an argument
//! vector (never a shell, never a `PATH` lookup, no text interpolated into a command
//! line), within a time limit, with bounded output. Off AIX the real runner says the
//! command is absent (`/usr/sbin/bindprocessor not found: this is not AIX`). For tests
//! and `drmgr-sim` demos, [`ReplayRunner`] answers from a replay file named by
//! `DLPAR_AIX_REPLAY` and records the argument vectors it was given;
//! [`Aix::from_env`] picks it when that variable is set.
//!
//! ```
//! use dlpar_script::aix::{Aix, BindCpu, Pid, ReplayRunner, RecordedOutput};
//!
//! let ps = "USER PID PPID TID ST CP PRI SC WCHAN F TT BND COMMAND\n\
//!           acme 4242 1 - A 0 60 1 * 240001 - 3 /opt/acme/bin/worker -n 4\n\
//!           - - - 8111 S 0 60 1 - 400 - 3 -\n";
//! let runner = ReplayRunner::new()
//!     .on(["/usr/bin/ps", "-e", "-m", "-o", "THREAD"], RecordedOutput::stdout(ps))
//!     .on(["/usr/sbin/bindprocessor", "-u", "4242"], RecordedOutput::ok());
//! let aix = Aix::new(&runner);
//! for process in aix.bound_to(BindCpu(3))? {
//!     aix.unbind(process.pid)?;
//! }
//! assert_eq!(runner.calls()[1], ["/usr/sbin/bindprocessor", "-u", "4242"]);
//! # Ok::<(), dlpar_script::aix::AixError>(())
//! ```
//!
//! # Formats
//!
//! Each parser follows the documented output of its command, described on the
//! parser; output in any other shape is a [`ParseError`] that quotes the line, never
//! a panic or a guess. Where IBM's pages do not show the format, the parser says so
//! (marked \[R\]: recalled, to be confirmed on a partition).

mod bindprocessor;
mod command;
mod error;
mod ids;
mod ipcs;
mod lsclass;
mod lsrset;
mod parse;
mod ps;
mod queries;
mod release;
mod runner;
mod signal;

pub use bindprocessor::parse_available_processors;
pub use command::{AixCommand, CommandLine, CommandOutput};
pub use error::{AixError, ParseError};
pub use ids::{BindCpu, LogicalCpu, Pid};
pub use ipcs::{IPCS_ARGS, IPCS_PINNED_ARGS, SharedSegment, parse_ipcs};
pub use lsclass::{WlmClass, WlmScope, classes_confined_to, parse_lsclass};
pub use lsrset::{LSRSET_ARGS, Rset, parse_lsrset};
pub use ps::{Binding, PS_ARGS, Process, SPLOCK, Thread, parse_ps};
pub use queries::{Aix, DEFAULT_TIME_LIMIT};
pub use release::{AfterRelease, CpuRelease, Rebound, ReleaseStore, Released, Unbound};
pub use runner::{CommandRunner, REPLAY_ENV, RecordedOutput, ReplayRunner, SystemRunner, runner_from_env};
pub use signal::{Signal, send_signal};
