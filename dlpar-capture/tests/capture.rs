//! The `dlpar_capture` binary as hosts start it: what it records, its experiments,
//! its file handling under concurrent writers, and installed in drmgr-sim.

mod capture {
    pub(crate) mod experiments;
    pub(crate) mod files;
    pub(crate) mod process;
    pub(crate) mod sim;
    pub(crate) mod support;
}
