//! Phase state: what a `pre` handler did, kept for the `post` or `undo` handler.
//!
//! `prerelease`, `postrelease` and `undoprerelease` run as separate processes. A
//! handler records what it changed with [`Context::state`](crate::Context::state)
//! and the handler of a later phase of the same operation reads it back:
//!
//! ```
//! use dlpar_script::prelude::*; // brings serde's Serialize and Deserialize too
//!
//! #[derive(Serialize, Deserialize)]
//! #[serde(crate = "dlpar_script::serde")] // no `serde` dependency needed
//! struct Shrunk {
//!     mb: u64,
//! }
//!
//! fn shrink(ev: &MemEvent, cx: &mut Context) -> Result<()> {
//!     let mb = ev.request_mb.ok_or(Error::missing("DR_MEM_SIZE_REQUEST"))?.get();
//!     cx.state().save(&Shrunk { mb })?; // read again by undoprerelease
//!     Ok(())
//! }
//!
//! fn regrow(_: &MemEvent, cx: &mut Context) -> Result<()> {
//!     if let Some(Shrunk { mb }) = cx.state().take()? {
//!         log::warn!("removal failed; growing the pool back by {mb} MB");
//!     }
//!     Ok(())
//! }
//!
//! let dir = tempfile::tempdir()?;
//! let script = Script::new("Acme", "Acme DB follows memory changes").version(1).date("22112026")
//!     .name("acme_db")
//!     .state_dir(dir.path())
//!     .resource(Resource::Mem, "Acme DB buffer pool lives in memory")
//!     .on(Command::PreRelease, Resource::Mem, shrink)
//!     .on(Command::UndoPreRelease, Resource::Mem, regrow);
//! let env = [("DR_MEM_SIZE_REQUEST", "256")];
//! assert_eq!(dlpar_script::testing::invoke_with_env(&script, ["prerelease", "mem"], env).exit, 0);
//! assert!(dir.path().join("acme_db.remove.mem.json").exists());
//! let undo = dlpar_script::testing::invoke_with_env(&script, ["undoprerelease", "mem"], env);
//! assert_eq!(undo.stdout, "DR_LOG_WARNING=\"removal failed; growing the pool back by 256 MB\"\n");
//! assert!(!dir.path().join("acme_db.remove.mem.json").exists());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # One value per operation
//!
//! A script keeps one value per *operation*: its family (`remove`, `add`,
//! `migrate`, …) and resource (`cpu`, `mem`, …, or the family's word such as `pmig`
//! when drmgr names none). [`State::save`] replaces it, [`State::load`] reads it,
//! [`State::take`] reads and deletes it. The value is any serde type, stored as JSON
//! in `<dir>/<script>.<family>.<resource>.json` (script names are percent-encoded
//! to one safe file name), at most 1 MiB.
//!
//! # Lifetime
//!
//! The runtime clears the value when the operation's last phase (post or undo)
//! has run, whatever the handler returned, and also when a script without a
//! handler for that phase gets the command, as long as it has a handler in the
//! family. Values from an operation that never finished (drmgr stopped, the script
//! was killed) are *stale*; they are found and discarded with a `DR_LOG_WARNING`
//! naming the file and the reason, never used:
//!
//! * when the family's first phases (check, pre) start, a value saved by the same
//!   or a later phase belongs to an earlier operation;
//! * when [`State::load`]/[`State::take`] find a value saved by another invocation in
//!   the same or a later phase (a handler reads back what it saved itself), saved
//!   for another script or operation, or saved longer ago than
//!   [`Script::state_max_age`](crate::Script::state_max_age) (24 hours by default;
//!   not for hibernation, which may last any time), or stamped with a time in the
//!   future (hibernation included).
//!
//! Discarded values read as `None`: a stale record describes the system as an
//! earlier operation left it, and acting on it could undo the wrong change. A file
//! that cannot be read as a state record (corrupt, written by a newer format, or
//! holding another type than asked for) is an error naming the file; it is left
//! in place for inspection, and the next [`State::save`] or the end of the
//! operation replaces or removes it.
//!
//! # Where, and how safely
//!
//! The directory is, first found: the environment variable `DLPAR_STATE_DIR`
//! (for tests and drmgr-sim, since drmgr passes only `PATH`, `LANG` and `DR_*`), the
//! builder's [`Script::state_dir`](crate::Script::state_dir) (`state_dir` in
//! `main!`), or the default directory of the user the script runs as (below). It
//! must be absolute: drmgr starts scripts in `/tmp`, which everyone may write. The
//! runtime creates it (and missing parents) with mode 0700 on the first save;
//! nothing is created by scripts that never save.
//!
//! Files are written 0600 through a temporary file, `fsync`, `rename` and a
//! directory `fsync`, so a reader finds the old value or the new one, never a
//! torn file, even when the process is killed mid-save. Links are refused, never
//! followed, and so are files and directories owned by another user or writable
//! by others (these checks keep another user from planting state). The
//! directories above it must not let anyone else swap it: each must be writable
//! only by its owner (or have the sticky bit, as `/tmp` does) and belong to root,
//! a system account or the script's own user; see the error's message for what to
//! change.
//!
//! # The default directory
//!
//! drmgr runs a script as the owner of its file, so a script is not always root's.
//! The default depends on the effective user:
//!
//! | runs as | default directory |
//! |---|---|
//! | root | [`DEFAULT_DIR`], `/var/dlpar-script/state` |
//! | any other user | `<home>/`[`HOME_SUBDIR`], `<home>/.dlpar-script/state`, with `<home>` that user's home directory in the password database |
//!
//! Why these, and not the alternatives:
//!
//! * The directory must belong to the script's user, with mode 0700, and nobody
//!   else may be able to create or replace it first. A user's home directory is
//!   theirs already, so creating `.dlpar-script/state` there needs nobody's help
//!   and nobody else can have prepared it. It is looked up with `getpwuid_r`
//!   (POSIX) because drmgr passes no `HOME`.
//! * A per-user directory in `/tmp` (such as `/tmp/dlpar-script-<uid>`) is open to
//!   pre-creation: any local user can make that name first. The ownership check
//!   would refuse such a directory, so no state could be planted, but every save
//!   would then fail — a denial of service anyone can cause. AIX's `skulker` also
//!   cleans `/tmp`. Not used.
//! * A per-user directory under `/var/dlpar-script` (such as `state-<uid>`) needs a
//!   parent that root created and made writable for everyone: root would have to
//!   prepare the machine, which is what a default must avoid. Not used.
//!
//! A user whose password entry has no usable home directory (none, a relative
//! one, or `/`, as daemon accounts often have) has no default:
//! [`StateError::NoDefaultDirectory`] says to set `state_dir`. A home directory
//! where the user cannot create `.dlpar-script` (one that does not exist, say) is
//! reported by the file checks: [`StateError::File`] names the state directory,
//! where it came from and how to choose another. Non-root
//! users pay one password-database lookup per command of a family with phase
//! state; root pays nothing.

mod default;
mod record;
mod store;

use std::path::PathBuf;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use crate::fs::FsError;
pub(crate) use store::Store;

use crate::error::{Error, Result};

/// The state directory of a script run as root when neither `DLPAR_STATE_DIR` nor
/// [`Script::state_dir`](crate::Script::state_dir) says otherwise; see
/// [the default directory](self#the-default-directory).
pub const DEFAULT_DIR: &str = "/var/dlpar-script/state";

/// The state directory of a script run by any other user, relative to that user's
/// home directory; see [the default directory](self#the-default-directory).
pub const HOME_SUBDIR: &str = ".dlpar-script/state";

/// The environment variable that overrides the state directory.
pub const DIR_VARIABLE: &str = "DLPAR_STATE_DIR";

/// The largest state file the runtime writes or reads: 1 MiB.
pub const MAX_BYTES: u64 = 1 << 20;

/// The phase state of the running operation; see the [module docs](self).
/// Obtained from [`Context::state`](crate::Context::state).
#[derive(Debug, Clone, Copy)]
pub struct State<'a> {
    pub(crate) store: &'a Store,
}

impl State<'_> {
    /// Saves `value` for the later phases of this operation, replacing any
    /// earlier value.
    pub fn save<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        Ok(self.store.save(value)?)
    }

    /// The value saved earlier in this operation, `None` if there is none (or it
    /// was stale: then a `DR_LOG_WARNING` says so).
    pub fn load<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        Ok(self.store.load()?)
    }

    /// Like [`State::load`], and deletes the value once read.
    pub fn take<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        let value = self.store.load()?;
        if value.is_some() {
            self.store.clear()?;
        }
        Ok(value)
    }

    /// Deletes the value; returns whether there was one.
    pub fn clear(&self) -> Result<bool> {
        Ok(self.store.clear()?)
    }

    /// The file that holds the value (whether or not it exists yet).
    ///
    /// ```
    /// use dlpar_script::prelude::*;
    ///
    /// let script = Script::new("Acme", "demo").version(1).date("22112026").name("acme")
    ///     .state_dir("/var/lib/acme")
    ///     .resource(Resource::Cpu, "Acme binds threads to processors")
    ///     .on(Command::PreRelease, Resource::Cpu, |_: &CpuEvent, cx: &mut Context| {
    ///         assert_eq!(cx.state().path()?, std::path::Path::new("/var/lib/acme/acme.remove.cpu.json"));
    ///         Ok(())
    ///     });
    /// assert_eq!(dlpar_script::testing::invoke(&script, ["prerelease", "cpu"]).exit, 0);
    /// ```
    pub fn path(&self) -> Result<PathBuf> {
        Ok(self.store.path()?)
    }
}

/// Why phase state could not be saved or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The configured directory is not an absolute path.
    #[error("phase state directory {path} (from {origin}) is not an absolute path")]
    RelativeDirectory {
        /// The path as configured.
        path: PathBuf,
        /// Where it came from: `DLPAR_STATE_DIR` or `Script::state_dir`.
        origin: &'static str,
    },
    /// The script runs as a user that has no default state directory: no usable
    /// home directory in the password database (none, relative, or `/`).
    #[error(
        "phase state: uid {uid} has no usable home directory in the password database, so there is no default \
         state directory; set one with `state_dir` in `main!` (or `Script::state_dir`)"
    )]
    NoDefaultDirectory {
        /// The effective uid.
        uid: u32,
    },
    /// The directory or the file was refused or could not be used.
    #[error(
        "phase state directory {dir} ({origin}): {source} (to use another: `state_dir` in `main!`, \
         `Script::state_dir`, or {DIR_VARIABLE})"
    )]
    File {
        /// The state directory.
        dir: PathBuf,
        /// Where it came from: `DLPAR_STATE_DIR`, `Script::state_dir` or the default.
        origin: &'static str,
        /// What the file layer refused, naming the path concerned.
        source: FsError,
    },
    /// The file is not a state record this runtime can read.
    #[error("phase state file {path} is unreadable: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The record holds another type than the one asked for.
    #[error("phase state file {path} does not hold a {expected}: {reason}")]
    WrongType {
        /// The file.
        path: PathBuf,
        /// The type asked for.
        expected: &'static str,
        /// What the decoder said.
        reason: String,
    },
    /// The value could not be encoded, or is too large.
    #[error("phase state for {path} cannot be saved: {reason}")]
    Unsaveable {
        /// The file it was meant for.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

impl From<StateError> for Error {
    fn from(e: StateError) -> Error {
        Error::other(e)
    }
}
