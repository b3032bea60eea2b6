//! The native backend: AIX's own `lvupdateSafeKE`.

use std::ffi::OsStr;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::safe_list::{add_entry, remove_entry};
use super::{AddOutcome, KextPath, PREVIEW_MARKER, SafeKext, SafeKextList, SafeListError};

/// Where AIX installs `lvupdateSafeKE`.
pub const LVUPDATE_SAFE_KE: &str = "/usr/sbin/lvupdateSafeKE";

/// The safe list as AIX keeps it, through `/usr/sbin/lvupdateSafeKE`.
///
/// The command is run by absolute path with an argument vector (never through a
/// shell), stdin closed, the caller's environment inherited. Every operation first
/// reads the list with `-l`, so that the outcome is the same as with the file
/// backend whatever the command does on a duplicate: an entry already listed as asked
/// is not added again ([`AddOutcome::AlreadyListed`]), and removing an entry that is
/// not listed is [`SafeListError::NotListed`] without running `-r`.
///
/// IBM does not document the `-l` output. It is read this way: a line starting with
/// `/` is one entry, its path running to the first tab (or to the end of the line,
/// blanks removed); the entry is preview-only when the rest of the line contains
/// `preview` in any case. Other lines (headings, blank lines) are skipped. A listed
/// path that breaks the [`KextPath`] rules is reported as
/// [`SafeListError::Damaged`].
///
/// On a system without the command every operation fails with
/// [`SafeListError::CommandMissing`]:
///
/// ```
/// use dlpar_liveupdate::{NativeSafeKextList, SafeKextList, SafeListError};
///
/// let list = NativeSafeKextList::with_program("/nonexistent/lvupdateSafeKE");
/// let err = list.list().unwrap_err();
/// assert!(matches!(err, SafeListError::CommandMissing { .. }));
/// assert!(err.to_string().starts_with("/nonexistent/lvupdateSafeKE does not exist: lvupdateSafeKE is an AIX command"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeSafeKextList {
    program: PathBuf,
}

impl Default for NativeSafeKextList {
    fn default() -> Self {
        NativeSafeKextList::new()
    }
}

impl NativeSafeKextList {
    /// The backend for [`LVUPDATE_SAFE_KE`].
    pub fn new() -> NativeSafeKextList {
        NativeSafeKextList::with_program(LVUPDATE_SAFE_KE)
    }

    /// The backend for another program with the same command line, such as a test
    /// double or drmgr-sim's `lvupdate-safe-ke`.
    pub fn with_program(program: impl Into<PathBuf>) -> NativeSafeKextList {
        NativeSafeKextList { program: program.into() }
    }

    /// The program run.
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// Runs the program with `args` and gives back its stdout.
    fn run(&self, args: &[&OsStr]) -> Result<String, SafeListError> {
        let command_line = || {
            let words = std::iter::once(self.program.as_os_str()).chain(args.iter().copied());
            words.map(|w| w.to_string_lossy()).collect::<Vec<_>>().join(" ")
        };
        let output =
            Command::new(&self.program).args(args).stdin(Stdio::null()).output().map_err(|source| {
                match source.kind() {
                    ErrorKind::NotFound => SafeListError::CommandMissing { program: self.program.clone() },
                    _ => SafeListError::Spawn { program: self.program.clone(), source },
                }
            })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
            let status = output.status.to_string();
            return Err(SafeListError::CommandFailed { command: command_line(), status, stderr });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    fn current(&self) -> Result<Vec<SafeKext>, SafeListError> {
        let text = self.run(&["-l".as_ref()])?;
        parse_listing(&text, &format!("output of `{} -l`", self.program.display()))
    }
}

impl SafeKextList for NativeSafeKextList {
    fn add(&self, kext: &SafeKext) -> Result<AddOutcome, SafeListError> {
        let outcome = add_entry(&mut self.current()?, kext);
        if outcome == AddOutcome::MarkChanged {
            self.run(&["-r".as_ref(), kext.path.as_str().as_ref()])?;
        }
        if outcome != AddOutcome::AlreadyListed {
            let mut args: Vec<&OsStr> = vec!["-a".as_ref(), kext.path.as_str().as_ref()];
            if kext.preview_only {
                args.push("-p".as_ref());
            }
            self.run(&args)?;
        }
        Ok(outcome)
    }

    fn remove(&self, path: &KextPath) -> Result<SafeKext, SafeListError> {
        let removed = remove_entry(&mut self.current()?, path)?;
        self.run(&["-r".as_ref(), path.as_str().as_ref()])?;
        Ok(removed)
    }

    fn list(&self) -> Result<Vec<SafeKext>, SafeListError> {
        self.current()
    }
}

/// Reads `-l` output by the lenient rule documented on [`NativeSafeKextList`].
fn parse_listing(text: &str, origin: &str) -> Result<Vec<SafeKext>, SafeListError> {
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if !line.starts_with('/') {
            continue;
        }
        let (path, rest) = line.split_once('\t').unwrap_or((line.trim_end(), ""));
        let path = KextPath::new(path).map_err(|e| SafeListError::Damaged {
            origin: origin.to_owned(),
            line: index + 1,
            reason: e.to_string(),
        })?;
        let preview_only = rest.to_ascii_lowercase().contains(PREVIEW_MARKER);
        entries.push(SafeKext { path, preview_only });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_is_read_leniently() {
        let text = "Safe kernel extensions:\n\n/usr/lib/drivers/a\n/opt/b c/d\t(Preview only)\n/tmp/e   \n  indented\n";
        let entries = parse_listing(text, "out").unwrap();
        let paths: Vec<_> = entries.iter().map(|e| (e.path.as_str(), e.preview_only)).collect();
        assert_eq!(paths, [("/usr/lib/drivers/a", false), ("/opt/b c/d", true), ("/tmp/e", false)]);
    }

    #[test]
    fn a_listed_path_that_breaks_the_rules_is_damage() {
        let err = parse_listing("x\n/home/a/k\n", "output of `lvupdateSafeKE -l`").unwrap_err();
        assert!(matches!(err, SafeListError::Damaged { .. }), "{err:?}");
        assert!(err.to_string().starts_with("output of `lvupdateSafeKE -l`, line 2: \"/home/a/k\" is in the /home"));
    }
}
