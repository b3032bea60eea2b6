//! Resource sets and their processors, from `lsrset -v -a`.
//!
//! The format \[R\]: the IBM AIX `lsrset` page documents the flags (`-a` all rsets of
//! the system registry, `-v` verbose: the resources with owner, group and mode) but
//! shows no output. The layout used here is the one printed by AIX and reproduced in
//! IBM Redbooks: a header `T Name Owner Group Mode CPU Memory Resources`, then for
//! each rset a summary line followed by `CPU: <list>` and `MEM: <list>` lines. The CPU
//! list holds logical CPU ids and ranges (`0-3`, `0 2 4-5`) or `<empty>`. The parser
//! checks the list against the `CPU` count column, so a misread layout is an error,
//! never a wrong set of processors.

use super::parse::{expect_header, number, numbered, row};
use super::{LogicalCpu, ParseError};

/// The arguments given to `/usr/bin/lsrset`.
pub const LSRSET_ARGS: [&str; 2] = ["-v", "-a"];

const COMMAND: &str = "lsrset -v -a";
const HEADER: [&str; 8] = ["T", "Name", "Owner", "Group", "Mode", "CPU", "Memory", "Resources"];

/// A resource set of the system registry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rset {
    /// The type column (`r` for a registry rset).
    pub kind: String,
    /// `namespace/rsname`, such as `sys/node.00000`.
    pub name: String,
    /// The owner.
    pub owner: String,
    /// The group.
    pub group: String,
    /// The access mode, such as `rwr-r-`.
    pub mode: String,
    /// The logical CPUs in the set.
    pub cpus: Vec<LogicalCpu>,
    /// The `Memory` column.
    pub memory: u64,
    /// The `MEM:` line as printed.
    pub memory_regions: String,
    /// The `Resources` column.
    pub resources: String,
}

/// Reads the output of `lsrset -v -a`.
///
/// ```
/// use dlpar_script::aix::{parse_lsrset, LogicalCpu};
///
/// let out = "T Name                 Owner    Group    Mode   CPU  Memory  Resources\n\
///            r sys/sys0             root     system   r-----    4   98298  sys/sys0\n\
///            CPU: 0-3\n\
///            MEM: <0-98298>\n";
/// let rsets = parse_lsrset(out).unwrap();
/// assert_eq!(rsets[0].cpus, [0, 1, 2, 3].map(LogicalCpu));
/// ```
pub fn parse_lsrset(output: &str) -> Result<Vec<Rset>, ParseError> {
    let mut lines = numbered(output);
    expect_header(COMMAND, &mut lines, &HEADER, "no output, expected a header line")?;
    let mut rsets = Vec::new();
    while let Some(line) = lines.next() {
        let cols = row(COMMAND, line, HEADER.len())?;
        let count: usize = number(COMMAND, line, "CPU", cols[5])?;
        let mut labelled = |label: &str| {
            let next = lines.next().ok_or_else(|| {
                ParseError::whole(COMMAND, format!("the output ends before the {label} line of {}", cols[1]))
            })?;
            let value =
                next.1.trim().strip_prefix(label).ok_or_else(|| {
                    ParseError::at(COMMAND, next, format!("expected the {label} line of {}", cols[1]))
                })?;
            Ok::<_, ParseError>((next, value.trim()))
        };
        let (cpu_line, cpu_list) = labelled("CPU:")?;
        let cpus = logical_cpus(cpu_line, cpu_list)?;
        if cpus.len() != count {
            let problem = format!("{} CPUs listed but the CPU column of {} says {count}", cpus.len(), cols[1]);
            return Err(ParseError::at(COMMAND, cpu_line, problem));
        }
        let (_, memory_regions) = labelled("MEM:")?;
        rsets.push(Rset {
            kind: cols[0].to_owned(),
            name: cols[1].to_owned(),
            owner: cols[2].to_owned(),
            group: cols[3].to_owned(),
            mode: cols[4].to_owned(),
            cpus,
            memory: number(COMMAND, line, "Memory", cols[6])?,
            memory_regions: memory_regions.to_owned(),
            resources: cols[7].to_owned(),
        });
    }
    Ok(rsets)
}

/// `0-3`, `0 2 4-5`, `0,2`, `<empty>`.
fn logical_cpus(line: (usize, &str), list: &str) -> Result<Vec<LogicalCpu>, ParseError> {
    if list.is_empty() || list == "<empty>" {
        return Ok(Vec::new());
    }
    let mut cpus = Vec::new();
    for item in list.split(|c: char| c == ',' || c.is_whitespace()).filter(|item| !item.is_empty()) {
        let (first, last) = item.split_once('-').unwrap_or((item, item));
        let (first, last): (u32, u32) = (number(COMMAND, line, "CPU", first)?, number(COMMAND, line, "CPU", last)?);
        if first > last {
            return Err(ParseError::at(COMMAND, line, format!("the CPU range {item:?} is backwards")));
        }
        cpus.extend((first..=last).map(LogicalCpu));
    }
    Ok(cpus)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aix::parse::fixture;

    fn parse(text: &str) -> Result<Vec<Rset>, ParseError> {
        parse_lsrset(&fixture(text))
    }

    fn cpus(ids: &[u32]) -> Vec<LogicalCpu> {
        ids.iter().copied().map(LogicalCpu).collect()
    }

    #[test]
    fn normal() {
        let rsets = parse(include_str!("fixtures/lsrset_normal.txt")).unwrap();
        let summary: Vec<_> = rsets.iter().map(|r| (r.name.as_str(), r.cpus.clone(), r.memory)).collect();
        assert_eq!(
            summary,
            [
                ("sys/sys0", cpus(&[0, 1, 2, 3, 4, 5, 6, 7]), 98298),
                ("sys/node.00000", cpus(&[0, 1, 2, 3, 4, 5, 6, 7]), 98298),
                ("sys/mem.00000", cpus(&[]), 98298),
                ("acme/db", cpus(&[7]), 0),
                ("acme/web", cpus(&[0, 2, 4, 5]), 0),
            ]
        );
        let db = &rsets[3];
        assert_eq!(
            (db.kind.as_str(), db.owner.as_str(), db.mode.as_str(), db.memory_regions.as_str()),
            ("r", "root", "rwr-r-", "<empty>")
        );
        assert_eq!(rsets[0].memory_regions, "<0-98298>");
    }

    #[test]
    fn empty() {
        assert_eq!(parse(include_str!("fixtures/lsrset_empty.txt")).unwrap(), []);
        assert_eq!(
            parse_lsrset("").unwrap_err().to_string(),
            "unexpected output from lsrset -v -a: no output, expected a header line"
        );
    }

    #[test]
    fn odd_spacing() {
        let rsets = parse(include_str!("fixtures/lsrset_odd_spacing.txt")).unwrap();
        assert_eq!((rsets[0].name.as_str(), rsets[0].cpus.clone()), ("acme/web", cpus(&[0, 2, 4, 5])));
        assert_eq!(rsets[0].resources, "acme/web");
    }

    #[test]
    fn unexpected_columns() {
        assert_eq!(
            parse(include_str!("fixtures/lsrset_unexpected_columns.txt")).unwrap_err().problem,
            "expected the header \"T Name Owner Group Mode CPU Memory Resources\""
        );
    }

    #[test]
    fn truncated() {
        assert_eq!(
            parse(include_str!("fixtures/lsrset_truncated.txt")).unwrap_err().to_string(),
            "unexpected output from lsrset -v -a: the output ends before the CPU: line of acme/db"
        );
    }

    #[test]
    fn inconsistent_or_malformed_lists_are_named() {
        let head = "T Name Owner Group Mode CPU Memory Resources\nr a/b root system r----- 2 0 a/b\n";
        let cases = [
            ("CPU: 0-2\nMEM: <empty>\n", "CPU: 0-2", "3 CPUs listed but the CPU column of a/b says 2"),
            ("CPU: 3-2\nMEM: <empty>\n", "CPU: 3-2", "the CPU range \"3-2\" is backwards"),
            ("CPU: 0 x\nMEM: <empty>\n", "CPU: 0 x", "CPU \"x\" is not a number"),
            ("MEM: <empty>\nCPU: 0 1\n", "MEM: <empty>", "expected the CPU: line of a/b"),
            ("CPU: 0 1\nmem: <empty>\n", "mem: <empty>", "expected the MEM: line of a/b"),
        ];
        for (rest, line, problem) in cases {
            let err = parse_lsrset(&format!("{head}{rest}")).unwrap_err();
            assert_eq!((err.quoted.as_str(), err.problem.as_str()), (line, problem));
        }
    }
}
