//! The command line: global options (drmgr's `-R`, `-S`, plus simulator aids) and
//! one module per subcommand.

mod check;
mod compare;
mod demo;
mod drmgr;
mod event_args;
mod linux;
mod liveupdate;
mod replay;
mod repo;
mod run;
mod settings;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use drmgr_sim::{Repository, Runner};

/// Install DLPAR scripts and run whole DLPAR operations against them, as AIX drmgr does.
///
/// Exit status: 0 success; 1 an error (bad input, repository problem); 2 a usage error;
/// for `run` and `linux`: 3 the operation was vetoed, 4 it failed; for `compare`: 3 a
/// point mismatched (`replay` is 0 once every recorded invocation was replayed,
/// whatever the script answered); for `check`: 1 errors found.
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
    /// Repository base directory; scripts live under DIR/all and DIR/HOST. Without it,
    /// the one set with `drmgr -R DIR` (kept per user); there is no default.
    #[arg(short = 'R', long, value_name = "DIR", env = "DRMGR_SIM_ROOT", global = true)]
    root: Option<PathBuf>,
    /// Forward the scripts' DR_LOG_* lines to syslog with this identifier. Without
    /// it, the one set with `drmgr -S ID` (kept per user), if any.
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
    /// Whether this is the drmgr front end, which speaks as `drmgr` in messages.
    #[arg(skip)]
    as_drmgr: bool,
}

impl Global {
    /// The repository: `-R` on the command, else the one `drmgr -R` kept, else an
    /// error saying how to set it (`settings::root`).
    fn repository(&self) -> Result<Repository, Failure> {
        let repo = Repository::new(settings::root(self.root.as_deref())?);
        Ok(match &self.hostname {
            Some(name) => repo.with_hostname(name),
            None => repo,
        })
    }

    /// The syslog identifier: `-S` on the command, else the one `drmgr -S` kept.
    fn syslog_id(&self) -> Result<Option<String>, Failure> {
        settings::syslog_id(self.syslog_id.as_deref())
    }

    /// The name messages start with: `drmgr` for drmgr's own command line.
    fn program(&self) -> &'static str {
        if self.as_drmgr { "drmgr" } else { "drmgr-sim" }
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
    /// Check any DLPAR script (ksh, Perl, a Rust binary…) against the protocol:
    /// install it in a scratch repository, send it every command its resources
    /// can receive, read it for portability to AIX; report each broken rule.
    Check(check::CheckArgs),
    /// AIX drmgr's own command line, exactly: `drmgr-sim drmgr -i SCRIPT [-w MINUTES]
    /// [-f] [-D HOST] | -u NAME [-D HOST] | -b | -R DIR | -S ID | -l`. A link to
    /// drmgr-sim named `drmgr` does the same. `-R` and `-S` are kept per user under
    /// $XDG_STATE_HOME/drmgr-sim (default ~/.local/state/drmgr-sim) for later
    /// commands of both forms. Every word after `drmgr` is drmgr's: the options
    /// below go before it (`drmgr-sim --hostname lpar1 drmgr -l`).
    #[command(disable_help_flag = true)]
    Drmgr(drmgr::DrmgrArgs),
    /// Hold drmgr-sim against captures recorded by dlpar_capture: infer each recorded
    /// operation, run it again with capture instances of the same names, and compare
    /// point by point (sequence, variables, environment, process, experiments).
    Compare(compare::CompareArgs),
    /// Run SCRIPT with exactly the invocations a capture recorded (arguments,
    /// environment, order, time limits), in place of the capture instances.
    Replay(replay::ReplayArgs),
}

/// `drmgr-sim [OPTIONS] drmgr ARGS…` split after the subcommand word: the words
/// after it are drmgr's alone, so that its `-R` and `-S` are not taken for the
/// global options of the same letters. The split is where the words up to a
/// `drmgr` parse as that subcommand (not, say, as the value of `--workdir drmgr`).
fn split_at_drmgr(args: &[OsString]) -> Option<(Cli, &[OsString])> {
    args.iter().enumerate().skip(1).filter(|(_, word)| *word == "drmgr").find_map(|(at, _)| {
        let cli = Cli::try_parse_from(&args[..=at]).ok()?;
        matches!(cli.action, Action::Drmgr(_)).then(|| (cli, &args[at + 1..]))
    })
}

/// Refuses a global option given to `linux` that it has no use for.
fn not_for_linux(matches: &clap::ArgMatches) -> Result<(), Failure> {
    let Some(sub) = matches.subcommand_matches("linux") else { return Ok(()) };
    for (id, flag) in linux::NOT_FOR_LINUX {
        let given = |m: &clap::ArgMatches| m.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
        if given(matches) || given(sub) {
            return Err(format!(
                "{flag} does not apply to linux: hooks have no repository, syslog, host directories, \
                 time limit or working directory of drmgr-sim's (see drmgr-sim linux --help)"
            )
            .into());
        }
    }
    Ok(())
}

/// An error for the user: printed as `drmgr-sim: error: …`, exit status 1.
type Failure = Box<dyn std::error::Error>;

pub(crate) fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    if drmgr::invoked_as_drmgr(&args) {
        return drmgr::main_as_drmgr(&args[1..]);
    }
    if let Some((cli, rest)) = split_at_drmgr(&args) {
        return drmgr::run(&cli.global, rest);
    }
    let command = Cli::command();
    // The global options `linux` has no use for are hidden from its help (and
    // refused below), so that every option it shows works: a hidden copy in the
    // subcommand takes the place of the global one (clap propagates a global
    // option only where its id is not taken).
    let hidden: Vec<clap::Arg> = command
        .get_arguments()
        .filter(|arg| linux::NOT_FOR_LINUX.iter().any(|(id, _)| arg.get_id() == *id))
        .map(|arg| arg.clone().hide(true))
        .collect();
    let matches = command.mut_subcommand("linux", |sub| sub.args(hidden)).get_matches_from(args);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    let result = match &cli.action {
        Action::Install(args) => repo::install(&cli.global, args),
        Action::Uninstall(args) => repo::uninstall(&cli.global, args),
        Action::List(args) => repo::list(&cli.global, args),
        Action::Rebuild => repo::rebuild(&cli.global),
        Action::Run(args) => run::run(&cli.global, args),
        Action::Demo(args) => demo::demo(&cli.global, args),
        Action::LiveUpdate(args) => liveupdate::run(&cli.global, args),
        Action::Linux(args) => not_for_linux(&matches).and_then(|()| linux::run(args)),
        Action::Check(args) => check::run(&cli.global, args),
        Action::Drmgr(args) => return drmgr::run(&cli.global, &args.args),
        Action::Compare(args) => compare::compare(&cli.global, args),
        Action::Replay(args) => replay::replay_capture(&cli.global, args),
    };
    result.unwrap_or_else(|error| {
        eprintln!("drmgr-sim: error: {error}");
        ExitCode::FAILURE
    })
}
