//! Portability to AIX, found by reading the script without running it: the `#!`
//! interpreter, options only GNU commands have, paths only Linux has. Every fact
//! here has a public source, cited in the catalogue ([`super::catalogue`]).

use std::io::Read;
use std::path::Path;

use super::catalogue::{self as rules, Rule};
use super::{Finding, ScriptReport};
use crate::trace::text::visible;

/// The label of findings made by reading the file.
pub(super) const FILE: &str = "(file)";
/// The most of a script that is read.
const MAX_BYTES: u64 = 1024 * 1024;

/// Interpreters AIX installs by default, by name, with the path it installs each
/// at; `/bin` is a link to `/usr/bin` on AIX.
const AIX_INTERPRETERS: [(&str, &str); 4] =
    [("ksh", "/usr/bin/ksh"), ("ksh93", "/usr/bin/ksh93"), ("sh", "/usr/bin/sh"), ("perl", "/usr/bin/perl")];

/// Interpreters AIX does not install by default, with what to use instead.
const TOOLBOX_INTERPRETERS: [(&str, &str); 4] = [
    ("bash", "#!/usr/bin/ksh (bash is only in the AIX Toolbox, as /opt/freeware/bin/bash)"),
    ("python3", "#!/usr/bin/perl or #!/usr/bin/ksh (python3 is only in the AIX Toolbox, as /opt/freeware/bin/python3)"),
    ("python", "#!/usr/bin/perl or #!/usr/bin/ksh (Python is only in the AIX Toolbox, under /opt/freeware/bin)"),
    ("zsh", "#!/usr/bin/ksh (zsh is only in the AIX Toolbox, under /opt/freeware/bin)"),
];

pub(super) fn read(path: &Path, report: &mut ScriptReport) {
    let mut bytes = Vec::new();
    let Ok(file) = std::fs::File::open(path) else { return };
    if file.take(MAX_BYTES).read_to_end(&mut bytes).is_err() || bytes.starts_with(b"\x7fELF") || bytes.contains(&0) {
        return; // a compiled program: nothing to read
    }
    let text = String::from_utf8_lossy(&bytes);
    report.checked(FILE, &[rules::SHEBANG_NOT_ON_AIX, rules::SHEBANG_ENV, rules::GNU_OPTION, rules::LINUX_PATH]);
    if let Some(line) = text.lines().next().and_then(|l| l.strip_prefix("#!")) {
        shebang(line.trim(), report);
    }
    for (number, line) in text.lines().enumerate().skip(1) {
        let code = line.trim_start();
        if code.starts_with('#') {
            continue;
        }
        if let Some(option) = sed_in_place(code) {
            let message = format!("line {}: sed {option} edits in place, which AIX's sed cannot", number + 1);
            report.add(finding(rules::GNU_OPTION, message, line));
        }
        if let Some(proc_path) = linux_proc_path(code) {
            let message = format!(
                "line {}: {proc_path} does not exist on AIX, whose /proc has only process directories",
                number + 1
            );
            report.add(finding(rules::LINUX_PATH, message, line));
        }
    }
}

fn finding(rule: &'static Rule, message: String, line: &str) -> Finding {
    Finding {
        rule,
        command: FILE.to_owned(),
        resource: None,
        message,
        output: Some(visible(line.trim()).into_owned()),
        reproduce: None,
    }
}

/// The `#!` line (without `#!`): an interpreter through `env`, one AIX does not
/// ship, or one AIX ships at another path.
fn shebang(line: &str, report: &mut ScriptReport) {
    let mut words = line.split_whitespace();
    let Some(interpreter) = words.next() else { return };
    let name = |path: &str| path.rsplit('/').next().unwrap_or(path).to_owned();
    let shown = format!("#!{line}");
    if name(interpreter) == "env" {
        let program = words.find(|w| !w.starts_with('-')).map(name).unwrap_or_default();
        let instead = AIX_INTERPRETERS
            .iter()
            .find(|(n, _)| *n == program)
            .map(|(_, p)| format!("#!{p}"))
            .or_else(|| TOOLBOX_INTERPRETERS.iter().find(|(n, _)| *n == program).map(|(_, i)| (*i).to_owned()))
            .unwrap_or_else(|| "the interpreter's absolute path".to_owned());
        let message = format!("env looks {program} up in drmgr's PATH (/usr/bin:/etc:/usr/sbin); use {instead}");
        report.add(finding(rules::SHEBANG_ENV, message, &shown));
        return;
    }
    let program = name(interpreter);
    if let Some((_, instead)) = TOOLBOX_INTERPRETERS.iter().find(|(n, _)| *n == program) {
        let message = format!("AIX does not install {program} by default; use {instead}");
        report.add(finding(rules::SHEBANG_NOT_ON_AIX, message, &shown));
    } else if let Some((_, aix_path)) = AIX_INTERPRETERS.iter().find(|(n, _)| *n == program) {
        let on_aix =
            *aix_path == interpreter || interpreter.strip_prefix("/bin/") == aix_path.strip_prefix("/usr/bin/");
        if !on_aix {
            let message = format!("AIX installs {program} as {aix_path}, not {interpreter}; use #!{aix_path}");
            report.add(finding(rules::SHEBANG_NOT_ON_AIX, message, &shown));
        }
    }
}

/// `sed` called with GNU's in-place option (`-i`, `-i.bak`, `-ni`, `--in-place`),
/// if the line has one: the option as written.
fn sed_in_place(line: &str) -> Option<&str> {
    let mut words = line.split(|c: char| c.is_whitespace() || ";|&()`".contains(c)).filter(|w| !w.is_empty());
    while let Some(word) = words.next() {
        if word.rsplit('/').next() != Some("sed") {
            continue;
        }
        for option in words.by_ref().take_while(|w| w.starts_with('-')) {
            let short = !option.starts_with("--")
                && option[1..].chars().take_while(|c| c.is_ascii_alphabetic()).any(|c| c == 'i');
            if short || option.starts_with("--in-place") {
                return Some(option);
            }
        }
    }
    None
}

/// A `/proc/NAME` path whose first part is not a process ID (nor a variable
/// holding one), if the line has one.
fn linux_proc_path(line: &str) -> Option<&str> {
    line.match_indices("/proc/").find_map(|(at, _)| {
        let rest = &line[at..];
        let first = rest[6..].chars().next()?;
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || "/_.-".contains(c))).unwrap_or(rest.len());
        first.is_ascii_alphabetic().then(|| &rest[..end])
    })
}

#[cfg(test)]
mod tests {
    use super::{linux_proc_path, sed_in_place};

    #[test]
    fn gnu_sed_in_place_is_seen_and_other_sed_calls_are_not() {
        assert_eq!(sed_in_place("sed -i 's/a/b/' /etc/x"), Some("-i"));
        assert_eq!(sed_in_place("x=$(/usr/bin/sed -ni.bak -e p f)"), Some("-ni.bak"));
        assert_eq!(sed_in_place("cat f | sed --in-place=.orig p"), Some("--in-place=.orig"));
        assert_eq!(sed_in_place("/usr/bin/sed -n 's/i/j/p' f"), None);
        assert_eq!(sed_in_place("sed -e 's/-i/x/' f"), None);
    }

    #[test]
    fn proc_files_that_are_not_process_directories_are_linux_only() {
        assert_eq!(linux_proc_path("n=$(grep -c processor /proc/cpuinfo)"), Some("/proc/cpuinfo"));
        assert_eq!(linux_proc_path("cat /proc/device-tree/x"), Some("/proc/device-tree/x"));
        assert_eq!(linux_proc_path("ls /proc/$pid/fd"), None);
        assert_eq!(linux_proc_path("ls /proc/123/as"), None);
    }
}
