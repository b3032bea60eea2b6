//! Placing a DLPAR script among the hooks: under each DRC type it registers
//! that has hooks.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use dlpar_script::hook::DrcType;
use dlpar_script::protocol::Command;
use dlpar_script::wire::Key;

use super::Hooks;
use crate::repository::installable;
use crate::runner::{Call, Runner};
use crate::trace::text::visible;

/// Where [`install`] put a script.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Placed {
    /// The script's name in the type directories.
    pub name: String,
    /// The copy (in the first type directory), then a relative link per other type.
    pub files: Vec<(DrcType, PathBuf)>,
    /// The registered resources that have no hooks, with the reason they were refused.
    pub refused: Vec<(String, String)>,
}

/// Why a script could not be placed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InstallError {
    /// `register` did not answer with exit 0.
    #[error("{script}: register failed: {how}")]
    Register {
        /// The script.
        script: String,
        /// How it ended, and its DR_ERROR.
        how: String,
    },
    /// None of the registered resources has hooks.
    #[error("{script} registers {registered}, and powerpc-utils runs hooks only for cpu and pmig: nothing to install")]
    NoHookTypes {
        /// The script.
        script: String,
        /// What it registers.
        registered: String,
    },
    /// The hooks directory cannot be one.
    #[error(transparent)]
    Hooks(#[from] super::HooksError),
    /// The script is not an executable file or its file name cannot be a hook
    /// name (the rules of [`Repository::install`](crate::Repository::install)).
    #[error(transparent)]
    Name(#[from] crate::RepoError),
    /// A hook of that name is there already and replacing was not asked for.
    #[error("{name} is already installed as {}: use -f to replace it", path.display())]
    Clash {
        /// The name.
        name: String,
        /// The hook in place.
        path: PathBuf,
    },
    /// The hooks directory cannot be written.
    #[error("{path}: {problem}")]
    File {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
}

/// Asks `script` its `register` (through `runner`, as drmgr-sim's `install`
/// does) and places it under each registered DRC type that has hooks: a copy
/// (mode 0755) in the first, a relative link to it in the others. The hooks
/// directory must exist ([`Hooks::check_exists`]); the file and its name follow
/// the rules of [`Repository::install`](crate::Repository::install) (an
/// executable file; plain UTF-8, not hidden, no spaces or control characters), and, as there, an entry of the same name in
/// a type directory is replaced only with `force` (`-f`). Resources without hooks
/// are refused, each with its reason; a script with none that has hooks is an
/// error.
pub fn install(hooks: &Hooks, runner: &Runner, script: &Path, force: bool) -> Result<Placed, InstallError> {
    let file_error = |path: &Path, problem: String| InstallError::File { path: path.to_owned(), problem };
    hooks.check_exists()?;
    let (name, script, _) = installable(script)?;
    let call = Call::install(&name, &script, Command::Register, None, runner.time_limit(None, None));
    let answer = runner.invoke(&call);
    if answer.end.exit_code() != Some(0) {
        let error = answer.reply.error().map(|e| format!(" (DR_ERROR: {})", visible(&e))).unwrap_or_default();
        return Err(InstallError::Register { script: name, how: format!("{}{error}", answer.end) });
    }
    let registered: Vec<String> = answer.reply.all(Key::RESOURCE.as_str()).map(|w| w.trim().to_owned()).collect();
    let mut types = Vec::new();
    let mut refused = Vec::new();
    for word in &registered {
        let drc_type = match word.as_str() {
            "cpu" => DrcType::Cpu,
            "pmig" => DrcType::Pmig,
            other => {
                refused
                    .push((other.to_owned(), format!("powerpc-utils runs no hooks for {other} (only cpu and pmig)")));
                continue;
            }
        };
        // As `install` refuses it; placed twice, the link would replace the copy.
        if types.contains(&drc_type) {
            return Err(InstallError::Register { script: name, how: format!("resource {word} is registered twice") });
        }
        types.push(drc_type);
    }
    if types.is_empty() {
        let registered =
            if registered.is_empty() { "nothing".to_owned() } else { visible(&registered.join(", ")).into() };
        return Err(InstallError::NoHookTypes { script: name, registered });
    }
    if !force
        && let Some(path) =
            types.iter().map(|t| hooks.type_dir(*t).join(&name)).find(|p| fs::symlink_metadata(p).is_ok())
    {
        return Err(InstallError::Clash { name, path });
    }
    let mut files = Vec::new();
    for (i, drc_type) in types.iter().enumerate() {
        let dir = hooks.type_dir(*drc_type);
        fs::create_dir_all(&dir).map_err(|e| file_error(&dir, e.to_string()))?;
        let target = dir.join(&name);
        // Staged beside the type directories, where powerpc-utils never looks.
        let staged = hooks.dir().join(format!(".{name}.{drc_type}.drmgr-sim-new"));
        let _ = fs::remove_file(&staged);
        let placed = match i {
            0 => {
                fs::copy(&script, &staged).and_then(|_| fs::set_permissions(&staged, fs::Permissions::from_mode(0o755)))
            }
            _ => symlink(Path::new("..").join(types[0].as_str()).join(&name), &staged),
        };
        placed.and_then(|()| fs::rename(&staged, &target)).map_err(|e| file_error(&target, e.to_string()))?;
        files.push((*drc_type, target));
    }
    Ok(Placed { name, files, refused })
}
