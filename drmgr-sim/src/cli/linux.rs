//! `linux`: powerpc-utils' drmgr hooks (Linux on Power) run as its `run_hooks`
//! does, installed and listed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Subcommand, ValueEnum};
use drmgr_sim::linux::{CpuAction, DrcType, HookTrace, Hooks, LinuxOp, Listing, PowerpcUtils, install, list};
use drmgr_sim::{Outcome, Style, Timings};
use serde_json::json;

use super::run::{SetenvArgs, exit_code};
use super::{Failure, Global};

#[derive(Debug, clap::Args)]
pub(super) struct LinuxArgs {
    /// The hooks directory: one subdirectory per DRC type (cpu, pmig).
    #[arg(long, value_name = "DIR", default_value = Hooks::DEFAULT_DIR)]
    hooks_dir: PathBuf,
    /// The powerpc-utils release to behave as: 1.3.11 passes only DRC_TYPE and PHASE.
    #[arg(long = "powerpc-utils", value_name = "VERSION", value_enum, default_value = "1.3.12")]
    powerpc_utils: VersionArg,
    /// End a hook still running after SECONDS: SIGTERM to its process group, then
    /// SIGKILL (a simulator addition; powerpc-utils waits forever).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    timeout: Option<u64>,
    /// Print one JSON document instead of the text.
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
        #[arg(long, value_name = "N", default_value_t = 0)]
        not_suspendable: u32,
    },
    /// A processor change: pre (DRC_COUNT = requested), the kernel step, post
    /// (DRC_COUNT = changed), results ignored.
    Cpu {
        /// Add or remove processors.
        #[arg(value_enum)]
        action: ActionArg,
        /// How many processors.
        #[arg(long, value_name = "N")]
        count: u32,
        /// Make the kernel step fail: no processor changes; post still runs.
        #[arg(long)]
        fail_kernel: bool,
    },
    /// Ask SCRIPT its register and place it under each DRC type it registers that
    /// has hooks (cpu, pmig): a copy in the first, a link in the others.
    Install {
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
        let hooks = Hooks::new(&self.hooks_dir).powerpc_utils(version);
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

pub(super) fn run(global: &Global, args: &LinuxArgs) -> Result<ExitCode, Failure> {
    let hooks = args.hooks();
    if let Some(op) = args.op.operation() {
        let trace = hooks.run(&op);
        print_trace(&trace, args.json)?;
        return Ok(exit_code(trace.outcome));
    }
    match &args.op {
        LinuxCommand::Install { script } => {
            let runner = args.setenv.apply(global.runner());
            let placed = install(&hooks, &runner, script)?;
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
                    println!("installed {} for {drc_type}: {}", placed.name, path.display());
                }
                for (resource, why) in &placed.refused {
                    println!("not installed for {resource}: {why}");
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
    let mut documents = Vec::new();
    for drc_type in [DrcType::Cpu, DrcType::Pmig] {
        let dir = hooks.type_dir(drc_type);
        let listing = list(&dir);
        let entries = match &listing {
            Listing::Missing => {
                println_unless(as_json, format!("{}: missing (no hooks)", dir.display()));
                documents
                    .push(json!({ "drc_type": drc_type.as_str(), "dir": dir, "directory": "missing", "entries": [] }));
                continue;
            }
            Listing::Unreadable(e) => {
                println_unless(as_json, format!("{}: cannot be read: {e} (no hooks)", dir.display()));
                documents.push(
                    json!({ "drc_type": drc_type.as_str(), "dir": dir, "directory": "unreadable", "entries": [] }),
                );
                continue;
            }
            Listing::Entries(entries) => entries,
        };
        println_unless(
            as_json,
            format!("{}:{}", dir.display(), if entries.is_empty() { " empty (no hooks)" } else { "" }),
        );
        let width = entries.iter().map(|e| e.name.len()).max().unwrap_or(0);
        let mut rows = Vec::new();
        for entry in entries {
            let verdict = match &entry.skipped {
                None => "runs".to_owned(),
                Some(skip) => format!("skipped: {skip}"),
            };
            let link = if entry.link { " (link)" } else { "" };
            println_unless(as_json, format!("  {:width$}  {verdict}{link}", entry.name));
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
    let hooks = Hooks::new(dir).setenv("DLPAR_STATE_DIR", state);
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
    let trace = hooks.run(&op);
    print_trace(&trace, false)?;
    Ok(trace.outcome)
}
