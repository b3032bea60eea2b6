//! The `lifecycle_probe` script entered through C `main` and
//! [`Script::run_c_main`](dlpar_script::Script::run_c_main), as `main!` with
//! `fast_start: true` generates: for the process tests of what Rust's own
//! start-up would otherwise do (closed standard descriptors, `SIGPIPE`).
#![no_main]

#[path = "lifecycle_probe/script.rs"]
mod script;

/// The process entry point, called by the C runtime.
#[unsafe(no_mangle)]
extern "C" fn main(argc: std::ffi::c_int, argv: *const *const std::ffi::c_char) -> std::ffi::c_int {
    // SAFETY: the C runtime passes `argc` valid NUL-terminated strings in `argv`.
    unsafe { script::script().run_c_main(argc, argv) }
}
