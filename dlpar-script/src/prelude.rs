//! Everything a script usually needs: `use dlpar_script::prelude::*;`.

pub use crate::event::{CapacityEvent, CpuEvent, Event, Frames, Megabytes, MemEvent, WeightEvent};
pub use crate::protocol::{Command, Resource};
pub use crate::{Context, Error, Result, Script, Target};
pub use crate::{
    checkacquire, checkhibernate, checkmigrate, checkrelease, postaccevent, postacquire, posthibernate, postmigrate,
    postrelease, posttopologyupdate, preaccevent, preacquire, prehibernate, premigrate, prerelease, pretopologyupdate,
    undohibernate, undopreaccevent, undopreacquire, undopremigrate, undoprerelease,
};
