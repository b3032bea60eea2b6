//! The information file: `<root>/drmgr-sim.info.json`, what install recorded. The
//! format is documented at [`Repository::INFO_FILE`](crate::Repository::INFO_FILE).

use std::fs::Permissions;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::entry::{Location, ScriptEntry};
use super::error::RepoError;
use super::name::{valid_host, valid_name};

/// The `format` value that identifies the file.
const FORMAT: &str = "drmgr-sim information file";
/// The format version this code reads and writes.
const VERSION: u32 = 1;
/// The largest information file read: far more than thousands of scripts need.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    version: u32,
    scripts: Vec<Record>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    name: String,
    host: Option<String>,
    vendor: String,
    info: String,
    version: u32,
    date: String,
    timeout: Option<u32>,
    admin_timeout: Option<u32>,
    resources: Vec<Usage>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Usage {
    name: String,
    usage: String,
}

/// Reads the recorded scripts; a missing file is an empty repository.
pub(super) fn load(path: &Path) -> Result<Vec<ScriptEntry>, RepoError> {
    let text = match crate::operator_file::read_operator_file(path, MAX_BYTES) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(RepoError::Io { path: path.to_owned(), source }),
    };
    let bad = |reason: String| RepoError::InfoFile { path: path.to_owned(), reason };
    let file: File = serde_json::from_str(&text).map_err(|e| bad(format!("not valid: {e}")))?;
    if file.format != FORMAT || file.version != VERSION {
        return Err(bad(format!(
            "format {:?} version {}, this drmgr-sim reads {FORMAT:?} version {VERSION}",
            file.format, file.version
        )));
    }
    file.scripts.into_iter().map(|record| entry(record).map_err(&bad)).collect()
}

/// A record as an entry; its name and host must be plain directory entries, since
/// they make the path of a file that is executed.
fn entry(record: Record) -> Result<ScriptEntry, String> {
    valid_name(&record.name).map_err(|e| e.to_string())?;
    if let Some(host) = &record.host {
        valid_host(host).map_err(|e| format!("script {}: {e}", record.name))?;
    }
    let resources = record
        .resources
        .into_iter()
        .map(|u| u.name.parse().map(|r| (r, u.usage)).map_err(|e| format!("script {}: {e}", record.name)))
        .collect::<Result<_, _>>()?;
    Ok(ScriptEntry {
        location: record.host.map_or(Location::All, Location::Host),
        name: record.name,
        vendor: record.vendor,
        info: record.info,
        version: record.version,
        date: record.date,
        timeout: record.timeout,
        admin_timeout: record.admin_timeout,
        resources,
    })
}

/// Writes the scripts, sorted, replacing the file atomically.
pub(super) fn save(path: &Path, entries: &[ScriptEntry]) -> Result<(), RepoError> {
    let mut scripts: Vec<&ScriptEntry> = entries.iter().collect();
    scripts.sort_by(|a, b| (&a.location, &a.name).cmp(&(&b.location, &b.name)));
    let file = File { format: FORMAT.to_owned(), version: VERSION, scripts: scripts.into_iter().map(record).collect() };
    let mut text = serde_json::to_string_pretty(&file)
        .map_err(|e| RepoError::Io { path: path.to_owned(), source: std::io::Error::other(e) })?;
    text.push('\n');
    let io = |source| RepoError::Io { path: path.to_owned(), source };
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    temp.write_all(text.as_bytes()).map_err(io)?;
    let file = temp.as_file();
    file.set_permissions(Permissions::from_mode(0o644)).and_then(|()| file.sync_all()).map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

fn record(entry: &ScriptEntry) -> Record {
    Record {
        name: entry.name.clone(),
        host: entry.location.host().map(str::to_owned),
        vendor: entry.vendor.clone(),
        info: entry.info.clone(),
        version: entry.version,
        date: entry.date.clone(),
        timeout: entry.timeout,
        admin_timeout: entry.admin_timeout,
        resources: entry
            .resources
            .iter()
            .map(|(r, usage)| Usage { name: r.as_str().to_owned(), usage: usage.clone() })
            .collect(),
    }
}
