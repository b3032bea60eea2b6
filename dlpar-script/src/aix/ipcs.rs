//! Shared-memory segments with their owning processes and sizes, from `ipcs`.
//!
//! The format (IBM AIX `ipcs` page, and its sample output): a first line
//! `IPC status from /dev/mem as of <date>`, a header line naming the columns, then a
//! section title `Shared Memory:` followed by one line per segment. With `-m -b -p`
//! the columns are `T ID KEY MODE OWNER GROUP SEGSZ CPID LPID`: `T` is `m`; `KEY` is
//! hexadecimal; `MODE` is 11 characters, two flags (`D` removed, waiting for the last
//! detach; `C` cleared on first attach; `-` not set) then three `rwa-` triplets;
//! `SEGSZ` is the size in bytes; `CPID` the creator and `LPID` the last process to
//! attach or detach (0 when none). The page's own sample shows `KEY` and `MODE`
//! printed without a space between them when the key is wide; that is accepted.
//!
//! `-P` asks for pinned segments only. The `-P` flag is in the syntax of the IBM page
//! but its description could not be read in a public copy: it is recalled \[R\], with
//! the same columns; if a partition prints anything else the parse fails, naming
//! the line, rather than answering wrongly.

use super::parse::{expect_header, number, numbered};
use super::{ParseError, Pid};

/// The arguments given to `/usr/bin/ipcs` to list shared-memory segments.
pub const IPCS_ARGS: [&str; 3] = ["-m", "-b", "-p"];
/// The arguments given to `/usr/bin/ipcs` to list pinned shared-memory segments \[R\].
pub const IPCS_PINNED_ARGS: [&str; 4] = ["-m", "-b", "-p", "-P"];

pub(crate) const COMMAND: &str = "ipcs -m -b -p";
pub(crate) const PINNED_COMMAND: &str = "ipcs -m -b -p -P";
const HEADER: [&str; 9] = ["T", "ID", "KEY", "MODE", "OWNER", "GROUP", "SEGSZ", "CPID", "LPID"];
const KEY_WIDTH: usize = "0x00000000".len();

/// A System V shared-memory segment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SharedSegment {
    /// The shared-memory identifier (`ID`, what `ipcrm -m` takes).
    pub id: u32,
    /// The key it was created with (`KEY`).
    pub key: u64,
    /// Removed (`D`): it disappears when the last process detaches.
    pub removed: bool,
    /// Cleared when first attached (`C`).
    pub clear_on_attach: bool,
    /// The permission triplets, such as `rw-rw----`.
    pub permissions: String,
    /// The owner's login name.
    pub owner: String,
    /// The owner's group.
    pub group: String,
    /// The size in bytes (`SEGSZ`).
    pub size: u64,
    /// The process that created it (`CPID`).
    pub creator: Pid,
    /// The last process to attach or detach (`LPID`), if any.
    pub last: Option<Pid>,
}

/// Reads the output of `ipcs -m -b -p`.
///
/// ```
/// use dlpar_script::aix::{parse_ipcs, Pid};
///
/// let out = "IPC status from /dev/mem as of Mon Aug 14 15:03:46 CDT 2006\n\
///            T        ID     KEY        MODE       OWNER    GROUP     SEGSZ  CPID  LPID\n\
///            Shared Memory:\n\
///            m   1048578 0x78000042 --rw-rw-rw-     root   system  33554432 2162754 3213414\n";
/// let segment = &parse_ipcs(out).unwrap()[0];
/// assert_eq!((segment.id, segment.size, segment.creator), (1048578, 33554432, Pid(2162754)));
/// ```
pub fn parse_ipcs(output: &str) -> Result<Vec<SharedSegment>, ParseError> {
    parse(COMMAND, output)
}

pub(crate) fn parse(command: &'static str, output: &str) -> Result<Vec<SharedSegment>, ParseError> {
    let mut lines = numbered(output);
    let status =
        lines.next().ok_or_else(|| ParseError::whole(command, "no output, expected \"IPC status from ...\""))?;
    if !status.1.starts_with("IPC status from ") {
        return Err(ParseError::at(command, status, "expected \"IPC status from ...\""));
    }
    expect_header(command, &mut lines, &HEADER, "the header line is missing")?;
    let mut in_section = false;
    let mut segments = Vec::new();
    for line in lines {
        match line.1.trim() {
            "Shared Memory:" if !in_section => in_section = true,
            _ if in_section => segments.push(segment(command, line)?),
            _ => return Err(ParseError::at(command, line, "expected \"Shared Memory:\"")),
        }
    }
    Ok(segments)
}

fn segment(command: &'static str, line: (usize, &str)) -> Result<SharedSegment, ParseError> {
    let fail = |problem: &str| ParseError::at(command, line, problem);
    let mut cols: Vec<&str> = line.1.split_whitespace().collect();
    // A key glued to the mode is split after its width, when that falls between
    // characters (garbage with a multi-byte character there stays one column).
    let glued = cols.get(2).filter(|c| c.starts_with("0x")).and_then(|c| c.split_at_checked(KEY_WIDTH));
    if let Some((key, mode)) = glued.filter(|(_, mode)| !mode.is_empty()) {
        cols.splice(2..3, [key, mode]);
    }
    let [kind, id, key, mode, owner, group, size, creator, last] = cols[..] else {
        return Err(fail(&format!("expected {} columns", HEADER.len())));
    };
    if kind != "m" {
        return Err(fail("expected a shared-memory line (T m)"));
    }
    let key = key
        .strip_prefix("0x")
        .and_then(|hex| u64::from_str_radix(hex, 16).ok())
        .ok_or_else(|| fail(&format!("KEY {key:?} is not 0x followed by hexadecimal digits")))?;
    let (removed, clear_on_attach, permissions) =
        parse_mode(mode).ok_or_else(|| fail(&format!("MODE {mode:?} is not a shared-memory mode")))?;
    let last: u32 = number(command, line, "LPID", last)?;
    Ok(SharedSegment {
        id: number(command, line, "ID", id)?,
        key,
        removed,
        clear_on_attach,
        permissions: permissions.to_owned(),
        owner: owner.to_owned(),
        group: group.to_owned(),
        size: number(command, line, "SEGSZ", size)?,
        creator: Pid(number(command, line, "CPID", creator)?),
        last: (last != 0).then_some(Pid(last)),
    })
}

/// `(removed, clear_on_attach, permissions)` of an 11-character mode.
fn parse_mode(mode: &str) -> Option<(bool, bool, &str)> {
    let bytes = mode.as_bytes();
    let permissions_ok = bytes.len() == 11 && bytes[2..].iter().all(|b| b"rwa-".contains(b));
    let removed = match bytes.first()? {
        b'D' => true,
        b'-' => false,
        _ => return None,
    };
    let clear = match bytes.get(1)? {
        b'C' => true,
        b'-' => false,
        _ => return None,
    };
    permissions_ok.then(|| (removed, clear, &mode[2..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aix::parse::fixture;

    fn parse(text: &str) -> Result<Vec<SharedSegment>, ParseError> {
        parse_ipcs(&fixture(text))
    }

    #[test]
    fn normal() {
        let segments = parse(include_str!("fixtures/ipcs_normal.txt")).unwrap();
        let summary: Vec<_> = segments
            .iter()
            .map(|s| (s.id, s.key, s.owner.as_str(), s.size, s.creator.0, s.last.map(|p| p.0)))
            .collect();
        assert_eq!(
            summary,
            [
                (0, 0x5500517c, "root", 124064, 2491096, Some(48955546)),
                (1048578, 0x78000042, "root", 33554432, 2162754, Some(3213414)),
                (160432132, 0xfa00250a, "oracle", 3043753984, 4456650, Some(4456650)),
                (2097156, 0, "acme", 268435456, 5150, None),
                (3145733, 0x00010339, "acme", 4096, 5150, Some(5150)),
            ]
        );
        let removed = &segments[3];
        assert_eq!((removed.removed, removed.clear_on_attach, removed.permissions.as_str()), (true, true, "rw-------"));
        assert_eq!((segments[2].group.as_str(), segments[2].permissions.as_str()), ("dba", "rw-rw----"));
    }

    #[test]
    fn empty() {
        assert_eq!(parse(include_str!("fixtures/ipcs_empty.txt")).unwrap(), []);
        assert_eq!(
            parse_ipcs("").unwrap_err().to_string(),
            "unexpected output from ipcs -m -b -p: no output, expected \"IPC status from ...\""
        );
    }

    #[test]
    fn odd_spacing() {
        let segments = parse(include_str!("fixtures/ipcs_odd_spacing.txt")).unwrap();
        assert_eq!(segments.iter().map(|s| (s.id, s.size)).collect::<Vec<_>>(), [(1048578, 33554432)]);
    }

    #[test]
    fn unexpected_columns() {
        let err = parse(include_str!("fixtures/ipcs_unexpected_columns.txt")).unwrap_err();
        assert_eq!(
            (err.line, err.problem.as_str()),
            (2, "expected the header \"T ID KEY MODE OWNER GROUP SEGSZ CPID LPID\"")
        );
        assert!(err.quoted.starts_with("T        ID     KEY        MODE       OWNER    GROUP  CREATOR"));
    }

    #[test]
    fn truncated() {
        assert_eq!(
            parse(include_str!("fixtures/ipcs_truncated.txt")).unwrap_err().to_string(),
            "unexpected output from ipcs -m -b -p, line 5 \"m   1048578 0x78000042 --rw-rw-rw-     root\": expected 9 columns"
        );
    }

    #[test]
    fn a_glued_key_cut_inside_a_character_is_a_column_error_not_a_panic() {
        let out = "IPC status from /dev/mem as of now\nT ID KEY MODE OWNER GROUP SEGSZ CPID LPID\n\
                   Shared Memory:\nm 0 0x550tota\u{fffd}Connect root system 1 2 3\n";
        assert_eq!(parse_ipcs(out).unwrap_err().problem, "expected 9 columns");
    }

    #[test]
    fn malformed_values_are_named() {
        let head = "IPC status from /dev/mem as of now\nT ID KEY MODE OWNER GROUP SEGSZ CPID LPID\n";
        let cases = [
            ("m 1 0x1 --rw-rw-rw- a b 1 2 3 extra", "expected 9 columns"),
            ("q 1 0x1 -Rrw-rw-rw- a b 1 2 3", "expected \"Shared Memory:\""),
            ("m 1 12 --rw-rw-rw- a b 1 2 3", "KEY \"12\" is not 0x followed by hexadecimal digits"),
            ("m 1 0x1 -Rrw-rw-rw- a b 1 2 3", "MODE \"-Rrw-rw-rw-\" is not a shared-memory mode"),
            ("m 1 0x1 --rw-rw-rw a b 1 2 3", "MODE \"--rw-rw-rw\" is not a shared-memory mode"),
            ("m 1 0x1 --rw-rw-rw- a b 1k 2 3", "SEGSZ \"1k\" is not a number"),
        ];
        for (line, problem) in cases {
            let section = if line.starts_with('q') { "" } else { "Shared Memory:\n" };
            let err = parse_ipcs(&format!("{head}{section}{line}\n")).unwrap_err();
            assert_eq!((err.quoted.as_str(), err.problem.as_str()), (line, problem));
        }
        let err = parse_ipcs("T ID KEY\n").unwrap_err();
        assert_eq!(err.problem, "expected \"IPC status from ...\"");
    }
}
