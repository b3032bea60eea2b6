use dlpar_script::event::{CapacityEvent, CpuEvent, MemEvent, WeightEvent};
use dlpar_script::protocol::{Family, Resource};

/// The event-specific `DR_*` values of an operation (docs/protocol.md §6), in human units.
///
/// Defaults ([`EventVars::default_for`]) describe a plausible small partition:
/// removing or adding bind/logical CPU 3; 256 MB of memory with 4 GB total
/// (`0x100000` frames), 1 GB free (`0x40000`) and 3 GB pinnable (`0xC0000`);
/// entitled capacity 200 (2.00 processors) changing by 50; variable weight 128
/// changing by 32. Deltas are negative for a removal and positive for an addition.
///
/// ```
/// use dlpar_script::protocol::{Family, Resource};
/// use drmgr_sim::EventVars;
///
/// let vars = EventVars::default_for(Family::Remove, &Resource::Capacity);
/// assert_eq!(vars, EventVars::Capacity { capacity: 200, delta: -50 });
/// assert_eq!(vars.to_env(false), [("DR_CPU_CAPACITY", "200".to_owned()), ("DR_CPU_CAPACITY_DELTA", "-50".to_owned())]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventVars {
    /// `DR_BCPUID`, `DR_LCPUID`.
    Cpu {
        /// Bind CPU id.
        bcpuid: u32,
        /// Logical CPU id.
        lcpuid: u32,
    },
    /// `DR_MEM_SIZE_REQUEST`, `DR_MEM_SIZE_COMPLETED` and the frame counts.
    Mem(MemVars),
    /// `DR_CPU_CAPACITY`, `DR_CPU_CAPACITY_DELTA`.
    Capacity {
        /// Entitled capacity in hundredths of a processor.
        capacity: u64,
        /// Signed change.
        delta: i64,
    },
    /// `DR_VAR_WEIGHT`, `DR_VAR_WEIGHT_DELTA`.
    VarWeight {
        /// Uncapped variable weight.
        weight: u64,
        /// Signed change.
        delta: i64,
    },
    /// No event-specific variables (migrate, hibernate, accelerator, topology, and
    /// resources other than the four of the seed).
    None,
}

/// The memory values of an event. Frames are 4 KB; they are passed in hex (`0x…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemVars {
    /// `DR_MEM_SIZE_REQUEST`, MB.
    pub request_mb: u64,
    /// `DR_MEM_SIZE_COMPLETED` before the kernel step, MB; after a successful kernel
    /// step drmgr-sim passes the whole request as completed.
    pub completed_mb: u64,
    /// `DR_FREE_FRAMES`.
    pub free_frames: u64,
    /// `DR_PINNABLE_FRAMES`.
    pub pinnable_frames: u64,
    /// `DR_TOTAL_FRAMES`.
    pub total_frames: u64,
}

impl Default for MemVars {
    fn default() -> MemVars {
        MemVars {
            request_mb: 256,
            completed_mb: 0,
            free_frames: 0x40000,
            pinnable_frames: 0xC0000,
            total_frames: 0x100000,
        }
    }
}

impl EventVars {
    /// The documented defaults for an operation of `family` on `resource`.
    pub fn default_for(family: Family, resource: &Resource) -> EventVars {
        let sign = if family == Family::Add { 1 } else { -1 };
        match resource {
            Resource::Cpu => EventVars::Cpu { bcpuid: 3, lcpuid: 3 },
            Resource::Mem => EventVars::Mem(MemVars::default()),
            Resource::Capacity => EventVars::Capacity { capacity: 200, delta: 50 * sign },
            Resource::VarWeight => EventVars::VarWeight { weight: 128, delta: 32 * sign },
            Resource::Other(_) => EventVars::None,
        }
    }

    /// The variables, in the order of docs/protocol.md §6. `after_kernel` is true for the
    /// commands that run after a successful kernel step (then the whole memory
    /// request counts as completed).
    pub fn to_env(&self, after_kernel: bool) -> Vec<(&'static str, String)> {
        match self {
            EventVars::Cpu { bcpuid, lcpuid } => {
                vec![(CpuEvent::BCPUID, bcpuid.to_string()), (CpuEvent::LCPUID, lcpuid.to_string())]
            }
            EventVars::Mem(mem) => vec![
                (MemEvent::FREE_FRAMES, format!("{:#x}", mem.free_frames)),
                (MemEvent::SIZE_COMPLETED, (if after_kernel { mem.request_mb } else { mem.completed_mb }).to_string()),
                (MemEvent::SIZE_REQUEST, mem.request_mb.to_string()),
                (MemEvent::PINNABLE_FRAMES, format!("{:#x}", mem.pinnable_frames)),
                (MemEvent::TOTAL_FRAMES, format!("{:#x}", mem.total_frames)),
            ],
            EventVars::Capacity { capacity, delta } => {
                vec![(CapacityEvent::CAPACITY, capacity.to_string()), (CapacityEvent::DELTA, delta.to_string())]
            }
            EventVars::VarWeight { weight, delta } => {
                vec![(WeightEvent::WEIGHT, weight.to_string()), (WeightEvent::DELTA, delta.to_string())]
            }
            EventVars::None => Vec::new(),
        }
    }
}
