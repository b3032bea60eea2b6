//! `linux`: powerpc-utils' drmgr hooks (Linux on Power) run as its `run_hooks`
//! does, installed and listed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Subcommand, ValueEnum};
use drmgr_sim::linux::{
    CpuAction, DrcType, HookTrace, Hooks, LinuxOp, Listing, PowerpcUtils, block_as_drmgr, install, list,
};
use drmgr_sim::{Outcome, Runner, Style, Timings, visible};
use serde_json::json;

use super::Failure;
use super::run::{SetenvArgs, exit_code};

#[derive(Debug, clap::Args)]
pub(super) struct LinuxArgs {
    /// The hooks directory: one subdirectory per DRC type (cpu, pmig).
    #[arg(long, value_name = "DIR", default_value = Hooks::DEFAULT_DIR)]
    hooks_dir: PathBuf,
    /// The powerpc-utils release to behave as: 1.3.11 runs only migration hooks, and passes only DRC_TYPE and PHASE.
    #[arg(long = "powerpc-utils", value_name = "VERSION", value_enum, default_value = "1.3.12")]
    powerpc_utils: VersionArg,
    /// End a hook still running after SECONDS: SIGTERM to it, then SIGKILL (a
    /// simulator addition; powerpc-utils waits for ever). Only the hook's pid is
    /// signalled: it shares drmgr-sim's process group, and keeps SIGTERM blocked
    /// unless it unblocks it.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    timeout: Option<u64>,
    /// Read the hooks' stdout and stderr into the trace (a simulator addition: by
    /// default they write to drmgr-sim's own, as powerpc-utils' hooks write to drmgr's).
    #[arg(long)]
    capture_output: bool,
    /// Let SIGINT, SIGTERM and SIGHUP end drmgr-sim at once (a simulator addition: by
    /// default drmgr-sim blocks them while it runs hooks, as drmgr does, and only
    /// SIGKILL ends it). The hooks keep drmgr's mask either way.
    #[arg(long)]
    interruptible: bool,
    /// Give the hooks exactly the powerpc-utils variables, without the
    /// DLPAR_STATE_DIR=DIR/.state/<uid> drmgr-sim adds by default (a hook built with
    /// dlpar-script then keeps its phase state in the system's directory).
    #[arg(long)]
    no_state_dir: bool,
    /// Print one JSON document instead of the text (the hooks' output is then
    /// captured, as with --capture-output, so that it cannot corrupt the document).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    setenv: SetenvArgs,
    #[command(subcommand)]
    op: LinuxCommand,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum VersionArg {
    #[value(name = "1.3.11")]
    V1_3_11,
    #[value(name = "1.3.12")]
    V1_3_12,
}

#[derive(Debug, Subcommand)]
pub(super) enum LinuxCommand {
    /// A partition migration: check (a failure vetoes; then undocheck for every
    /// hook), pre (again on each retry), the migration, post (always).
    Migrate {
        /// Make the migration fail after pre; post still runs.
        #[arg(long)]
        fail_migration: bool,
        /// The partition reports "not suspendable" N times first; pre runs N+1 times.
        #[arg(long, value_name = "N", default_value_t = 0,
              value_parser = clap::value_parser!(u32).range(0..=i64::from(LinuxOp::MAX_RETRIES)))]
        not_suspendable: u32,
    },
    /// A processor change: pre (DRC_COUNT = requested), the kernel step, post
    /// (DRC_COUNT = changed), results ignored.
    Cpu {
        /// Add or remove processors.
        #[arg(value_enum)]
        action: ActionArg,
        /// How many processors.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=i64::from(LinuxOp::MAX_COUNT)))]
        count: u32,
        /// Make the kernel step fail: no processor changes; post still runs.
        #[arg(long)]
        fail_kernel: bool,
    },
    /// Ask SCRIPT its register and place it under each DRC type it registers that
    /// has hooks (cpu, pmig): a copy in the first, a link in the others.
    Install {
        /// Replace a hook of the same name (as drmgr -i -f does).
        #[arg(short = 'f', long)]
        force: bool,
        /// The script.
        script: PathBuf,
    },
    /// Show what each type directory holds and whether each entry would run.
    List,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum ActionArg {
    Add,
    Remove,
}

impl LinuxArgs {
    /// The hooks directory and how hooks start, from the options.
    pub(super) fn hooks(&self) -> Hooks {
        let version = match self.powerpc_utils {
            VersionArg::V1_3_11 => PowerpcUtils::V1_3_11,
            VersionArg::V1_3_12 => PowerpcUtils::V1_3_12,
        };
        let hooks = Hooks::new(&self.hooks_dir).powerpc_utils(version).capture(self.capture_output || self.json);
        let hooks = if self.no_state_dir { hooks.without_state_dir() } else { hooks };
        let hooks = match self.timeout {
            Some(seconds) => hooks.timeout(Duration::from_secs(seconds)),
            None => hooks,
        };
        self.setenv.pairs().fold(hooks, |hooks, (name, value)| hooks.setenv(name, value))
    }
}

impl LinuxCommand {
    /// The operation, for `migrate` and `cpu`.
    pub(super) fn operation(&self) -> Option<LinuxOp> {
        match *self {
            LinuxCommand::Migrate { fail_migration, not_suspendable } => {
                Some(LinuxOp::Migrate { fail: fail_migration, not_suspendable })
            }
            LinuxCommand::Cpu { action, count, fail_kernel } => {
                let action = match action {
                    ActionArg::Add => CpuAction::Add,
                    ActionArg::Remove => CpuAction::Remove,
                };
                Some(LinuxOp::Cpu { action, count, fail_kernel })
            }
            LinuxCommand::Install { .. } | LinuxCommand::List => None,
        }
    }
}

/// The global options that mean nothing to `linux` (hooks have no repository,
/// syslog, host directories, default time limit or working directory): hidden
/// from its help and refused when given.
pub(super) const NOT_FOR_LINUX: [(&str, &str); 6] = [
    ("root", "-R"),
    ("syslog_id", "-S"),
    ("syslog_socket", "--syslog-socket"),
    ("hostname", "--hostname"),
    ("default_timeout", "--default-timeout"),
    ("workdir", "--workdir"),
];

pub(super) fn run(args: &LinuxArgs) -> Result<ExitCode, Failure> {
    let hooks = args.hooks();
    if let Some(op) = args.op.operation() {
        if !args.interruptible {
            block_as_drmgr()?;
        }
        let trace = hooks.run(&op)?;
        print_trace(&trace, args.json)?;
        return Ok(exit_code(trace.outcome));
    }
    match &args.op {
        LinuxCommand::Install { script, force } => {
            let runner = args.setenv.apply(Runner::new());
            let placed = install(&hooks, &runner, script, *force)?;
            let name = visible(&placed.name);
            if args.json {
                let files: Vec<_> =
                    placed.files.iter().map(|(t, p)| json!({ "drc_type": t.as_str(), "path": p })).collect();
                let refused: Vec<_> =
                    placed.refused.iter().map(|(r, why)| json!({ "resource": r, "reason": why })).collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({ "name": placed.name, "files": files, "refused": refused }))?
                );
            } else {
                for (drc_type, path) in &placed.files {
                    println!("installed {name} for {drc_type}: {}", visible(&path.display().to_string()));
                }
                for (resource, why) in &placed.refused {
                    println!("not installed for {}: {}", visible(resource), visible(why));
                }
            }
        }
        _ => print_listing(&hooks, args.json)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints a trace as `run` does: text, or one JSON document.
pub(super) fn print_trace(trace: &HookTrace, as_json: bool) -> Result<(), Failure> {
    if as_json {
        println!("{}", serde_json::to_string_pretty(&trace.to_json(Timings::Shown))?);
    } else {
        print!("{}", trace.render(Style::for_stdout()));
    }
    Ok(())
}

fn print_listing(hooks: &Hooks, as_json: bool) -> Result<(), Failure> {
    hooks.check()?;
    let mut documents = Vec::new();
    for drc_type in [DrcType::Cpu, DrcType::Pmig] {
        let dir = hooks.type_dir(drc_type);
        let listing = list(&dir);
        let shown = visible(&dir.display().to_string()).into_owned();
        let entries = match &listing {
            Listing::Missing => {
                println_unless(as_json, format!("{shown}: missing (no hooks)"));
                documents
                    .push(json!({ "drc_type": drc_type.as_str(), "dir": dir, "directory": "missing", "entries": [] }));
                continue;
            }
            Listing::Unreadable(e) => {
                println_unless(as_json, format!("{shown}: cannot be read: {e} (no hooks)"));
                documents.push(
                    json!({ "drc_type": drc_type.as_str(), "dir": dir, "directory": "unreadable", "entries": [] }),
                );
                continue;
            }
            Listing::Entries(entries) => entries,
        };
        println_unless(as_json, format!("{shown}:{}", if entries.is_empty() { " empty (no hooks)" } else { "" }));
        let names: Vec<_> = entries.iter().map(|e| visible(&e.name)).collect();
        let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        let mut rows = Vec::new();
        for (entry, name) in entries.iter().zip(&names) {
            let verdict = match &entry.skipped {
                None => "runs".to_owned(),
                Some(skip) => format!("skipped: {skip}"),
            };
            let link = if entry.link { " (link)" } else { "" };
            println_unless(as_json, format!("  {name:width$}  {verdict}{link}"));
            rows.push(json!({ "name": entry.name, "link": entry.link, "runs": entry.skipped.is_none(),
                              "skipped": entry.skipped.as_ref().map(ToString::to_string) }));
        }
        documents.push(json!({ "drc_type": drc_type.as_str(), "dir": dir, "directory": "read", "entries": rows }));
    }
    if as_json {
        println!("{}", serde_json::to_string_pretty(&json!({ "hooks_dir": hooks.dir(), "types": documents }))?);
    }
    Ok(())
}

fn println_unless(as_json: bool, line: String) {
    if !as_json {
        println!("{line}");
    }
}

/// The demo's hooks directory: the state directory and the demo's files passed
/// on as `run` passes them to scripts.
pub(super) fn demo_hooks<'a>(
    dir: &Path,
    state: &Path,
    sources: &tempfile::TempDir,
    files: impl Iterator<Item = (&'a str, &'a str)>,
) -> Hooks {
    let hooks = Hooks::new(dir).capture(true).setenv("DLPAR_STATE_DIR", state);
    files.fold(hooks, |hooks, (variable, name)| hooks.setenv(variable, sources.path().join(name)))
}

/// One `linux` scenario of the demo: `words` as after `drmgr-sim linux`, run
/// against `hooks`; prints the trace and returns the outcome.
pub(super) fn demo_scenario(hooks: &Hooks, words: &[&str]) -> Result<Outcome, Failure> {
    #[derive(Debug, clap::Parser)]
    #[command(name = "linux", no_binary_name = true)]
    struct ScenarioLinux {
        #[command(subcommand)]
        op: LinuxCommand,
    }
    let parsed = <ScenarioLinux as clap::Parser>::try_parse_from(words)?;
    let op = parsed.op.operation().ok_or("a demo scenario runs migrate or cpu")?;
    let trace = hooks.run(&op)?;
    print_trace(&trace, false)?;
    Ok(trace.outcome)
}
