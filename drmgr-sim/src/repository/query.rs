//! The install-time questions: `scriptinfo`, `register`, `usage RES` (docs/protocol.md §3).

use std::path::Path;

use dlpar_script::ScriptInfo;
use dlpar_script::protocol::{Command, Resource};
use dlpar_script::wire::{Key, MAX_LINE_BYTES, ReplyWarning};

use super::entry::{Location, ScriptEntry};
use super::error::RepoError;
use crate::runner::{Call, Runner};
use crate::trace::Invocation;
use crate::trace::text::visible;

/// A script's answers, validated, and the protocol warnings met on the way.
pub(super) struct Answers {
    pub(super) entry: ScriptEntry,
    pub(super) warnings: Vec<String>,
}

/// Asks `path` the install questions and validates every answer: exit 0, the
/// `scriptinfo` fields present and well-formed, at least one valid resource, no
/// resource twice, exactly one non-empty one-line `DR_USAGE` for each, no line over
/// the host's line limit.
pub(super) fn ask(
    runner: &Runner,
    path: &Path,
    name: &str,
    location: Location,
    admin_timeout: Option<u32>,
) -> Result<Answers, RepoError> {
    let mut asker = Asker { runner, path, name, admin_timeout, script_timeout: None, warnings: Vec::new() };
    let scriptinfo = asker.ask(Command::ScriptInfo, None)?;
    let info = ScriptInfo::from_reply(&scriptinfo.reply)
        .map_err(|problems| asker.problem(Command::ScriptInfo, None, problems.to_string()))?;
    scriptinfo_beyond_the_runtime(&scriptinfo, &info)
        .map_err(|problem| asker.problem(Command::ScriptInfo, None, problem))?;
    if let Some(warning) = not_a_date(&info.date) {
        asker.warnings.push(format!("scriptinfo: {warning}"));
    }
    asker.script_timeout = info.timeout;

    let register = asker.ask(Command::Register, None)?;
    let mut resources: Vec<Resource> = Vec::new();
    for word in register.reply.all(Key::RESOURCE.as_str()) {
        let resource: Resource =
            word.trim().parse().map_err(|e| asker.problem(Command::Register, None, format!("DR_RESOURCE: {e}")))?;
        if resources.contains(&resource) {
            return Err(asker.problem(Command::Register, None, format!("resource {resource} is registered twice")));
        }
        if !resource.is_drmgr_word() {
            asker.warnings.push(format!(
                "register: {resource} is not a resource drmgr sends (cpu, mem, capacity, var_weight, pmig, phib, \
                 acc, topology): only an operation that names it reaches this script, such as \
                 `drmgr-sim run accel --resource {resource}`"
            ));
        }
        resources.push(resource);
    }
    if resources.is_empty() {
        return Err(asker.problem(Command::Register, None, "no DR_RESOURCE line: the script registers nothing".into()));
    }

    let mut usages = Vec::with_capacity(resources.len());
    for resource in resources {
        let usage = asker.ask(Command::Usage, Some(&resource))?;
        let text = match usage.reply.first(Key::USAGE.as_str()) {
            None => Err("no DR_USAGE line".to_owned()),
            Some(text) if text.trim().is_empty() => Err("DR_USAGE is empty".to_owned()),
            Some(text) if text.chars().any(char::is_control) => Err("DR_USAGE contains control characters".to_owned()),
            Some(text) if text.contains(LINE_BREAKS) => {
                Err("DR_USAGE contains a Unicode line or paragraph separator".to_owned())
            }
            Some(_) if let Some(problem) = given_twice(&usage, Key::USAGE.as_str()) => Err(problem),
            Some(text) => Ok(text.to_owned()),
        }
        .map_err(|problem| asker.problem(Command::Usage, Some(&resource), problem))?;
        usages.push((resource, text));
    }

    let entry = ScriptEntry {
        name: name.to_owned(),
        location,
        vendor: info.vendor,
        info: info.info,
        version: info.version,
        date: info.date,
        timeout: info.timeout,
        admin_timeout,
        resources: usages,
    };
    Ok(Answers { entry, warnings: asker.warnings })
}

/// Unicode line and paragraph separators: not control characters, but the ends of a
/// line for many readers (and for the runtime's encoder).
const LINE_BREAKS: [char; 2] = ['\u{2028}', '\u{2029}'];

/// What `scriptinfo` answered that the runtime's reading lets through but drmgr-sim
/// refuses: a key given twice (which one counts would be a guess), a line or
/// paragraph separator in a text, a `DR_TIMEOUT` above `Repository::MAX_SCRIPT_TIMEOUT`, which is the runtime's
/// [`ScriptInfo::MAX_TIMEOUT`].
fn scriptinfo_beyond_the_runtime(reply: &Invocation, info: &ScriptInfo) -> Result<(), String> {
    let mut problems = Vec::new();
    let keys = [Key::VERSION, Key::DATE, Key::SCRIPTINFO, Key::VENDOR, Key::TIMEOUT];
    problems.extend(keys.iter().filter_map(|key| given_twice(reply, key.as_str())));
    for (key, text) in [(Key::SCRIPTINFO.as_str(), &info.info), (Key::VENDOR.as_str(), &info.vendor)] {
        if let Some(c) = text.chars().find(|c| LINE_BREAKS.contains(c)) {
            problems.push(format!(
                "{key} contains U+{:04X}, a line break for many readers: one line is required",
                c as u32
            ));
        }
    }
    if let Some(timeout) = info.timeout.filter(|t| *t > ScriptInfo::MAX_TIMEOUT) {
        problems.push(format!(
            "DR_TIMEOUT={timeout} is above the {max} seconds (one day) install accepts; give a \
             shorter limit, or let the administrator set one with -w MINUTES",
            max = ScriptInfo::MAX_TIMEOUT
        ));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

/// A key an install answer gives more than once: which one counts would be a
/// guess, so install refuses it.
fn given_twice(reply: &Invocation, key: &str) -> Option<String> {
    let n = reply.reply.all(key).count();
    (n > 1).then(|| format!("{key} is given {n} times: give it once"))
}

/// Why an 8-digit `DR_DATE` is not a date in IBM's DDMMYYYY, if it is not.
pub(crate) fn not_a_date(date: &str) -> Option<String> {
    let field = |range: std::ops::Range<usize>| date.get(range).and_then(|d| d.parse::<u32>().ok());
    let (day, month, year) = (field(0..2)?, field(2..4)?, field(4..8)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Some(format!("DR_DATE={date} is not a date in DDMMYYYY: there is no month {month:02}")),
    };
    (day == 0 || day > days)
        .then(|| format!("DR_DATE={date} is not a date in DDMMYYYY: month {month:02} has no day {day:02}"))
}

struct Asker<'a> {
    runner: &'a Runner,
    path: &'a Path,
    name: &'a str,
    admin_timeout: Option<u32>,
    script_timeout: Option<u32>,
    warnings: Vec<String>,
}

impl Asker<'_> {
    /// Runs one install command; anything but exit 0 is an error.
    fn ask(&mut self, command: Command, resource: Option<&Resource>) -> Result<Invocation, RepoError> {
        let limit = self.runner.time_limit(self.script_timeout, self.admin_timeout);
        let call = Call::install(self.name, self.path, command, resource, limit);
        let invocation = Invocation::new(&call, self.runner.invoke(&call));
        let said = words(command, resource);
        self.warnings.extend(invocation.warnings().into_iter().map(|w| format!("{said}: {w}")));
        if invocation.end.exit_code() != Some(0) {
            let error = invocation.error().map(|e| format!(" (DR_ERROR: {})", visible(&e))).unwrap_or_default();
            return Err(self.problem(command, resource, format!("{}{error}; exit 0 is required", invocation.end)));
        }
        // An answer the host skipped would otherwise be reported as missing.
        if let Some(long) = invocation.reply.warnings.iter().find(|w| matches!(w, ReplyWarning::LineTooLong { .. })) {
            return Err(self.problem(
                command,
                resource,
                format!("{long}: every line of an install answer must fit in {MAX_LINE_BYTES} bytes; shorten it"),
            ));
        }
        Ok(invocation)
    }

    fn problem(&self, command: Command, resource: Option<&Resource>, problem: String) -> RepoError {
        RepoError::Query { script: self.name.to_owned(), command: words(command, resource), problem }
    }
}

/// `usage cpu`, `register`: the command as typed.
fn words(command: Command, resource: Option<&Resource>) -> String {
    match resource {
        Some(resource) => format!("{command} {resource}"),
        None => command.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::not_a_date;

    #[test]
    fn dates_are_ddmmyyyy() {
        for good in ["22112026", "29022024", "31122099", "01010001"] {
            assert_eq!(not_a_date(good), None, "{good}");
        }
        assert_eq!(not_a_date("99999999").unwrap(), "DR_DATE=99999999 is not a date in DDMMYYYY: there is no month 99");
        assert_eq!(
            not_a_date("29022026").unwrap(),
            "DR_DATE=29022026 is not a date in DDMMYYYY: month 02 has no day 29"
        );
        assert_eq!(
            not_a_date("00012026").unwrap(),
            "DR_DATE=00012026 is not a date in DDMMYYYY: month 01 has no day 00"
        );
        assert!(not_a_date("20261122").is_some(), "YYYYMMDD is not IBM's order");
    }
}
