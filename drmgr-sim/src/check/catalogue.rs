//! The rule catalogue: every rule `drmgr-sim check` enforces, in one table. Each
//! has a stable id, a severity that follows its evidence, the docs/protocol.md
//! section and evidence mark it enforces (or the public source of a portability
//! fact), and one sentence on how to fix it. docs/checker.md lists the same
//! table; a test keeps the two equal.

use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A rule IBM's text states (\[S\], \[D\]), or whatever `drmgr-sim install` refuses:
    /// the script misbehaves on a real host.
    Error,
    /// A rule that is only a reading (\[R\]) or a project decision (\[P\]), or a
    /// portability concern found by reading the script.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One rule of the catalogue.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Rule {
    /// The stable id, used in reports and in `docs/checker.md`.
    pub id: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What the rule asks, in one line.
    pub title: &'static str,
    /// The docs/protocol.md section it enforces (`§4`), or [`PORTABILITY`].
    pub section: &'static str,
    /// The evidence: the protocol's mark (`[S]`, `[D]`, `[R]`, `[P]`), or for a
    /// portability fact the public page it rests on.
    pub evidence: &'static str,
    /// How to fix a script that breaks it.
    pub fix: &'static str,
}

/// The `section` of the rules that are portability facts rather than protocol rules.
pub const PORTABILITY: &str = "portability";

impl Rule {
    /// What the rule rests on, in words: `docs/protocol.md §4 [S]`, or for a
    /// portability fact `source: …`.
    ///
    /// ```
    /// use drmgr_sim::check::catalogue;
    /// assert_eq!(catalogue::TEXT_UNQUOTED.basis(), "docs/protocol.md §4 [S]");
    /// assert!(catalogue::LINUX_PATH.basis().starts_with("source: IBM"));
    /// ```
    pub fn basis(&self) -> String {
        match self.section {
            PORTABILITY => format!("source: {}", self.evidence),
            section => format!("docs/protocol.md {section} {}", self.evidence),
        }
    }

    /// Where the rule is documented: `docs/checker.md#ID`.
    pub fn doc(&self) -> String {
        format!("docs/checker.md#{}", self.id)
    }
}

macro_rules! rules {
    ($($name:ident = $id:literal, $severity:ident, $section:expr, $evidence:literal, $title:literal, $fix:literal;)+) => {
        $(
            #[doc = concat!("`", $id, "`: ", $title)]
            pub const $name: &Rule = &Rule {
                id: $id,
                severity: Severity::$severity,
                title: $title,
                section: $section,
                evidence: $evidence,
                fix: $fix,
            };
        )+
        /// Every rule, in catalogue order.
        pub const ALL: &[&Rule] = &[$($name),+];
    };
}

rules! {
    INSTALL_SCRIPTINFO = "install-scriptinfo", Error, "§3", "[R]; drmgr-sim install",
        "scriptinfo answers with exit 0, DR_VERSION, DR_DATE (8 digits), DR_SCRIPTINFO and DR_VENDOR once each, and a valid DR_TIMEOUT if any",
        "Print each scriptinfo key once, as in DR_VERSION=1, DR_DATE=22112026, DR_SCRIPTINFO=\"…\", DR_VENDOR=\"…\", and exit 0.";
    INSTALL_REGISTER = "install-register", Error, "§3", "[R]; drmgr-sim install",
        "register answers with exit 0 and at least one DR_RESOURCE line naming a valid resource, none twice",
        "Print one DR_RESOURCE=name line per resource (cpu, mem, capacity, var_weight, pmig, …) and exit 0.";
    INSTALL_USAGE = "install-usage", Error, "§3", "[S]; drmgr-sim install",
        "usage RES answers with exit 0 and a one-line, non-empty DR_USAGE for every registered resource",
        "Answer `usage RES` for every resource register names, with DR_USAGE=\"what the application does with it\".";
    INSTALL_REFUSED = "install-refused", Error, "§8", "[D]; drmgr-sim install",
        "the file can be installed at all: a regular, executable file with a usable name",
        "Make the script a regular file with execute permission (chmod 755) and a plain name (vendor_subsystem).";
    DATE_FORMAT = "date-format", Warning, "§3", "[R]",
        "DR_DATE is a real date in IBM's DDMMYYYY order",
        "Write the date as day, month, year: DR_DATE=22112026 for 22 November 2026.";
    RESOURCE_NOT_SENT = "resource-not-sent", Warning, "§2", "[P]",
        "a registered resource is one drmgr sends on its own",
        "Register cpu, mem, capacity, var_weight, pmig, phib, acc or topology; a name of your own is reached only by an operation that names it.";
    STDOUT_NOT_REPLY = "stdout-not-reply", Error, "§4", "[S]",
        "every line of standard output is one DR_NAME=value pair",
        "Send debugging and progress messages to standard error (print >&2 in ksh, print STDERR in Perl), or as DR_LOG_DEBUG=\"…\".";
    UNKNOWN_NAME = "unknown-name", Warning, "§4", "[P]",
        "every DR_ name written is one the protocol defines",
        "Use the protocol's names only (DR_ERROR, DR_LOG_INFO, …); put your own data in the text of a DR_LOG_* line.";
    TEXT_UNQUOTED = "text-unquoted", Error, "§4", "[S]",
        "text values (DR_ERROR, DR_USAGE, DR_SCRIPTINFO, DR_VENDOR, DR_LOG_*) are between double quotes",
        "Write DR_ERROR=\"text\", with the double quotes, for every text value.";
    ERROR_MISSING = "error-missing", Error, "§5", "[S]",
        "a command that fails says why with DR_ERROR",
        "Before exiting non-zero, print DR_ERROR=\"why\" on standard output.";
    ERROR_WITH_EXIT_0 = "error-with-exit-0", Error, "§5", "[S]",
        "a command that prints DR_ERROR does not exit 0",
        "Exit 1 after DR_ERROR: drmgr reads exit 0 as success and ignores the message, so a veto is lost.";
    KILLED_BY_SIGNAL = "killed-by-signal", Error, "§5", "[S]",
        "the script ends with an exit status, not by a signal",
        "Find what crashes (the signal is named) and end with exit 0, or exit 1 and DR_ERROR.";
    INTERPRETER_ERROR = "interpreter-error", Error, "§5", "[S]",
        "the script does not fail with an interpreter error (syntax error, command not found, die)",
        "Fix the error quoted from standard error; remember that drmgr's PATH is /usr/bin:/etc:/usr/sbin only.";
    TIME_LIMIT = "time-limit", Error, "§7", "[D]",
        "every command answers within its time limit (DR_TIMEOUT, else drmgr's default)",
        "Do less in the command, or run the slow part in the background; give a DR_TIMEOUT that fits the work.";
    MAX_TIME = "max-time", Warning, "§7", "[P]",
        "every command answers within the checker's --max-time (30 s unless given), even when its own limit is longer",
        "Make the command faster, or give the checker a longer --max-time to see it through.";
    TIME_NEAR_LIMIT = "time-near-limit", Warning, "§7", "[P]",
        "every command answers well inside its time limit (under half)",
        "Make the command faster or raise DR_TIMEOUT: a busier system will push it past the limit.";
    UNKNOWN_WORD = "unknown-word", Warning, "§5", "[R]",
        "a command word the script does not know exits 10 (not supported)",
        "End the case statement with a branch for any other word that exits 10.";
    EDGE_VALUE = "edge-value", Error, "§6", "[S]",
        "edge values (CPU id 0, the largest sizes, negative changes) do not kill the script",
        "Handle every value the format of docs/protocol.md §6 allows; check numbers before arithmetic.";
    REPEAT_NOT_HARMLESS = "repeat-not-harmless", Warning, "§7", "[P]",
        "running a post or undo command a second time gives the same answer",
        "Make post and undo idempotent: check the state before changing it, and succeed when there is nothing to do.";
    SHEBANG_NOT_ON_AIX = "shebang-not-on-aix", Warning, PORTABILITY,
        "IBM: AIX 5L manual, 3.1 Shell scripts; AIX Perl updates and support for perl.rte; AIX Toolbox for Open Source Software",
        "the #! interpreter is one AIX installs by default",
        "Use #!/usr/bin/ksh (or /usr/bin/ksh93, /usr/bin/sh) or #!/usr/bin/perl; a Toolbox interpreter must be named by its full path and installed on every partition.";
    SHEBANG_ENV = "shebang-env", Warning, "§1", "[S]",
        "the #! line names its interpreter by absolute path, not through env",
        "Name the interpreter by its path (#!/usr/bin/ksh, #!/usr/bin/perl): env searches drmgr's PATH, which has no /opt/freeware/bin or /usr/local/bin.";
    GNU_OPTION = "gnu-option", Warning, PORTABILITY,
        "O'Reilly, Unix in a Nutshell (4th ed.), sed: -i only among the GNU/Linux and Mac OS X options",
        "commands are called with options AIX's own commands have",
        "Instead of sed -i, write to a temporary file with /usr/bin/sed and move it into place with /usr/bin/mv.";
    LINUX_PATH = "linux-path", Warning, PORTABILITY,
        "IBM, AIX files reference, /proc File: one entry per process ID",
        "absolute paths exist on AIX",
        "Ask AIX commands instead of /proc files: /usr/sbin/lsdev -C -c processor for processors, /usr/sbin/bindprocessor -q for the online ones.";
    HOOK_FAILURE_IGNORED = "hook-failure-ignored", Warning, "§10", "[D]",
        "a hook fails only where powerpc-utils reads the failure (the pmig check phase)",
        "Exit 0 in pre, post and undocheck and for cpu hooks: powerpc-utils ignores their status; only a pmig check can refuse.";
    HOOK_EXIT_10 = "hook-exit-10", Warning, "§10", "[D]",
        "a hook does not answer exit 10 (AIX's \"not supported\")",
        "Exit 0 for a phase the hook does not handle: powerpc-utils counts any non-zero status as a failure, and in check as a veto.";
}

/// The rule of `id`, if there is one.
///
/// ```
/// use drmgr_sim::check::{Severity, catalogue};
/// assert_eq!(catalogue::by_id("text-unquoted").unwrap().severity, Severity::Error);
/// assert!(catalogue::by_id("no-such-rule").is_none());
/// ```
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|rule| rule.id == id)
}

/// The catalogue as docs/checker.md lists it: one section per rule, its heading
/// the rule's id (so `docs/checker.md#ID` links to it). A test keeps the
/// documentation equal to this.
///
/// ```
/// let docs = drmgr_sim::check::catalogue::markdown();
/// assert!(docs.contains("### text-unquoted\n\n**error**"));
/// ```
pub fn markdown() -> String {
    let mut out = String::new();
    for rule in ALL {
        out.push_str(&format!(
            "### {}\n\n**{}** — {}.\n\n* Rests on: {}.\n* Fix: {}\n\n",
            rule.id,
            rule.severity,
            rule.title,
            rule.basis(),
            rule.fix
        ));
    }
    out
}
