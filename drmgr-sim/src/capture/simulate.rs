//! Running a recorded operation again in drmgr-sim: the real `dlpar_capture`
//! binary installed under each recorded instance name, the recorded experiments in
//! its control file, the operation run by the repository and operation layers (AIX)
//! or by [`crate::linux::Hooks`], and the records the instances wrote read back.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use dlpar_capture::FILE_VARIABLE;
use dlpar_capture::read::{Capture, ReadProblem};
use dlpar_script::hook::DrcType;

use super::experiment;
use super::infer::{Episode, Recorded};
use super::{CompareError, Instance};
use crate::linux::{HookTrace, Hooks};
use crate::repository::{InstallOptions, Repository};
use crate::runner::Runner;
use crate::trace::Trace;

/// What drmgr-sim printed while running the operation again.
#[derive(Debug, Clone)]
pub(crate) enum Log {
    /// The capture instances were installed.
    Install,
    /// The AIX trace.
    Aix(Box<Trace>),
    /// The hook trace.
    Hook(Box<HookTrace>),
}

/// The operation run again: what the instances recorded, and drmgr-sim's trace.
#[derive(Debug, Clone)]
pub(crate) struct Simulated {
    /// The records of the simulated instances; `None` when none ran.
    pub(crate) capture: Option<Capture>,
    /// What drmgr-sim printed.
    pub(crate) log: Log,
}

/// How recorded operations are run again.
#[derive(Debug, Clone)]
pub(crate) struct Simulator<'a> {
    /// The `dlpar_capture` binary.
    pub(crate) capture_bin: &'a Path,
    /// How scripts are started (working directory, default limit, grace).
    pub(crate) runner: &'a Runner,
}

impl Simulator<'_> {
    /// Runs `episode` again with the capture instances `instances` (AIX) or `hooks`
    /// (per DRC type), in a private temporary directory.
    pub(crate) fn run(
        &self,
        episode: &Episode<'_>,
        instances: &[Instance],
        hooks: &[(DrcType, String)],
    ) -> Result<Simulated, CompareError> {
        let dir = tempfile::Builder::new().prefix("drmgr-sim-compare-").tempdir().map_err(setup)?;
        // The capture script wants a private directory (0700) of the user it runs
        // as; AIX instances may run as their namesakes' user (see `install`).
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o711)).map_err(setup)?;
        let owner = match episode.recorded {
            Recorded::Install | Recorded::Aix(_) => instances.first().map(|i| i.owner),
            Recorded::HookInstall => None,
            Recorded::Hook(..) => None,
        };
        let capture_file = private_dir(&dir.path().join("records"), owner)?.join("capture.jsonl");
        experiment::write_control(&capture_file, episode)?;
        let lang = episode.runs.first().and_then(|run| run.invocation.env_var("LANG"));
        let runner = self.runner.clone().lang(lang).setenv(FILE_VARIABLE, &capture_file);
        let log = match &episode.recorded {
            Recorded::Install => {
                self.install(dir.path(), &named(episode, instances), &runner)?;
                Log::Install
            }
            Recorded::HookInstall => {
                let hooks = Hooks::new(dir.path().join("hooks"));
                fs::create_dir_all(hooks.dir()).map_err(setup)?;
                let sources = dir.path().join("sources");
                fs::create_dir_all(&sources).map_err(setup)?;
                for name in named(episode, instances) {
                    let source = sources.join(&name.name);
                    self.copy_bin(&source)?;
                    crate::linux::install(&hooks, &runner, &source, false)
                        .map_err(|e| CompareError::Install(name.name.clone(), e.to_string()))?;
                }
                Log::Install
            }
            Recorded::Aix(op) => {
                // The install's own records go elsewhere: only the operation's are compared.
                let install_file = private_dir(&dir.path().join("install"), owner)?.join("capture.jsonl");
                let installing = self.runner.clone().setenv(FILE_VARIABLE, install_file);
                self.install(dir.path(), instances, &installing)?;
                let trace = op.run(&Repository::new(dir.path().join("root")), &runner)?;
                Log::Aix(Box::new(trace))
            }
            Recorded::Hook(op, version) => {
                let hooks_dir = dir.path().join("hooks");
                // The operation's type directory, even empty: a hooks directory
                // without one is refused as mistyped.
                fs::create_dir_all(hooks_dir.join(op.drc_type().as_str())).map_err(setup)?;
                for (drc_type, name) in hooks.iter().filter(|(t, _)| *t == op.drc_type()) {
                    let type_dir = hooks_dir.join(drc_type.as_str());
                    fs::create_dir_all(&type_dir).map_err(setup)?;
                    self.copy_bin(&type_dir.join(name))?;
                }
                let hooks = Hooks::new(&hooks_dir)
                    .powerpc_utils(*version)
                    .setenv(FILE_VARIABLE, &capture_file)
                    .grace(Runner::DEFAULT_GRACE);
                Log::Hook(Box::new(hooks.run(op).map_err(|e| CompareError::Setup(e.to_string()))?))
            }
        };
        let capture = match Capture::read_file(&capture_file) {
            Ok(capture) => Some(capture),
            Err(error) if matches!(error.problem, ReadProblem::Io(_) | ReadProblem::Empty) => None,
            Err(error) => return Err(CompareError::Simulated(error.to_string())),
        };
        Ok(Simulated { capture, log })
    }

    /// Installs a copy of the capture binary under each instance's name, as
    /// `drmgr -i` does. As root, each copy belongs to the user and group its
    /// namesake ran as, so that drmgr-sim runs it as them, as the host did.
    fn install(&self, dir: &Path, instances: &[Instance], runner: &Runner) -> Result<(), CompareError> {
        let repo = Repository::new(dir.join("root"));
        let sources = dir.join("sources");
        fs::create_dir_all(&sources).map_err(setup)?;
        let root = running_as_root();
        for instance in instances {
            let source = sources.join(&instance.name);
            self.copy_bin(&source)?;
            if root {
                let (uid, gid) = instance.owner;
                std::os::unix::fs::chown(&source, Some(uid), Some(gid)).map_err(setup)?;
            }
            repo.install(runner, &source, &InstallOptions::default())
                .map_err(|e| CompareError::Install(instance.name.clone(), e.to_string()))?;
        }
        Ok(())
    }

    /// An executable copy of the capture binary at `path`.
    fn copy_bin(&self, path: &Path) -> Result<(), CompareError> {
        fs::copy(self.capture_bin, path)
            .and_then(|_| fs::set_permissions(path, fs::Permissions::from_mode(0o755)))
            .map_err(|e| CompareError::CaptureBin(self.capture_bin.to_owned(), e.to_string()))
    }
}

/// The instances that took part in `episode`, in order.
fn named(episode: &Episode<'_>, instances: &[Instance]) -> Vec<Instance> {
    let took_part = |i: &&Instance| episode.runs.iter().any(|run| run.invocation.installed_name == i.name);
    instances.iter().filter(took_part).cloned().collect()
}

/// Makes `dir`, mode 0700, owned by `owner` when drmgr-sim runs as root.
fn private_dir(dir: &Path, owner: Option<(u32, u32)>) -> Result<&Path, CompareError> {
    fs::create_dir(dir).and_then(|()| fs::set_permissions(dir, fs::Permissions::from_mode(0o700))).map_err(setup)?;
    if let (Some((uid, gid)), true) = (owner, running_as_root()) {
        std::os::unix::fs::chown(dir, Some(uid), Some(gid)).map_err(setup)?;
    }
    Ok(dir)
}

fn setup(error: std::io::Error) -> CompareError {
    CompareError::Setup(error.to_string())
}

/// Whether drmgr-sim runs as root (and so runs each script as its file's owner).
pub(crate) fn running_as_root() -> bool {
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}
