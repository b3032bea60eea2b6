//! AIX drmgr's own command line (docs/protocol.md §8), a second front end over the
//! same repository code as `install`, `uninstall`, `list` and `rebuild`:
//!
//! ```text
//! drmgr { -i script_name [-w minutes] [-f] | -u script_name } [-D hostname]
//! drmgr -b      drmgr -R base_directory      drmgr -S syslog_ID      drmgr -l
//! ```
//!
//! Reached through a link named `drmgr` (argv\[0\]'s file name) or as
//! `drmgr-sim [OPTIONS] drmgr ARGS…` (then the simulator's own options before
//! `drmgr`, such as `--hostname`, apply; `-R DIR` there names the repository of
//! this one command without keeping it). Options are read as getopt reads them: a
//! cluster such as `-fi x`, a value attached (`-w5`) or in the next word, `--`
//! ending the options. Exactly one action flag; `-w` and `-f` belong to `-i`, `-D`
//! to `-i` and `-u`. Every mistake is a usage error (exit 2) naming it; a failure
//! is exit 1 with `drmgr: error: …`; a name conflict without `-f` is a warning that
//! installs nothing, exit 1.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use drmgr_sim::InstallOptions;

use super::{Failure, Global, repo, settings};

/// The synopsis printed with every usage error.
const USAGE: &str = "usage: drmgr { -i script_name [-w minutes] [-f] | -u script_name } [-D hostname]
       drmgr -b
       drmgr -R base_directory
       drmgr -S syslog_ID
       drmgr -l
";

/// The words after `drmgr-sim [OPTIONS] drmgr`, read by [`Request::parse`].
#[derive(Debug, clap::Args)]
pub(super) struct DrmgrArgs {
    /// drmgr's flags and their values, exactly as AIX drmgr takes them.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0.., value_name = "ARGS")]
    pub(super) args: Vec<OsString>,
}

/// The simulator's options when started through a link named `drmgr`: their
/// defaults and environment variables only (`DRMGR_SIM_ROOT`).
#[derive(Debug, Parser)]
#[command(name = "drmgr")]
struct LinkForm {
    #[command(flatten)]
    global: Global,
}

/// Whether argv\[0\]'s file name is `drmgr`.
pub(super) fn invoked_as_drmgr(args: &[OsString]) -> bool {
    args.first().and_then(|arg0| Path::new(arg0).file_name()) == Some(OsStr::new("drmgr"))
}

/// `drmgr ARGS…` through a link.
pub(super) fn main_as_drmgr(args: &[OsString]) -> ExitCode {
    run(&LinkForm::parse_from(["drmgr"]).global, args)
}

/// `drmgr-sim [OPTIONS] drmgr ARGS…`, and the link's form with its `global`.
pub(super) fn run(global: &Global, args: &[OsString]) -> ExitCode {
    let global = Global { as_drmgr: true, ..global.clone() };
    let request = match Request::parse(args) {
        Ok(request) => request,
        Err(mistake) => {
            eprint!("drmgr: {mistake}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    request.carry_out(&global).unwrap_or_else(|error| {
        eprintln!("drmgr: error: {error}");
        ExitCode::FAILURE
    })
}

/// The one action of a drmgr command.
#[derive(Debug, PartialEq, Eq)]
enum Action {
    /// `-i script_name`.
    Install(PathBuf),
    /// `-u script_name`.
    Uninstall(String),
    /// `-b`.
    Rebuild,
    /// `-R base_directory`.
    SetRoot(PathBuf),
    /// `-S syslog_ID`.
    SetSyslogId(String),
    /// `-l`.
    List,
}

/// A drmgr command line, checked.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    action: Action,
    minutes: Option<u32>,
    force: bool,
    host: Option<String>,
}

/// One flag as given, with its value for those that take one.
struct Given {
    flag: char,
    value: Option<OsString>,
}

impl Request {
    /// Reads drmgr's arguments as getopt does; a mistake is a sentence for the user.
    fn parse(args: &[OsString]) -> Result<Request, String> {
        let given = getopt(args)?;
        let mut seen: Vec<char> = Vec::new();
        for g in &given {
            if seen.contains(&g.flag) {
                return Err(format!("-{} is given twice", g.flag));
            }
            seen.push(g.flag);
        }
        let actions: Vec<char> = seen.iter().copied().filter(|f| "iubRSl".contains(*f)).collect();
        let action_flag = match actions[..] {
            [] => return Err("give one of -i, -u, -b, -R, -S, -l".into()),
            [one] => one,
            [a, b, ..] => return Err(format!("-{a} and -{b} cannot be combined: the action flags are given alone")),
        };
        let value = |flag: char| given.iter().find(|g| g.flag == flag).and_then(|g| g.value.clone());
        let text = |flag: char| -> Result<Option<String>, String> {
            value(flag)
                .map(|v| v.into_string().map_err(|v| format!("-{flag} {}: not valid UTF-8", v.to_string_lossy())))
                .transpose()
        };
        for (flag, allowed) in [('w', "i"), ('f', "i"), ('D', "iu")] {
            if seen.contains(&flag) && !allowed.contains(action_flag) {
                let with = if allowed == "i" { "-i" } else { "-i and -u" };
                return Err(format!("-{flag} goes with {with} only, not with -{action_flag}"));
            }
        }
        let not_empty = |flag: char, v: Option<String>| match v {
            Some(v) if v.is_empty() => Err(format!("-{flag} needs a non-empty value")),
            other => Ok(other),
        };
        let action = match action_flag {
            'i' => Action::Install(PathBuf::from(value('i').filter(|v| !v.is_empty()).ok_or("-i needs a script")?)),
            'u' => Action::Uninstall(not_empty('u', text('u')?)?.unwrap_or_default()),
            'b' => Action::Rebuild,
            'R' => Action::SetRoot(PathBuf::from(value('R').filter(|v| !v.is_empty()).ok_or("-R needs a directory")?)),
            'S' => Action::SetSyslogId(syslog_id(&text('S')?.unwrap_or_default())?),
            _ => Action::List,
        };
        let minutes = text('w')?
            .map(|w| w.parse::<u32>().ok().filter(|m| *m > 0).ok_or(format!("-w {w}: give whole minutes, 1 or more")))
            .transpose()?;
        Ok(Request { action, minutes, force: seen.contains(&'f'), host: not_empty('D', text('D')?)? })
    }

    fn carry_out(self, global: &Global) -> Result<ExitCode, Failure> {
        match self.action {
            Action::Install(script) => {
                let options = InstallOptions { admin_timeout: self.minutes, force: self.force, host: self.host };
                repo::install_script(global, &script, &options)
            }
            Action::Uninstall(name) => repo::uninstall_script(global, &name, self.host.as_deref()),
            Action::Rebuild => repo::rebuild(global),
            Action::List => repo::list_scripts(global, false),
            Action::SetRoot(dir) => {
                let (root, file) = settings::keep_root(&dir)?;
                println!("DR Install Root Directory: {} (kept in {})", root.display(), file.display());
                Ok(ExitCode::SUCCESS)
            }
            Action::SetSyslogId(id) => {
                let file = settings::keep_syslog_id(&id)?;
                println!("Syslog ID: {id} (kept in {})", file.display());
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}

/// A syslog identifier: one word of printable characters, as it is put on every
/// entry drmgr logs.
fn syslog_id(id: &str) -> Result<String, String> {
    if id.is_empty() || id.len() > 64 || id.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!("-S {id:?}: give one word of 1 to 64 printable characters"));
    }
    Ok(id.to_owned())
}

/// The flags in order, as POSIX getopt reads `bflRS:D:i:u:w:`.
fn getopt(args: &[OsString]) -> Result<Vec<Given>, String> {
    let mut given = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        let bytes = word.as_encoded_bytes();
        if bytes == b"--" {
            if let Some(extra) = words.next() {
                return Err(format!("unexpected argument {:?}", extra.to_string_lossy()));
            }
            break;
        }
        if bytes.starts_with(b"--") {
            return Err(format!("unknown option {:?}: drmgr has one-letter flags only", word.to_string_lossy()));
        }
        if bytes.len() < 2 || bytes[0] != b'-' {
            return Err(format!("unexpected argument {:?}", word.to_string_lossy()));
        }
        let mut rest = &bytes[1..];
        while let Some((&first, tail)) = rest.split_first() {
            let flag = char::from(first);
            match flag {
                'b' | 'f' | 'l' => given.push(Given { flag, value: None }),
                'R' | 'S' | 'D' | 'i' | 'u' | 'w' => {
                    let value = if tail.is_empty() {
                        words.next().cloned().ok_or(format!("-{flag} needs a value"))?
                    } else {
                        // SAFETY: `tail` follows an ASCII byte of an OsStr's encoded
                        // bytes, so it starts on a boundary and ends where the word does.
                        unsafe { OsStr::from_encoded_bytes_unchecked(tail) }.to_owned()
                    };
                    given.push(Given { flag, value: Some(value) });
                    break;
                }
                _ if first.is_ascii_graphic() => return Err(format!("unknown flag -{flag}")),
                _ => return Err(format!("unknown flag in {:?}", word.to_string_lossy())),
            }
            rest = tail;
        }
    }
    Ok(given)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(words: &[&str]) -> Result<Request, String> {
        Request::parse(&words.iter().map(OsString::from).collect::<Vec<_>>())
    }

    fn install(script: &str, minutes: Option<u32>, force: bool, host: Option<&str>) -> Request {
        Request { action: Action::Install(script.into()), minutes, force, host: host.map(str::to_owned) }
    }

    #[test]
    fn flags_are_read_as_getopt_reads_them() {
        assert_eq!(parse(&["-i", "x", "-w", "5", "-f"]), Ok(install("x", Some(5), true, None)));
        assert_eq!(parse(&["-fix", "-w5", "-Dlpar1"]), Ok(install("x", Some(5), true, Some("lpar1"))));
        assert_eq!(parse(&["-i", "-f"]), Ok(install("-f", None, false, None)));
        assert_eq!(parse(&["-l", "--"]).map(|r| r.action), Ok(Action::List));
        let uninstall = Request { action: Action::Uninstall("x".into()), minutes: None, force: false, host: None };
        assert_eq!(parse(&["-u", "x"]), Ok(uninstall));
    }

    #[test]
    fn mistakes_are_named() {
        for (words, mistake) in [
            (&[][..], "give one of -i, -u, -b, -R, -S, -l"),
            (&["-l", "-R", "/r"], "-l and -R cannot be combined: the action flags are given alone"),
            (&["-i", "x", "-u", "x"], "-i and -u cannot be combined: the action flags are given alone"),
            (&["-bl"], "-b and -l cannot be combined: the action flags are given alone"),
            (&["-u", "x", "-f"], "-f goes with -i only, not with -u"),
            (&["-l", "-w", "3"], "-w goes with -i only, not with -l"),
            (&["-b", "-D", "h"], "-D goes with -i and -u only, not with -b"),
            (&["-i", "x", "-w", "0"], "-w 0: give whole minutes, 1 or more"),
            (&["-i", "x", "-w", "2h"], "-w 2h: give whole minutes, 1 or more"),
            (&["-i"], "-i needs a value"),
            (&["-i", ""], "-i needs a script"),
            (&["-i", "x", "-i", "y"], "-i is given twice"),
            (&["-x"], "unknown flag -x"),
            (&["--help"], "unknown option \"--help\": drmgr has one-letter flags only"),
            (&["-l", "extra"], "unexpected argument \"extra\""),
            (&["-S", "two words"], "-S \"two words\": give one word of 1 to 64 printable characters"),
            (&["-u", "x", "-D", ""], "-D needs a non-empty value"),
        ] {
            assert_eq!(parse(words), Err(mistake.to_owned()), "{words:?}");
        }
    }
}
