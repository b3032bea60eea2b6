//! The command line of `lvupdate-safe-ke`, read the way AIX's `getopt` reads
//! `lvupdateSafeKE`'s.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

/// The grammar, as the usage message shows it.
pub const USAGE: &str = "Usage: lvupdate-safe-ke [--root DIR] [ -a kext_path [-p] | -r kext_path | -l ]";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Run an action on the list under `root`.
    Run {
        /// The system root the list lives under (`--root`, default `/`).
        root: PathBuf,
        /// The action.
        action: Action,
    },
    /// `--help`: print the usage and exit 0.
    Help,
}

/// One of the three mutually exclusive actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `-a kext_path [-p]`.
    Add {
        /// The path as given (validated when the action runs).
        path: OsString,
        /// `-p` was given.
        preview_only: bool,
    },
    /// `-r kext_path`.
    Remove {
        /// The path as given.
        path: OsString,
    },
    /// `-l`.
    List,
}

/// A command line that does not follow the grammar (message `DLS-101`, exit 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The flags seen so far.
#[derive(Debug, Default)]
struct Seen {
    root: Option<PathBuf>,
    add: Option<OsString>,
    remove: Option<OsString>,
    list: bool,
    preview: bool,
}

/// Reads the arguments after the program name.
///
/// Short flags follow POSIX `getopt`: they may be grouped (`-pa PATH`), a flag's
/// argument may be attached (`-a/usr/lib/drivers/x`) or be the next word, even one
/// starting with `-`; `--` ends the flags. Each flag may be given once. No operands
/// are accepted. The long options are `--root DIR` (or `--root=DIR`) and `--help`.
///
/// ```
/// use drmgr_sim::liveupdate::safe_ke::{Action, Request, parse_args};
///
/// let request = parse_args(["-pa", "/usr/lib/drivers/x"]).unwrap();
/// let Request::Run { action: Action::Add { preview_only, .. }, .. } = request else { panic!() };
/// assert!(preview_only);
/// assert_eq!(parse_args(["-l", "-p"]).unwrap_err().to_string(), "-p can only be used with -a");
/// ```
pub fn parse_args<I>(args: I) -> Result<Request, UsageError>
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    let mut seen = Seen::default();
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str() else {
            return usage(format!("unexpected argument {:?}", arg.to_string_lossy()));
        };
        match text {
            "--" => break,
            "--help" => return Ok(Request::Help),
            "--root" => {
                let dir = args.next().ok_or_else(|| UsageError("--root needs a directory".into()))?;
                set_root(&mut seen, dir)?;
            }
            _ if text.starts_with("--root=") => set_root(&mut seen, text["--root=".len()..].into())?,
            _ if text.starts_with("--") => return usage(format!("unknown option {text}")),
            _ if text.len() > 1 && text.starts_with('-') => short_flags(&mut seen, &text[1..], &mut args)?,
            _ => return usage(format!("unexpected argument {text:?}")),
        }
    }
    if let Some(operand) = args.next() {
        return usage(format!("unexpected argument {:?}", operand.to_string_lossy()));
    }
    action(seen)
}

fn usage<T>(message: String) -> Result<T, UsageError> {
    Err(UsageError(message))
}

fn set_root(seen: &mut Seen, dir: OsString) -> Result<(), UsageError> {
    if seen.root.is_some() {
        return usage("--root given twice".into());
    }
    if dir.is_empty() {
        return usage("--root needs a directory".into());
    }
    seen.root = Some(dir.into());
    Ok(())
}

/// One word of grouped short flags (without its `-`).
fn short_flags(seen: &mut Seen, group: &str, rest: &mut impl Iterator<Item = OsString>) -> Result<(), UsageError> {
    for (index, flag) in group.char_indices() {
        match flag {
            'l' | 'p' => {
                let slot = if flag == 'l' { &mut seen.list } else { &mut seen.preview };
                if std::mem::replace(slot, true) {
                    return usage(format!("-{flag} given twice"));
                }
            }
            'a' | 'r' => {
                let attached = &group[index + 1..];
                let value = if attached.is_empty() { rest.next() } else { Some(attached.into()) };
                let value = value.ok_or_else(|| UsageError(format!("-{flag} needs a kext_path")))?;
                let slot = if flag == 'a' { &mut seen.add } else { &mut seen.remove };
                if slot.replace(value).is_some() {
                    return usage(format!("-{flag} given twice"));
                }
                return Ok(());
            }
            other => return usage(format!("unknown flag -{other}")),
        }
    }
    Ok(())
}

/// Checks that exactly one action was asked for, and `-p` only with `-a`.
fn action(seen: Seen) -> Result<Request, UsageError> {
    let given: Vec<&str> = [(seen.add.is_some(), "-a"), (seen.remove.is_some(), "-r"), (seen.list, "-l")]
        .into_iter()
        .filter_map(|(given, flag)| given.then_some(flag))
        .collect();
    match given[..] {
        [] => return usage("no action given: use one of -a, -r, -l".into()),
        [_] => {}
        [.., last] => {
            let others = given[..given.len() - 1].join(", ");
            return usage(format!("{others} and {last} cannot be used together"));
        }
    }
    if seen.preview && seen.add.is_none() {
        return usage("-p can only be used with -a".into());
    }
    let action = match (seen.add, seen.remove) {
        (Some(path), _) => Action::Add { path, preview_only: seen.preview },
        (None, Some(path)) => Action::Remove { path },
        (None, None) => Action::List,
    };
    Ok(Request::Run { root: seen.root.unwrap_or_else(|| PathBuf::from("/")), action })
}
