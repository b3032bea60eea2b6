//! End-to-end tests of drmgr-sim: real processes (POSIX shell and Perl scripts from
//! `tests/scripts/`), temporary repositories, never `/usr/lib/dr/scripts`.

mod sim {
    pub(crate) mod bad_scripts;
    pub(crate) mod capture;
    pub(crate) mod cli;
    pub(crate) mod drmgr;
    pub(crate) mod environment;
    pub(crate) mod hostile;
    pub(crate) mod linux;
    pub(crate) mod repository;
    pub(crate) mod sequencing;
    pub(crate) mod snapshots;
    pub(crate) mod support;
}
