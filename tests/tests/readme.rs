//! The README shows code that CI compiles: its script is
//! `examples/readme_script.rs` (built as an example of this crate), and its other
//! Rust snippets are doctests of `src/lib.rs`.

#[test]
fn the_readme_script_is_the_example_that_is_built() {
    let readme = include_str!("../../README.md");
    // The example starts with its own `//!` doc lines, which the README leaves out.
    let example: String = include_str!("../examples/readme_script.rs")
        .lines()
        .skip_while(|line| line.starts_with("//!"))
        .map(|line| format!("{line}\n"))
        .collect();
    let start = readme.find("## A script\n\n```rust,ignore\n").expect("README has its script section")
        + "## A script\n\n```rust,ignore\n".len();
    let end = start + readme[start..].find("```\n").expect("the block ends");
    assert_eq!(&readme[start..end], example.as_str(), "README.md and tests/examples/readme_script.rs differ");
}
