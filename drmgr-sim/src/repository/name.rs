//! What may name a script or a host in the repository: one directory entry each.

use std::path::Path;

use super::error::RepoError;

/// The script name: its file name, which must be plain UTF-8, not hidden, and
/// free of spaces and control characters. One rule set for both installers: the
/// repository's and the hooks' ([`crate::linux::install`]).
pub(crate) fn script_name(path: &Path) -> Result<String, RepoError> {
    let Some(os_name) = path.file_name() else {
        return Err(RepoError::BadName { name: path.display().to_string(), reason: "the path has no file name" });
    };
    let name = os_name.to_str().ok_or_else(|| RepoError::BadName {
        name: os_name.to_string_lossy().into_owned(),
        reason: "it is not valid UTF-8",
    })?;
    if name.starts_with('.') {
        return Err(RepoError::BadName { name: name.to_owned(), reason: "hidden names are reserved" });
    }
    if name.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(RepoError::BadName { name: name.to_owned(), reason: "it contains spaces or control characters" });
    }
    Ok(name.to_owned())
}

/// A recorded script name must be one that install could have taken from a file
/// name: it is joined to the repository path and executed.
pub(super) fn valid_name(name: &str) -> Result<(), RepoError> {
    if name.contains('/') {
        return Err(RepoError::BadName { name: name.to_owned(), reason: "it contains '/'" });
    }
    script_name(Path::new(name)).map(drop)
}

/// A `-D` host name must be one directory name, and not `all`.
pub(super) fn valid_host(host: &str) -> Result<&str, RepoError> {
    let reason = if host.is_empty() {
        "it is empty"
    } else if host.contains('/') {
        "it contains '/'"
    } else if host.starts_with('.') {
        "it starts with '.'"
    } else if host == "all" {
        "all is the directory of scripts for every host"
    } else {
        return Ok(host);
    };
    Err(RepoError::BadHost { host: host.to_owned(), reason })
}
