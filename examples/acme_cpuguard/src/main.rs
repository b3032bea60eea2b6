//! `acme_cpuguard`: the veto path, written with the plain builder API.
//!
//! The equivalent of IBM's sample script that fails a processor release: a
//! `checkrelease cpu` refuses while the partition would drop below the processors
//! Acme's application needs: releasing bind CPU 0 or 1 is refused.
//!
//! Commands handled: `checkrelease cpu` (veto); every other command is a no-op.
//!
//! The binary exports C `main` (`no_main`) for the fastest start-up; see
//! [`Script::run_c_main`]. `fn main() -> ExitCode { script().run() }` works too.
//! Test builds keep Rust's own `main`, which the test harness replaces.
#![cfg_attr(not(test), no_main)]

use dlpar_script::prelude::*;

/// Bind CPU ids below this stay with the application.
const MIN_BIND_IDS: u32 = 2;

/// Refuses to release a processor whose bind id is under the floor.
fn refuse_below_floor(ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    let bcpuid = ev.bcpuid.ok_or(Error::missing("DR_BCPUID"))?;
    if bcpuid < MIN_BIND_IDS {
        return Err(Error::refuse(format!(
            "Acme needs {MIN_BIND_IDS} processors online; bind CPU {bcpuid} cannot be released"
        )));
    }
    Ok(())
}

/// Builds the script: metadata, the one resource, the handlers.
fn script() -> Script {
    Script::new("Acme", "Acme guard: keeps a minimum of processors online")
        .version(1)
        .date("22112026")
        .timeout(10)
        .resource(Resource::Cpu, "Acme application threads need at least 2 processors online")
        .on(Command::CheckRelease, Resource::Cpu, refuse_below_floor)
}

/// The process entry point, called by the C runtime.
#[cfg(not(test))]
#[unsafe(no_mangle)]
extern "C" fn main(argc: std::ffi::c_int, argv: *const *const std::ffi::c_char) -> std::ffi::c_int {
    // SAFETY: the C runtime passes `argc` valid NUL-terminated strings in `argv`.
    unsafe { script().run_c_main(argc, argv) }
}

#[cfg(test)]
fn main() -> std::process::ExitCode {
    script().run()
}
