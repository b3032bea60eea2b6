//! Building a script without macros, and running it.
//!
//! [`Script`] holds the metadata that `scriptinfo`, `register` and `usage` answer
//! with, and the handlers for event commands. [`Script::run`] turns the process's
//! command line and environment into exactly one well-formed answer.

mod builder;
mod context;
mod dispatch;
mod entry;
mod handler;
mod hook;
mod metadata;
mod panic;
mod stdio;

pub use builder::Script;
pub use context::Context;
pub use handler::Target;
pub use metadata::{InvalidScript, Problem, ScriptInfo, TextIssue};
