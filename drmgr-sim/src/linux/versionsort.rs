//! The order powerpc-utils runs hooks in: `scandir(3)` with `versionsort(3)`,
//! which compares names with glibc's `strverscmp(3)`.
//!
//! `strverscmp` compares byte by byte; where both names have digits, it compares
//! numbers: an integral part (no leading zero) by its length first, so `9` comes
//! before `10`; a fractional part (leading zeros) as text, so more leading zeros
//! come first: `000 < 00 < 01 < 010 < 09 < 0 < 1 < 9 < 10`.

use std::cmp::Ordering;

/// States of the scan, as offsets into the tables (each state has three classes).
const S_N: usize = 0; // normal text
const S_I: usize = 3; // in an integral part
const S_F: usize = 6; // in a fractional part
const S_Z: usize = 9; // in leading zeros

/// The next state, by state + class of the current byte.
const NEXT: [usize; 12] = [
    S_N, S_I, S_Z, // S_N
    S_N, S_I, S_I, // S_I
    S_N, S_F, S_F, // S_F
    S_N, S_F, S_Z, // S_Z
];

/// How the first differing bytes decide.
#[derive(Clone, Copy)]
enum Decide {
    /// By the bytes themselves.
    Bytes,
    /// By the length of the digit runs, then the bytes.
    Length,
    /// Less.
    Less,
    /// Greater.
    Greater,
}

/// The rule by (state + class of the first name's byte) × 3 + class of the other's.
const RESULT: [Decide; 36] = {
    use Decide::{Bytes as C, Greater as G, Length as L, Less as S};
    [
        C, C, C, C, L, C, C, C, C, // S_N
        C, S, S, G, L, L, G, L, L, // S_I
        C, C, C, C, C, C, C, C, C, // S_F
        C, G, G, S, C, C, S, C, C, // S_Z
    ]
};

/// 0 for a non-digit, 1 for a digit other than zero, 2 for zero.
fn class(byte: u8) -> usize {
    usize::from(byte == b'0') + usize::from(byte.is_ascii_digit())
}

/// `strverscmp(a, b)`: the names as NUL-free byte strings.
///
/// ```
/// use std::cmp::Ordering;
/// use drmgr_sim::linux::version_cmp;
///
/// let mut names = ["10-b", "9-a", "09-z", "a"];
/// names.sort_by(|a, b| version_cmp(a.as_bytes(), b.as_bytes()));
/// assert_eq!(names, ["09-z", "9-a", "10-b", "a"]);
/// assert_eq!(version_cmp(b"hook", b"hook"), Ordering::Equal);
/// ```
pub fn version_cmp(a: &[u8], b: &[u8]) -> Ordering {
    // A NUL ends each name, as in C.
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    let mut i = 0;
    let (mut c1, mut c2) = (at(a, 0), at(b, 0));
    let mut state = S_N + class(c1);
    while c1 == c2 {
        if c1 == 0 {
            return Ordering::Equal;
        }
        state = NEXT[state];
        i += 1;
        (c1, c2) = (at(a, i), at(b, i));
        state += class(c1);
    }
    let bytes = c1.cmp(&c2);
    match RESULT[state * 3 + class(c2)] {
        Decide::Bytes => bytes,
        Decide::Less => Ordering::Less,
        Decide::Greater => Ordering::Greater,
        Decide::Length => {
            let mut j = i;
            while at(a, j).is_ascii_digit() {
                if !at(b, j).is_ascii_digit() {
                    return Ordering::Greater;
                }
                j += 1;
            }
            if at(b, j).is_ascii_digit() { Ordering::Less } else { bytes }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manual_s_example_order() {
        let order = ["000", "00", "01", "010", "09", "0", "1", "9", "10"];
        for (i, a) in order.iter().enumerate() {
            for (j, b) in order.iter().enumerate() {
                assert_eq!(version_cmp(a.as_bytes(), b.as_bytes()), i.cmp(&j), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn numbers_inside_names() {
        let mut names = ["hook-10", "hook-2", "hook-1.10", "hook-1.9", "Hook", "hook"];
        names.sort_by(|a, b| version_cmp(a.as_bytes(), b.as_bytes()));
        assert_eq!(names, ["Hook", "hook", "hook-1.9", "hook-1.10", "hook-2", "hook-10"]);
    }

    /// The same answers as glibc's own `strverscmp`, over many generated names.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn agrees_with_glibc() {
        unsafe extern "C" {
            fn strverscmp(a: *const std::ffi::c_char, b: *const std::ffi::c_char) -> std::ffi::c_int;
        }
        let alphabet = b"0019a.-";
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut name = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 6) as usize;
            (0..len).map(|k| alphabet[((seed >> (8 * k)) % alphabet.len() as u64) as usize]).collect::<Vec<u8>>()
        };
        for _ in 0..20_000 {
            let (a, b) = (name(), name());
            let (ca, cb) = (std::ffi::CString::new(a.clone()).unwrap(), std::ffi::CString::new(b.clone()).unwrap());
            // SAFETY: two valid NUL-terminated strings.
            let glibc = unsafe { strverscmp(ca.as_ptr(), cb.as_ptr()) }.cmp(&0);
            assert_eq!(
                version_cmp(&a, &b),
                glibc,
                "{:?} vs {:?}",
                String::from_utf8_lossy(&a),
                String::from_utf8_lossy(&b)
            );
        }
    }
}
