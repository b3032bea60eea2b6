//! `drmgr-sim liveupdate`: the command-line side of [`LiveUpdate`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use dlpar_liveupdate::KextPath;
use dlpar_script::protocol::Resource;
use drmgr_sim::liveupdate::{LiveUpdate, LuPhase, read_data};
use drmgr_sim::{Style, Timings};

use super::run::{SetenvArgs, TraceArgs, exit_code, syslog_forwarder};
use super::{Failure, Global};

/// The options of `drmgr-sim liveupdate`.
#[derive(Debug, clap::Args)]
pub(super) struct LiveUpdateArgs {
    /// Kernel extensions loaded on the partition (absolute paths).
    #[arg(long, value_name = "KEXT", num_args = 1.., value_parser = kext_path)]
    loaded: Vec<KextPath>,
    /// Kernel extensions loaded with sysconfig() and SYS_LUSAFE: safe without being
    /// on the list (they count as loaded).
    #[arg(long, value_name = "KEXT", num_args = 1.., value_parser = kext_path)]
    lusafe: Vec<KextPath>,
    /// The lvupdate.data file to use [default: SYSTEM_ROOT/var/adm/ras/liveupdate/lvupdate.data, when present].
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    /// Make the system's part of a phase fail: a checked phase stops the update and
    /// sends DR_POST_ERROR (undopremigrate); another phase reports and goes on.
    #[arg(long, value_name = "PHASE", value_parser = phase_parser())]
    fail_at: Option<LuPhase>,
    /// The preview (geninstall -k -p): only the safe kernel-extension check, in which
    /// entries added with lvupdate-safe-ke -p count.
    #[arg(long)]
    preview: bool,
    /// Root of the simulated system: the safe list is SYSTEM_ROOT/etc/liveupdate/lvup_safe_KE
    /// (as lvupdate-safe-ke --root writes it), the log goes to
    /// SYSTEM_ROOT/var/adm/ras/liveupdate/logs [default: the repository root, -R].
    #[arg(long, value_name = "DIR")]
    system_root: Option<PathBuf>,
    /// Resource word passed as argv[2] and used to pick the scripts, instead of pmig.
    #[arg(long, value_name = "NAME", value_parser = |s: &str| s.parse::<Resource>().map_err(|e| e.to_string()))]
    resource: Option<Resource>,
    #[command(flatten)]
    trace: TraceArgs,
    #[command(flatten)]
    setenv: SetenvArgs,
}

fn kext_path(text: &str) -> Result<KextPath, String> {
    text.parse().map_err(|e: dlpar_liveupdate::KextPathError| e.to_string())
}

/// The timeline's phase names, listed in `--help` and in errors.
fn phase_parser() -> impl TypedValueParser<Value = LuPhase> {
    PossibleValuesParser::new(LuPhase::TIMELINE.map(LuPhase::as_str))
        .try_map(|name| name.parse::<LuPhase>().map_err(|e| e.to_string()))
}

pub(super) fn run(global: &Global, args: &LiveUpdateArgs) -> Result<ExitCode, Failure> {
    let repo = global.repository()?;
    let mut lu = LiveUpdate::new(args.system_root.as_deref().unwrap_or(repo.root()))
        .loaded(args.loaded.iter().cloned())
        .lusafe(args.lusafe.iter().cloned())
        .preview(args.preview)
        .detail(args.trace.detail);
    if let Some(file) = &args.data {
        lu = lu.data(read_data(file)?);
    }
    if let Some(phase) = args.fail_at {
        lu = lu.fail_at(phase);
    }
    if let Some(resource) = &args.resource {
        lu = lu.resource(resource.clone());
    }
    let runner = args.setenv.apply(global.runner());
    let trace = lu.run_observed(&repo, &runner, syslog_forwarder(global)?)?;
    if args.trace.json {
        println!("{}", serde_json::to_string_pretty(&trace.to_json(Timings::Shown))?);
    } else {
        print!("{}", trace.render(Style::for_stdout()));
    }
    Ok(exit_code(trace.outcome))
}
