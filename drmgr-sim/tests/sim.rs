//! End-to-end tests of drmgr-sim: real processes (POSIX shell and Perl scripts from
//! `tests/scripts/`), temporary repositories, never `/usr/lib/dr/scripts`.

#[path = "sim/support.rs"]
mod support;

#[path = "sim/bad_scripts.rs"]
mod bad_scripts;
#[path = "sim/capture.rs"]
mod capture;
#[path = "sim/cli.rs"]
mod cli;
#[path = "sim/environment.rs"]
mod environment;
#[path = "sim/hostile.rs"]
mod hostile;
#[path = "sim/linux.rs"]
mod linux;
#[path = "sim/repository.rs"]
mod repository;
#[path = "sim/sequencing.rs"]
mod sequencing;
#[path = "sim/snapshots.rs"]
mod snapshots;
