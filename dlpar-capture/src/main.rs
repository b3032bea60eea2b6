//! `dlpar_capture`: records how drmgr runs DLPAR scripts (see the library's documentation).
//!
//! C `main`, as `main!` generates it with `fast_start: true`, but probing the
//! process before the runtime changes it (the runtime swaps fd 1, installs signal
//! handlers and reopens closed descriptors).
#![cfg_attr(not(test), no_main)]

/// The process entry point, called by the C runtime.
#[cfg(not(test))]
#[unsafe(export_name = "main")]
extern "C" fn capture_main(argc: std::ffi::c_int, argv: *const *const std::ffi::c_char) -> std::ffi::c_int {
    // SAFETY: the C runtime passes `argc` valid NUL-terminated strings in `argv`.
    unsafe { dlpar_capture::run_c_main(argc, argv) }
}
