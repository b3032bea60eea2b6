//! Live Update: the `lvupdate-safe-ke` binary, the native backend driven through it,
//! and `drmgr-sim liveupdate` runs.

#[path = "liveupdate/safe_ke.rs"]
mod safe_ke;

#[path = "liveupdate/native.rs"]
mod native;
