use std::time::Duration;

use dlpar_script::protocol::{Command, Phase, Resource};
use dlpar_script::wire::{Key, LogLevel, ParsedReply};

use crate::End;

/// What one command of one script did: how it ended, how long it took, what it said.
///
/// ```
/// # use drmgr_sim::{Invocation, Verdict};
/// # fn check(invocation: &Invocation) {
/// if invocation.verdict() == Verdict::Failed {
///     eprintln!("{} {}: {}", invocation.script, invocation.command, invocation.failure().unwrap());
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Invocation {
    /// The script's installed name.
    pub script: String,
    /// The command word (argv\[1\]).
    pub command: Command,
    /// The resource word (argv\[2\]), if one was passed.
    pub resource: Option<Resource>,
    /// How it ended.
    pub end: End,
    /// Wall-clock time from start to end.
    pub duration: Duration,
    /// Its stdout, parsed (at most [`MAX_REPLY_BYTES`](dlpar_script::wire::MAX_REPLY_BYTES) read;
    /// the first 1000 `DR_LOG_*` pairs, 1000 other pairs and 20 warnings kept, the rest
    /// counted in [`notes`](Invocation::notes)).
    pub reply: ParsedReply,
    /// Its stderr (at most [`Runner::STDERR_LIMIT`](crate::Runner::STDERR_LIMIT) bytes, lossily UTF-8).
    pub stderr: String,
    /// What drmgr-sim noticed beyond the reply's own warnings: output cut, pairs
    /// glued on one line, exit 10, a failure without `DR_ERROR`, …
    pub notes: Vec<String>,
}

/// What an invocation means for its phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Exit 0.
    Success,
    /// Exit 10: the script does not support this command; a warning, and success.
    NotSupported,
    /// Anything else: a non-zero exit, a signal, a time-out, a script that could not start.
    Failed,
}

impl Verdict {
    /// The word used in JSON: `success`, `not_supported`, `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Success => "success",
            Verdict::NotSupported => "not_supported",
            Verdict::Failed => "failed",
        }
    }
}

impl Invocation {
    /// The exit status that means "this command is not supported by me" (docs/protocol.md §5).
    pub const NOT_SUPPORTED: i32 = 10;

    pub(crate) fn new(script: &str, command: Command, resource: Option<Resource>) -> Invocation {
        Invocation {
            script: script.to_owned(),
            command,
            resource,
            end: End::NotStarted(String::new()),
            duration: Duration::ZERO,
            reply: ParsedReply::default(),
            stderr: String::new(),
            notes: Vec::new(),
        }
    }

    /// The phase of the command (`check`, `pre`, `post`, `undo`, `install`).
    pub fn phase(&self) -> Phase {
        self.command.phase()
    }

    /// Success, not supported (exit 10), or failure.
    pub fn verdict(&self) -> Verdict {
        match self.end {
            End::Exited(0) => Verdict::Success,
            End::Exited(Invocation::NOT_SUPPORTED) => Verdict::NotSupported,
            _ => Verdict::Failed,
        }
    }

    /// Whether the phase counts this invocation as a success (exit 0 or exit 10).
    pub fn succeeded(&self) -> bool {
        self.verdict() != Verdict::Failed
    }

    /// `DR_ERROR`, joined with `"; "` if the script gave several.
    pub fn error(&self) -> Option<String> {
        self.reply.error()
    }

    /// The `DR_LOG_*` lines, in order.
    pub fn logs(&self) -> impl Iterator<Item = (LogLevel, &str)> {
        self.reply.logs()
    }

    /// Why the invocation failed, in words (`exit 1`, `killed by SIGSEGV`, …), or
    /// `None` when it did not fail.
    pub fn failure(&self) -> Option<String> {
        (self.verdict() == Verdict::Failed).then(|| self.end.to_string())
    }

    /// Why the invocation failed, for a trace's reason or note: its `DR_ERROR` if it
    /// gave one, else how it ended.
    pub(crate) fn why(&self) -> String {
        self.error().unwrap_or_else(|| self.end.to_string())
    }

    /// Every warning, in order: the reply's protocol warnings (the first 20 are
    /// kept, the rest counted in a note), then drmgr-sim's own notes.
    pub fn warnings(&self) -> Vec<String> {
        self.reply.warnings.iter().map(ToString::to_string).chain(self.notes.iter().cloned()).collect()
    }

    /// Takes the parsed stdout and notes the oddities the parser leaves to the host.
    pub(crate) fn read_reply(&mut self, reply: ParsedReply) {
        self.reply = reply;
        for pair in &self.reply.pairs {
            if let Some(glued) = glued_name(&pair.value) {
                self.notes.push(format!(
                    "line {}: the value of {} contains {glued}=: two pairs glued on one line? kept as one value",
                    pair.line, pair.name
                ));
            }
        }
    }

    /// Notes what the end means, once the end is known.
    pub(crate) fn judge(&mut self) {
        match self.verdict() {
            Verdict::NotSupported => self
                .notes
                .push(format!("exit 10: {} is not supported by this script; treated as success", self.command)),
            Verdict::Failed if matches!(self.end, End::Exited(_)) && self.error().is_none() => {
                self.notes.push("failed without DR_ERROR: the protocol expects one saying why".to_owned())
            }
            Verdict::Success if self.error().is_some() => self.notes.push(
                "DR_ERROR with exit 0: drmgr reads exit 0 as success and ignores the error; exit 1 to report a \
                 failure"
                    .to_owned(),
            ),
            Verdict::Success | Verdict::Failed => {}
        }
    }
}

/// The sign of two pairs written on one line, `DR_ERROR="no"DR_LOG_INFO="x"`: a
/// double quote immediately followed by a protocol name and `=` inside a value
/// (the parser took the first pair's closing quote as part of its value). Only that
/// shape counts: text that merely mentions `NAME=value` (the runtime's watchdog
/// message says `DR_TIMEOUT=30 s`) is not flagged, and the runtime itself never
/// writes a double quote inside a value (its encoder turns it into `'`).
fn glued_name(value: &str) -> Option<&str> {
    value.match_indices("\"DR_").find_map(|(at, _)| {
        let rest = &value[at + 1..];
        let name = &rest[..rest.find('=')?];
        Key::new(name).is_ok().then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::glued_name;

    #[test]
    fn glued_pairs_are_recognised_and_plain_text_is_not() {
        assert_eq!(glued_name("no\"DR_LOG_INFO=\"x"), Some("DR_LOG_INFO"));
        assert_eq!(glued_name("no\"DR_ERROR=x"), Some("DR_ERROR"));
        assert_eq!(glued_name("set DR_FOO = 1"), None);
        assert_eq!(glued_name("DR_ and = apart"), None);
        assert_eq!(glued_name("plain"), None);
        assert_eq!(glued_name("pool=512MB DR_MEM_SIZE_REQUEST=256 seen"), None);
        assert_eq!(glued_name("a \"DR_ = x"), None);
    }

    /// Every shape of message the runtime writes, through its own encoder: none reads
    /// as two glued pairs, however much `NAME=value` text it holds.
    #[test]
    fn the_runtime_s_own_messages_are_never_taken_for_glued_pairs() {
        use dlpar_script::wire::{Key, LogLevel, Reply, parse_reply};
        let messages = [
            "time limit reached in keep_cpu0: still running 0.5 s before the end of DR_TIMEOUT=10 s",
            "DR_DETAIL_LEVEL=\"high\" is malformed: expected a decimal level from 0 to 5; using 0",
            "DR_FORCE=\"maybe\" is malformed: expected TRUE, FALSE, YES, NO, 1 or 0 (any case); reading it as not forced",
            "DR_DETAIL_LEVEL=9 is above 5; using 5",
            "DR_BCPUID=\"three\" is malformed: expected a decimal CPU id from 0 to 4294967295",
            "handler keep_cpu0 panicked: config says \"DR_MEM_SIZE_REQUEST=0\"",
            "pool=512MB DR_FREE_FRAMES=0x4000",
        ];
        let mut reply = Reply::new();
        for message in messages {
            reply.error(message);
            reply.log(LogLevel::Info, message);
            reply.text(&Key::SCRIPTINFO, message);
        }
        let parsed = parse_reply(reply.as_bytes());
        assert_eq!(parsed.pairs.len(), messages.len() * 3);
        for pair in &parsed.pairs {
            assert_eq!(glued_name(&pair.value), None, "{}={:?}", pair.name, pair.value);
        }
    }
}
