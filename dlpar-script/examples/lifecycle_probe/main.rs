//! A DLPAR script for the runtime's own process tests (`tests/lifecycle`): phase
//! state across processes, the watchdog, logging on a terminal, misbehaving
//! handlers. Entered through Rust's `main`; `lifecycle_probe_fast` is the same
//! script entered through C `main`. Run it by hand to watch the runtime at work:
//!
//! ```text
//! cargo run -p dlpar-script --example lifecycle_probe -- prerelease mem
//! DLPAR_STATE_DIR=/tmp/probe-state cargo run -p dlpar-script --example lifecycle_probe -- prerelease cpu
//! PROBE_STRAY=1 cargo run -p dlpar-script --example lifecycle_probe -- checkacquire cpu
//! ```
//!
//! The knobs are listed in `script.rs`.

mod script;

fn main() -> std::process::ExitCode {
    script::script().run()
}
