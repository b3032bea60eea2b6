//! The capture format: one JSON object per line, each naming its schema.
//!
//! A capture file is a sequence of [`Line`]s. Every invocation of the capture
//! script writes an [`Invocation`] record first (before it answers anything, so
//! nothing is lost if drmgr kills it), then, during a `sleep` experiment, one
//! [`SignalArrival`] per signal as it arrives, and last an [`End`] record. All the
//! lines of one invocation carry the same [`Line::id`]. Lines of concurrent
//! invocations may alternate, but a line is never split.
//!
//! Every field is described in `docs/capture-format.md`. Within schema
//! `dlpar-capture/1`, changes are additive only: new fields get defaults, so a
//! reader of version 1 reads every version-1 file.
//!
//! ```
//! use dlpar_capture::record::{Line, Record, SCHEMA};
//!
//! let text = r#"{"schema":"dlpar-capture/1","id":"77-1","kind":"end","at":{"monotonic_ns":5,"wall_ns":9},"answered_by":"capture","exit_status":1}"#;
//! let line: Line = serde_json::from_str(text).unwrap();
//! assert_eq!(line.schema, SCHEMA);
//! match line.record {
//!     Record::End(end) => assert_eq!(end.exit_status, 1),
//!     other => panic!("unexpected {other:?}"),
//! }
//! ```

use serde::{Deserialize, Serialize};

/// The schema every line of this version carries.
pub const SCHEMA: &str = "dlpar-capture/1";

/// The schema name without its version: `dlpar-capture/`.
pub const SCHEMA_NAME: &str = "dlpar-capture/";

/// The schema version this crate writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// One line of a capture file.
///
/// ```
/// use dlpar_capture::record::{AnsweredBy, End, Line, Record, Stamp};
///
/// let line = Line::new("42-7", Record::End(End {
///     at: Stamp { monotonic_ns: 1, wall_ns: 2 },
///     answered_by: AnsweredBy::Runtime,
///     exit_status: 0,
///     printed: vec![],
/// }));
/// let json = serde_json::to_string(&line).unwrap();
/// assert!(json.starts_with(r#"{"schema":"dlpar-capture/1","id":"42-7","kind":"end""#));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// `dlpar-capture/1`.
    pub schema: String,
    /// The invocation this line belongs to: unique within a capture file.
    pub id: String,
    /// The record.
    #[serde(flatten)]
    pub record: Record,
}

impl Line {
    /// A line of this crate's [`SCHEMA`].
    ///
    /// ```
    /// # use dlpar_capture::record::*;
    /// let line = Line::new("1-1", Record::End(End { at: Stamp::default(), answered_by: AnsweredBy::Capture, exit_status: 0, printed: vec![] }));
    /// assert_eq!(line.schema, SCHEMA);
    /// ```
    pub fn new(id: impl Into<String>, record: Record) -> Line {
        Line { schema: SCHEMA.to_owned(), id: id.into(), record }
    }
}

/// What a line records, named by its `kind` field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Record {
    /// `invocation`: how the script was started, written first.
    Invocation(Box<Invocation>),
    /// `signal`: a signal that arrived during a `sleep` experiment.
    Signal(SignalArrival),
    /// `end`: how the invocation was answered, written last.
    End(End),
}

/// A moment, on two clocks.
///
/// ```
/// let stamp = dlpar_capture::record::Stamp { monotonic_ns: 1_500_000_000, wall_ns: 0 };
/// assert_eq!(stamp.monotonic_ns / 1_000_000, 1500);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Stamp {
    /// `CLOCK_MONOTONIC` in nanoseconds: comparable between the invocations of one
    /// boot, so the order and spacing of scripts are exact.
    pub monotonic_ns: u64,
    /// Wall-clock time (`CLOCK_REALTIME`) in nanoseconds since the Unix epoch.
    pub wall_ns: u64,
}

/// How the host started the script.
///
/// ```
/// use dlpar_capture::record::HostKind;
/// assert_eq!(serde_json::to_string(&HostKind::Hook).unwrap(), "\"hook\"");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostKind {
    /// With a command word on the command line: AIX drmgr (or drmgr-sim `run`).
    Aix,
    /// Without arguments, with `PHASE` and `DRC_TYPE` set: a powerpc-utils hook.
    Hook,
    /// Neither: started by hand or by something else.
    #[default]
    Unknown,
}

/// Everything the host gave the script, probed before anything was changed.
///
/// ```
/// use dlpar_capture::record::Invocation;
/// let mut invocation = Invocation::default();
/// invocation.env = vec!["DR_FORCE=FALSE".into(), "ODD".into()];
/// assert_eq!(invocation.env_var("DR_FORCE"), Some("FALSE"));
/// assert_eq!(invocation.env_var("ODD"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invocation {
    /// When the script started probing.
    pub at: Stamp,
    /// The version of `dlpar_capture` that wrote the record.
    pub capture_version: String,
    /// How the host started the script.
    pub host: HostKind,
    /// The last path component of `argv[0]`: the name the script was installed under.
    pub installed_name: String,
    /// The command line, `argv[0]` included (bytes that are not UTF-8 become U+FFFD).
    pub argv: Vec<String>,
    /// The whole environment, `NAME=value` entries in the order of `environ`.
    pub env: Vec<String>,
    /// The working directory; `None` if it could not be read (see [`Invocation::problems`]).
    pub cwd: Option<String>,
    /// User and group identities.
    pub ids: Ids,
    /// The file mode creation mask.
    pub umask: u32,
    /// Process identifiers.
    pub process: Process,
    /// Blocked, ignored and caught signals.
    pub signals: Signals,
    /// Descriptors 0, 1 and 2, in that order.
    pub stdio: Vec<Fd>,
    /// Every other open descriptor, in increasing order (up to [`Invocation::fd_scan_limit`]).
    pub other_fds: Vec<Fd>,
    /// Descriptors below this number were examined.
    pub fd_scan_limit: i32,
    /// Resource limits.
    pub rlimits: Vec<Rlimit>,
    /// The host name (`gethostname`).
    pub hostname: Option<String>,
    /// Where this record is written.
    pub capture_file: String,
    /// The control file and what was read from it.
    pub control: Control,
    /// What the script does after recording, in order: the experiment. Empty when it
    /// only records and answers success.
    pub experiment: Vec<Step>,
    /// Probes that failed, each `what: why`; the corresponding field has its default.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

impl Invocation {
    /// The value of environment variable `name`, if set.
    pub fn env_var(&self, name: &str) -> Option<&str> {
        self.env.iter().find_map(|entry| entry.strip_prefix(name)?.strip_prefix('='))
    }

    /// The command word (`argv[1]`) for [`HostKind::Aix`], `PHASE` for a hook.
    ///
    /// ```
    /// use dlpar_capture::record::{HostKind, Invocation};
    /// let mut hook = Invocation { host: HostKind::Hook, ..Invocation::default() };
    /// hook.env = vec!["PHASE=check".into(), "DRC_TYPE=pmig".into()];
    /// assert_eq!((hook.command(), hook.resource()), (Some("check"), Some("pmig")));
    /// ```
    pub fn command(&self) -> Option<&str> {
        match self.host {
            HostKind::Hook => self.env_var("PHASE"),
            _ => self.argv.get(1).map(String::as_str),
        }
    }

    /// The resource word (`argv[2]`) for [`HostKind::Aix`], `DRC_TYPE` for a hook.
    pub fn resource(&self) -> Option<&str> {
        match self.host {
            HostKind::Hook => self.env_var("DRC_TYPE"),
            _ => self.argv.get(2).map(String::as_str),
        }
    }
}

/// User and group identities.
///
/// ```
/// let ids = dlpar_capture::record::Ids::default();
/// assert!(ids.groups.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ids {
    /// Real user id.
    pub uid: u32,
    /// Effective user id.
    pub euid: u32,
    /// Real group id.
    pub gid: u32,
    /// Effective group id.
    pub egid: u32,
    /// Supplementary groups (`getgroups`).
    pub groups: Vec<u32>,
}

/// Process identifiers.
///
/// ```
/// let p = dlpar_capture::record::Process { pid: 9, ppid: 1, pgid: 9, sid: 1 };
/// assert_eq!(p.pid, p.pgid); // a process group leader
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    /// `getpid`.
    pub pid: i32,
    /// `getppid`: the host (drmgr) or what it started the script through.
    pub ppid: i32,
    /// `getpgrp`: the process group.
    pub pgid: i32,
    /// `getsid(0)`: the session.
    pub sid: i32,
}

/// Signal state at start, each set as signal names (`SIGTERM`; a number without a
/// name is `SIG<n>`), in increasing signal number.
///
/// ```
/// let s = dlpar_capture::record::Signals::default();
/// assert!(s.blocked.is_empty() && s.ignored.is_empty() && s.caught.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signals {
    /// The signal mask (`sigprocmask`).
    pub blocked: Vec<String>,
    /// Signals whose disposition is `SIG_IGN`.
    pub ignored: Vec<String>,
    /// Signals with a handler (only possible if something ran in this process before
    /// the capture's `main`; normally empty).
    pub caught: Vec<String>,
}

/// What an open (or closed) descriptor is.
///
/// ```
/// use dlpar_capture::record::{Fd, FdKind};
/// let closed = Fd::closed(0);
/// assert_eq!(closed.kind, FdKind::Closed);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fd {
    /// The descriptor number.
    pub fd: i32,
    /// Its kind.
    pub kind: FdKind,
    /// `read`, `write` or `read_write`; `None` when closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
    /// `O_APPEND` is set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub append: bool,
    /// `O_NONBLOCK` is set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nonblock: bool,
    /// `FD_CLOEXEC` is set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cloexec: bool,
    /// Device and inode (`st_dev`, `st_ino`): equal pairs are the same pipe or file
    /// (for example stdout and stderr on one pipe).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<(u64, u64)>,
    /// What the descriptor points at, where the system says (Linux: `/proc/self/fd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Fd {
    /// A closed descriptor.
    pub fn closed(fd: i32) -> Fd {
        Fd { fd, kind: FdKind::Closed, ..Fd::default() }
    }
}

/// The kind of a descriptor.
///
/// ```
/// use dlpar_capture::record::FdKind;
/// assert_eq!(serde_json::to_string(&FdKind::DevNull).unwrap(), "\"dev_null\"");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FdKind {
    /// Not open.
    #[default]
    Closed,
    /// `/dev/null`.
    DevNull,
    /// A terminal.
    Tty,
    /// A pipe or FIFO.
    Pipe,
    /// A socket.
    Socket,
    /// A regular file.
    File,
    /// A directory.
    Directory,
    /// Another character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// Open, but of no kind above.
    Other,
}

/// How a descriptor was opened.
///
/// ```
/// use dlpar_capture::record::Access;
/// assert_eq!(serde_json::to_string(&Access::ReadWrite).unwrap(), "\"read_write\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// `O_RDONLY`.
    Read,
    /// `O_WRONLY`.
    Write,
    /// `O_RDWR`.
    ReadWrite,
}

/// One resource limit; `None` is unlimited.
///
/// ```
/// let l = dlpar_capture::record::Rlimit { name: "NOFILE".into(), soft: Some(1024), hard: None };
/// assert!(l.hard.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rlimit {
    /// The limit's name without `RLIMIT_`: `CPU`, `FSIZE`, `DATA`, `STACK`, `CORE`,
    /// `RSS`, `AS`, `NOFILE`, `NPROC`.
    pub name: String,
    /// The soft limit.
    pub soft: Option<u64>,
    /// The hard limit.
    pub hard: Option<u64>,
}

/// The control file: where it is and what came of reading it.
///
/// ```
/// use dlpar_capture::record::{Control, ControlState};
/// let c = Control { path: "/var/log/dlpar_capture/control".into(), state: ControlState::Missing };
/// assert_eq!(serde_json::to_value(&c).unwrap()["state"], "missing");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Control {
    /// The control file's path.
    pub path: String,
    /// What came of reading it.
    #[serde(flatten)]
    pub state: ControlState,
}

/// What came of reading the control file.
///
/// ```
/// use dlpar_capture::record::ControlState;
/// let s = ControlState::Malformed { message: "line 2: …".into() };
/// assert_eq!(serde_json::to_value(&s).unwrap()["state"], "malformed");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ControlState {
    /// No control file: record only.
    #[default]
    Missing,
    /// Read; `rules` rules in it (matching or not).
    Read {
        /// How many rules the file holds.
        rules: usize,
    },
    /// Present but unusable (the message names the line): recorded only, and
    /// answered with a `DR_LOG_WARNING`.
    Malformed {
        /// What is wrong, and where.
        message: String,
    },
}

/// One step of an experiment, done in the order recorded.
///
/// ```
/// use dlpar_capture::record::Step;
/// let json = serde_json::to_string(&Step::Sleep { seconds: 30 }).unwrap();
/// assert_eq!(json, r#"{"do":"sleep","seconds":30}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Step {
    /// Write `line` and a newline to stdout, as given.
    Print {
        /// The raw line.
        line: String,
    },
    /// Write `DR_ERROR="message"` to stdout (on a hook: `error: message`).
    Error {
        /// The message.
        message: String,
    },
    /// Sleep this many seconds, recording every signal that arrives.
    Sleep {
        /// Seconds.
        seconds: u32,
    },
    /// End with this exit status (0–255), skipping the steps after it.
    Exit {
        /// The status.
        status: u8,
    },
}

/// A signal that arrived during a `sleep` experiment, written when it arrived.
///
/// ```
/// let s = dlpar_capture::record::SignalArrival { signal: "SIGTERM".into(), number: 15, ..Default::default() };
/// assert_eq!(s.number, 15);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalArrival {
    /// When it arrived (taken in the signal handler).
    pub at: Stamp,
    /// Nanoseconds since the invocation's [`Invocation::at`] (monotonic).
    pub since_start_ns: u64,
    /// Its name (`SIGTERM`), or `SIG<n>`.
    pub signal: String,
    /// Its number on this system.
    pub number: i32,
    /// Who sent it (`si_pid`), if the system says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_pid: Option<i32>,
    /// The sender's real uid (`si_uid`), if the system says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_uid: Option<u32>,
}

/// Which part of the script answered.
///
/// ```
/// use dlpar_capture::record::AnsweredBy;
/// assert_eq!(serde_json::to_string(&AnsweredBy::Runtime).unwrap(), "\"runtime\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnsweredBy {
    /// dlpar-script's runtime (`scriptinfo`, `register`, `usage`, words it does not know).
    Runtime,
    /// The capture itself: an event command or a hook, recorded only or experimented on.
    Capture,
}

/// How the invocation ended, written just before the process exits.
///
/// ```
/// use dlpar_capture::record::{AnsweredBy, End, Stamp};
/// let end = End { at: Stamp::default(), answered_by: AnsweredBy::Capture, exit_status: 0, printed: vec![] };
/// assert_eq!(end.exit_status, 0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct End {
    /// When it ended.
    pub at: Stamp,
    /// Who answered.
    pub answered_by: AnsweredBy,
    /// The exit status.
    pub exit_status: u8,
    /// The lines the capture wrote to stdout (or, on a hook, to stderr for its
    /// warnings), in order; the runtime's reply is not repeated here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub printed: Vec<String>,
}
