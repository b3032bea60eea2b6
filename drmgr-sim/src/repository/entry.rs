use std::fmt;
use std::path::{Path, PathBuf};

use dlpar_script::protocol::Resource;

/// One installed script, as recorded in the information file: what `scriptinfo`,
/// `register` and `usage` answered at install time, and where it lives.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScriptEntry {
    /// The script's name: its file name in the repository.
    pub name: String,
    /// Where it is installed: for all hosts, or for one host (`-D host`).
    pub location: Location,
    /// `DR_VENDOR`.
    pub vendor: String,
    /// `DR_SCRIPTINFO`: the one-line description.
    pub info: String,
    /// `DR_VERSION`.
    pub version: u32,
    /// `DR_DATE`: 8 digits, kept as given.
    pub date: String,
    /// `DR_TIMEOUT` in seconds, when the script declares one.
    pub timeout: Option<u32>,
    /// The administrator's `-w` override, in minutes.
    pub admin_timeout: Option<u32>,
    /// The registered resources with their `DR_USAGE` text, in registration order.
    pub resources: Vec<(Resource, String)>,
}

impl ScriptEntry {
    /// Whether the script registered `resource`.
    pub fn registers(&self, resource: &Resource) -> bool {
        self.resources.iter().any(|(r, _)| r == resource)
    }

    /// The script's file under a repository root.
    pub fn path_under(&self, root: &Path) -> PathBuf {
        root.join(self.location.dir_name()).join(&self.name)
    }
}

/// Where a script is installed: `<root>/all` or `<root>/<host>`.
///
/// ```
/// use drmgr_sim::Location;
/// assert_eq!(Location::All.dir_name(), "all");
/// assert_eq!(Location::Host("lpar7".into()).to_string(), "host lpar7");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// For every host: `<root>/all`.
    All,
    /// Only when the host name matches: `<root>/<host>`.
    Host(String),
}

impl Location {
    /// The directory under the root.
    pub fn dir_name(&self) -> &str {
        match self {
            Location::All => "all",
            Location::Host(host) => host,
        }
    }

    /// The host name, for a per-host location.
    pub fn host(&self) -> Option<&str> {
        match self {
            Location::All => None,
            Location::Host(host) => Some(host),
        }
    }

    /// Whether scripts here run on `hostname`.
    pub fn applies_to(&self, hostname: &str) -> bool {
        self.host().is_none_or(|host| host == hostname)
    }

    /// Whether a script of one name here and one in `other` would both run on some
    /// host: the same location, or one of them for all hosts.
    pub(crate) fn overlaps(&self, other: &Location) -> bool {
        self == other || *self == Location::All || *other == Location::All
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::All => f.write_str("all hosts"),
            Location::Host(host) => write!(f, "host {host}"),
        }
    }
}
