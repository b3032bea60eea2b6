use std::time::Duration;

use dlpar_script::protocol::{Command, Phase, Resource};
use dlpar_script::wire::{LogLevel, ParsedReply};

use crate::runner::{Call, Called, End};

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

    /// The record of `call`, from what the runner saw of it, with the notes on what
    /// its end means for its phase.
    pub(crate) fn new(call: &Call<'_>, called: Called) -> Invocation {
        let Called { end, duration, reply, stderr, notes } = called;
        let (script, command, resource) = (call.name.to_owned(), call.command, call.resource.cloned());
        let mut invocation = Invocation { script, command, resource, end, duration, reply, stderr, notes };
        invocation.judge();
        invocation
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

    /// Notes what the end means, once the end is known.
    fn judge(&mut self) {
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
