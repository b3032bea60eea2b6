//! `run`: one whole DLPAR operation, printed as a trace or as JSON.

use std::path::Path;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use dlpar_script::event::{CapacityEvent, Common, CpuEvent, MemEvent, WeightEvent};
use dlpar_script::protocol::{Family, Resource};
use dlpar_script::state::DIR_VARIABLE;
use drmgr_sim::{Invocation, Operation, Outcome, Runner, Style, Syslog, Timings, Trace};

use super::event_args::EventArgs;
use super::{Failure, Global};

#[derive(Debug, clap::Args)]
pub(super) struct RunArgs {
    #[command(subcommand)]
    pub(super) op: RunOp,
}

#[derive(Debug, Subcommand)]
pub(super) enum RunOp {
    /// Remove a resource: checkrelease (skipped with --force), prerelease, the kernel
    /// step, then postrelease, or undoprerelease if the kernel step failed.
    Remove(ResourceOp),
    /// Add a resource: checkacquire, preacquire, the kernel step, then postacquire,
    /// or undopreacquire on a failure.
    Add(ResourceOp),
    /// Migrate the partition (scripts registered for pmig).
    Migrate(WordOp),
    /// Hibernate the partition (scripts registered for phib).
    Hibernate(WordOp),
    /// An accelerator event (scripts registered for acc).
    Accel(WordOp),
    /// A topology update (scripts registered for topology).
    Topology(WordOp),
}

#[derive(Debug, clap::Args)]
pub(super) struct ResourceOp {
    /// The resource.
    #[arg(value_enum)]
    resource: ResourceArg,
    #[command(flatten)]
    event: EventArgs,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ResourceArg {
    Cpu,
    Mem,
    Capacity,
    #[value(name = "var_weight")]
    VarWeight,
}

#[derive(Debug, clap::Args)]
pub(super) struct WordOp {
    /// Resource word passed as argv[2] and used to pick the scripts, instead of the
    /// family's own (pmig, phib, acc, topology).
    #[arg(long, value_name = "NAME", value_parser = resource_word)]
    resource: Option<Resource>,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, clap::Args)]
pub(super) struct CommonArgs {
    /// FORCE (DR_FORCE=TRUE, otherwise FALSE): a removal skips checkrelease, an
    /// addition goes on after a failed preacquire; checks of other families cannot be forced.
    #[arg(long)]
    force: bool,
    /// Make the simulated kernel step fail, to exercise the undo path.
    #[arg(long)]
    fail_kernel: bool,
    #[command(flatten)]
    trace: TraceArgs,
    #[command(flatten)]
    setenv: SetenvArgs,
}

/// `--json` and `--detail`, shared by `run` and `liveupdate`.
#[derive(Debug, clap::Args)]
pub(super) struct TraceArgs {
    /// Print one JSON document instead of the trace.
    #[arg(long)]
    pub(super) json: bool,
    /// DR_DETAIL_LEVEL, 0 (no information, the default) to 5.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=5))]
    pub(super) detail: u8,
}

/// `--setenv NAME=VALUE`, shared by `run`, `demo`, `liveupdate` and `linux`.
#[derive(Debug, clap::Args)]
pub(super) struct SetenvArgs {
    /// Add NAME=VALUE to the scripts' environment (repeatable). A simulator-only test
    /// aid: real drmgr clears the environment (AIX: to PATH, LANG and DR_*;
    /// powerpc-utils: to the hook variables). A relative DLPAR_AIX_REPLAY or
    /// DLPAR_STATE_DIR is taken from drmgr-sim's working directory (scripts run in
    /// /tmp, hooks in /).
    #[arg(long, value_name = "NAME=VALUE", value_parser = name_value)]
    setenv: Vec<(String, String)>,
}

impl SetenvArgs {
    /// The `--setenv` variables, in order.
    pub(super) fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.setenv.iter().map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// `runner` with the `--setenv` variables added.
    pub(super) fn apply(&self, runner: Runner) -> Runner {
        self.pairs().fold(runner, |runner, (name, value)| runner.setenv(name, value))
    }
}

fn resource_word(text: &str) -> Result<Resource, String> {
    text.parse().map_err(|e: dlpar_script::protocol::ResourceNameError| e.to_string())
}

/// `NAME=VALUE` for `--setenv`. The variables the operation itself sets are refused:
/// an override would run the scripts with values the trace's header does not show.
fn name_value(text: &str) -> Result<(String, String), String> {
    let (name, value) = match text.split_once('=') {
        Some((name, value)) if !name.is_empty() && !name.contains('\0') && !value.contains('\0') => (name, value),
        _ => return Err(format!("{text:?} is not NAME=VALUE")),
    };
    if let Some(why) = set_by_operation(name) {
        return Err(format!("{name} is set by the operation, not by --setenv: {why}"));
    }
    Ok((name.to_owned(), resolved(name, value)?))
}

/// The variables that name a file or directory to the runtime.
const PATH_VARIABLES: [&str; 2] = ["DLPAR_AIX_REPLAY", DIR_VARIABLE];

/// `value`, made absolute against drmgr-sim's working directory when `name` is one
/// of the [`PATH_VARIABLES`]: the user means a file where they typed the command,
/// and the scripts run elsewhere (/tmp), where a relative path would miss it.
fn resolved(name: &str, value: &str) -> Result<String, String> {
    if !PATH_VARIABLES.contains(&name) || value.is_empty() || Path::new(value).is_absolute() {
        return Ok(value.to_owned());
    }
    let here = std::env::current_dir().map_err(|e| {
        format!("{name}={value} is relative and the working directory is unknown ({e}): give an absolute path")
    })?;
    here.join(value).into_os_string().into_string().map_err(|_| format!("{name}: {} is not UTF-8", here.display()))
}

/// Why `name` cannot be given with `--setenv`, when the operation sets it.
fn set_by_operation(name: &str) -> Option<String> {
    /// The `DR_*` variables that options set.
    const OPTIONS: [(&str, &str); 13] = [
        (CpuEvent::BCPUID, "--bcpuid"),
        (CpuEvent::LCPUID, "--lcpuid"),
        (MemEvent::SIZE_REQUEST, "--mem-mb"),
        (MemEvent::SIZE_COMPLETED, "--completed-mb"),
        (MemEvent::FREE_FRAMES, "--free-frames"),
        (MemEvent::PINNABLE_FRAMES, "--pinnable-frames"),
        (MemEvent::TOTAL_FRAMES, "--total-frames"),
        (CapacityEvent::CAPACITY, "--capacity"),
        (CapacityEvent::DELTA, "--delta"),
        (WeightEvent::WEIGHT, "--weight"),
        (WeightEvent::DELTA, "--delta"),
        (Common::FORCE, "--force"),
        (Common::DETAIL_LEVEL, "--detail"),
    ];
    if let Some((_, option)) = OPTIONS.iter().find(|(var, _)| *var == name) {
        return Some(format!("use {option}"));
    }
    match name {
        "PATH" => Some(format!("every script gets PATH={}, as drmgr sets it", Runner::PATH)),
        "LANG" => Some("scripts get drmgr-sim's own LANG: set it where drmgr-sim runs".to_owned()),
        _ if drmgr_sim::linux::HOOK_VARIABLES.contains(&name) => {
            Some("powerpc-utils' hook variables are set by `linux` from the operation and the phase".to_owned())
        }
        _ if name.starts_with("DR_") => {
            Some("DR_* variables are the protocol's, set by drmgr from the event and the phase".to_owned())
        }
        _ => None,
    }
}

impl RunOp {
    /// The operation the options describe.
    pub(super) fn operation(&self) -> Result<(Operation, &CommonArgs), String> {
        let (op, common) = match self {
            RunOp::Remove(args) | RunOp::Add(args) => {
                let family = if matches!(self, RunOp::Remove(_)) { Family::Remove } else { Family::Add };
                let resource = match args.resource {
                    ResourceArg::Cpu => Resource::Cpu,
                    ResourceArg::Mem => Resource::Mem,
                    ResourceArg::Capacity => Resource::Capacity,
                    ResourceArg::VarWeight => Resource::VarWeight,
                };
                let vars = args.event.to_vars(family, &resource)?;
                let op = if family == Family::Remove { Operation::remove(resource) } else { Operation::add(resource) };
                (op.event(vars), &args.common)
            }
            RunOp::Migrate(args) => (args.with_word(Operation::migrate()), &args.common),
            RunOp::Hibernate(args) => (args.with_word(Operation::hibernate()), &args.common),
            RunOp::Accel(args) => (args.with_word(Operation::accelerator()), &args.common),
            RunOp::Topology(args) => (args.with_word(Operation::topology()), &args.common),
        };
        Ok((op.force(common.force).fail_kernel(common.fail_kernel).detail(common.trace.detail), common))
    }
}

impl WordOp {
    fn with_word(&self, op: Operation) -> Operation {
        match &self.resource {
            Some(word) => op.resource(word.clone()),
            None => op,
        }
    }
}

pub(super) fn run(global: &Global, args: &RunArgs) -> Result<ExitCode, Failure> {
    let (op, common) = args.op.operation()?;
    let runner = common.setenv.apply(global.runner());
    let trace = execute(global, &op, &runner)?;
    if common.trace.json {
        println!("{}", serde_json::to_string_pretty(&trace.to_json(Timings::Shown))?);
    } else {
        print!("{}", trace.render(Style::for_stdout()));
    }
    Ok(exit_code(trace.outcome))
}

/// Runs the operation, forwarding `DR_LOG_*` lines to syslog when `-S` was given.
pub(super) fn execute(global: &Global, op: &Operation, runner: &Runner) -> Result<Trace, Failure> {
    Ok(op.run_observed(&global.repository()?, runner, syslog_forwarder(global)?)?)
}

/// An observer that forwards each invocation's `DR_LOG_*` lines to syslog when `-S`
/// was given. Not reaching syslog is a warning, never a failure of the operation.
pub(super) fn syslog_forwarder(global: &Global) -> Result<impl FnMut(&Invocation), Failure> {
    let mut syslog = global.syslog_id()?.and_then(|id| {
        let connected = match &global.syslog_socket {
            Some(socket) => Syslog::connect_to(&id, socket),
            None => Syslog::connect(&id),
        };
        connected.map_err(|e| eprintln!("drmgr-sim: warning: {e}; DR_LOG_* lines are not forwarded")).ok()
    });
    Ok(move |invocation: &Invocation| {
        if let Some(log) = &mut syslog
            && let Err(e) = log.forward(invocation)
        {
            eprintln!("drmgr-sim: warning: {e}; DR_LOG_* lines are no longer forwarded");
            syslog = None;
        }
    })
}

/// 0 success, 3 vetoed, 4 failed.
pub(super) fn exit_code(outcome: Outcome) -> ExitCode {
    match outcome {
        Outcome::Success => ExitCode::SUCCESS,
        Outcome::Vetoed => ExitCode::from(3),
        Outcome::Failed => ExitCode::from(4),
    }
}
