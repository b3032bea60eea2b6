//! The runtime answering drmgr: exact stdout and exit status for every command
//! family and every failure mode (docs/protocol.md §3–§6), run in-process.

mod runtime {
    pub(crate) mod decoding;
    pub(crate) mod encoder;
    pub(crate) mod failures;
    pub(crate) mod families;
    pub(crate) mod install;
    pub(crate) mod support;
    pub(crate) mod vocabulary;
}
