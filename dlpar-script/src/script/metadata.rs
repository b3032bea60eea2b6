use std::fmt;

use crate::wire::{MAX_VALUE_BYTES, ParsedReply};

/// What `scriptinfo` answers: the script's identity.
///
/// The same type serves the host side: [`ScriptInfo::from_reply`] validates a
/// script's answer with the rules used to validate a script's own metadata.
///
/// ```
/// use dlpar_script::ScriptInfo;
/// use dlpar_script::wire::parse_reply;
///
/// let reply = parse_reply(b"DR_VERSION=1\nDR_DATE=22112026\nDR_SCRIPTINFO=\"x\"\nDR_VENDOR=\"Acme\"\n");
/// let info = ScriptInfo::from_reply(&reply).unwrap();
/// assert_eq!((info.version, info.timeout), (1, None));
///
/// let problems = ScriptInfo::from_reply(&parse_reply(b"DR_DATE=2026\n")).unwrap_err();
/// assert_eq!(problems.to_string(), "DR_VERSION is missing; DR_DATE \"2026\" is not 8 digits; \
///     DR_SCRIPTINFO is missing; DR_VENDOR is missing");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptInfo {
    /// `DR_VERSION`: the script's version, an integer.
    pub version: u32,
    /// `DR_DATE`: 8 digits; IBM documents DDMMYYYY but one IBM sample uses MMDDYYYY,
    /// so it is kept as an opaque string.
    pub date: String,
    /// `DR_SCRIPTINFO`: a one-line description.
    pub info: String,
    /// `DR_VENDOR`: who ships the script.
    pub vendor: String,
    /// `DR_TIMEOUT`: seconds per command, when the script declares one.
    pub timeout: Option<u32>,
}

impl ScriptInfo {
    /// The longest `DR_TIMEOUT` a script may declare, in seconds: one day (a project
    /// decision). drmgr ends a command past its limit, so a longer one would only
    /// hide a script that hangs; an administrator who needs more sets it at install
    /// (`drmgr -w MINUTES`), which this bound does not concern. [`Script`](crate::Script)
    /// validation and `main!` refuse more; drmgr-sim's install refuses a script that
    /// declares more.
    pub const MAX_TIMEOUT: u32 = 86_400;

    /// Reads and validates a `scriptinfo` answer.
    pub fn from_reply(reply: &ParsedReply) -> Result<ScriptInfo, InvalidScript> {
        let mut problems = Vec::new();
        let version = required(reply, "DR_VERSION", &mut problems).and_then(|v| number("DR_VERSION", v, &mut problems));
        let date = required(reply, "DR_DATE", &mut problems);
        if let Some(date) = date {
            check_date(date, &mut problems);
        }
        let mut text = |name| {
            let value = required(reply, name, &mut problems);
            if let Some(value) = value {
                check_text(name, value, &mut problems);
            }
            value.unwrap_or_default().to_owned()
        };
        let info = text("DR_SCRIPTINFO");
        let vendor = text("DR_VENDOR");
        let timeout = reply.first("DR_TIMEOUT").and_then(|v| number("DR_TIMEOUT", v, &mut problems));
        if timeout == Some(0) {
            problems.push(Problem::ZeroTimeout);
        }
        match version {
            Some(version) if problems.is_empty() => {
                Ok(ScriptInfo { version, date: date.unwrap_or_default().to_owned(), info, vendor, timeout })
            }
            _ => Err(InvalidScript(problems)),
        }
    }
}

fn required<'r>(reply: &'r ParsedReply, name: &'static str, problems: &mut Vec<Problem>) -> Option<&'r str> {
    let value = reply.first(name);
    if value.is_none() {
        problems.push(Problem::Missing(name));
    }
    value
}

fn number(name: &'static str, value: &str, problems: &mut Vec<Problem>) -> Option<u32> {
    let parsed = value.trim().parse().ok();
    if parsed.is_none() {
        problems.push(Problem::NotNumber(name, value.to_owned()));
    }
    parsed
}

/// Checks that a date is exactly 8 ASCII digits.
pub(crate) fn check_date(date: &str, problems: &mut Vec<Problem>) {
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        problems.push(Problem::BadDate(date.to_owned()));
    }
}

/// Checks that a text field is non-empty, one line, and within the value limit.
pub(crate) fn check_text(field: impl fmt::Display, text: &str, problems: &mut Vec<Problem>) {
    let issue = if text.trim().is_empty() {
        TextIssue::Empty
    } else if text.chars().any(char::is_control) {
        TextIssue::MultiLine
    } else if text.len() > MAX_VALUE_BYTES {
        TextIssue::TooLong(text.len())
    } else {
        return;
    };
    problems.push(Problem::Text { field: field.to_string(), issue });
}

/// What is wrong with a text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextIssue {
    /// Empty or only spaces.
    Empty,
    /// Contains a line break or another control character.
    MultiLine,
    /// Longer than the value limit; the length in bytes.
    TooLong(usize),
}

/// One thing wrong with a script's metadata or handler table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A required field is not given.
    Missing(&'static str),
    /// A text field is empty, multi-line or too long.
    Text {
        /// The field, such as `DR_VENDOR` or `DR_USAGE of cpu`.
        field: String,
        /// What is wrong with it.
        issue: TextIssue,
    },
    /// A numeric field is not a number.
    NotNumber(&'static str, String),
    /// The date is not 8 digits.
    BadDate(String),
    /// The timeout is zero.
    ZeroTimeout,
    /// The timeout is above [`ScriptInfo::MAX_TIMEOUT`].
    TimeoutTooLong(u32),
    /// The script name is empty or contains `/`.
    BadName(String),
    /// A resource is registered twice.
    DuplicateResource(String),
    /// A registered resource has no handler.
    UnusedResource(String),
    /// A handler's resource is not registered (it has no usage text).
    UnregisteredResource {
        /// The handler's name.
        handler: String,
        /// The resource word.
        resource: String,
    },
    /// Two handlers for the same command and resource.
    DuplicateHandler {
        /// The command word.
        command: String,
        /// The resource, or `any resource`.
        target: String,
        /// The first handler's name.
        first: String,
        /// The second handler's name.
        second: String,
    },
    /// A handler's event type does not fit its resource.
    WrongEventType {
        /// The handler's name.
        handler: String,
        /// The resource its event type belongs to.
        expects: String,
        /// The resource it was registered for.
        target: String,
    },
    /// An install command (`scriptinfo`, `register`, `usage`) given a handler.
    InstallHandler(String),
    /// A handler without a resource for a family that always names one.
    ResourceRequired {
        /// The handler's name.
        handler: String,
        /// The command word.
        command: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing(field) => write!(f, "{field} is missing"),
            Problem::Text { field, issue: TextIssue::Empty } => write!(f, "{field} is empty"),
            Problem::Text { field, issue: TextIssue::MultiLine } => {
                write!(f, "{field} must be one line without control characters")
            }
            Problem::Text { field, issue: TextIssue::TooLong(len) } => {
                write!(f, "{field} is {len} bytes long, the limit is {MAX_VALUE_BYTES}")
            }
            Problem::NotNumber(field, v) => write!(f, "{field} {v:?} is not a whole number"),
            Problem::BadDate(date) => write!(f, "DR_DATE {date:?} is not 8 digits"),
            Problem::ZeroTimeout => f.write_str("DR_TIMEOUT must be at least 1 second"),
            Problem::TimeoutTooLong(seconds) => write!(
                f,
                "DR_TIMEOUT={seconds} is above one day ({} s): give a shorter limit; an administrator \
                 who needs more sets it at install (drmgr -w MINUTES)",
                ScriptInfo::MAX_TIMEOUT
            ),
            Problem::BadName(name) => write!(f, "script name {name:?} must be non-empty and contain no '/'"),
            Problem::DuplicateResource(r) => write!(f, "resource {r} is registered twice"),
            Problem::UnusedResource(r) => write!(f, "resource {r} is registered but no handler uses it"),
            Problem::UnregisteredResource { handler, resource } => write!(
                f,
                "handler {handler} is for resource {resource}, which is not registered: add it with its usage text"
            ),
            Problem::DuplicateHandler { command, target, first, second } => {
                write!(f, "{command} {target} has two handlers: {first} and {second}")
            }
            Problem::WrongEventType { handler, expects, target } => {
                write!(f, "handler {handler} takes the event of resource {expects} but is registered for {target}")
            }
            Problem::InstallHandler(command) => {
                write!(f, "{command} is answered from the metadata and cannot have a handler")
            }
            Problem::ResourceRequired { handler, command } => {
                write!(f, "handler {handler}: {command} always names a resource, so the handler must name one")
            }
        }
    }
}

/// Everything wrong with a script's metadata and handler table, found in one pass.
///
/// ```
/// use dlpar_script::Script;
///
/// let err = Script::new("", "db follows CPUs").date("2026").validate().unwrap_err();
/// assert_eq!(err.problems().len(), 3);
/// assert_eq!(err.to_string(), "DR_VENDOR is empty; DR_VERSION is missing; DR_DATE \"2026\" is not 8 digits");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidScript(pub(crate) Vec<Problem>);

impl InvalidScript {
    /// The problems, in the order found.
    pub fn problems(&self) -> &[Problem] {
        &self.0
    }
}

impl fmt::Display for InvalidScript {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            problem.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidScript {}
