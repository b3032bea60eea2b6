//! The macros as users meet them: scripts that must compile and answer correctly,
//! and mistakes that must not compile, each with its committed `.stderr`.
//!
//! Update the `.stderr` files with `TRYBUILD=overwrite cargo test -p dlpar-tests --test ui`
//! and review every change: the messages are part of the interface.
//!
//! rustc's wording and layout change between releases, so the compile-fail cases run
//! only on the toolchain the `.stderr` files were written with (stable 1.95, see
//! `STDERR_TOOLCHAIN`); the pass cases run on every compiler. For a new compiler:
//! regenerate with that compiler (`TRYBUILD=overwrite`), read every changed
//! `.stderr`, and move the `rustversion::cfg!` condition below and the constant to
//! its version, in the same commit.

/// The toolchain the committed `.stderr` files match.
const STDERR_TOOLCHAIN: &str = "stable 1.95";

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    if rustversion::cfg!(stable(1.95)) {
        cases.compile_fail("ui/attributes/*.rs");
        cases.compile_fail("ui/handlers/*.rs");
        cases.compile_fail("ui/metadata/*.rs");
        cases.compile_fail("ui/usage/*.rs");
    } else {
        eprintln!("compile-fail cases skipped: their .stderr files are for rustc {STDERR_TOOLCHAIN}");
    }
}
