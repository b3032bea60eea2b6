//! `drmgr-sim check` end to end: a corpus of scripts with one defect each (shell,
//! ksh and Perl, in `tests/check/scripts/`), the clean ones, hostile scripts, the
//! reports, the catalogue's documentation. Its command-line cases (argv, exit
//! status, output) are trycmd data in `tests/sim/cli/` with the others.

mod check {
    pub(crate) mod corpus;
    pub(crate) mod hostile;
    pub(crate) mod reports;
    pub(crate) mod support;
}
