//! `demo`: installs the example scripts into a temporary repository and runs a few
//! operations that show a veto, a forced removal, a licence veto that even FORCE
//! cannot override, an undo after a kernel failure and a memory add; then the
//! same acme_quiesce binary through an AIX migration and, installed as
//! powerpc-utils hooks in a temporary hooks directory, through Linux ones. It
//! builds nothing: the example binaries must sit next to the drmgr-sim
//! executable (`cargo build --release --workspace` puts them there).
//!
//! To extend the demo, add a row to [`SCRIPTS`] or [`SCENARIOS`].

use std::fs::{self, Permissions};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use drmgr_sim::{InstallOptions, Outcome, Style};

use super::run::{RunOp, SetenvArgs, execute};
use super::{Failure, Global};

/// Where a demo script comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// An example binary of the workspace, found next to the drmgr-sim executable.
    Example,
    /// A POSIX shell script shipped inside drmgr-sim.
    Shell(&'static str),
}

/// A file the demo writes for its scripts, and the variable that names it to them.
struct DemoFile {
    variable: &'static str,
    name: &'static str,
    contents: &'static str,
}

/// The scripts the demo installs, by name, with the files they read.
const SCRIPTS: &[(&str, Source)] = &[
    ("acme_bufpool", Source::Example),
    ("acme_cpuguard", Source::Example),
    ("acme_licmgr", Source::Example),
    ("acme_quiesce", Source::Example),
    ("acme_shellpool", Source::Shell(include_str!("../../demo/acme_shellpool.sh"))),
];

/// What the example scripts read: acme_bufpool's control file, acme_licmgr's licence
/// (4 processors) and the AIX command it asks (4 processors online, from a replay
/// file instead of `/usr/sbin/bindprocessor`).
const FILES: &[DemoFile] = &[
    DemoFile {
        variable: "ACME_BUFPOOL_CONTROL",
        name: "bufpool.ctl",
        contents: "pool_mb=2048\nthreads=8\nspare_threads=2\n",
    },
    DemoFile { variable: "ACME_LICMGR_CONF", name: "licmgr.conf", contents: "licensed_cpus = 4\n" },
    DemoFile { variable: "ACME_QUIESCE_CONTROL", name: "quiesce.ctl", contents: "state=running\nworkers=4\n" },
    DemoFile {
        variable: "DLPAR_AIX_REPLAY",
        name: "aix-replay.json",
        contents: r#"{"commands": [{"argv": ["/usr/sbin/bindprocessor", "-q"],
                     "stdout": "The available processors are: 0 1 2 3\n"}]}"#,
    },
];

/// One operation of the demo: what it shows, the `drmgr-sim run` arguments, and the
/// outcome it must have.
struct Scenario {
    title: &'static str,
    explain: &'static str,
    run: &'static [&'static str],
    expect: Outcome,
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        title: "A veto",
        explain: "acme_cpuguard's checkrelease refuses to give away bind CPU 1: nothing changes.",
        run: &["remove", "cpu", "--bcpuid", "1", "--detail", "3"],
        expect: Outcome::Vetoed,
    },
    Scenario {
        title: "A forced removal",
        explain: "With --force (DR_FORCE=TRUE) drmgr skips checkrelease: the CPU goes anyway.",
        run: &["remove", "cpu", "--bcpuid", "1", "--force", "--detail", "3"],
        expect: Outcome::Success,
    },
    Scenario {
        title: "A licence veto that cannot be forced",
        explain: "acme_licmgr's checkacquire refuses a fifth processor on a 4-processor licence; \
                  drmgr runs checkacquire even with --force and never overrides its veto.",
        run: &["add", "cpu", "--bcpuid", "4", "--force", "--detail", "2"],
        expect: Outcome::Vetoed,
    },
    Scenario {
        title: "An undo after a kernel failure",
        explain: "acme_bufpool (Rust) and acme_shellpool (POSIX sh) shrink their pools in prerelease; \
                  the kernel step fails, so undoprerelease gives the memory back, in reverse order.",
        run: &["remove", "mem", "--mem-mb", "256", "--fail-kernel", "--detail", "3"],
        expect: Outcome::Failed,
    },
    Scenario {
        title: "A memory add",
        explain: "512 MB arrive: checkacquire, preacquire, the kernel step, then postacquire grows the pools.",
        run: &["add", "mem", "--mem-mb", "512", "--detail", "3"],
        expect: Outcome::Success,
    },
    Scenario {
        title: "A migration on AIX",
        explain: "acme_quiesce quiesces Acme's service in premigrate and resumes it in postmigrate.",
        run: &["migrate", "--detail", "3"],
        expect: Outcome::Success,
    },
    Scenario {
        title: "The same binary as a Linux hook",
        explain: "Installed under pmig/ and cpu/ of a powerpc-utils hooks directory, acme_quiesce answers \
                  PHASE=check/pre/post with the same handlers; the partition is not suspendable once, \
                  so pre runs twice.",
        run: &["linux", "migrate", "--not-suspendable", "1"],
        expect: Outcome::Success,
    },
    Scenario {
        title: "A processor removal on Linux",
        explain: "powerpc-utils removes 2 processors at once: postrelease sees DRC_COUNT=2 and drops 2 workers.",
        run: &["linux", "cpu", "remove", "--count", "2"],
        expect: Outcome::Success,
    },
];

/// The examples the demo also installs as powerpc-utils hooks.
const HOOKS: &[&str] = &["acme_quiesce"];

#[derive(Debug, clap::Args)]
pub(super) struct DemoArgs {
    /// Directory of the example binaries [default: the directory of this executable].
    #[arg(long, value_name = "DIR")]
    examples_dir: Option<PathBuf>,
    /// Keep the temporary repository, state and scripts afterwards, so that the
    /// printed commands can be pasted and run again.
    #[arg(long)]
    keep: bool,
    #[command(flatten)]
    setenv: SetenvArgs,
}

/// Parses a scenario's arguments with the `run` parser, so the demo shows exactly
/// what `drmgr-sim run …` would do.
#[derive(Debug, Parser)]
#[command(name = "run", no_binary_name = true)]
struct ScenarioRun {
    #[command(subcommand)]
    op: RunOp,
}

pub(super) fn demo(global: &Global, args: &DemoArgs) -> Result<ExitCode, Failure> {
    let examples = match &args.examples_dir {
        Some(dir) => dir.clone(),
        None => std::env::current_exe()?.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let missing: Vec<&str> = SCRIPTS
        .iter()
        .filter(|(name, source)| matches!(source, Source::Example) && !examples.join(name).is_file())
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "example script(s) {} not found in {}: build the examples first: cargo build --release --workspace",
            missing.join(", "),
            examples.display()
        )
        .into());
    }

    let root = tempfile::Builder::new().prefix("drmgr-sim-demo-root-").tempdir()?;
    let state = tempfile::Builder::new().prefix("drmgr-sim-demo-state-").tempdir()?;
    let sources = tempfile::Builder::new().prefix("drmgr-sim-demo-scripts-").tempdir()?;
    let global = Global { root: root.path().to_owned(), hostname: None, ..global.clone() };
    let repo = global.repository();
    let mut runner = global.runner().setenv("DLPAR_STATE_DIR", state.path());
    for file in FILES {
        let path = sources.path().join(file.name);
        fs::write(&path, file.contents)?;
        runner = runner.setenv(file.variable, &path);
    }
    let runner = args.setenv.apply(runner);
    // What the scripts need besides DR_*, as the run option that passes it on.
    let mut setenv: Vec<String> = vec![format!("--setenv DLPAR_STATE_DIR={}", state.path().display())];
    setenv.extend(FILES.iter().map(|f| format!("--setenv {}={}", f.variable, sources.path().join(f.name).display())));
    setenv.extend(args.setenv.pairs().map(|(name, value)| format!("--setenv {name}={value}")));
    let cli = format!("drmgr-sim -R {}", repo.root().display());
    let hooks_dir = tempfile::Builder::new().prefix("drmgr-sim-demo-hooks-").tempdir()?;
    let hooks =
        super::linux::demo_hooks(hooks_dir.path(), state.path(), &sources, FILES.iter().map(|f| (f.variable, f.name)));
    let hooks = args.setenv.pairs().fold(hooks, |hooks, (name, value)| hooks.setenv(name, value));

    println!("drmgr-sim demo: a temporary repository in {}\n", repo.root().display());
    println!("The commands below can be pasted as printed (with --keep, also after the demo) once DEMO_ENV is set:");
    println!("$ DEMO_ENV='{}'\n", setenv.join(" "));
    for (name, source) in SCRIPTS {
        let path = match source {
            Source::Example => examples.join(name),
            Source::Shell(text) => {
                let path = sources.path().join(name);
                fs::write(&path, text)?;
                fs::set_permissions(&path, Permissions::from_mode(0o755))?;
                path
            }
        };
        let installed = repo.install(&runner, &path, &InstallOptions::default())?;
        let resources: Vec<&str> = installed.entry.resources.iter().map(|(r, _)| r.as_str()).collect();
        println!("$ {cli} install {}", path.display());
        println!("  installed {} ({}): {}", installed.entry.name, resources.join(", "), installed.entry.info);
        if HOOKS.contains(name) {
            println!("$ drmgr-sim linux --hooks-dir {} install {}", hooks.dir().display(), path.display());
            for (drc_type, file) in drmgr_sim::linux::install(&hooks, &runner, &path, false)?.files {
                println!("  installed {name} for {drc_type}: {}", file.display());
            }
        }
    }

    let mut surprises = Vec::new();
    for (n, scenario) in SCENARIOS.iter().enumerate() {
        let linux = scenario.run.first() == Some(&"linux");
        let command = match linux {
            true => format!(
                "drmgr-sim linux --hooks-dir {} $DEMO_ENV {}",
                hooks.dir().display(),
                scenario.run[1..].join(" ")
            ),
            false => format!("{cli} run {} $DEMO_ENV", scenario.run.join(" ")),
        };
        println!("\n== {}. {} ==\n{}\n$ {command}\n", n + 1, scenario.title, scenario.explain);
        let outcome = if linux {
            super::linux::demo_scenario(&hooks, &scenario.run[1..])?
        } else {
            let parsed = ScenarioRun::try_parse_from(scenario.run)?;
            let (op, _) = parsed.op.operation()?;
            let trace = execute(&global, &op, &runner)?;
            print!("{}", trace.render(Style::for_stdout()));
            trace.outcome
        };
        if outcome != scenario.expect {
            surprises.push(format!(
                "{}: expected {}, got {}",
                scenario.title,
                scenario.expect.as_str(),
                outcome.as_str()
            ));
        }
    }
    if !surprises.is_empty() {
        return Err(format!("the demo did not go as expected: {}", surprises.join("; ")).into());
    }
    if args.keep {
        let kept = [root.keep(), state.keep(), sources.keep(), hooks_dir.keep()];
        let kept: Vec<String> = kept.iter().map(|dir| dir.display().to_string()).collect();
        println!("\nKept (remove them when done): {}", kept.join(" "));
    } else {
        println!("\nThe temporary repository, hooks and state directories are removed now.");
    }
    Ok(ExitCode::SUCCESS)
}
