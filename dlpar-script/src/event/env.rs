use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};

use super::decode::{self, DecodeError};

/// The raw `DR_*` variables of one invocation, by name.
///
/// Only names that start with `DR_` are kept; everything else in the environment is
/// none of the protocol's business. Unknown `DR_*` names are kept too, so a script can
/// read variables newer than this crate.
///
/// ```
/// use dlpar_script::event::DrEnv;
///
/// let env = DrEnv::from_pairs([("DR_BCPUID", "2"), ("HOME", "/"), ("DR_NEW_THING", "x")]);
/// assert_eq!(env.get("DR_BCPUID"), Some("2"));
/// assert_eq!(env.get("HOME"), None);
/// assert_eq!(env.names().collect::<Vec<_>>(), ["DR_BCPUID", "DR_NEW_THING"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrEnv {
    vars: BTreeMap<String, OsString>,
}

impl DrEnv {
    /// The `DR_*` variables of this process.
    pub fn from_process() -> DrEnv {
        DrEnv::from_pairs(std::env::vars_os())
    }

    /// The `DR_*` variables among `pairs` (any other name is dropped).
    pub fn from_pairs<I, K, V>(pairs: I) -> DrEnv
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        let vars = pairs
            .into_iter()
            .filter_map(|(k, v)| {
                let name = k.as_ref().to_str()?;
                name.starts_with("DR_").then(|| (name.to_owned(), v.as_ref().to_owned()))
            })
            .collect();
        DrEnv { vars }
    }

    /// A variable's value, if it is set and valid UTF-8.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).and_then(|v| v.to_str())
    }

    /// A variable's value as the operating system gave it.
    ///
    /// ```
    /// let env = dlpar_script::event::DrEnv::from_pairs([("DR_FORCE", "TRUE")]);
    /// assert_eq!(env.get_os("DR_FORCE"), Some(std::ffi::OsStr::new("TRUE")));
    /// ```
    pub fn get_os(&self, name: &str) -> Option<&OsStr> {
        self.vars.get(name).map(OsString::as_os_str)
    }

    /// The names present, in byte order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.vars.keys().map(String::as_str)
    }

    /// Every variable, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &OsStr)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_os_str()))
    }

    /// Whether no `DR_*` variable is set.
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// A decimal `u64` variable (surrounding spaces trimmed).
    ///
    /// ```
    /// let env = dlpar_script::event::DrEnv::from_pairs([("DR_MEM_SIZE_REQUEST", " 256 ")]);
    /// assert_eq!(env.decimal("DR_MEM_SIZE_REQUEST"), Ok(Some(256)));
    /// assert_eq!(env.decimal("DR_MEM_SIZE_COMPLETED"), Ok(None));
    /// ```
    pub fn decimal(&self, name: &'static str) -> Result<Option<u64>, DecodeError> {
        self.with(name, decode::decimal)
    }

    /// A decimal id that must fit in `u32` (CPU ids).
    pub fn id(&self, name: &'static str) -> Result<Option<u32>, DecodeError> {
        self.with(name, decode::id)
    }

    /// A signed decimal `i64` (deltas), with an optional `+` or `-` sign.
    ///
    /// ```
    /// let env = dlpar_script::event::DrEnv::from_pairs([("DR_CPU_CAPACITY_DELTA", "-50")]);
    /// assert_eq!(env.signed("DR_CPU_CAPACITY_DELTA"), Ok(Some(-50)));
    /// ```
    pub fn signed(&self, name: &'static str) -> Result<Option<i64>, DecodeError> {
        self.with(name, decode::signed)
    }

    /// A hexadecimal `u64`, with or without a `0x`/`0X` prefix.
    ///
    /// ```
    /// let env = dlpar_script::event::DrEnv::from_pairs([("DR_FREE_FRAMES", "0XfF")]);
    /// assert_eq!(env.hex("DR_FREE_FRAMES"), Ok(Some(255)));
    /// ```
    pub fn hex(&self, name: &'static str) -> Result<Option<u64>, DecodeError> {
        self.with(name, decode::hex)
    }

    /// A boolean: `TRUE`/`FALSE`/`YES`/`NO`/`1`/`0`, any case.
    ///
    /// ```
    /// let env = dlpar_script::event::DrEnv::from_pairs([("DR_FORCE", "true")]);
    /// assert_eq!(env.flag("DR_FORCE"), Ok(Some(true)));
    /// ```
    pub fn flag(&self, name: &'static str) -> Result<Option<bool>, DecodeError> {
        self.with(name, decode::flag)
    }

    fn with<T>(
        &self,
        name: &'static str,
        parse: fn(&str) -> Result<T, &'static str>,
    ) -> Result<Option<T>, DecodeError> {
        let Some(raw) = self.vars.get(name) else { return Ok(None) };
        let text = raw.to_str().ok_or_else(|| DecodeError::new(name, raw.to_string_lossy(), "valid UTF-8 text"))?;
        parse(text.trim()).map(Some).map_err(|expected| DecodeError::new(name, text, expected))
    }
}
