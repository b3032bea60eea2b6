//! Everything a script usually needs: `use dlpar_script::prelude::*;`.

pub use crate::event::{CapacityEvent, CpuEvent, Event, Frames, Megabytes, MemEvent, WeightEvent};
pub use crate::protocol::{Command, Resource};
pub use crate::{Context, Error, Result, Script, Target};
