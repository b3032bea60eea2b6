use super::{DecodeError, DrEnv};

/// A processor being added or removed (resource `cpu`).
///
/// ```
/// use dlpar_script::event::{CpuEvent, DrEnv};
///
/// let env = DrEnv::from_pairs([("DR_BCPUID", "7"), ("DR_LCPUID", "14")]);
/// let ev = CpuEvent::decode(&env).unwrap();
/// assert_eq!((ev.bcpuid, ev.lcpuid), (Some(7), Some(14)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CpuEvent {
    /// `DR_BCPUID`: the bind CPU id of the processor. Bind ids run 0..N over the
    /// online processors only, and a removal always takes the highest one, so a
    /// `bindprocessor` attachment only has to move when it is on this id.
    pub bcpuid: Option<u32>,
    /// `DR_LCPUID`: the logical CPU id of the processor.
    pub lcpuid: Option<u32>,
    /// `DRC_COUNT` of a powerpc-utils hook ([`crate::hook`]): how many processors
    /// were requested (`pre`) or actually changed (`post`). `None` on AIX, which
    /// changes one processor per command and names it in `bcpuid`/`lcpuid`.
    pub count: Option<u32>,
}

impl CpuEvent {
    /// `DR_BCPUID`, the name of [`CpuEvent::bcpuid`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, CpuEvent};
    ///
    /// let env = DrEnv::from_pairs([(CpuEvent::BCPUID, "7")]);
    /// assert_eq!(CpuEvent::decode(&env).unwrap().bcpuid, Some(7));
    /// ```
    pub const BCPUID: &'static str = "DR_BCPUID";

    /// `DR_LCPUID`, the name of [`CpuEvent::lcpuid`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, CpuEvent};
    ///
    /// let env = DrEnv::from_pairs([(CpuEvent::LCPUID, "14")]);
    /// assert_eq!(CpuEvent::decode(&env).unwrap().lcpuid, Some(14));
    /// ```
    pub const LCPUID: &'static str = "DR_LCPUID";

    /// Decodes `DR_BCPUID` and `DR_LCPUID`.
    pub fn decode(env: &DrEnv) -> Result<CpuEvent, DecodeError> {
        Ok(CpuEvent { bcpuid: env.id(Self::BCPUID)?, lcpuid: env.id(Self::LCPUID)?, count: None })
    }
}
