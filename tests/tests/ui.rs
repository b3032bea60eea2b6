//! The macros as users meet them: scripts that must compile and answer correctly,
//! and mistakes that must not compile, each with its committed `.stderr`.
//!
//! Update the `.stderr` files with `TRYBUILD=overwrite cargo test -p dlpar-tests --test ui`
//! and review every change: the messages are part of the interface.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/attributes/*.rs");
    cases.compile_fail("ui/handlers/*.rs");
    cases.compile_fail("ui/metadata/*.rs");
    cases.compile_fail("ui/usage/*.rs");
}
