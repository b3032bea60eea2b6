use std::ffi::{OsStr, OsString};

use super::{Command, Resource, ResourceNameError};

/// One decoded command line: `script COMMAND [RESOURCE]`.
///
/// Rules (docs/protocol.md §2): `scriptinfo` and `register` take no resource; `usage` and the
/// remove and add commands take exactly one; the migrate, hibernate, accelerator and
/// topology commands take an optional one, and accept any word there: a word that is
/// not a valid resource name is treated as absent (the family-wide handler still runs).
///
/// ```
/// use dlpar_script::protocol::{Command, Invocation, Resource};
///
/// let inv = Invocation::parse(["checkrelease", "cpu"]).unwrap();
/// assert_eq!(inv.command, Command::CheckRelease);
/// assert_eq!(inv.resource, Some(Resource::Cpu));
///
/// let inv = Invocation::parse(["premigrate"]).unwrap();
/// assert_eq!(inv.resource, None);
///
/// let err = Invocation::parse(["prerelease"]).unwrap_err();
/// assert_eq!(err.to_string(), "command \"prerelease\" needs a resource argument (for example cpu or mem)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The command word (argv\[1\]).
    pub command: Command,
    /// The resource word (argv\[2\]), when one was given and is valid.
    pub resource: Option<Resource>,
}

/// Why a command line could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArgError {
    /// No argv\[1\] at all.
    #[error("no command word given: usage is `SCRIPT COMMAND [RESOURCE]`, for example `SCRIPT scriptinfo`")]
    MissingCommand,
    /// argv\[1\] is not a command word of the protocol. Answered with exit status 10.
    #[error("command {0:?} is not supported by this script")]
    UnknownCommand(String),
    /// A command that needs a resource got none.
    #[error("command \"{0}\" needs a resource argument (for example cpu or mem)")]
    MissingResource(Command),
    /// More arguments than the command takes.
    #[error("command \"{command}\" takes {takes}, but got an extra argument {extra:?}")]
    ExtraArgument {
        /// The command word.
        command: Command,
        /// What the command accepts, in words.
        takes: &'static str,
        /// The first argument too many.
        extra: String,
    },
    /// The resource word is not a valid resource name.
    #[error("command \"{command}\": {source}")]
    InvalidResource {
        /// The command word.
        command: Command,
        /// What is wrong with the word.
        source: ResourceNameError,
    },
}

impl Invocation {
    /// Decodes the arguments after the program name (argv\[1..\]).
    pub fn parse<I>(args: I) -> Result<Invocation, ArgError>
    where
        I: IntoIterator,
        I::Item: AsRef<OsStr>,
    {
        let args: Vec<OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
        let lossy = |i: usize| args[i].to_string_lossy().into_owned();
        let word = args.first().ok_or(ArgError::MissingCommand)?;
        let command: Command =
            word.to_str().and_then(|w| w.parse().ok()).ok_or_else(|| ArgError::UnknownCommand(lossy(0)))?;

        let (max_args, takes) = match command {
            Command::ScriptInfo | Command::Register => (1, "no resource"),
            _ => (2, "one resource"),
        };
        if args.len() > max_args {
            return Err(ArgError::ExtraArgument { command, takes, extra: lossy(max_args) });
        }
        let optional = command.family().resource_optional();
        let resource = match args.get(1) {
            None if max_args == 2 && !optional => return Err(ArgError::MissingResource(command)),
            None => None,
            Some(word) => {
                let parsed = word.to_str().unwrap_or("\u{fffd}").parse::<Resource>();
                match parsed {
                    Ok(resource) => Some(resource),
                    Err(_) if optional => None,
                    Err(source) => return Err(ArgError::InvalidResource { command, source }),
                }
            }
        };
        Ok(Invocation { command, resource })
    }
}

impl ArgError {
    /// The exit status the protocol prescribes for this error: 10 for a command word
    /// the script does not support, 1 for every other malformed command line.
    ///
    /// ```
    /// use dlpar_script::protocol::Invocation;
    /// assert_eq!(Invocation::parse(["frobnicate"]).unwrap_err().exit_code(), 10);
    /// assert_eq!(Invocation::parse(["usage"]).unwrap_err().exit_code(), 1);
    /// ```
    pub fn exit_code(&self) -> u8 {
        match self {
            ArgError::UnknownCommand(_) => 10,
            _ => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_commands_take_no_resource_except_usage() {
        assert!(Invocation::parse(["scriptinfo"]).is_ok());
        let err = Invocation::parse(["register", "cpu"]).unwrap_err();
        assert_eq!(err.to_string(), "command \"register\" takes no resource, but got an extra argument \"cpu\"");
        assert_eq!(Invocation::parse(["usage", "mem"]).unwrap().resource, Some(Resource::Mem));
    }

    #[test]
    fn event_commands_refuse_a_third_argument() {
        let err = Invocation::parse(["checkrelease", "cpu", "now"]).unwrap_err();
        assert!(matches!(err, ArgError::ExtraArgument { ref extra, .. } if extra == "now"));
    }

    #[test]
    fn optional_families_accept_any_word() {
        let inv = Invocation::parse(["checkmigrate", "Not A Word"]).unwrap();
        assert_eq!(inv.resource, None);
        let inv = Invocation::parse(["pretopologyupdate", "topology"]).unwrap();
        assert_eq!(inv.resource, Some(Resource::from_static("topology")));
    }

    #[test]
    fn required_resource_must_be_valid() {
        let err = Invocation::parse(["checkacquire", "CPU"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "command \"checkacquire\": invalid resource name \"CPU\": byte 0 ('C') is not one of a-z, 0-9, _"
        );
    }

    #[test]
    fn non_utf8_command_is_unknown() {
        use std::os::unix::ffi::OsStrExt;
        let err = Invocation::parse([OsStr::from_bytes(b"check\xffrelease")]).unwrap_err();
        assert_eq!(err, ArgError::UnknownCommand("check\u{fffd}release".into()));
        assert_eq!(Invocation::parse(Vec::<String>::new()).unwrap_err(), ArgError::MissingCommand);
    }
}
