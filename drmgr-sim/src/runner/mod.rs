//! Starting scripts the way drmgr does (docs/protocol.md §1): one process per command, a clean
//! environment, `/tmp` as working directory, its own process group, a time limit.

mod bare;
mod end;
mod group;
mod reply;
mod state_dir;
mod watch;

use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{self, Stdio};
use std::time::{Duration, Instant};

use dlpar_script::protocol::{Command, Resource};
use dlpar_script::state::DIR_VARIABLE;
use dlpar_script::wire::{MAX_REPLY_BYTES, ParsedReply};

pub(crate) use bare::{Bare, Ran};
pub use end::End;
pub(crate) use end::timed_out;
use reply::KeptReply;
pub(crate) use state_dir::{NAME as STATE_DIR, prepare as prepare_state_dir};
use watch::{Limits, Watched, lost_track, watch};

/// How drmgr-sim starts scripts: working directory, time limits, extra environment.
///
/// Every invocation gets exactly this environment (docs/protocol.md §1): `PATH=/usr/bin:/etc:/usr/sbin`,
/// `LANG` when drmgr-sim's own environment has it, the `DR_*` variables of the event,
/// and — a simulator-only test aid that real drmgr does not have — the variables
/// added with [`Runner::setenv`]. Standard input is `/dev/null`; the script leads a
/// new process group, so a time-out can end it and everything it started.
///
/// When drmgr-sim runs as root, each script runs as its file's owner and group, as
/// drmgr does; otherwise it runs as the current user.
///
/// During an operation ([`Operation::run`](crate::Operation::run), a Live Update)
/// scripts also get `DLPAR_STATE_DIR=<root>/.state/<uid>`: phase state inside the
/// repository root, one private directory per user the scripts run as, so that
/// simulated operations never write the system's state directory. A
/// `DLPAR_STATE_DIR` given with [`Runner::setenv`] takes its place.
///
/// ```
/// use std::time::Duration;
/// use drmgr_sim::Runner;
///
/// let runner = Runner::new()
///     .workdir(std::env::temp_dir())
///     .default_timeout(Duration::from_secs(5))
///     .setenv("DLPAR_STATE_DIR", "/var/tmp/acme-state");
/// assert_eq!(runner.time_limit(None, None), Duration::from_secs(5));
/// assert_eq!(runner.time_limit(Some(2), None), Duration::from_secs(2));
/// assert_eq!(runner.time_limit(Some(2), Some(1)), Duration::from_secs(60));
/// ```
#[derive(Debug, Clone)]
pub struct Runner {
    workdir: PathBuf,
    default_timeout: Duration,
    grace: Duration,
    lang: Option<OsString>,
    extra_env: Vec<(OsString, OsString)>,
}

impl Default for Runner {
    fn default() -> Runner {
        Runner::new()
    }
}

impl Runner {
    /// The `PATH` every script gets.
    pub const PATH: &'static str = "/usr/bin:/etc:/usr/sbin";
    /// The working directory every script gets unless [`Runner::workdir`] changes it.
    pub const WORKDIR: &'static str = "/tmp";
    /// The time limit of a command when neither the administrator (`-w`) nor the
    /// script (`DR_TIMEOUT`) gives one (a project decision).
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
    /// How long a timed-out script has between SIGTERM and SIGKILL (a project decision).
    pub const DEFAULT_GRACE: Duration = Duration::from_secs(2);
    /// Bytes of a script's stderr kept for the trace; the rest is read and discarded.
    pub const STDERR_LIMIT: usize = 64 * 1024;

    /// A runner with the defaults above and `LANG` taken from this process.
    pub fn new() -> Runner {
        Runner {
            workdir: PathBuf::from(Runner::WORKDIR),
            default_timeout: Runner::DEFAULT_TIMEOUT,
            grace: Runner::DEFAULT_GRACE,
            lang: std::env::var_os("LANG"),
            extra_env: Vec::new(),
        }
    }

    /// Runs scripts in `dir` instead of `/tmp` (for tests).
    pub fn workdir(mut self, dir: impl Into<PathBuf>) -> Runner {
        self.workdir = dir.into();
        self
    }

    /// The time limit when neither `-w` nor `DR_TIMEOUT` gives one.
    pub fn default_timeout(mut self, limit: Duration) -> Runner {
        self.default_timeout = limit;
        self
    }

    /// The time between SIGTERM and SIGKILL when a script runs past its limit.
    pub fn grace(mut self, grace: Duration) -> Runner {
        self.grace = grace;
        self
    }

    /// The time between SIGTERM and SIGKILL.
    pub(crate) fn grace_period(&self) -> Duration {
        self.grace
    }

    /// The variables added with [`Runner::setenv`], in order.
    pub(crate) fn extra_env(&self) -> &[(OsString, OsString)] {
        &self.extra_env
    }

    /// Sets `LANG` for the scripts, or leaves it unset with `None`.
    pub fn lang(mut self, lang: Option<impl Into<OsString>>) -> Runner {
        self.lang = lang.map(Into::into);
        self
    }

    /// Adds a variable to every script's environment, after the protocol's own (so
    /// it can override them). **A simulator-only test aid**: real drmgr clears the
    /// environment to `PATH`, `LANG` and `DR_*`. Tests use it to pass
    /// `DLPAR_STATE_DIR` and `DLPAR_AIX_REPLAY` to the scripts they run.
    pub fn setenv(mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> Runner {
        self.extra_env.push((name.into(), value.into()));
        self
    }

    /// The time limit of one command: the administrator's `-w` minutes, else the
    /// script's `DR_TIMEOUT` seconds, else the default.
    pub fn time_limit(&self, script_timeout_secs: Option<u32>, admin_timeout_mins: Option<u32>) -> Duration {
        match (admin_timeout_mins, script_timeout_secs) {
            (Some(minutes), _) => Duration::from_secs(u64::from(minutes) * 60),
            (None, Some(seconds)) => Duration::from_secs(u64::from(seconds)),
            (None, None) => self.default_timeout,
        }
    }

    /// Runs one command of one script and records what happened. Never fails: a
    /// script that cannot be started is a [`Called`] whose end says why.
    pub(crate) fn invoke(&self, call: &Call<'_>) -> Called {
        let started = Instant::now();
        let limits = Limits {
            time: call.limit,
            grace: self.grace,
            stdout: MAX_REPLY_BYTES,
            stderr: Runner::STDERR_LIMIT,
            own_group: true,
        };
        let watched = self
            .spawn(call)
            .map(|mut child| watch(&mut child, &limits).map_err(|error| lost_track(&mut child, &error, "the script")));
        let duration = started.elapsed();
        match watched {
            Err(error) => Called::ended(End::NotStarted(start_error(&error, call.path, &self.workdir)), duration),
            Ok(Err(lost)) => {
                let mut called = Called::ended(End::Signalled(libc::SIGKILL), duration);
                called.notes.push(lost);
                called
            }
            Ok(Ok(watched)) => Called::record(watched, call.limit, duration),
        }
    }

    /// The environment of a command with the `DR_*` variables `dr_env`, in the
    /// order set (a later name overrides an earlier one): `PATH` and `LANG` if any
    /// (unless `dr_env` is a whole recorded environment, `protocol_base` false),
    /// the `DR_*` variables, the [`Runner::setenv`] ones. The phase state
    /// directory is added at the start.
    pub(crate) fn environment<'a>(
        &'a self,
        dr_env: &'a [(String, String)],
        protocol_base: bool,
    ) -> impl Iterator<Item = (&'a OsStr, &'a OsStr)> {
        let path = protocol_base.then_some((OsStr::new("PATH"), OsStr::new(Runner::PATH)));
        let lang = self.lang.as_deref().filter(|_| protocol_base).map(|lang| (OsStr::new("LANG"), lang));
        path.into_iter()
            .chain(lang)
            .chain(dr_env.iter().map(|(k, v)| (OsStr::new(k), OsStr::new(v))))
            .chain(self.extra_env.iter().map(|(k, v)| (k.as_os_str(), v.as_os_str())))
    }

    /// The shell command line that starts `call` by hand as drmgr-sim does (same
    /// working directory, same environment, same arguments), for a report.
    pub(crate) fn reproduce(&self, path: &Path, args: &[&str], dr_env: &[(String, String)]) -> String {
        let env: Vec<(&OsStr, &OsStr)> = self.environment(dr_env, true).collect();
        command_line(&self.workdir, &env, path, args)
    }

    fn spawn(&self, call: &Call<'_>) -> io::Result<process::Child> {
        if !self.workdir.is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotADirectory, "working directory"));
        }
        let mut command = process::Command::new(call.path);
        command.arg(call.word.unwrap_or(call.command.as_str()));
        if let Some(resource) = call.resource {
            command.arg(resource.as_str());
        }
        command.env_clear().envs(self.environment(call.env, !call.whole_env));
        command.current_dir(&self.workdir).process_group(0);
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let owner = owner_to_run_as(call.path);
        if let Some(state_root) = call.state_root
            && !self.extra_env.iter().any(|(name, _)| name == DIR_VARIABLE)
        {
            let dir = state_dir::prepare(state_root, owner).map_err(|e| {
                io::Error::other(format!(
                    "the phase state directory under {} could not be made: {e} (or give the scripts \
                     another one with --setenv {DIR_VARIABLE}=DIR)",
                    state_root.display()
                ))
            })?;
            command.env(DIR_VARIABLE, dir);
        }
        if let Some((uid, gid)) = owner {
            command.uid(uid).gid(gid);
        }
        spawn_retrying(&mut command)
    }
}

/// Starts `command`. ETXTBSY: another thread of this process (a parallel test,
/// say) is forking while it holds the file open for writing; the window is short,
/// so retry.
fn spawn_retrying(command: &mut process::Command) -> io::Result<process::Child> {
    let mut pause = Duration::from_millis(5);
    loop {
        match command.spawn() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && pause < Duration::from_millis(500) => {
                std::thread::sleep(pause);
                pause *= 2;
            }
            result => return result,
        }
    }
}

/// The owner and group to switch to: only when running as root and the script file
/// belongs to someone else (docs/protocol.md §1: scripts run as their file's owner).
fn owner_to_run_as(path: &Path) -> Option<(u32, u32)> {
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    let euid = unsafe { libc::geteuid() };
    let meta = std::fs::metadata(path).ok()?;
    (euid == 0 && (meta.uid(), meta.gid()) != (0, 0)).then(|| (meta.uid(), meta.gid()))
}

/// `cd DIR && env -i NAME=value… PATH ARGS…`: a command line that starts `path` by
/// hand with exactly this working directory and environment.
pub(crate) fn command_line(workdir: &Path, env: &[(&OsStr, &OsStr)], path: &Path, args: &[&str]) -> String {
    let mut words = vec![format!("cd {} && env -i", shell_word(&workdir.to_string_lossy()))];
    words.extend(env.iter().map(|(k, v)| format!("{}={}", k.to_string_lossy(), shell_word(&v.to_string_lossy()))));
    words.push(shell_word(&path.to_string_lossy()));
    words.extend(args.iter().map(|a| shell_word(a)));
    words.join(" ")
}

/// `word` as one POSIX shell word: unchanged when it holds only characters no
/// shell treats specially, else between single quotes.
pub(crate) fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+:,=%@".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A start failure in words an administrator can act on.
pub(crate) fn start_error(error: &io::Error, path: &Path, workdir: &Path) -> String {
    let path = path.display();
    match error.kind() {
        io::ErrorKind::NotADirectory => format!("working directory {} does not exist", workdir.display()),
        io::ErrorKind::PermissionDenied => format!("{path} is not executable (permission denied)"),
        io::ErrorKind::NotFound => format!("{path} does not exist, or the interpreter on its #! line does not"),
        _ if error.raw_os_error() == Some(libc::ENOEXEC) => {
            format!("{path} is neither a program for this machine nor a script with a #! line (exec format error)")
        }
        _ => format!("{path}: {error}"),
    }
}

/// One command to run: which script, which word, which environment, how long.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    /// The script's installed name, for the trace.
    pub(crate) name: &'a str,
    /// The file to execute.
    pub(crate) path: &'a Path,
    /// argv\[1\].
    pub(crate) command: Command,
    /// argv\[1\] instead of `command`'s word, when it must be a word the protocol
    /// does not have (the checker's unknown-word probe).
    pub(crate) word: Option<&'a str>,
    /// argv\[2\], if any.
    pub(crate) resource: Option<&'a Resource>,
    /// The `DR_*` variables.
    pub(crate) env: &'a [(String, String)],
    /// Whether `env` is the whole environment (a replay of a recorded invocation):
    /// then the runner adds no `PATH` or `LANG` of its own.
    pub(crate) whole_env: bool,
    /// The time limit.
    pub(crate) limit: Duration,
    /// Where the operation's phase state goes (see [`state_dir`]); `None` for the
    /// install commands, which have none.
    pub(crate) state_root: Option<&'a Path>,
}

impl<'a> Call<'a> {
    /// An install command (`scriptinfo`, `register`, `usage RES`), asked by either
    /// installer: no `DR_*` variables, no phase state.
    pub(crate) fn install(
        name: &'a str,
        path: &'a Path,
        command: Command,
        resource: Option<&'a Resource>,
        limit: Duration,
    ) -> Call<'a> {
        Call { name, path, command, word: None, resource, env: &[], whole_env: false, limit, state_root: None }
    }
}

/// What one command of one script did, as the runner saw it: how it ended, how long
/// it took, its stdout read as a reply (bounded), its stderr (bounded), and what the
/// runner noticed on the way. The runner's own result: the trace builds its
/// `Invocation` from it.
#[derive(Debug)]
pub(crate) struct Called {
    pub(crate) end: End,
    pub(crate) duration: Duration,
    pub(crate) reply: ParsedReply,
    pub(crate) stderr: String,
    /// Output cut, pairs glued on one line, signals sent, drmgr-sim losing track.
    pub(crate) notes: Vec<String>,
}

impl Called {
    /// A command that ended before anything was read.
    fn ended(end: End, duration: Duration) -> Called {
        Called { end, duration, reply: ParsedReply::default(), stderr: String::new(), notes: Vec::new() }
    }

    /// What the watch saw.
    fn record(watched: Watched, limit: Duration, duration: Duration) -> Called {
        let mut called = Called::ended(watched.end(limit), duration);
        let kept = KeptReply::parse(&watched.stdout.kept);
        if kept.warnings_not_kept > 0 {
            called.notes.push(format!("... and {} more protocol warnings", kept.warnings_not_kept));
        }
        called.notes.extend(reply::glued_pairs(&kept.reply));
        called.reply = kept.reply;
        for (count, what, cap) in [
            (kept.logs_not_kept, "DR_LOG_* lines", reply::MAX_KEPT_LOGS),
            (kept.others_not_kept, "DR_* lines other than DR_LOG_*", reply::MAX_KEPT_OTHERS),
        ] {
            if count > 0 {
                called.notes.push(format!("stdout: {count} more {what} were read but not kept (the first {cap} are)"));
            }
        }
        called.notes.extend(watched.signals.iter().cloned());
        if watched.stdout.discarded() > 0 {
            called.notes.push(format!(
                "stdout: the script wrote {} bytes; only the first {MAX_REPLY_BYTES} were read, the rest was discarded",
                watched.stdout.total
            ));
        }
        called.stderr = String::from_utf8_lossy(&watched.stderr.kept).into_owned();
        called.notes.extend(watched.stderr_notes(Runner::STDERR_LIMIT));
        called
    }
}
