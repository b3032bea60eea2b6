use std::fmt;

use super::DrEnv;

/// What every event command carries: `DR_FORCE` and `DR_DETAIL_LEVEL`.
///
/// Both only tune how the script behaves, so neither can fail an invocation (the
/// rule of the [module docs](super)): a malformed value is read conservatively and
/// explained in [`Common::warnings`], which the dispatcher sends as
/// `DR_LOG_WARNING` lines.
///
/// ```
/// use dlpar_script::event::{Common, DetailLevel, DrEnv};
///
/// let env = DrEnv::from_pairs([("DR_FORCE", "Yes"), ("DR_DETAIL_LEVEL", "9")]);
/// let common = Common::decode(&env);
/// assert_eq!(common.force, Some(true));
/// assert_eq!(common.detail_level, DetailLevel::MAX);
/// assert_eq!(common.warnings, ["DR_DETAIL_LEVEL=9 is above 5; using 5"]);
///
/// let env = DrEnv::from_pairs([("DR_FORCE", "maybe"), ("DR_DETAIL_LEVEL", "high")]);
/// let common = Common::decode(&env);
/// assert_eq!((common.force, common.detail_level.get()), (Some(false), 0));
/// assert_eq!(common.warnings, [
///     "DR_FORCE=\"maybe\" is malformed: expected TRUE, FALSE, YES, NO, 1 or 0 (any case); \
///      reading it as not forced",
///     "DR_DETAIL_LEVEL=\"high\" is malformed: expected a decimal level from 0 to 5; using 0",
/// ]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Common {
    /// `DR_FORCE`: the operator forced the operation. `None` when the variable is
    /// absent; `Some(false)` when it is malformed (the conservative reading: the
    /// checks run).
    pub force: Option<bool>,
    /// `DR_DETAIL_LEVEL`, 0 when absent or malformed (the protocol's default: no
    /// information), 5 when above 5.
    pub detail_level: DetailLevel,
    /// One sentence per value that was not taken as written, naming the variable, the
    /// value, what was expected and what is used instead.
    pub warnings: Vec<String>,
}

impl Common {
    /// `DR_FORCE`, the name of [`Common::force`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, Common};
    ///
    /// let env = DrEnv::from_pairs([(Common::FORCE, "TRUE")]);
    /// assert_eq!(Common::decode(&env).force, Some(true));
    /// ```
    pub const FORCE: &'static str = "DR_FORCE";

    /// `DR_DETAIL_LEVEL`, the name of [`Common::detail_level`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, Common};
    ///
    /// let env = DrEnv::from_pairs([(Common::DETAIL_LEVEL, "3")]);
    /// assert_eq!(Common::decode(&env).detail_level.get(), 3);
    /// ```
    pub const DETAIL_LEVEL: &'static str = "DR_DETAIL_LEVEL";

    /// Decodes `DR_FORCE` and `DR_DETAIL_LEVEL`; never fails.
    pub fn decode(env: &DrEnv) -> Common {
        let mut warnings = Vec::new();
        let force = env.flag(Self::FORCE).unwrap_or_else(|e| {
            warnings.push(format!("{e}; reading it as not forced"));
            Some(false)
        });
        let raw = env.decimal(Self::DETAIL_LEVEL).unwrap_or_else(|e| {
            warnings.push(format!(
                "{}={:?} is malformed: expected a decimal level from 0 to 5; using 0",
                Self::DETAIL_LEVEL,
                e.value()
            ));
            None
        });
        let raw = raw.unwrap_or(0);
        if raw > 5 {
            warnings.push(format!("{}={raw} is above 5; using 5", Self::DETAIL_LEVEL));
        }
        Common { force, detail_level: DetailLevel::new(raw.min(5) as u8), warnings }
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
