//! The C entry point: answering drmgr without Rust's `main` start-up.
//!
//! A Rust `fn main` runs the standard library's start-up first: on Linux it reads
//! `/proc/self/maps` to find the main thread's stack and sets up an alternate signal
//! stack, which costs more than the rest of a DLPAR command put together. drmgr
//! starts a script several times per operation, so scripts built with this crate
//! may instead export C `main` from a `#![no_main]` binary and call
//! [`Script::run_c_main`]. The `startup` benchmark of `examples/acme_cpuguard`
//! measures the difference.
//!
//! Without the standard start-up, three of its duties fall to this function: the
//! command line comes from `argc`/`argv` (the standard library only captures it
//! during its own start-up on most Unix systems, AIX included), `SIGPIPE` is
//! ignored so a closed stdout is an `EPIPE` error rather than a silent death, and
//! descriptors 0–2 that the host left closed are opened on `/dev/null` (else the
//! first file a handler opens would become stdout and receive the reply).

use std::ffi::{CStr, OsStr, c_char, c_int};
use std::os::unix::ffi::OsStrExt;

use super::Script;

impl Script {
    /// Answers the command described by a C `main`'s arguments; returns the exit status.
    ///
    /// Use it from a `no_main` binary for the fastest start-up (the `main!` macro
    /// generates exactly this). Test builds need Rust's `main` for the test harness,
    /// hence the `cfg`s:
    ///
    /// ```no_run
    /// #![cfg_attr(not(test), no_main)]
    /// # use dlpar_script::Script;
    /// # fn script() -> Script { Script::new("Acme", "demo") }
    ///
    /// #[cfg(not(test))]
    /// #[unsafe(no_mangle)]
    /// extern "C" fn main(argc: std::ffi::c_int, argv: *const *const std::ffi::c_char) -> std::ffi::c_int {
    ///     // SAFETY: the C runtime passes `argc` valid strings in `argv`.
    ///     unsafe { script().run_c_main(argc, argv) }
    /// }
    /// ```
    ///
    /// # Safety
    ///
    /// `argv` must point to at least `argc` valid, NUL-terminated C strings, as the C
    /// runtime passes them to `main`.
    pub unsafe fn run_c_main(self, argc: c_int, argv: *const *const c_char) -> c_int {
        super::stdio::reopen_closed();
        // SAFETY: setting a signal's disposition to SIG_IGN has no preconditions.
        // AIX (signal subroutine): SIG_IGN documented; verify on a partition: writes to a closed pipe give EPIPE.
        unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
        let count = usize::try_from(argc).unwrap_or(0);
        let argv = (0..count).map(|i| {
            // SAFETY: the caller guarantees `argc` valid NUL-terminated strings.
            let arg = unsafe { CStr::from_ptr(*argv.add(i)) };
            OsStr::from_bytes(arg.to_bytes()).to_owned()
        });
        c_int::from(self.run_process(argv.collect()))
    }
}
