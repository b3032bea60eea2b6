//! Everything a script usually needs: `use dlpar_script::prelude::*;`.
//!
//! That includes serde's `Serialize` and `Deserialize` (trait and derive), for
//! [phase state](crate::state) values; a crate that does not depend on `serde`
//! itself tells the derive where serde is with `#[serde(crate = "dlpar_script::serde")]`:
//!
//! ```
//! use dlpar_script::prelude::*;
//!
//! #[derive(Serialize, Deserialize)]
//! #[serde(crate = "dlpar_script::serde")]
//! struct Shrunk {
//!     mb: u64,
//! }
//! # let _ = Shrunk { mb: 1 }.mb;
//! ```

pub use crate::attributes::*;
pub use crate::event::{CapacityEvent, CpuEvent, Event, Frames, Megabytes, MemEvent, WeightEvent};
pub use crate::protocol::{Command, Resource};
pub use crate::{Context, Error, Result, Script, Target};
pub use serde::{Deserialize, Serialize};
