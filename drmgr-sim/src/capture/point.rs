//! One point of a comparison: what was compared, whether it agrees, both values,
//! and the rule of docs/protocol.md it touches.

use std::fmt;

/// Whether a point agrees.
///
/// ```
/// assert_eq!(drmgr_sim::capture::Agreement::NotComparable.to_string(), "not comparable");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Agreement {
    /// The capture and drmgr-sim agree.
    Match,
    /// They differ: drmgr-sim (or docs/protocol.md) is wrong about the host, or the
    /// capture was altered.
    Mismatch,
    /// The values cannot be compared; [`Point::reason`] says why.
    NotComparable,
}

impl Agreement {
    /// `match`, `mismatch`, `not comparable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Agreement::Match => "match",
            Agreement::Mismatch => "mismatch",
            Agreement::NotComparable => "not comparable",
        }
    }
}

impl fmt::Display for Agreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// What a point compares.
///
/// ```
/// assert_eq!(drmgr_sim::capture::Aspect::StandardDescriptors.to_string(), "fds 0-2");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Aspect {
    /// The invocations in order: (command, resource, script), order within a phase included.
    Sequence,
    /// The command line after the program name.
    Arguments,
    /// The protocol's variables: `DR_*` on AIX, `DRC_TYPE`/`PHASE`/`ACTION`/`DRC_COUNT` for hooks.
    ProtocolVariables,
    /// `PATH`.
    Path,
    /// Every other variable of the environment.
    OtherVariables,
    /// `LANG`, which the host passes on from its own environment.
    Lang,
    /// The variables compare itself gives drmgr-sim's scripts.
    SimulatorVariables,
    /// The working directory.
    WorkingDirectory,
    /// Real and effective user and group ids, supplementary groups.
    Identity,
    /// The file mode creation mask.
    Umask,
    /// The blocked signal set.
    SignalMask,
    /// Ignored and caught signals.
    SignalDispositions,
    /// What descriptors 0, 1 and 2 are.
    StandardDescriptors,
    /// The other open descriptors.
    OtherDescriptors,
    /// Leading a process group and a session, or not.
    ProcessGroup,
    /// Resource limits.
    ResourceLimits,
    /// Process ids, times and the host name: different on every run.
    ByNature,
    /// A `sleep` experiment: which signals arrived after how long.
    TimeLimit,
    /// What the host did after an experiment's exit status or `DR_ERROR`.
    AfterAnswer,
    /// How the host reported lines an experiment printed.
    PrintedLines,
}

impl Aspect {
    /// The aspect in words.
    pub fn as_str(self) -> &'static str {
        match self {
            Aspect::Sequence => "sequence",
            Aspect::Arguments => "arguments",
            Aspect::ProtocolVariables => "protocol variables",
            Aspect::Path => "PATH",
            Aspect::OtherVariables => "other variables",
            Aspect::Lang => "LANG",
            Aspect::SimulatorVariables => "compare's own variables",
            Aspect::WorkingDirectory => "working directory",
            Aspect::Identity => "user and group",
            Aspect::Umask => "umask",
            Aspect::SignalMask => "signal mask",
            Aspect::SignalDispositions => "ignored and caught signals",
            Aspect::StandardDescriptors => "fds 0-2",
            Aspect::OtherDescriptors => "other open fds",
            Aspect::ProcessGroup => "process group and session",
            Aspect::ResourceLimits => "resource limits",
            Aspect::ByNature => "pids, times, host name",
            Aspect::TimeLimit => "signals at the time limit",
            Aspect::AfterAnswer => "what followed the answer",
            Aspect::PrintedLines => "printed lines",
        }
    }
}

impl fmt::Display for Aspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A rule of docs/protocol.md: its section and its words.
///
/// ```
/// let rule = drmgr_sim::capture::Rule { section: "§1", text: "the working directory is /tmp" };
/// assert_eq!(rule.to_string(), "docs/protocol.md §1: the working directory is /tmp");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// `§7`.
    pub section: &'static str,
    /// The rule, as the document says it (shortened).
    pub text: &'static str,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "docs/protocol.md {}: {}", self.section, self.text)
    }
}

/// One compared point.
///
/// ```
/// use drmgr_sim::capture::{Agreement, Aspect, Point};
///
/// let point = Point::new(Aspect::WorkingDirectory, Some("checkrelease cpu a_capture"), "/tmp", "/tmp");
/// assert_eq!(point.agreement, Agreement::Match);
/// assert!(point.rule.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Point {
    /// What is compared.
    pub aspect: Aspect,
    /// The invocation (`checkrelease cpu a_capture`, or `… #2` for a repeat), or
    /// `None` for the operation as a whole.
    pub invocation: Option<String>,
    /// Whether it agrees.
    pub agreement: Agreement,
    /// The value in the capture.
    pub capture: String,
    /// The value under drmgr-sim.
    pub simulated: String,
    /// The rule a mismatch touches (set for mismatches).
    pub rule: Option<Rule>,
    /// Why the point is not comparable (set for those).
    pub reason: Option<String>,
}

impl Point {
    /// A point that matches when the two values are equal, and mismatches otherwise
    /// (without a rule: [`Point::touching`] adds it).
    pub fn new(aspect: Aspect, invocation: Option<&str>, capture: &str, simulated: &str) -> Point {
        let agreement = if capture == simulated { Agreement::Match } else { Agreement::Mismatch };
        Point {
            aspect,
            invocation: invocation.map(str::to_owned),
            agreement,
            capture: capture.to_owned(),
            simulated: simulated.to_owned(),
            rule: None,
            reason: None,
        }
    }

    /// The same point, not comparable for `reason`.
    pub fn not_comparable(mut self, reason: impl Into<String>) -> Point {
        self.agreement = Agreement::NotComparable;
        self.reason = Some(reason.into());
        self
    }

    /// The same point naming `rule` if it mismatches.
    pub fn touching(mut self, rule: Rule) -> Point {
        if self.agreement == Agreement::Mismatch {
            self.rule = Some(rule);
        }
        self
    }
}
