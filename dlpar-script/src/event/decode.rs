//! The decoding rules of docs/protocol.md §6, one small function per format.

use std::fmt;

/// A `DR_*` variable that is present but malformed.
///
/// ```
/// use dlpar_script::event::DrEnv;
///
/// let env = DrEnv::from_pairs([("DR_BCPUID", "three")]);
/// let err = env.id("DR_BCPUID").unwrap_err();
/// assert_eq!(err.variable(), "DR_BCPUID");
/// assert_eq!(
///     err.to_string(),
///     "DR_BCPUID=\"three\" is malformed: expected a decimal CPU id from 0 to 4294967295"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    variable: &'static str,
    value: String,
    expected: &'static str,
}

impl DecodeError {
    pub(crate) fn new(variable: &'static str, value: impl Into<String>, expected: &'static str) -> DecodeError {
        DecodeError { variable, value: value.into(), expected }
    }

    /// The variable's name.
    pub fn variable(&self) -> &'static str {
        self.variable
    }

    /// The value as found (lossily decoded if it was not UTF-8).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The form the value should have had.
    pub fn expected(&self) -> &'static str {
        self.expected
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={:?} is malformed: expected {}", self.variable, self.value, self.expected)
    }
}

impl std::error::Error for DecodeError {}

const DECIMAL: &str = "a decimal number from 0 to 18446744073709551615";
const ID: &str = "a decimal CPU id from 0 to 4294967295";
const SIGNED: &str = "a decimal number with an optional sign, from -9223372036854775808 to 9223372036854775807";
const HEX: &str = "a hexadecimal number (0x optional) from 0x0 to 0xFFFFFFFFFFFFFFFF";
const FLAG: &str = "TRUE, FALSE, YES, NO, 1 or 0 (any case)";

fn digits(text: &str, radix: u32) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_digit(radix))
}

pub(super) fn decimal(text: &str) -> Result<u64, &'static str> {
    digits(text, 10).then(|| text.parse().ok()).flatten().ok_or(DECIMAL)
}

pub(super) fn id(text: &str) -> Result<u32, &'static str> {
    digits(text, 10).then(|| text.parse().ok()).flatten().ok_or(ID)
}

pub(super) fn signed(text: &str) -> Result<i64, &'static str> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits(unsigned, 10).then(|| text.parse().ok()).flatten().ok_or(SIGNED)
}

pub(super) fn hex(text: &str) -> Result<u64, &'static str> {
    let body = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
    digits(body, 16).then(|| u64::from_str_radix(body, 16).ok()).flatten().ok_or(HEX)
}

pub(super) fn flag(text: &str) -> Result<bool, &'static str> {
    match text.to_ascii_uppercase().as_str() {
        "TRUE" | "YES" | "1" => Ok(true),
        "FALSE" | "NO" | "0" => Ok(false),
        _ => Err(FLAG),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_rejects_signs_spaces_inside_and_overflow() {
        assert_eq!(decimal("0"), Ok(0));
        assert_eq!(decimal("18446744073709551615"), Ok(u64::MAX));
        for bad in ["", "+1", "-1", "1 2", "0x10", "18446744073709551616", "１"] {
            assert_eq!(decimal(bad), Err(DECIMAL), "{bad:?}");
        }
    }

    #[test]
    fn ids_are_u32() {
        assert_eq!(id("4294967295"), Ok(u32::MAX));
        assert_eq!(id("4294967296"), Err(ID));
    }

    #[test]
    fn signed_accepts_one_sign() {
        assert_eq!(signed("+25"), Ok(25));
        assert_eq!(signed("-9223372036854775808"), Ok(i64::MIN));
        for bad in ["", "-", "--1", "+-1", "1-", "9223372036854775808"] {
            assert_eq!(signed(bad), Err(SIGNED), "{bad:?}");
        }
    }

    #[test]
    fn hex_prefix_is_optional() {
        assert_eq!(hex("FFFFFFFF"), Ok(0xFFFF_FFFF));
        assert_eq!(hex("0x0"), Ok(0));
        for bad in ["", "0x", "0xg", "x10", "0x 1", "0x10000000000000000"] {
            assert_eq!(hex(bad), Err(HEX), "{bad:?}");
        }
    }

    #[test]
    fn flags_any_case() {
        for (text, want) in [
            ("TRUE", true),
            ("True", true),
            ("yes", true),
            ("YES", true),
            ("1", true),
            ("false", false),
            ("No", false),
            ("0", false),
        ] {
            assert_eq!(flag(text), Ok(want), "{text:?}");
        }
        for bad in ["", "2", "T", "Y", "on", "forced"] {
            assert_eq!(flag(bad), Err(FLAG));
        }
    }
}
