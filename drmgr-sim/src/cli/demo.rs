//! `demo`: installs the example scripts into a temporary repository and runs a few
//! operations that show a veto, a forced removal, a licence veto that even FORCE
//! cannot override, an undo after a kernel failure and a memory add; then the
//! same acme_quiesce binary through an AIX migration and, installed as
//! powerpc-utils hooks in a temporary hooks directory, through Linux ones. It
//! builds nothing: it runs the repository's example binaries, found next to the
//! drmgr-sim executable (where `cargo build --release --workspace` puts them) or
//! in `target/release` of the directory it is started in (a clone's root).
//! `cargo install drmgr-sim` installs drmgr-sim alone, so the message then says
//! how to get them.
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
    /// Directory of the example binaries [default: the directory of this executable,
    /// else ./target/release].
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

/// The example binaries the demo runs, by name.
fn examples() -> impl Iterator<Item = &'static str> {
    SCRIPTS.iter().filter(|(_, source)| matches!(source, Source::Example)).map(|(name, _)| *name)
}

/// The examples missing from `dir`.
fn missing_in(dir: &Path) -> Vec<&'static str> {
    examples().filter(|name| !dir.join(name).is_file()).collect()
}

/// The directory holding every example: `--examples-dir`, else the first of the
/// executable's directory and `./target/release` that has them all; otherwise an
/// error that says where it looked and how to get them.
fn find_examples(given: Option<&Path>) -> Result<PathBuf, Failure> {
    const BUILD: &str = "in a clone of the dlpar-script repository, `cargo build --release --workspace` builds \
                         them into target/release";
    if let Some(dir) = given {
        let missing = missing_in(dir);
        return match missing.is_empty() {
            true => Ok(dir.to_owned()),
            false => {
                Err(format!("example script(s) {} not found in {}: {BUILD}", missing.join(", "), dir.display()).into())
            }
        };
    }
    let beside = std::env::current_exe()?.parent().map(Path::to_path_buf).unwrap_or_default();
    let candidates = [beside, std::env::current_dir()?.join("target/release")];
    if let Some(found) = candidates.iter().find(|dir| missing_in(dir).is_empty()) {
        return Ok(found.clone());
    }
    let names: Vec<&str> = examples().collect();
    Err(format!(
        "the demo runs the repository's example scripts ({}), which are not installed with drmgr-sim (`cargo \
         install drmgr-sim` installs drmgr-sim alone); they are in neither {} nor {}: {BUILD}, then run \
         `./target/release/drmgr-sim demo` there, or `drmgr-sim demo --examples-dir CLONE/target/release`",
        names.join(", "),
        candidates[0].display(),
        candidates[1].display()
    )
    .into())
}

pub(super) fn demo(global: &Global, args: &DemoArgs) -> Result<ExitCode, Failure> {
    let examples = find_examples(args.examples_dir.as_deref())?;

    let root = tempfile::Builder::new().prefix("drmgr-sim-demo-root-").tempdir()?;
    let state = tempfile::Builder::new().prefix("drmgr-sim-demo-state-").tempdir()?;
    let sources = tempfile::Builder::new().prefix("drmgr-sim-demo-scripts-").tempdir()?;
    let global = Global { root: Some(root.path().to_owned()), hostname: None, ..global.clone() };
    let repo = global.repository()?;
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
