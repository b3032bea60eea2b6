//! One vocabulary: the command words are written once, in `dlpar-script-vocab`,
//! which the runtime and the macros both read (nothing left to drift); the hidden
//! module the macros write paths into is this version's.

#[test]
fn the_hidden_module_is_named_after_this_version() {
    // On a version bump, rename `__private_0_1_0` in lib.rs (the macros follow
    // their own CARGO_PKG_VERSION, and the workspace pins both with `=`).
    assert_eq!(env!("CARGO_PKG_VERSION"), "0.1.0");
    assert!(dlpar_script::__private_0_1_0::value_fits("x"));
}
