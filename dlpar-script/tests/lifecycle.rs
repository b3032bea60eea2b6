//! Logging, phase state and the watchdog (issue 5): in-process where that shows
//! the behaviour, real processes of the `lifecycle_probe` example where only a
//! process can (state across processes, kill -9 mid-save, the watchdog, a terminal).

mod lifecycle {
    pub(crate) mod hooks;
    pub(crate) mod logging;
    pub(crate) mod processes;
    pub(crate) mod state;
    pub(crate) mod support;
    #[cfg(target_os = "linux")]
    pub(crate) mod terminal;
    pub(crate) mod watchdog;
}
