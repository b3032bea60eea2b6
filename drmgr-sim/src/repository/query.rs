//! The install-time questions: `scriptinfo`, `register`, `usage RES` (spec §3).

use std::path::Path;

use dlpar_script::ScriptInfo;
use dlpar_script::protocol::{Command, Resource};

use super::{Location, RepoError, ScriptEntry};
use crate::runner::Call;
use crate::trace::text::visible;
use crate::{Invocation, Runner};

/// A script's answers, validated, and the protocol warnings met on the way.
pub(super) struct Answers {
    pub(super) entry: ScriptEntry,
    pub(super) warnings: Vec<String>,
}

/// Asks `path` the install questions and validates every answer: exit 0, the
/// `scriptinfo` fields present and well-formed, at least one valid resource, no
/// resource twice, a non-empty one-line `DR_USAGE` for each.
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
    asker.script_timeout = info.timeout;

    let register = asker.ask(Command::Register, None)?;
    let mut resources: Vec<Resource> = Vec::new();
    for word in register.reply.all("DR_RESOURCE") {
        let resource: Resource =
            word.trim().parse().map_err(|e| asker.problem(Command::Register, None, format!("DR_RESOURCE: {e}")))?;
        if resources.contains(&resource) {
            return Err(asker.problem(Command::Register, None, format!("resource {resource} is registered twice")));
        }
        resources.push(resource);
    }
    if resources.is_empty() {
        return Err(asker.problem(Command::Register, None, "no DR_RESOURCE line: the script registers nothing".into()));
    }

    let mut usages = Vec::with_capacity(resources.len());
    for resource in resources {
        let usage = asker.ask(Command::Usage, Some(&resource))?;
        let text = match usage.reply.first("DR_USAGE") {
            None => Err("no DR_USAGE line"),
            Some(text) if text.trim().is_empty() => Err("DR_USAGE is empty"),
            Some(text) if text.chars().any(char::is_control) => Err("DR_USAGE contains control characters"),
            Some(text) => Ok(text.to_owned()),
        }
        .map_err(|problem| asker.problem(Command::Usage, Some(&resource), problem.to_owned()))?;
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
        let call = Call { name: self.name, path: self.path, command, resource, env: &[], limit };
        let invocation = self.runner.invoke(&call);
        let said = words(command, resource);
        self.warnings.extend(invocation.warnings().into_iter().map(|w| format!("{said}: {w}")));
        if invocation.end.exit_code() != Some(0) {
            let error = invocation.error().map(|e| format!(" (DR_ERROR: {})", visible(&e))).unwrap_or_default();
            return Err(self.problem(command, resource, format!("{}{error}; exit 0 is required", invocation.end)));
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
