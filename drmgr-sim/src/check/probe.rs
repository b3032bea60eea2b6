//! An AIX DLPAR script put through what drmgr does to it: the install commands and
//! `drmgr -i`, then every command its resources can receive, with realistic and
//! edge values, then a command word it cannot know.

use std::path::Path;

use dlpar_script::protocol::{Command, Family, Phase, Resource};
use dlpar_script::wire::Key;

use super::catalogue::{self as rules, Rule};
use super::examine::{self, Run};
use super::{CheckError, Checker, Finding, ScriptReport};
use crate::operation::{EventVars, MemVars, Operation};
use crate::repository::{InstallOptions, RepoError, Repository, ScriptEntry, not_a_date};
use crate::runner::{Call, End};
use crate::trace::Invocation;
use crate::trace::text::visible;

/// FORCE and `DR_DETAIL_LEVEL` of each run of a command: not forced and forced,
/// the protocol's default level and the highest.
const VARIANTS: [(bool, u8); 4] = [(false, 0), (false, 5), (true, 0), (true, 5)];

/// A command word no version of the protocol has: the script must answer it
/// with exit 10 (docs/protocol.md §5).
const UNKNOWN_WORD: &str = "checkfutureevent";

/// The label of the install step as a whole (`drmgr -i`).
const INSTALL: &str = "install";

pub(super) fn probe(
    checker: &Checker,
    path: &Path,
    scratch: &Path,
    report: &mut ScriptReport,
) -> Result<(), CheckError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut prober = Prober { checker, path, name, scratch, report, script_timeout: None };
    let Some(info) = prober.invoke(Command::ScriptInfo, None, &[], false) else { return Ok(()) };
    if let End::NotStarted(reason) = &info.end {
        return Err(CheckError::NotStarted { reason: reason.clone() });
    }
    // The resources register names, for the usage questions (install validates them).
    let register = prober.invoke(Command::Register, None, &[], false);
    let key = Key::RESOURCE;
    let registered: Vec<Resource> =
        register.iter().flat_map(|r| r.reply.all(key.as_str())).filter_map(|w| w.trim().parse().ok()).collect();
    for resource in &registered {
        prober.invoke(Command::Usage, Some(resource), &[], false);
    }
    if prober.report.stopped.is_some() {
        return Ok(());
    }
    let Some(entry) = prober.install() else {
        prober.report.stopped = Some("drmgr-sim install refused the script: no event command was run".to_owned());
        return Ok(());
    };
    prober.script_timeout = entry.timeout;
    prober.report.checked("scriptinfo", &[rules::DATE_FORMAT]);
    if let Some(problem) = not_a_date(&entry.date) {
        prober.report.add(plain(rules::DATE_FORMAT, "scriptinfo", None, problem));
    }
    for (resource, _) in &entry.resources {
        prober.report.checked("register", &[rules::RESOURCE_NOT_SENT]);
        if !resource.is_drmgr_word() {
            let message =
                format!("{resource} is not a resource drmgr sends: only an operation that names it reaches the script");
            prober.report.add(plain(rules::RESOURCE_NOT_SENT, "register", Some(resource), message));
        }
    }
    for (resource, _) in &entry.resources {
        for family in families(resource) {
            prober.family(family, resource);
        }
    }
    if let Some((resource, _)) = entry.resources.first() {
        prober.unknown_word(resource);
    }
    Ok(())
}

/// A finding that no single run reproduces (install's reading, a value recorded).
fn plain(rule: &'static Rule, command: &str, resource: Option<&Resource>, message: String) -> Finding {
    Finding {
        rule,
        command: command.to_owned(),
        resource: resource.map(ToString::to_string),
        message,
        output: None,
        reproduce: None,
    }
}

/// The families whose commands reach a script that registered `resource`: a
/// resource drmgr adds and removes gets both; a family word its family; any other
/// name the accelerator family, the one operation that may name it.
fn families(resource: &Resource) -> Vec<Family> {
    const WORDED: [Family; 4] = [Family::Migrate, Family::Hibernate, Family::Accelerator, Family::Topology];
    match resource {
        Resource::Other(name) => {
            vec![WORDED.into_iter().find(|f| f.resource_word() == Some(name.as_str())).unwrap_or(Family::Accelerator)]
        }
        _ => vec![Family::Remove, Family::Add],
    }
}

/// The edge values of an event of `family` on `resource`: CPU id 0, every memory
/// amount at its largest, the most negative change; `None` for an event without
/// values.
fn edge_event(family: Family, resource: &Resource) -> Option<EventVars> {
    Some(match EventVars::default_for(family, resource) {
        EventVars::Cpu { .. } => EventVars::Cpu { bcpuid: 0, lcpuid: 0 },
        EventVars::Mem(_) => EventVars::Mem(MemVars {
            request_mb: u64::MAX,
            completed_mb: u64::MAX,
            free_frames: u64::MAX,
            pinnable_frames: u64::MAX,
            total_frames: u64::MAX,
        }),
        EventVars::Capacity { capacity, .. } => EventVars::Capacity { capacity, delta: i64::MIN },
        EventVars::VarWeight { weight, .. } => EventVars::VarWeight { weight, delta: i64::MIN },
        EventVars::None => return None,
    })
}

struct Prober<'a> {
    checker: &'a Checker,
    path: &'a Path,
    /// The script's file name, as drmgr knows it.
    name: String,
    scratch: &'a Path,
    report: &'a mut ScriptReport,
    script_timeout: Option<u32>,
}

impl Prober<'_> {
    /// Installs the script into a scratch repository, exactly as `drmgr-sim
    /// install` does; a refusal is a finding.
    fn install(&mut self) -> Option<ScriptEntry> {
        let install_rules =
            [rules::INSTALL_SCRIPTINFO, rules::INSTALL_REGISTER, rules::INSTALL_USAGE, rules::INSTALL_REFUSED];
        self.report.checked(INSTALL, &install_rules);
        let repo = Repository::new(self.scratch.join("repo"));
        match repo.install(&self.checker.runner, self.path, &InstallOptions::default()) {
            Ok(installed) => Some(installed.entry),
            Err(RepoError::Query { command, problem, .. }) => {
                let rule = match command.split(' ').next() {
                    Some("scriptinfo") => rules::INSTALL_SCRIPTINFO,
                    Some("register") => rules::INSTALL_REGISTER,
                    _ => rules::INSTALL_USAGE,
                };
                let resource = command.split_once(' ').map(|(_, r)| r.to_owned());
                self.report
                    .add(Finding { resource, ..plain(rule, &command, None, format!("install refused: {problem}")) });
                None
            }
            Err(other) => {
                self.report.add(plain(rules::INSTALL_REFUSED, INSTALL, None, format!("install refused: {other}")));
                None
            }
        }
    }

    /// Every command of `family` for `resource`, in each variant; post and undo
    /// twice in a row; the commands again with edge values.
    fn family(&mut self, family: Family, resource: &Resource) {
        let Ok(operation) = Operation::new(family, resource.clone()) else { return };
        let table = family.commands();
        let commands: Vec<Command> = [table.check, table.pre, table.post, table.undo].into_iter().flatten().collect();
        let env = |op: &Operation, command: Command| op.env_at(command.phase() == Phase::Post);
        for (force, detail) in VARIANTS {
            let op = operation.clone().force(force).detail(detail);
            for &command in &commands {
                self.invoke(command, Some(resource), &env(&op, command), false);
            }
        }
        for command in [table.post, table.undo].into_iter().flatten() {
            self.twice(command, resource, &env(&operation, command));
        }
        if let Some(edge) = edge_event(family, resource) {
            let op = operation.event(edge);
            for &command in &commands {
                self.invoke(command, Some(resource), &env(&op, command), true);
            }
        }
    }

    /// Runs `command` twice: the second answer must be as good as the first.
    fn twice(&mut self, command: Command, resource: &Resource, env: &[(String, String)]) {
        let label = format!("{command} {resource}");
        self.report.checked(&label, &[rules::REPEAT_NOT_HARMLESS]);
        let (Some(first), Some(second)) =
            (self.invoke(command, Some(resource), env, false), self.invoke(command, Some(resource), env, false))
        else {
            return;
        };
        if first.succeeded() && !second.succeeded() {
            let error = second.error().map(|e| format!(" (DR_ERROR: {})", visible(&e))).unwrap_or_default();
            let message =
                format!("the first run succeeded, the second one right after it ended with {}{error}", second.end);
            let args = [command.as_str(), resource.as_str()];
            let run = self.run_of(&args, Some(resource), env, false);
            self.report.add(run.finding(rules::REPEAT_NOT_HARMLESS, message, None));
        }
    }

    /// A word no version of the protocol has, which must be answered with exit 10.
    fn unknown_word(&mut self, resource: &Resource) {
        if self.report.stopped.is_some() {
            return;
        }
        let env = Operation::new(Family::Accelerator, resource.clone()).map(|op| op.env()).unwrap_or_default();
        let args = [UNKNOWN_WORD, resource.as_str()];
        let run = self.run_of(&args, Some(resource), &env, false);
        // `command` only fills the call; argv[1] is the unknown word.
        let call = self.call(Command::PreAccEvent, Some(UNKNOWN_WORD), Some(resource), &env);
        let called = self.checker.runner.invoke(&call);
        self.report.runs += 1;
        examine::reply(self.report, &run, &called.reply);
        examine::end(self.report, &run, &called.end, &called.stderr, called.reply.error().is_some());
        self.report.checked(&run.label, &[rules::UNKNOWN_WORD]);
        if called.end.exit_code() != Some(Invocation::NOT_SUPPORTED) && !matches!(called.end, End::TimedOut { .. }) {
            let message = format!("{}: an unknown command word gets exit 10 (not supported)", called.end);
            self.report.add(run.finding(rules::UNKNOWN_WORD, message, None));
        }
    }

    /// The time limit drmgr gives each command: the script's `DR_TIMEOUT`, else
    /// the runner's default.
    fn limit(&self) -> std::time::Duration {
        self.checker.runner.time_limit(self.script_timeout, None)
    }

    /// The call of one command as drmgr makes it (argv[1] `word` when given),
    /// waited for at most the checker's `--max-time`; the install commands run
    /// without a phase state directory, as `drmgr -i` runs them.
    fn call<'c>(
        &'c self,
        command: Command,
        word: Option<&'c str>,
        resource: Option<&'c Resource>,
        env: &'c [(String, String)],
    ) -> Call<'c> {
        Call {
            name: &self.name,
            path: self.path,
            command,
            word,
            resource,
            env,
            whole_env: false,
            limit: self.limit().min(self.checker.max_time),
            state_root: (!command.is_install()).then_some(self.scratch),
        }
    }

    fn run_of(&self, args: &[&str], resource: Option<&Resource>, env: &[(String, String)], edge: bool) -> Run {
        Run {
            label: args.join(" "),
            resource: resource.map(ToString::to_string),
            reproduce: self.checker.runner.reproduce(self.path, args, env),
            edge,
            host_limit: Some(self.limit()),
        }
    }

    /// Runs one command through the runner and holds it to every rule of a run;
    /// `None` once a command has run past its limit (the rest are not run).
    fn invoke(
        &mut self,
        command: Command,
        resource: Option<&Resource>,
        env: &[(String, String)],
        edge: bool,
    ) -> Option<Invocation> {
        if self.report.stopped.is_some() {
            return None;
        }
        let limit = self.limit();
        let call = self.call(command, None, resource, env);
        let invocation = Invocation::new(&call, self.checker.runner.invoke(&call));
        self.report.runs += 1;
        if matches!(invocation.end, End::NotStarted(_)) {
            return Some(invocation);
        }
        let args: Vec<&str> = std::iter::once(command.as_str()).chain(resource.map(Resource::as_str)).collect();
        let run = self.run_of(&args, resource, env, edge);
        examine::reply(self.report, &run, &invocation.reply);
        if examine::end(self.report, &run, &invocation.end, &invocation.stderr, invocation.error().is_some()) {
            self.report.stopped = Some(format!(
                "{} was still running at the end of its time: the remaining commands were not run",
                run.label
            ));
        } else {
            examine::time_share(self.report, &run, invocation.duration, limit);
        }
        if !command.is_install() {
            examine::error_line(self.report, &run, &invocation.end, invocation.error());
        }
        Some(invocation)
    }
}
