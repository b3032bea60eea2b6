//! The script repository (docs/protocol.md §8): `<root>/all/NAME` for every host,
//! `<root>/<host>/NAME` for one host, and the information file that records what
//! each script answered at install time.

mod entry;
mod error;
mod info_file;
mod name;
mod query;

pub(crate) use query::not_a_date;

use std::fs::{self, Permissions};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use dlpar_script::protocol::Resource;

pub use entry::{Location, ScriptEntry};
pub use error::RepoError;
use name::script_name;
use name::valid_host;

use crate::runner::Runner;

/// A script repository under a root directory, seen from one host.
///
/// ```no_run
/// use drmgr_sim::{InstallOptions, Repository, Runner};
///
/// let repo = Repository::new("/tmp/dr-scripts");
/// let installed = repo.install(&Runner::new(), "target/release/acme_cpuguard".as_ref(), &InstallOptions::default())?;
/// println!("{} registers {} resource(s)", installed.entry.name, installed.entry.resources.len());
/// for entry in repo.scripts()? {
///     println!("{} ({})", entry.name, entry.location);
/// }
/// # Ok::<(), drmgr_sim::RepoError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Repository {
    root: PathBuf,
    hostname: String,
}

/// The choices of one install: `-w`, `-f`, `-D`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstallOptions {
    /// `-w MINUTES`: the administrator's time limit per command, overriding `DR_TIMEOUT`.
    pub admin_timeout: Option<u32>,
    /// `-f`: replace an installed script of the same name.
    pub force: bool,
    /// `-D HOST`: install for that host only.
    pub host: Option<String>,
}

/// What an install did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Installed {
    /// The new entry.
    pub entry: ScriptEntry,
    /// Installed scripts of the same name that `-f` replaced.
    pub replaced: Vec<ScriptEntry>,
    /// Protocol warnings from the install commands (not fatal).
    pub warnings: Vec<String>,
}

/// What a rebuild found.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Rebuilt {
    /// The scripts now recorded.
    pub recorded: Vec<ScriptEntry>,
    /// Files that answered the install commands wrongly, with the reason; they are
    /// left in place and not recorded.
    pub left_out: Vec<(PathBuf, String)>,
    /// Why the old information file could not be read, if it could not: its `-w`
    /// overrides are then lost.
    pub old_file_problem: Option<String>,
}

impl Repository {
    /// AIX drmgr's default root. drmgr-sim never uses it unless it is named: its
    /// command line takes the root from `-R` or from what `drmgr -R` kept.
    pub const DEFAULT_ROOT: &'static str = "/usr/lib/dr/scripts";
    /// The longest `DR_TIMEOUT` [`Repository::install`] accepts, in seconds: the
    /// runtime's [`ScriptInfo::MAX_TIMEOUT`](dlpar_script::ScriptInfo::MAX_TIMEOUT),
    /// one day (a project decision). drmgr ends a command past its limit, so a
    /// longer one would only hide a script that hangs; an administrator who needs
    /// more gives the install `-w MINUTES` ([`InstallOptions::admin_timeout`]),
    /// which has no such bound.
    pub const MAX_SCRIPT_TIMEOUT: u32 = dlpar_script::ScriptInfo::MAX_TIMEOUT;
    /// The information file's name, directly under the root.
    ///
    /// It records what install learned, as human-readable, versioned JSON
    /// (format version 1):
    ///
    /// ```json
    /// {
    ///   "format": "drmgr-sim information file",
    ///   "version": 1,
    ///   "scripts": [
    ///     {
    ///       "name": "acme_cpuguard",
    ///       "host": null,
    ///       "vendor": "Acme",
    ///       "info": "Acme guard: keeps a minimum of processors online",
    ///       "version": 1,
    ///       "date": "22112026",
    ///       "timeout": 10,
    ///       "admin_timeout": null,
    ///       "resources": [
    ///         { "name": "cpu", "usage": "Acme application threads need at least 2 processors online" }
    ///       ]
    ///     }
    ///   ]
    /// }
    /// ```
    ///
    /// `host` is `null` for a script under `all/`, else the host name given to `-D`;
    /// `timeout` is the script's `DR_TIMEOUT` in seconds and `admin_timeout` the `-w`
    /// override in minutes, each `null` when not given; `resources` are in the order
    /// `register` gave them. Scripts are sorted by host (`all` first), then name. The
    /// file is replaced atomically (written beside, then renamed), mode 0644. A file
    /// of another `format` or `version`, or with unknown fields, is refused rather
    /// than guessed at; [`Repository::rebuild`] re-creates it from the scripts present.
    pub const INFO_FILE: &'static str = "drmgr-sim.info.json";

    /// The repository under `root`, seen from this machine's host name (`uname -n`).
    /// A relative `root` is taken from the current directory now: scripts run with
    /// another working directory (`/tmp`), where it would mean something else.
    pub fn new(root: impl Into<PathBuf>) -> Repository {
        Repository { root: absolute(root.into()), hostname: crate::host::hostname() }
    }

    /// Sees the repository from another host name (for tests of `-D`).
    pub fn with_hostname(mut self, hostname: impl Into<String>) -> Repository {
        self.hostname = hostname.into();
        self
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The host name scripts under `<root>/<host>` must match to run.
    pub fn hostname(&self) -> &str {
        &self.hostname
    }

    /// The information file.
    pub fn info_file(&self) -> PathBuf {
        self.root.join(Repository::INFO_FILE)
    }

    /// The file of an installed script.
    pub fn script_path(&self, entry: &ScriptEntry) -> PathBuf {
        entry.path_under(&self.root)
    }

    /// Every recorded script, for every host, sorted by location then name; a root
    /// that does not exist is [`RepoError::NoRoot`].
    pub fn scripts(&self) -> Result<Vec<ScriptEntry>, RepoError> {
        self.require_root()?;
        info_file::load(&self.info_file())
    }

    /// [`RepoError::NoRoot`] unless the root is a directory.
    fn require_root(&self) -> Result<(), RepoError> {
        match fs::metadata(&self.root) {
            Ok(meta) if meta.is_dir() => Ok(()),
            Ok(_) => Err(RepoError::NoRoot { root: self.root.clone() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(RepoError::NoRoot { root: self.root.clone() }),
            Err(source) => Err(RepoError::Io { path: self.root.clone(), source }),
        }
    }

    /// The scripts that run on this host, by name (byte order). A name installed
    /// both for all hosts and for this host runs once: the per-host one.
    pub fn active(&self) -> Result<Vec<ScriptEntry>, RepoError> {
        let mut active: Vec<ScriptEntry> =
            self.scripts()?.into_iter().filter(|e| e.location.applies_to(&self.hostname)).collect();
        // Per-host entries sort after `all`, so keep the last of each name.
        active.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()).then(a.location.cmp(&b.location)));
        active.reverse();
        active.dedup_by(|later, earlier| later.name == earlier.name);
        active.reverse();
        Ok(active)
    }

    /// The scripts on this host that registered `resource`, in name order.
    pub fn registered_for(&self, resource: &Resource) -> Result<Vec<ScriptEntry>, RepoError> {
        Ok(self.active()?.into_iter().filter(|e| e.registers(resource)).collect())
    }

    /// Installs a script (`drmgr -i`): runs `scriptinfo`, `register` and `usage` for
    /// each resource, validates the answers, copies the file with its mode (and, as
    /// root, its owner), and records the answers. A script of the same name that
    /// would run on the same host is a clash, refused unless `options.force`. The
    /// root is created if it does not exist.
    ///
    /// Refused beyond what the runtime's own reading checks: `DR_VERSION`, `DR_DATE`,
    /// `DR_SCRIPTINFO`, `DR_VENDOR` or `DR_TIMEOUT` given twice, a text containing
    /// U+2028 or U+2029 (line and paragraph separators), a `DR_TIMEOUT` above
    /// [`Repository::MAX_SCRIPT_TIMEOUT`]. Warned about ([`Installed::warnings`]): a
    /// `DR_DATE` that is not a real date in DDMMYYYY, and a registered resource that
    /// drmgr does not send on its own (a custom name, reached only by an operation
    /// that names it).
    pub fn install(&self, runner: &Runner, script: &Path, options: &InstallOptions) -> Result<Installed, RepoError> {
        let (name, script, meta) = installable(script)?;
        let script = &script;
        let location = match &options.host {
            None => Location::All,
            Some(host) => Location::Host(valid_host(host)?.to_owned()),
        };
        let mut entries = match self.scripts() {
            Err(RepoError::NoRoot { .. }) if !self.root.exists() => Vec::new(),
            other => other?,
        };
        let clashing = |e: &ScriptEntry| e.name == name && e.location.overlaps(&location);
        if let Some(clash) = entries.iter().find(|e| clashing(e)).filter(|_| !options.force) {
            return Err(RepoError::Clash { name, location: clash.location.clone() });
        }
        let answers = query::ask(runner, script, &name, location.clone(), options.admin_timeout)?;

        let dir = self.root.join(location.dir_name());
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| RepoError::Io { path, source }
        };
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        let target = dir.join(&name);
        copy_script(script, &meta, &target).map_err(io(&target))?;
        let (replaced, kept): (Vec<_>, Vec<_>) = entries.drain(..).partition(clashing);
        for old in replaced.iter().filter(|old| old.location != location) {
            let path = self.script_path(old);
            fs::remove_file(&path).map_err(io(&path))?;
        }
        entries = kept;
        entries.push(answers.entry.clone());
        info_file::save(&self.info_file(), &entries)?;
        Ok(Installed { entry: answers.entry, replaced, warnings: answers.warnings })
    }

    /// Uninstalls a script (`drmgr -u`), from `all` or, with `host`, from that host's
    /// directory: removes the file and its record.
    pub fn uninstall(&self, name: &str, host: Option<&str>) -> Result<ScriptEntry, RepoError> {
        let location = match host {
            None => Location::All,
            Some(host) => Location::Host(valid_host(host)?.to_owned()),
        };
        let mut entries = self.scripts()?;
        let Some(at) = entries.iter().position(|e| e.name == name && e.location == location) else {
            return Err(RepoError::NotInstalled { name: name.to_owned(), location });
        };
        let entry = entries.remove(at);
        let path = self.script_path(&entry);
        match fs::remove_file(&path) {
            Err(source) if source.kind() != std::io::ErrorKind::NotFound => {
                return Err(RepoError::Io { path, source });
            }
            _ => {}
        }
        info_file::save(&self.info_file(), &entries)?;
        Ok(entry)
    }

    /// Re-creates the information file from the scripts present (`drmgr -b`): asks
    /// every file under `all/` and each host directory the install questions again.
    /// `-w` overrides are kept from the old file when it can be read.
    pub fn rebuild(&self, runner: &Runner) -> Result<Rebuilt, RepoError> {
        self.require_root()?;
        let mut rebuilt = Rebuilt::default();
        let old = info_file::load(&self.info_file()).unwrap_or_else(|e| {
            rebuilt.old_file_problem = Some(e.to_string());
            Vec::new()
        });
        for (location, path) in self.files_present()? {
            let name = match script_name(&path) {
                Ok(name) => name,
                Err(e) => {
                    rebuilt.left_out.push((path, e.to_string()));
                    continue;
                }
            };
            let admin_timeout =
                old.iter().find(|e| e.name == name && e.location == location).and_then(|e| e.admin_timeout);
            match query::ask(runner, &path, &name, location, admin_timeout) {
                Ok(answers) => rebuilt.recorded.push(answers.entry),
                Err(e) => rebuilt.left_out.push((path, e.to_string())),
            }
        }
        info_file::save(&self.info_file(), &rebuilt.recorded)?;
        rebuilt.recorded = self.scripts()?;
        Ok(rebuilt)
    }

    /// The script files under the root: `all/*` and `<host>/*`, in order, skipping
    /// hidden names (install's temporary files).
    fn files_present(&self) -> Result<Vec<(Location, PathBuf)>, RepoError> {
        let mut files = Vec::new();
        for dir in sorted_dir(&self.root)? {
            if !dir.is_dir() {
                continue;
            }
            let Some(dir_name) = dir.file_name().and_then(|n| n.to_str()).filter(|n| !n.starts_with('.')) else {
                continue;
            };
            let location = if dir_name == "all" { Location::All } else { Location::Host(dir_name.to_owned()) };
            for file in sorted_dir(&dir)? {
                let hidden = file.file_name().is_some_and(|n| n.as_encoded_bytes().starts_with(b"."));
                if file.is_file() && !hidden {
                    files.push((location.clone(), file));
                }
            }
        }
        Ok(files)
    }
}

/// The entries of a directory, sorted; a missing directory has none.
fn sorted_dir(dir: &Path) -> Result<Vec<PathBuf>, RepoError> {
    let io = |source| RepoError::Io { path: dir.to_owned(), source };
    let read = match fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        other => other.map_err(io)?,
    };
    let mut paths = read.map(|e| e.map(|e| e.path())).collect::<Result<Vec<_>, _>>().map_err(io)?;
    paths.sort();
    Ok(paths)
}

/// Copies the script beside its target, with its mode (and owner, as root), then
/// renames it into place so a running operation never sees half a file.
fn copy_script(source: &Path, meta: &fs::Metadata, target: &Path) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let temp = tempfile::Builder::new().prefix(".install-").tempfile_in(dir)?;
    fs::copy(source, temp.path())?;
    fs::set_permissions(temp.path(), Permissions::from_mode(meta.mode() & 0o7777))?;
    // SAFETY: geteuid(2) has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::chown(temp.path(), Some(meta.uid()), Some(meta.gid()))?;
    }
    temp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// The file an installer takes, one rule set for both ([`Repository::install`] and
/// [`crate::linux::install`]): an executable regular file whose file name is a
/// [`script_name`]. Returns that name, the path made absolute (the install
/// queries run with the runner's working directory, not ours) and the metadata.
pub(crate) fn installable(script: &Path) -> Result<(String, PathBuf, fs::Metadata), RepoError> {
    let script = absolute(script.to_owned());
    let meta = fs::metadata(&script).map_err(|source| RepoError::Io { path: script.clone(), source })?;
    if !meta.is_file() {
        return Err(RepoError::NotAFile { path: script });
    }
    if meta.mode() & 0o111 == 0 {
        return Err(RepoError::NotExecutable { path: script, mode: meta.mode() & 0o7777 });
    }
    let name = script_name(&script)?;
    Ok((name, script, meta))
}

/// `path` made absolute against the current directory (unchanged if that cannot be
/// read: the error then surfaces where the path is used).
fn absolute(path: PathBuf) -> PathBuf {
    std::path::absolute(&path).unwrap_or(path)
}
