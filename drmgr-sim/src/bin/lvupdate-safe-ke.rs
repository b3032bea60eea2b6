//! `lvupdate-safe-ke`: a work-alike of AIX's `lvupdateSafeKE` that keeps the safe
//! kernel-extension list under a root directory. Everything is in
//! [`drmgr_sim::liveupdate::safe_ke`].

use std::process::ExitCode;

fn main() -> ExitCode {
    let status = drmgr_sim::liveupdate::safe_ke::main(
        std::env::args_os().skip(1),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    ExitCode::from(status)
}
