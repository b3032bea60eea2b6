//! `drmgr-sim`: install DLPAR scripts into a repository and run whole DLPAR
//! operations against them, the way AIX `drmgr` does. See `drmgr-sim --help`.

// This binary's job is to print traces, listings and JSON documents on stdout.
#![allow(clippy::print_stdout)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
