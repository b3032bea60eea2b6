//! Processes, their processor bindings and plock status, from `ps -e -m -o THREAD`.
//!
//! The format (IBM AIX `ps` page): `-o THREAD` prints the columns
//! `USER PID PPID TID ST CP PRI SC WCHAN F TT BND COMMAND`; with `-m` each process
//! line is followed by one line per kernel thread, whose `PID` is `-` and `TID` is a
//! number (a process line has `TID` `-`). `BND` is the bind CPU id a thread is bound
//! to, or `-`; on a process line it is shown when all the process's threads are
//! bound to the same processor. `F` is the process flags in hexadecimal; the plock
//! bit is `SPLOCK` (`0x10000000`, "process has plock'ed memory") in AIX's
//! `<sys/proc.h>`. `COMMAND` is last and may contain spaces.

use std::collections::BTreeSet;

use super::parse::{expect_header, number, numbered, row};
use super::{BindCpu, ParseError, Pid};

/// The arguments given to `/usr/bin/ps`.
pub const PS_ARGS: [&str; 4] = ["-e", "-m", "-o", "THREAD"];

const COMMAND: &str = "ps -e -m -o THREAD";
const HEADER: [&str; 13] =
    ["USER", "PID", "PPID", "TID", "ST", "CP", "PRI", "SC", "WCHAN", "F", "TT", "BND", "COMMAND"];

/// The process flag set for a process that called `plock` (AIX `<sys/proc.h>`).
pub const SPLOCK: u64 = 0x1000_0000;

/// A process as `ps` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Process {
    /// The owner's login name (prefixed with `+` for a workload partition's process).
    pub user: String,
    /// The process id.
    pub pid: Pid,
    /// The parent's process id.
    pub ppid: Pid,
    /// The process flags (`F`).
    pub flags: u64,
    /// The processor all its threads are bound to, if they all are bound to one.
    pub bound: Option<BindCpu>,
    /// Its kernel threads.
    pub threads: Vec<Thread>,
    /// The command and its arguments.
    pub command: String,
}

/// A kernel thread of a process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Thread {
    /// The thread id.
    pub tid: u64,
    /// The processor the thread is bound to.
    pub bound: Option<BindCpu>,
}

/// How a process is bound to processors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// No thread is bound.
    Unbound,
    /// The whole process is bound to one processor (`bindprocessor PID CPU`).
    Process(BindCpu),
    /// Only some threads are bound, to these processors.
    Threads(BTreeSet<BindCpu>),
}

impl Process {
    /// Whether the process has called `plock` (its memory is pinned).
    pub fn is_plocked(&self) -> bool {
        self.flags & SPLOCK != 0
    }

    /// How the process is bound.
    ///
    /// ```
    /// use dlpar_script::aix::{parse_ps, Binding, BindCpu};
    ///
    /// let ps = "USER PID PPID TID ST CP PRI SC WCHAN F TT BND COMMAND\n\
    ///           db2 4242 1 - A 0 60 2 * 240001 - - db2sysc 0\n\
    ///           - - - 1001 S 0 60 1 - 400 - 3 -\n\
    ///           - - - 1002 S 0 60 1 - 400 - - -\n";
    /// let process = &parse_ps(ps).unwrap()[0];
    /// assert_eq!(process.binding(), Binding::Threads([BindCpu(3)].into()));
    /// assert!(process.is_bound_to(BindCpu(3)));
    /// assert!(!process.is_plocked());
    /// ```
    pub fn binding(&self) -> Binding {
        if let Some(cpu) = self.bound {
            return Binding::Process(cpu);
        }
        let cpus: BTreeSet<_> = self.threads.iter().filter_map(|t| t.bound).collect();
        if cpus.is_empty() { Binding::Unbound } else { Binding::Threads(cpus) }
    }

    /// Whether the process or any of its threads is bound to `cpu`.
    pub fn is_bound_to(&self, cpu: BindCpu) -> bool {
        self.bound == Some(cpu) || self.threads.iter().any(|t| t.bound == Some(cpu))
    }
}

/// Reads the output of `ps -e -m -o THREAD`.
pub fn parse_ps(output: &str) -> Result<Vec<Process>, ParseError> {
    let mut lines = numbered(output);
    expect_header(COMMAND, &mut lines, &HEADER, "no output, expected a header line")?;
    let mut processes: Vec<Process> = Vec::new();
    for line in lines {
        let cols = row(COMMAND, line, HEADER.len())?;
        let bound = binding(line, cols[11])?;
        match (cols[1], cols[3]) {
            (pid, "-") => processes.push(Process {
                user: cols[0].to_owned(),
                pid: Pid(number(COMMAND, line, "PID", pid)?),
                ppid: Pid(number(COMMAND, line, "PPID", cols[2])?),
                flags: u64::from_str_radix(cols[9], 16)
                    .map_err(|_| ParseError::at(COMMAND, line, format!("F {:?} is not hexadecimal", cols[9])))?,
                bound,
                threads: Vec::new(),
                command: cols[12].to_owned(),
            }),
            ("-", tid) => {
                let tid = number(COMMAND, line, "TID", tid)?;
                let process = processes
                    .last_mut()
                    .ok_or_else(|| ParseError::at(COMMAND, line, "a thread line before any process line"))?;
                process.threads.push(Thread { tid, bound });
            }
            _ => {
                return Err(ParseError::at(COMMAND, line, "expected either a PID or a TID, and - for the other"));
            }
        }
    }
    Ok(processes)
}

fn binding(line: (usize, &str), value: &str) -> Result<Option<BindCpu>, ParseError> {
    if value == "-" {
        return Ok(None);
    }
    number(COMMAND, line, "BND", value).map(|id| Some(BindCpu(id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aix::parse::fixture;

    fn parse(text: &str) -> Result<Vec<Process>, ParseError> {
        parse_ps(&fixture(text))
    }

    #[test]
    fn normal() {
        let processes = parse(include_str!("fixtures/ps_normal.txt")).unwrap();
        let summary: Vec<_> = processes
            .iter()
            .map(|p| (p.pid.0, p.user.as_str(), p.binding(), p.is_plocked(), p.threads.len(), p.command.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (1, "root", Binding::Unbound, false, 1, "/etc/init"),
                (4242, "acme", Binding::Process(BindCpu(3)), false, 1, "/opt/acme/bin/worker -n 4"),
                (5150, "acme", Binding::Unbound, true, 1, "/opt/acme/bin/pinner"),
                (6363, "db2", Binding::Threads([BindCpu(3)].into()), false, 2, "db2sysc 0"),
                (7070, "root", Binding::Process(BindCpu(1)), false, 1, "/usr/bin/ksh ./bench.sh"),
                (8080, "+acme", Binding::Unbound, false, 1, "/opt/acme/bin/agent"),
            ]
        );
        assert_eq!(
            processes[3].threads,
            [Thread { tid: 10001, bound: Some(BindCpu(3)) }, Thread { tid: 10002, bound: None }]
        );
        assert_eq!((processes[1].ppid, processes[1].flags), (Pid(1), 0x240001));
        let bound: Vec<_> = processes.iter().filter(|p| p.is_bound_to(BindCpu(3))).map(|p| p.pid.0).collect();
        assert_eq!(bound, [4242, 6363]);
    }

    #[test]
    fn empty() {
        assert_eq!(parse(include_str!("fixtures/ps_empty.txt")).unwrap(), []);
        assert_eq!(
            parse_ps("").unwrap_err().to_string(),
            "unexpected output from ps -e -m -o THREAD: no output, expected a header line"
        );
    }

    #[test]
    fn odd_spacing() {
        let processes = parse(include_str!("fixtures/ps_odd_spacing.txt")).unwrap();
        assert_eq!(processes.len(), 1);
        assert_eq!(processes[0].command, "/opt/acme/bin/worker  -n   4");
        assert_eq!(processes[0].threads, [Thread { tid: 8111, bound: Some(BindCpu(3)) }]);
    }

    #[test]
    fn unexpected_columns() {
        assert_eq!(
            parse(include_str!("fixtures/ps_unexpected_columns.txt")).unwrap_err().to_string(),
            "unexpected output from ps -e -m -o THREAD, line 1 \"USER PID PPID TID ST CP PRI SC WCHAN F TT BND SCH COMMAND\": \
             expected the header \"USER PID PPID TID ST CP PRI SC WCHAN F TT BND COMMAND\""
        );
    }

    #[test]
    fn truncated() {
        assert_eq!(
            parse(include_str!("fixtures/ps_truncated.txt")).unwrap_err().to_string(),
            "unexpected output from ps -e -m -o THREAD, line 3 \"acme 5150 1 - A 0 60\": expected 13 columns"
        );
    }

    #[test]
    fn malformed_values_are_named() {
        let header = "USER PID PPID TID ST CP PRI SC WCHAN F TT BND COMMAND\n";
        let cases = [
            ("- - - 1 S 0 60 1 - 0 - - -", "a thread line before any process line"),
            ("a 12 1 - A 0 60 1 * 24000g - - x", "F \"24000g\" is not hexadecimal"),
            ("a 12 1 - A 0 60 1 * 240001 - x3 x", "BND \"x3\" is not a number"),
            ("a 12 1 7 A 0 60 1 * 240001 - - x", "expected either a PID or a TID, and - for the other"),
            ("a 1x 1 - A 0 60 1 * 240001 - - x", "PID \"1x\" is not a number"),
        ];
        for (line, problem) in cases {
            let err = parse_ps(&format!("{header}{line}\n")).unwrap_err();
            assert_eq!((err.line, err.quoted.as_str(), err.problem.as_str()), (2, line, problem));
        }
    }
}
