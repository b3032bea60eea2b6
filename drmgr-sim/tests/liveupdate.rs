//! Live Update: the `lvupdate-safe-ke` binary, the native backend driven through it,
//! and `drmgr-sim liveupdate` runs.

use std::sync::{Mutex, MutexGuard};

/// Tests that start processes hold this lock and run one at a time. A child forked
/// by one test thread holds copies of every descriptor the other threads have open
/// until it execs: a script just written then cannot be executed ("text file
/// busy"), and a script's pipe reaches end-of-file late, which the runner reports as
/// "still open after the script exited".
static SERIAL: Mutex<()> = Mutex::new(());

/// Takes the lock (a test that panicked while holding it leaves nothing to repair).
pub(crate) fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[path = "liveupdate/safe_ke.rs"]
mod safe_ke;

#[path = "liveupdate/native.rs"]
mod native;

#[path = "liveupdate/runs.rs"]
mod runs;

#[path = "liveupdate/cli.rs"]
mod cli;
