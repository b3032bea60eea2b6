//! The protocol's vocabulary: command words, families, phases, resources and argv.
//!
//! Everything here is shared by the script side (the dispatcher) and the host side
//! (`drmgr-sim`), so both agree on spelling and sequencing.

mod argv;
mod command;
mod resource;
mod words;

pub use argv::{ArgError, Invocation};
pub use command::{Command, CommandWordError, Family, FamilyCommands, Phase};
pub use resource::{MAX_RESOURCE_NAME, Resource, ResourceName, ResourceNameError};
pub(crate) use words::word_enum;
