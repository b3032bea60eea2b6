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

mod liveupdate {
    pub(crate) mod cli;
    pub(crate) mod native;
    pub(crate) mod runs;
    pub(crate) mod safe_ke;
}
