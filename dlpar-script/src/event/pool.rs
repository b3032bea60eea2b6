//! Micro-Partitioning events: entitled capacity and variable weight share one shape,
//! a current value and a signed delta.

use super::{DecodeError, DrEnv};

/// Entitled processor capacity changing (resource `capacity`).
///
/// The values are in hundredths of a processor (IBM's templates; not stated on the
/// page the project follows, so treat the unit as recalled rather than documented).
///
/// ```
/// use dlpar_script::event::{CapacityEvent, DrEnv};
///
/// let env = DrEnv::from_pairs([("DR_CPU_CAPACITY", "150"), ("DR_CPU_CAPACITY_DELTA", "-50")]);
/// let ev = CapacityEvent::decode(&env).unwrap();
/// assert_eq!((ev.capacity, ev.delta), (Some(150), Some(-50)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CapacityEvent {
    /// `DR_CPU_CAPACITY`: the partition's share of the shared physical processors.
    pub capacity: Option<u64>,
    /// `DR_CPU_CAPACITY_DELTA`: resulting capacity minus current capacity.
    pub delta: Option<i64>,
}

impl CapacityEvent {
    /// `DR_CPU_CAPACITY`, the name of [`CapacityEvent::capacity`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, CapacityEvent};
    ///
    /// let env = DrEnv::from_pairs([(CapacityEvent::CAPACITY, "150")]);
    /// assert_eq!(CapacityEvent::decode(&env).unwrap().capacity, Some(150));
    /// ```
    pub const CAPACITY: &'static str = "DR_CPU_CAPACITY";

    /// `DR_CPU_CAPACITY_DELTA`, the name of [`CapacityEvent::delta`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, CapacityEvent};
    ///
    /// let env = DrEnv::from_pairs([(CapacityEvent::DELTA, "-50")]);
    /// assert_eq!(CapacityEvent::decode(&env).unwrap().delta, Some(-50));
    /// ```
    pub const DELTA: &'static str = "DR_CPU_CAPACITY_DELTA";

    /// Decodes `DR_CPU_CAPACITY` and `DR_CPU_CAPACITY_DELTA`.
    pub fn decode(env: &DrEnv) -> Result<CapacityEvent, DecodeError> {
        let (capacity, delta) = value_and_delta(env, Self::CAPACITY, Self::DELTA)?;
        Ok(CapacityEvent { capacity, delta })
    }
}

/// Uncapped variable weight changing (resource `var_weight`).
///
/// ```
/// use dlpar_script::event::{DrEnv, WeightEvent};
///
/// let env = DrEnv::from_pairs([("DR_VAR_WEIGHT", "128"), ("DR_VAR_WEIGHT_DELTA", "+64")]);
/// let ev = WeightEvent::decode(&env).unwrap();
/// assert_eq!((ev.weight, ev.delta), (Some(128), Some(64)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct WeightEvent {
    /// `DR_VAR_WEIGHT`: the partition's priority for idle shared-pool cycles.
    pub weight: Option<u64>,
    /// `DR_VAR_WEIGHT_DELTA`: resulting weight minus current weight.
    pub delta: Option<i64>,
}

impl WeightEvent {
    /// `DR_VAR_WEIGHT`, the name of [`WeightEvent::weight`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, WeightEvent};
    ///
    /// let env = DrEnv::from_pairs([(WeightEvent::WEIGHT, "128")]);
    /// assert_eq!(WeightEvent::decode(&env).unwrap().weight, Some(128));
    /// ```
    pub const WEIGHT: &'static str = "DR_VAR_WEIGHT";

    /// `DR_VAR_WEIGHT_DELTA`, the name of [`WeightEvent::delta`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, WeightEvent};
    ///
    /// let env = DrEnv::from_pairs([(WeightEvent::DELTA, "+64")]);
    /// assert_eq!(WeightEvent::decode(&env).unwrap().delta, Some(64));
    /// ```
    pub const DELTA: &'static str = "DR_VAR_WEIGHT_DELTA";

    /// Decodes `DR_VAR_WEIGHT` and `DR_VAR_WEIGHT_DELTA`.
    pub fn decode(env: &DrEnv) -> Result<WeightEvent, DecodeError> {
        let (weight, delta) = value_and_delta(env, Self::WEIGHT, Self::DELTA)?;
        Ok(WeightEvent { weight, delta })
    }
}

type ValueAndDelta = (Option<u64>, Option<i64>);

fn value_and_delta(env: &DrEnv, value: &'static str, delta: &'static str) -> Result<ValueAndDelta, DecodeError> {
    Ok((env.decimal(value)?, env.signed(delta)?))
}
