//! Typed `DR_*` events: what drmgr tells a script about the operation in progress.
//!
//! Each resource has its own event type, decoded from the environment by the rules
//! of the protocol (docs/protocol.md §6).
//!
//! # The decoding rule: data stays strict, knobs degrade
//!
//! * **Event data** — the variables that describe the change (`DR_BCPUID`,
//!   `DR_LCPUID`, the `DR_*_FRAMES`, `DR_MEM_SIZE_*`, `DR_CPU_CAPACITY*`,
//!   `DR_VAR_WEIGHT*`) — is strict. An absent variable is `None`, never a default
//!   that pretends to be data; a present but malformed one is a [`DecodeError`] that
//!   names the variable, shows the value and states the range accepted, and the
//!   invocation fails with it as `DR_ERROR` (a script must not act on a value it
//!   cannot read).
//! * **Knobs** — `DR_FORCE` and `DR_DETAIL_LEVEL`, which only tune how a script
//!   behaves — never fail an invocation ([`Common::decode`] cannot fail). A malformed
//!   `DR_DETAIL_LEVEL` means level 0 and one above 5 means 5; `DR_FORCE` accepts
//!   `TRUE`/`FALSE`/`YES`/`NO`/`1`/`0` in any case and reads anything else as "not
//!   forced" (the conservative reading: the checks run). Each such value gives a
//!   `DR_LOG_WARNING` saying what was used instead.
//!
//! ```
//! use dlpar_script::event::{DrEnv, Event, MemEvent};
//! use dlpar_script::protocol::Resource;
//!
//! let env = DrEnv::from_pairs([("DR_MEM_SIZE_REQUEST", "512"), ("DR_FREE_FRAMES", "0x4000")]);
//! let Event::Mem(mem) = Event::decode(Some(&Resource::Mem), &env).unwrap() else { unreachable!() };
//! assert_eq!(mem.request_mb.unwrap().get(), 512);
//! assert_eq!(mem.free_frames.unwrap().to_bytes(), 0x4000 * 4096);
//! assert_eq!(mem.total_frames, None);
//! ```

mod common;
mod cpu;
mod decode;
mod env;
mod mem;
mod pool;
mod units;

pub use common::{Common, DetailLevel};
pub use cpu::CpuEvent;
pub use decode::DecodeError;
pub use env::DrEnv;
pub use mem::MemEvent;
pub use pool::{CapacityEvent, WeightEvent};
pub use units::{FRAME_BYTES, Frames, Megabytes};

use crate::protocol::Resource;

/// The event of one command, decoded for the resource named on the command line.
///
/// A handler registered for several resources, a custom resource, or a whole family
/// receives this type and matches on it.
///
/// ```
/// use dlpar_script::event::{DrEnv, Event};
/// use dlpar_script::protocol::Resource;
///
/// let env = DrEnv::from_pairs([("DR_BCPUID", "3")]);
/// match Event::decode(Some(&Resource::Cpu), &env).unwrap() {
///     Event::Cpu(cpu) => assert_eq!(cpu.bcpuid, Some(3)),
///     other => panic!("unexpected {other:?}"),
/// }
/// let pmig = Resource::from_static("pmig");
/// assert_eq!(Event::decode(Some(&pmig), &env).unwrap().resource(), Some(pmig));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A processor event (`cpu`).
    Cpu(CpuEvent),
    /// A memory event (`mem`).
    Mem(MemEvent),
    /// An entitled-capacity event (`capacity`).
    Capacity(CapacityEvent),
    /// A variable-weight event (`var_weight`).
    VarWeight(WeightEvent),
    /// Any other resource word, or none (migrate, hibernate, accelerator, topology).
    /// The raw variables are in [`Context::env`](crate::Context::env).
    Other(Option<Resource>),
}

impl Event {
    /// Decodes the variables that belong to `resource` from `env`.
    pub fn decode(resource: Option<&Resource>, env: &DrEnv) -> Result<Event, DecodeError> {
        Ok(match resource {
            Some(Resource::Cpu) => Event::Cpu(CpuEvent::decode(env)?),
            Some(Resource::Mem) => Event::Mem(MemEvent::decode(env)?),
            Some(Resource::Capacity) => Event::Capacity(CapacityEvent::decode(env)?),
            Some(Resource::VarWeight) => Event::VarWeight(WeightEvent::decode(env)?),
            other => Event::Other(other.cloned()),
        })
    }

    /// The resource this event is about, if the command line named one.
    pub fn resource(&self) -> Option<Resource> {
        match self {
            Event::Cpu(_) => Some(Resource::Cpu),
            Event::Mem(_) => Some(Resource::Mem),
            Event::Capacity(_) => Some(Resource::Capacity),
            Event::VarWeight(_) => Some(Resource::VarWeight),
            Event::Other(resource) => resource.clone(),
        }
    }
}

/// The parameter type of a handler: one typed event, or the general [`Event`].
///
/// Implemented by [`CpuEvent`], [`MemEvent`], [`CapacityEvent`], [`WeightEvent`]
/// (each bound to its resource) and [`Event`] (any resource). The dispatcher hands a
/// handler its event through [`EventType::from_event`]. The trait is sealed: the
/// dispatcher decodes exactly these types, so no other type can be one.
pub trait EventType: sealed::Sealed + Sized + 'static {
    /// The one resource whose events have this type; `None` for the general [`Event`].
    ///
    /// ```
    /// use dlpar_script::event::{CpuEvent, Event, EventType};
    /// use dlpar_script::protocol::Resource;
    /// assert_eq!(CpuEvent::resource(), Some(Resource::Cpu));
    /// assert_eq!(<Event as EventType>::resource(), None);
    /// ```
    fn resource() -> Option<Resource>;

    /// This type's view of a decoded event, if the event is of this type.
    fn from_event(event: &Event) -> Option<&Self>;
}

mod sealed {
    /// Keeps [`EventType`](super::EventType) to the event types of this module.
    pub trait Sealed {}
}

impl sealed::Sealed for Event {}

impl EventType for Event {
    fn resource() -> Option<Resource> {
        None
    }

    fn from_event(event: &Event) -> Option<&Self> {
        Some(event)
    }
}

macro_rules! typed_event {
    ($ty:ident, $variant:ident) => {
        impl sealed::Sealed for $ty {}

        impl EventType for $ty {
            fn resource() -> Option<Resource> {
                Some(Resource::$variant)
            }

            fn from_event(event: &Event) -> Option<&Self> {
                match event {
                    Event::$variant(inner) => Some(inner),
                    _ => None,
                }
            }
        }
    };
}

typed_event!(CpuEvent, Cpu);
typed_event!(MemEvent, Mem);
typed_event!(CapacityEvent, Capacity);
typed_event!(WeightEvent, VarWeight);
