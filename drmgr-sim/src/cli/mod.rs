//! The command line: global options (drmgr's `-R`, `-S`, plus simulator aids) and
//! one module per subcommand.

mod compare;
mod demo;
mod event_args;
mod linux;
mod liveupdate;
mod replay;
mod repo;
mod run;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use drmgr_sim::{Repository, Runner};

/// Install DLPAR scripts and run whole DLPAR operations against them, as AIX drmgr does.
///
/// Exit status: 0 success; 1 an error (bad input, repository problem); 2 a usage error;
/// for `run` and `linux`: 3 the operation was vetoed, 4 it failed; for `compare`: 3 a
/// point mismatched (`replay` is 0 once every recorded invocation was replayed,
/// whatever the script answered).
#[derive(Debug, Parser)]
#[command(name = "drmgr-sim", version, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    action: Action,
}

/// The options every subcommand takes.
#[derive(Debug, Clone, clap::Args)]
struct Global {
    /// Repository base directory (drmgr -R); scripts live under DIR/all and DIR/HOST.
    #[arg(short = 'R', long, value_name = "DIR", env = "DRMGR_SIM_ROOT", default_value = Repository::DEFAULT_ROOT, global = true)]
    root: PathBuf,
    /// Forward the scripts' DR_LOG_* lines to syslog with this identifier (drmgr -S).
    #[arg(short = 'S', long = "syslog-id", visible_alias = "syslog", value_name = "ID", global = true)]
    syslog_id: Option<String>,
    /// The syslog socket for -S (simulator aid) [default: /dev/log, else /var/run/syslog].
    #[arg(long, value_name = "PATH", global = true)]
    syslog_socket: Option<PathBuf>,
    /// Match per-host (-D) directories against NAME instead of this machine's host
    /// name (simulator aid; real drmgr uses uname -n).
    #[arg(long, value_name = "NAME", global = true)]
    hostname: Option<String>,
    /// Time limit per command when neither -w nor the script's DR_TIMEOUT gives one.
    #[arg(long, value_name = "SECONDS", default_value_t = Runner::DEFAULT_TIMEOUT.as_secs(), global = true)]
    default_timeout: u64,
    /// Working directory of the scripts (simulator aid; drmgr always uses /tmp).
    #[arg(long, value_name = "DIR", default_value = Runner::WORKDIR, global = true)]
    workdir: PathBuf,
}

impl Global {
    fn repository(&self) -> Repository {
        let repo = Repository::new(&self.root);
        match &self.hostname {
            Some(name) => repo.with_hostname(name),
            None => repo,
        }
    }

    fn runner(&self) -> Runner {
        Runner::new().workdir(&self.workdir).default_timeout(Duration::from_secs(self.default_timeout))
    }
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Install a script (drmgr -i): run scriptinfo, register and usage, validate, copy, record.
    Install(repo::InstallArgs),
    /// Uninstall a script (drmgr -u).
    Uninstall(repo::UninstallArgs),
    /// List the installed scripts with their details (drmgr -l).
    List(repo::ListArgs),
    /// Re-create the information file from the scripts present (drmgr -b).
    Rebuild,
    /// Run a whole DLPAR operation against the installed scripts.
    Run(run::RunArgs),
    /// Install the example scripts into a temporary repository and run a few operations.
    Demo(demo::DemoArgs),
    /// Simulate an AIX Live Update: the safe kernel-extension check, then the DLPAR
    /// scripts on the original and the surrogate (checkmigrate, premigrate,
    /// postmigrate, undopremigrate).
    #[command(name = "liveupdate")]
    LiveUpdate(liveupdate::LiveUpdateArgs),
    /// Linux on Power: run powerpc-utils drmgr hooks (DIR/<DRC type>/) around a
    /// migration or a processor change, exactly as its run_hooks does; install, list.
    Linux(linux::LinuxArgs),
    /// Hold drmgr-sim against captures recorded by dlpar_capture: infer each recorded
    /// operation, run it again with capture instances of the same names, and compare
    /// point by point (sequence, variables, environment, process, experiments).
    Compare(compare::CompareArgs),
    /// Run SCRIPT with exactly the invocations a capture recorded (arguments,
    /// environment, order, time limits), in place of the capture instances.
    Replay(replay::ReplayArgs),
}

/// An error for the user: printed as `drmgr-sim: error: …`, exit status 1.
type Failure = Box<dyn std::error::Error>;

pub(crate) fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.action {
        Action::Install(args) => repo::install(&cli.global, args),
        Action::Uninstall(args) => repo::uninstall(&cli.global, args),
        Action::List(args) => repo::list(&cli.global, args),
        Action::Rebuild => repo::rebuild(&cli.global),
        Action::Run(args) => run::run(&cli.global, args),
        Action::Demo(args) => demo::demo(&cli.global, args),
        Action::LiveUpdate(args) => liveupdate::run(&cli.global, args),
        Action::Linux(args) => linux::run(&cli.global, args),
        Action::Compare(args) => compare::compare(&cli.global, args),
        Action::Replay(args) => replay::replay_capture(&cli.global, args),
    };
    result.unwrap_or_else(|error| {
        eprintln!("drmgr-sim: error: {error}");
        ExitCode::FAILURE
    })
}
