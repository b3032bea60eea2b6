//! Procedural macros for `dlpar-script`. Use them through the `dlpar_script` crate.
