//! The script of README.md's "A script" section, built by CI (tests/readme.rs keeps
//! the two identical below these lines).
#![cfg_attr(not(test), no_main)] // `fast_start` exports C `main`
use dlpar_script::prelude::*;

/// Refuse to give away the CPU that runs the licence daemon.
#[checkrelease(cpu)]
fn keep_cpu0(ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    if ev.bcpuid == Some(0) {
        return Err(Error::refuse("CPU 0 runs the licence daemon"));
    }
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme DB follows CPU changes",
    version: 1,
    date: "22112026",
    timeout: 30,
    fast_start: true,
    usage: { cpu: "Acme DB worker threads are bound to processors" },
    handlers: [keep_cpu0],
}
