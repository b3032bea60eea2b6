//! `lvupdate-safe-ke`: a work-alike of AIX's `lvupdateSafeKE` over the file backend.
//!
//! ```text
//! lvupdate-safe-ke [--root DIR] [ -a kext_path [-p] | -r kext_path | -l ]
//! ```
//!
//! * `-a kext_path` adds a kernel extension to the list of extensions that are safe
//!   for Live Update; with `-p` the entry counts for the preview check
//!   (`geninstall -k -p`) only. Adding an entry already listed changes nothing: a
//!   notice (`DLS-301`) on stderr, exit 0. Adding a listed path with the other `-p`
//!   setting changes its mark (notice `DLS-302`, exit 0).
//! * `-r kext_path` removes an entry; removing one that is not listed is an error
//!   (`DLS-303`, exit 1).
//! * `-l` prints the list on stdout, one entry a line in the order added: the path,
//!   and for a preview-only entry a tab and `preview`. An empty list prints nothing.
//! * `--root DIR` is the system root the list lives under (default `/`); the list is
//!   `DIR/etc/liveupdate/lvup_safe_KE` ([`FileSafeKextList`] documents the file and
//!   its safety rules). `--help` prints the usage.
//!
//! Paths follow the rules of [`KextPath`]: a path whose file system cannot be told
//! from its text is accepted with a warning (`DLS-202`). Exit status: 0 success, 1 usage or validation error, 2 I/O error.
//! Messages go to stderr as `lvupdate-safe-ke: DLS-nnn: text`, numbered as
//! [`MessageId`] lists.
//!
//! Why a hand-written parser rather than clap: the grammar is AIX's `getopt` one
//! (grouped flags such as `-pa PATH`, an argument taken even if it starts with `-`),
//! usage errors must exit 1 with a numbered message, and clap's extensions (`-a=PATH`,
//! its own error text and exit status 2) would make the command accept more, and
//! answer differently, than the command it imitates.

mod args;
mod message;

use std::ffi::OsString;
use std::io::Write;

use dlpar_liveupdate::{AddOutcome, FileSafeKextList, KextPath, SafeKext, SafeKextList, SafeListError};

pub use args::{Action, Request, USAGE, UsageError, parse_args};
pub use message::MessageId;

/// The name messages start with.
const PROGRAM: &str = "lvupdate-safe-ke";

/// Runs the command for the arguments after the program name, writing `-l` output
/// and `--help` to `out` and messages to `err`; returns the exit status.
///
/// ```
/// let root = tempfile::tempdir().unwrap();
/// let root = root.path().to_str().unwrap();
/// let (mut out, mut err) = (Vec::new(), Vec::new());
/// let status = drmgr_sim::liveupdate::safe_ke::main(["--root", root, "-a", "/usr/lib/drivers/x", "-p"], &mut out, &mut err);
/// assert_eq!(status, 0);
/// let status = drmgr_sim::liveupdate::safe_ke::main(["--root", root, "-l"], &mut out, &mut err);
/// assert_eq!((status, String::from_utf8(out).unwrap()), (0, "/usr/lib/drivers/x\tpreview\n".to_owned()));
/// assert!(err.is_empty());
/// ```
pub fn main<I>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    match parse_args(args) {
        Ok(Request::Help) => report(writeln!(out, "{USAGE}"), 0),
        Ok(Request::Run { root, action }) => run(&FileSafeKextList::new(root), &action, out, err),
        Err(usage) => {
            let written = writeln!(err, "{PROGRAM}: {}: {usage}\n{USAGE}", MessageId::Usage);
            report(written, MessageId::Usage.exit_code())
        }
    }
}

/// Runs one action on any backend (the file one for the binary; the native one
/// works too), with the messages and exit status documented on the [module](self).
pub fn run(list: &dyn SafeKextList, action: &Action, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut say = |id: MessageId, text: &dyn std::fmt::Display| writeln!(err, "{PROGRAM}: {id}: {text}");
    let result = match action {
        Action::Add { path, preview_only } => kext_path(path).and_then(|path| {
            if let Some(warning) = path.warning() {
                let _ = say(MessageId::UnknownFileSystem, &format_args!("warning: {warning}"));
            }
            let kext = SafeKext { path, preview_only: *preview_only };
            let outcome = list.add(&kext)?;
            if let Some(id) = MessageId::notice(outcome) {
                let _ = say(id, &notice(&kext, outcome));
            }
            Ok(0)
        }),
        Action::Remove { path } => kext_path(path).and_then(|path| list.remove(&path).map(|_| 0)),
        Action::List => list.list().map(|entries| {
            let text: String = entries.iter().map(|entry| format!("{entry}\n")).collect();
            if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                let id = MessageId::Io;
                return report(say(id, &format_args!("could not write the list: {e}")), id.exit_code());
            }
            0
        }),
    };
    match result {
        Ok(status) => status,
        Err(error) => {
            let id = MessageId::of(&error);
            report(say(id, &error), id.exit_code())
        }
    }
}

/// The exit status, or 2 if the message about it could not even be written.
fn report(written: std::io::Result<()>, status: u8) -> u8 {
    if written.is_ok() { status } else { MessageId::Io.exit_code() }
}

fn kext_path(path: &OsString) -> Result<KextPath, SafeListError> {
    Ok(KextPath::try_from(path.as_os_str())?)
}

fn notice(kext: &SafeKext, outcome: AddOutcome) -> String {
    match (outcome, kext.preview_only) {
        (AddOutcome::MarkChanged, true) => format!("{} is now safe for the preview check only (-p)", kext.path),
        (AddOutcome::MarkChanged, false) => format!("{} is now safe for Live Update, not only its preview", kext.path),
        _ => format!("{} is already in the list of safe kernel extensions; nothing changed", kext.path),
    }
}
