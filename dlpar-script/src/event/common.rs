use std::fmt;

use super::{DecodeError, DrEnv};

/// What every event command carries: `DR_FORCE` and `DR_DETAIL_LEVEL`.
///
/// ```
/// use dlpar_script::event::{Common, DetailLevel, DrEnv};
///
/// let env = DrEnv::from_pairs([("DR_FORCE", "TRUE"), ("DR_DETAIL_LEVEL", "9")]);
/// let common = Common::decode(&env).unwrap();
/// assert_eq!(common.force, Some(true));
/// assert_eq!(common.detail_level, DetailLevel::MAX);
/// assert_eq!(common.clamped_detail_level, Some(9));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Common {
    /// `DR_FORCE`: the operator forced the operation. `None` when the variable is absent.
    pub force: Option<bool>,
    /// `DR_DETAIL_LEVEL`, 0 when absent (the protocol's default: no information).
    pub detail_level: DetailLevel,
    /// The original value when `DR_DETAIL_LEVEL` was above 5 and was clamped to 5.
    pub clamped_detail_level: Option<u64>,
}

impl Common {
    /// Decodes `DR_FORCE` and `DR_DETAIL_LEVEL`. A level above 5 is clamped to 5 and
    /// the original value kept in [`Common::clamped_detail_level`] so the caller can warn.
    pub fn decode(env: &DrEnv) -> Result<Common, DecodeError> {
        let force = env.flag("DR_FORCE")?;
        let raw = env.decimal("DR_DETAIL_LEVEL")?.unwrap_or(0);
        let detail_level = DetailLevel::new(raw.min(5) as u8);
        let clamped_detail_level = (raw > 5).then_some(raw);
        Ok(Common { force, detail_level, clamped_detail_level })
    }
}

/// How much a script should say: `DR_DETAIL_LEVEL`, 0..=5.
///
/// 0 (the default) asks for no information, 1 is reserved for the operating system,
/// and 2..=5 belong to scripts, higher meaning more detail.
///
/// ```
/// use dlpar_script::event::DetailLevel;
/// assert!(DetailLevel::new(3) >= DetailLevel::new(2));
/// assert_eq!(DetailLevel::new(8), DetailLevel::MAX);
/// assert_eq!(DetailLevel::default().get(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DetailLevel(u8);

impl DetailLevel {
    /// The highest level, 5.
    pub const MAX: DetailLevel = DetailLevel(5);

    /// A level; values above 5 become 5.
    pub const fn new(level: u8) -> DetailLevel {
        DetailLevel(if level > 5 { 5 } else { level })
    }

    /// The level as a number.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for DetailLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
