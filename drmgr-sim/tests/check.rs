//! `drmgr-sim check` end to end: a corpus of scripts with one defect each (shell,
//! ksh and Perl), the clean ones, hostile scripts, the reports, the catalogue's
//! documentation.

#[path = "check/support.rs"]
mod support;

#[path = "check/corpus.rs"]
mod corpus;
#[path = "check/hostile.rs"]
mod hostile;
#[path = "check/reports.rs"]
mod reports;
