//! `drmgr-sim check`: a conformance checker for any DLPAR script, in any language.
//!
//! It puts one script through what drmgr will do to it and reports each
//! violation of the protocol with its rule ([`catalogue`]), the evidence behind
//! the rule, the output that broke it, the command line that reproduces it and
//! how to fix it. Nothing is re-implemented: the install checks are
//! [`Repository::install`](crate::Repository::install) itself, into a scratch repository; every command runs
//! through the [`Runner`] (clean environment, process group, time limit, output
//! caps), replies are read by the runtime's parser, event values come from
//! [`Operation`](crate::Operation)'s own builders, hooks run through [`linux::Hooks`](crate::linux::Hooks).
//!
//! What is run, for an AIX script:
//!
//! 1. the file is read, not run, for portability to AIX (`#!` interpreter, GNU-only
//!    options, Linux-only paths);
//! 2. the install commands, then [`Repository::install`](crate::Repository::install);
//! 3. check, pre, post and undo of every family the registered resources receive,
//!    forced and not, at detail levels 0 and 5; post and undo twice in a row;
//! 4. the same commands with edge values (CPU id 0, the largest sizes, the most
//!    negative changes), and an unknown command word.
//!
//! With [`Checker::hook`], the script is a powerpc-utils hook instead
//! (docs/protocol.md §10): it runs in a scratch hooks directory around
//! migrations and processor changes, and as powerpc-utils 1.3.11 runs it.
//!
//! ```
//! use std::os::unix::fs::PermissionsExt;
//! use drmgr_sim::Runner;
//! use drmgr_sim::check::{Checker, catalogue};
//!
//! let dir = tempfile::tempdir()?;
//! let script = dir.path().join("acme_guard");
//! std::fs::write(&script, r#"#!/bin/sh
//! case $1 in
//! scriptinfo) printf '%s\n' DR_VERSION=1 DR_DATE=22112026 'DR_SCRIPTINFO="guard"' 'DR_VENDOR="Acme"' ;;
//! register) echo DR_RESOURCE=cpu ;;
//! usage) echo 'DR_USAGE="Acme needs CPU 0"' ;;
//! checkrelease) [ "$DR_BCPUID" != 0 ] || { echo 'DR_ERROR=CPU 0 stays'; exit 1; } ;;
//! *release|*acquire) ;;
//! *) exit 10 ;;
//! esac
//! "#)?;
//! std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
//!
//! let report = Checker::new(Runner::new().workdir(dir.path())).check(&script)?;
//! let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.id).collect();
//! assert_eq!(rules, [catalogue::TEXT_UNQUOTED.id]);
//! assert_eq!(report.findings[0].output.as_deref(), Some("DR_ERROR=CPU 0 stays"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod catalogue;
mod examine;
mod hook;
mod portability;
mod probe;
mod report;
mod run;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use catalogue::{Rule, Severity};
pub use report::Report;

use crate::runner::Runner;

/// One violation of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// The rule broken.
    pub rule: &'static Rule,
    /// The command as run (`checkrelease cpu`, `pmig check`), or `(file)` for
    /// what reading the script found.
    pub command: String,
    /// The resource word of the command, if it had one.
    pub resource: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The offending output or source line, control characters made visible.
    pub output: Option<String>,
    /// A shell command line that runs the command by hand as the checker did.
    pub reproduce: Option<String>,
}

/// What was found for one script.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScriptReport {
    /// The script as named on the command line.
    pub script: PathBuf,
    /// Whether it was checked as a powerpc-utils hook.
    pub hook: bool,
    /// The findings, in the order found (grouped by command when rendered).
    pub findings: Vec<Finding>,
    /// Every (command, rule id) pair checked, for JUnit's passing test cases.
    pub checked: BTreeSet<(String, &'static str)>,
    /// How many times the script was started.
    pub runs: usize,
    /// The command that used the largest share of its time limit: its label,
    /// its duration and the limit.
    pub slowest: Option<(String, Duration, Duration)>,
    /// Why some commands were not run, if some were not.
    pub stopped: Option<String>,
}

impl ScriptReport {
    fn new(script: &Path, hook: bool) -> ScriptReport {
        ScriptReport {
            script: script.to_owned(),
            hook,
            findings: Vec::new(),
            checked: BTreeSet::new(),
            runs: 0,
            slowest: None,
            stopped: None,
        }
    }

    /// Adds a finding unless the same rule already said the same about the same
    /// command (the variants of one command often break a rule alike); its
    /// (command, rule) pair counts as checked.
    fn add(&mut self, finding: Finding) {
        self.checked.insert((finding.command.clone(), finding.rule.id));
        let same = |f: &Finding| f.rule == finding.rule && f.command == finding.command && f.message == finding.message;
        if !self.findings.iter().any(same) {
            self.findings.push(finding);
        }
    }

    /// Records that `rules` were checked for `command`.
    fn checked(&mut self, command: &str, rules: &[&'static Rule]) {
        self.checked.extend(rules.iter().map(|rule| (command.to_owned(), rule.id)));
    }

    /// How many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.rule.severity == severity).count()
    }
}

/// Why a script could not be checked at all: a usage error (exit 2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckError {
    /// The path does not name a regular file.
    #[error("{}: {reason}", path.display())]
    NoScript {
        /// The path given.
        path: PathBuf,
        /// Why it is not a script.
        reason: String,
    },
    /// The script could not be started (not executable, a missing interpreter).
    #[error("{reason}")]
    NotStarted {
        /// What the system said, in words.
        reason: String,
    },
    /// The scratch directory could not be made.
    #[error("scratch directory: {0}")]
    Scratch(#[from] std::io::Error),
}

/// How scripts are checked: the runner, AIX script or hook, the longest wait.
///
/// ```
/// use std::time::Duration;
/// use drmgr_sim::Runner;
/// use drmgr_sim::check::Checker;
///
/// let checker = Checker::new(Runner::new()).hook(true).max_time(Duration::from_secs(5));
/// # let _ = checker;
/// ```
#[derive(Debug, Clone)]
pub struct Checker {
    runner: Runner,
    hook: bool,
    max_time: Duration,
}

impl Checker {
    /// The longest the checker waits for one command by default, whatever the
    /// script's `DR_TIMEOUT` (a project decision: a check takes seconds).
    pub const DEFAULT_MAX_TIME: Duration = Duration::from_secs(30);

    /// A checker of AIX DLPAR scripts that starts them with `runner`.
    pub fn new(runner: Runner) -> Checker {
        Checker { runner, hook: false, max_time: Checker::DEFAULT_MAX_TIME }
    }

    /// Checks powerpc-utils hooks (docs/protocol.md §10) instead.
    pub fn hook(mut self, hook: bool) -> Checker {
        self.hook = hook;
        self
    }

    /// Waits at most `limit` for one command, even when the script's own limit is
    /// longer: a command still running then is a `max-time` warning (a hook, which
    /// has no limit of its own, a `time-limit` error) and the script's remaining
    /// commands are not run.
    pub fn max_time(mut self, limit: Duration) -> Checker {
        self.max_time = limit;
        self
    }
}
