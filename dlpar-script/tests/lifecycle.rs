//! Logging, phase state and the watchdog (issue 5), misbehaving handlers (issue
//! 13): in-process where that shows the behaviour, real processes of the
//! `lifecycle_probe` examples where only a process can (state across processes,
//! kill -9 mid-save, the watchdog, a terminal, stray output, signals).

mod lifecycle {
    pub(crate) mod hooks;
    pub(crate) mod hostile;
    pub(crate) mod logging;
    pub(crate) mod processes;
    pub(crate) mod state;
    pub(crate) mod support;
    #[cfg(target_os = "linux")]
    pub(crate) mod terminal;
    pub(crate) mod watchdog;
}
