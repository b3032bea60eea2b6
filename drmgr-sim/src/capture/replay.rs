//! `drmgr-sim replay CAPTURE -- SCRIPT`: a script run with exactly the invocations
//! a capture recorded, in place of the capture instances.
//!
//! Every recorded invocation, in the recorded order, becomes one run of the script:
//!
//! * AIX: `SCRIPT COMMAND [RESOURCE]` with the recorded arguments and exactly the
//!   recorded environment (no `PATH` or `LANG` of drmgr-sim's own), in the
//!   recorded working directory when it exists here (else drmgr-sim's). The script is
//!   installed first in a temporary repository, as `drmgr -i` would (its
//!   `scriptinfo` gives its `DR_TIMEOUT`), and keeps its phase state there
//!   (`DLPAR_STATE_DIR` replaces a recorded one: a replay never writes the system's
//!   state directory).
//! * A hook: no arguments, exactly the recorded environment, the recorded working
//!   directory.
//!
//! The time limit of a run is the one the host showed: when the recorded
//! invocation got SIGTERM during a `sleep` experiment, that many seconds; otherwise
//! the script's `DR_TIMEOUT` (AIX) or none (hooks, as powerpc-utils). Nothing is
//! re-sequenced: a veto does not stop the replay, since the recording already
//! says what the host did next.

use std::ffi::OsString;
use std::fmt::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use dlpar_capture::read::{Capture, Run};
use dlpar_capture::record::HostKind;
use dlpar_script::hook::HookPhase;
use dlpar_script::protocol::{Command, Resource};
use serde_json::{Value, json};

use super::CompareError;
use super::compare::labels;
use crate::linux::{HookRun, Hooks, drmgr_mask};
use crate::repository::{InstallOptions, Repository};
use crate::runner::{Bare, Call, Runner};
use crate::trace::json::invocation as invocation_json;
use crate::trace::text::{Rows, render_with};
use crate::trace::{Invocation, Style, Timings};

/// How [`replay`] starts the script.
///
/// ```
/// use std::time::Duration;
/// use drmgr_sim::Runner;
/// use drmgr_sim::capture::ReplayOptions;
///
/// let options = ReplayOptions::new().runner(Runner::new().grace(Duration::from_millis(500)));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct ReplayOptions {
    runner: Runner,
}

impl ReplayOptions {
    /// The defaults: a default [`Runner`].
    pub fn new() -> ReplayOptions {
        ReplayOptions::default()
    }

    /// Starts the script with `runner`: its grace period, its default time limit
    /// (for a script without `DR_TIMEOUT`), its working directory (when the recorded
    /// one does not exist here) and its [`Runner::setenv`] variables, added after
    /// the recorded ones.
    pub fn runner(mut self, runner: Runner) -> ReplayOptions {
        self.runner = runner;
        self
    }
}

/// One recorded invocation, replayed: a step of [`Replay::steps`] (see [`replay`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replayed {
    /// An AIX invocation: the script's answer, parsed as drmgr-sim parses any.
    Aix {
        /// The recorded invocation it replays (`checkrelease cpu a_capture`).
        recorded: String,
        /// What the script did.
        invocation: Invocation,
    },
    /// A hook run.
    Hook {
        /// The recorded invocation it replays (`check pmig 10-a_capture`).
        recorded: String,
        /// What the script did.
        run: HookRun,
    },
}

/// A capture replayed against a script: what [`replay`] returns (its example shows one).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Replay {
    /// The capture.
    pub source: String,
    /// The script.
    pub script: PathBuf,
    /// Every recorded invocation, replayed, in order.
    pub steps: Vec<Replayed>,
    /// Recorded invocations not replayed, with why.
    pub skipped: Vec<(String, String)>,
}

/// Runs `script` with every invocation of `capture` (called `source` in the result).
///
/// ```
/// use std::os::unix::fs::PermissionsExt;
/// use drmgr_sim::capture::{ReplayOptions, Replayed, replay};
/// use dlpar_capture::read::Capture;
///
/// let dir = tempfile::tempdir()?;
/// let script = dir.path().join("acme_guard");
/// std::fs::write(&script, r#"#!/bin/sh
/// case $1 in
/// scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=22112026 'DR_SCRIPTINFO="guard"' 'DR_VENDOR="Acme"' ;;
/// register) echo DR_RESOURCE=cpu ;;
/// usage) echo 'DR_USAGE="Acme needs CPU 0"' ;;
/// checkrelease) [ "$DR_BCPUID" != 0 ] || { echo 'DR_ERROR="CPU 0 stays"'; exit 1; } ;;
/// esac
/// "#)?;
/// std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
///
/// // One invocation recorded on a partition: checkrelease cpu for CPU 0.
/// let record = r#"{"schema":"dlpar-capture/1","id":"1-1","kind":"invocation","at":{"monotonic_ns":1,"wall_ns":1},
///     "capture_version":"0.1.0","host":"aix","installed_name":"a_capture",
///     "argv":["/usr/lib/dr/scripts/all/a_capture","checkrelease","cpu"],
///     "env":["PATH=/usr/bin:/etc:/usr/sbin","DR_BCPUID=0","DR_LCPUID=0","DR_FORCE=FALSE"],
///     "cwd":"/tmp","ids":{"uid":0,"euid":0,"gid":0,"egid":0,"groups":[]},"umask":18,
///     "process":{"pid":9,"ppid":1,"pgid":9,"sid":1},"signals":{"blocked":[],"ignored":[],"caught":[]},
///     "stdio":[],"other_fds":[],"fd_scan_limit":64,"rlimits":[],"hostname":"lpar7",
///     "capture_file":"/var/adm/dlpar_capture/capture.jsonl",
///     "control":{"path":"/var/adm/dlpar_capture/control","state":"missing"},"experiment":[]}"#;
/// let capture = Capture::parse("capture.jsonl", &format!("{}\n", record.replace('\n', "")))?;
///
/// let replayed = replay(&capture, "capture.jsonl", &script, &ReplayOptions::new())?;
/// let Replayed::Aix { recorded, invocation } = &replayed.steps[0] else { panic!() };
/// assert_eq!(recorded, "checkrelease cpu a_capture");
/// assert_eq!(invocation.error().as_deref(), Some("CPU 0 stays"));
/// assert!(replayed.render(drmgr_sim::Style::SNAPSHOT).contains("vetoed (exit 1)"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn replay(capture: &Capture, source: &str, script: &Path, options: &ReplayOptions) -> Result<Replay, CompareError> {
    let mut replay =
        Replay { source: source.to_owned(), script: script.to_owned(), steps: Vec::new(), skipped: Vec::new() };
    // Hooks run in `/` (and AIX scripts in /tmp): a relative path means the caller's directory.
    let script = &std::path::absolute(script).map_err(|e| CompareError::Setup(format!("{}: {e}", script.display())))?;
    let runs = capture.runs();
    let recorded = labels(&runs);
    let mut installed: Option<Installed> = None;
    for (run, label) in runs.iter().zip(recorded) {
        let step = match run.invocation.host {
            HostKind::Aix => {
                if installed.is_none() {
                    installed = Some(Installed::new(script, &options.runner)?);
                }
                let Some(installed) = &installed else { continue };
                installed
                    .run(run, &options.runner)
                    .map(|invocation| Replayed::Aix { recorded: label.clone(), invocation })
            }
            HostKind::Hook => {
                hook(run, script, &options.runner).map(|run| Replayed::Hook { recorded: label.clone(), run })
            }
            HostKind::Unknown => Err("started neither as an AIX script nor as a hook".to_owned()),
        };
        match step {
            Ok(step) => replay.steps.push(step),
            Err(why) => replay.skipped.push((label, why)),
        }
    }
    Ok(replay)
}

/// The script installed in a temporary repository, as drmgr would run it.
struct Installed {
    _dir: tempfile::TempDir,
    repo: Repository,
    path: PathBuf,
    name: String,
    timeout: Option<u32>,
}

impl Installed {
    fn new(script: &Path, runner: &Runner) -> Result<Installed, CompareError> {
        let dir = tempfile::Builder::new()
            .prefix("drmgr-sim-replay-")
            .tempdir()
            .map_err(|e| CompareError::Setup(e.to_string()))?;
        let repo = Repository::new(dir.path().join("root"));
        let installed = repo
            .install(runner, script, &InstallOptions::default())
            .map_err(|e| CompareError::Install(script.display().to_string(), e.to_string()))?;
        let path = repo.script_path(&installed.entry);
        Ok(Installed { _dir: dir, repo, path, name: installed.entry.name, timeout: installed.entry.timeout })
    }

    fn run(&self, run: &Run<'_>, runner: &Runner) -> Result<Invocation, String> {
        let inv = run.invocation;
        let word = inv.command().unwrap_or_default();
        let command: Command = word.parse().map_err(|_| format!("{word:?} is not a command word drmgr-sim knows"))?;
        let resource: Option<Resource> = match inv.resource() {
            Some(word) => Some(word.parse().map_err(|e| format!("resource {word:?}: {e}"))?),
            None => None,
        };
        let env: Vec<(String, String)> = recorded_env(run).map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
        let runner = match recorded_cwd(run) {
            Some(cwd) => runner.clone().workdir(cwd),
            None => runner.clone(),
        };
        let state_root = self.repo.root().join(crate::runner::STATE_DIR);
        let call = Call {
            name: &self.name,
            path: &self.path,
            command,
            word: None,
            resource: resource.as_ref(),
            env: &env,
            whole_env: true,
            limit: limit_shown(run).unwrap_or_else(|| runner.time_limit(self.timeout, None)),
            state_root: (!command.is_install()).then_some(state_root.as_path()),
        };
        Ok(Invocation::new(&call, runner.invoke(&call)))
    }
}

/// The recorded environment as `(name, value)` pairs, in order.
fn recorded_env<'a>(run: &Run<'a>) -> impl Iterator<Item = (&'a str, &'a str)> {
    run.invocation.env.iter().filter_map(|e| e.split_once('='))
}

/// The recorded working directory, when it exists here.
fn recorded_cwd<'a>(run: &Run<'a>) -> Option<&'a Path> {
    run.invocation.cwd.as_deref().map(Path::new).filter(|cwd| cwd.is_dir())
}

/// The time limit the host showed: when SIGTERM arrived during a `sleep`, in whole seconds.
fn limit_shown(run: &Run<'_>) -> Option<Duration> {
    let term = run.signals.iter().find(|s| s.signal == "SIGTERM")?;
    Some(Duration::from_secs((term.since_start_ns + 500_000_000) / 1_000_000_000))
}

/// Runs the script as the hook the record was.
fn hook(run: &Run<'_>, script: &Path, runner: &Runner) -> Result<HookRun, String> {
    let inv = run.invocation;
    let word = inv.env_var(HookPhase::VARIABLE).unwrap_or_default();
    let phase = HookPhase::ALL
        .iter()
        .copied()
        .find(|p| p.as_str() == word)
        .ok_or_else(|| format!("PHASE={word:?} is not a phase powerpc-utils runs"))?;
    let mut env: Vec<(OsString, OsString)> = recorded_env(run).map(|(k, v)| (k.into(), v.into())).collect();
    env.extend(runner.extra_env().iter().cloned());
    let workdir = recorded_cwd(run).unwrap_or(Path::new(Hooks::WORKDIR));
    // As powerpc-utils starts a hook (drmgr's mask, the environment in the recorded
    // order), its output read into the replay's trace.
    let bare = Bare {
        path: script,
        env: &env,
        workdir,
        mask: drmgr_mask(),
        capture: true,
        limit: limit_shown(run),
        grace: runner.grace_period(),
    };
    let shown: Vec<(String, String)> =
        env.iter().map(|(k, v)| (k.to_string_lossy().into(), v.to_string_lossy().into())).collect();
    let name = script.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(HookRun::new(&name, phase, shown, bare.run()))
}

impl Replay {
    /// The schema name and version of [`Replay::to_json`].
    pub const JSON_SCHEMA: &'static str = "drmgr-sim/replay/1";

    /// The replay in words, in `style` ([`Style::SNAPSHOT`] for a deterministic
    /// one): every run numbered with what it replays, how it ended and what it said.
    pub fn render(&self, style: Style) -> String {
        render_with(style, |out, style| self.write(out, style))
    }

    fn write(&self, out: &mut String, style: Style) -> fmt::Result {
        writeln!(
            out,
            "replay {} with {}: {} recorded invocation(s)",
            self.source,
            self.script.display(),
            self.steps.len() + self.skipped.len()
        )?;
        writeln!(out)?;
        for (n, step) in self.steps.iter().enumerate() {
            match step {
                Replayed::Aix { recorded, invocation } => {
                    writeln!(out, "   -- as {recorded}")?;
                    Rows::new(std::slice::from_ref(invocation)).write(out, style, n, invocation)?;
                }
                Replayed::Hook { recorded, run } => {
                    writeln!(out, "   -- as {recorded}")?;
                    crate::linux::write_run(out, style, n + 1, run, (0, 0))?;
                }
            }
        }
        for (recorded, why) in &self.skipped {
            writeln!(out, "skipped {recorded}: {why}")?;
        }
        Ok(())
    }

    /// The replay as one JSON document:
    ///
    /// ```text
    /// { "schema": "drmgr-sim/replay/1", "source", "script",
    ///   "steps": [ { "kind": "aix", "recorded", …the fields of a trace invocation (drmgr-sim/trace/2)… }
    ///            | { "kind": "hook", "recorded", …the fields of a hook run (drmgr-sim/linux-trace/1)… } ],
    ///   "skipped": [ { "recorded", "reason" } ] }
    /// ```
    ///
    /// With [`Timings::Hidden`] durations are 0, for snapshots.
    pub fn to_json(&self, timings: Timings) -> Value {
        let steps: Vec<Value> = self
            .steps
            .iter()
            .map(|step| {
                let (recorded, kind, mut value) = match step {
                    Replayed::Aix { recorded, invocation } => (recorded, "aix", invocation_json(invocation, timings)),
                    Replayed::Hook { recorded, run } => (recorded, "hook", run.to_json(timings)),
                };
                if let Value::Object(map) = &mut value {
                    map.insert("kind".to_owned(), json!(kind));
                    map.insert("recorded".to_owned(), json!(recorded));
                }
                value
            })
            .collect();
        json!({
            "schema": Replay::JSON_SCHEMA,
            "source": self.source,
            "script": self.script.display().to_string(),
            "steps": steps,
            "skipped": self.skipped.iter().map(|(r, why)| json!({ "recorded": r, "reason": why })).collect::<Vec<_>>(),
        })
    }
}
