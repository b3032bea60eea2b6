//! Linux on Power: the same script as a powerpc-utils `drmgr` hook.
//!
//! On Linux partitions, powerpc-utils' `drmgr` runs the executables in
//! `/etc/drmgr.d/<DRC type>/` around a partition migration (`pmig`, since 1.3.11)
//! and a processor change (`cpu`, since 1.3.12): no arguments, the working
//! directory `/`, an environment cleared to exactly `DRC_TYPE`, `PHASE`, `ACTION`
//! and `DRC_COUNT` (1.3.11 sets only the first two), drmgr's own standard
//! descriptors and process group, and drmgr's signal mask, which blocks TERM, INT,
//! HUP and most others (docs/protocol.md §10); the runtime's hook entry empties
//! that mask before the handler runs, so that the handler and what it starts get
//! signals as usual. A script built with this crate that is started **without
//! arguments** and finds `PHASE` and `DRC_TYPE` in its environment answers as
//! such a hook, with the handlers it has for AIX. Nothing new is needed in `main!` or the builder; a script can opt
//! out with [`Script::hooks(false)`](crate::Script::hooks) (`hooks: false` in `main!`).
//!
//! # The mapping (a project decision)
//!
//! One table, [`MAPPING`], turns (`DRC_TYPE`, `ACTION`, `PHASE`) into the AIX
//! command whose handler runs:
//!
//! | `DRC_TYPE` | `ACTION` | `PHASE` | handler of |
//! |---|---|---|---|
//! | `cpu` | `remove` | `pre` | `prerelease cpu` |
//! | `cpu` | `remove` | `post` | `postrelease cpu` |
//! | `cpu` | `add` | `pre` | `preacquire cpu` |
//! | `cpu` | `add` | `post` | `postacquire cpu` |
//! | `pmig` | `migrate` (or none: 1.3.11) | `check` | `checkmigrate` |
//! | `pmig` | `migrate` (or none) | `pre` | `premigrate` |
//! | `pmig` | `migrate` (or none) | `post` | `postmigrate` |
//! | `pmig` | `migrate` (or none) | `undocheck` | nothing; `undopremigrate` with [`Script::hook_undocheck`](crate::Script::hook_undocheck) |
//!
//! * **`undocheck`** runs after a failed `check`, for every hook. An AIX script's
//!   `checkmigrate` changes nothing, so by default there is nothing to undo and
//!   the hook exits 0 without running a handler, silently (as for any command
//!   without a handler). A Linux-aware script whose check
//!   does prepare something turns on [`Script::hook_undocheck`](crate::Script::hook_undocheck)
//!   (`hook_undocheck: true` in `main!`): `undocheck` then runs its
//!   `undopremigrate` handler — AIX's "the migration will not happen, undo what
//!   you did for it" — and [`Hook::phase`] tells the handler it is an `undocheck`.
//! * **powerpc-utils 1.3.11** sets no `ACTION`, and runs migration hooks only. A
//!   migration hook still works (the phase is enough: only migrations run `pmig`
//!   hooks); a processor hook started without `ACTION` cannot tell an addition
//!   from a removal, so it warns and does nothing.
//! * **Other combinations** — an unknown `PHASE`, `ACTION` or `DRC_TYPE` (a newer
//!   powerpc-utils, a typo in a hand-run test), `check` on `cpu`, a resource the
//!   script does not register — warn on stderr and exit 0: never a veto.
//!
//! # What a handler sees
//!
//! The same typed events as on AIX, with what Linux gives: [`CpuEvent::count`](crate::event::CpuEvent::count)
//! is `DRC_COUNT` (the requested count in `pre`, the count actually changed in
//! `post`), and the AIX-only fields (`bcpuid`, `lcpuid`) are `None`.
//! [`Context::host`](crate::Context::host) says which host runs the script: a
//! [`Host::PowerpcUtils`] carries the [`Hook`] variables for any handler, the
//! general-event ones included. `DRC_COUNT` that is not a decimal count is an
//! error naming the variable (exit 1), except in `check`, where it is a warning
//! and the count is `None`: a check must not veto on our parsing.
//!
//! # What the hook answers
//!
//! powerpc-utils reads only the exit status: 0 is success, anything else a
//! failure, and only a failed `check` stops the migration. What the runtime
//! would write as `DR_*` lines goes to **stderr** as readable lines: `error: …`
//! (the `DR_ERROR` of a failed handler, and `log::error!`), `warning: …`,
//! `info: …`, `debug: …`, `emergency: …`. A hook's stderr is drmgr's own (its
//! terminal, or whatever its caller gave it): powerpc-utils' log gets only
//! drmgr's own messages (`hook '…' exited with status 1`), never a hook's
//! output. Nothing is written to stdout. The gating is the one of
//! `DR_DETAIL_LEVEL` 0 (errors and warnings only), since powerpc-utils passes no
//! detail level. Logging, phase state, the watchdog (against the script's own
//! `timeout:`; exit 124) and panics (a failure naming the handler) work as on AIX.
//! The environment is empty apart from the hook variables, so nothing the
//! runtime does depends on `PATH`; `DLPAR_STATE_DIR`, when set, still moves the
//! phase state (for tests).

mod map;

use std::ffi::{OsStr, OsString};

pub use map::{MAPPING, Mapping, Runs};

use crate::event::{DecodeError, Event};

/// The host running the script.
///
/// ```
/// use dlpar_script::hook::{Host, HookAction, HookPhase};
/// use dlpar_script::prelude::*;
///
/// fn follow(ev: &CpuEvent, cx: &mut Context) -> Result<()> {
///     match cx.host() {
///         Host::PowerpcUtils(hook) => {
///             assert_eq!((hook.action(), hook.phase()), (Some(HookAction::Remove), HookPhase::Post));
///             log::warn!("{:?} processors removed", ev.count);
///         }
///         _ => log::warn!("processor {:?} removed", ev.bcpuid),
///     }
///     Ok(())
/// }
/// let script = Script::new("Acme", "demo").version(1).date("22112026")
///     .resource(Resource::Cpu, "Acme threads follow processors")
///     .on(Command::PostRelease, Resource::Cpu, follow);
/// let answer = dlpar_script::testing::invoke_with_env(&script, ["postrelease", "cpu"], [("DR_BCPUID", "3")]);
/// assert_eq!(answer.stdout, "DR_LOG_WARNING=\"processor Some(3) removed\"\n");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Host {
    /// AIX `drmgr` (or drmgr-sim `run`): a command word and `DR_*` variables.
    #[default]
    Aix,
    /// powerpc-utils `drmgr` on Linux, running the script as a hook.
    PowerpcUtils(Hook),
}

/// The variables of one hook run, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hook {
    pub(crate) drc_type: DrcType,
    pub(crate) action: Option<HookAction>,
    pub(crate) phase: HookPhase,
    pub(crate) count: Option<u32>,
}

impl Hook {
    /// `DRC_COUNT`, the name of [`Hook::count`]'s variable (powerpc-utils 1.3.12 and
    /// later), as the other hook variables are [`DrcType::VARIABLE`],
    /// [`HookPhase::VARIABLE`] and [`HookAction::VARIABLE`].
    ///
    /// ```
    /// use dlpar_script::hook::{DrcType, Hook, HookAction, HookPhase};
    ///
    /// let names = [DrcType::VARIABLE, HookAction::VARIABLE, HookPhase::VARIABLE, Hook::COUNT];
    /// assert_eq!(names, ["DRC_TYPE", "ACTION", "PHASE", "DRC_COUNT"]);
    /// ```
    pub const COUNT: &'static str = "DRC_COUNT";

    /// `DRC_TYPE`.
    pub fn drc_type(&self) -> DrcType {
        self.drc_type
    }

    /// `ACTION`; `None` from powerpc-utils 1.3.11, which does not set it.
    pub fn action(&self) -> Option<HookAction> {
        self.action
    }

    /// `PHASE`.
    pub fn phase(&self) -> HookPhase {
        self.phase
    }

    /// `DRC_COUNT`: for `cpu`, the requested count in `pre` and the count actually
    /// changed in `post`; 0 for `pmig`. `None` when absent (1.3.11) or, in
    /// `check`, malformed.
    pub fn count(&self) -> Option<u32> {
        self.count
    }
}

/// Declares a closed set of hook words with their spelling.
macro_rules! words {
    ($(#[$doc:meta])* $name:ident, $variable:literal { $($(#[$vdoc:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        crate::protocol::word_enum! {
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum $name {
                $($(#[$vdoc])* $variant = $word,)+
            }
        }

        impl $name {
            /// The variable this word is the value of.
            pub const VARIABLE: &'static str = $variable;

            /// The word as powerpc-utils spells it, if it is one of these.
            fn parse(word: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|w| w.as_str() == word)
            }
        }
    };
}

words! {
    /// `DRC_TYPE`: the hook directory that runs. Only these two have hooks.
    DrcType, "DRC_TYPE" {
        /// `cpu`: processors.
        Cpu = "cpu",
        /// `pmig`: partition migration.
        Pmig = "pmig",
    }
}

words! {
    /// `PHASE`.
    HookPhase, "PHASE" {
        /// `check`: may the migration happen? Non-zero vetoes.
        Check = "check",
        /// `undocheck`: a check failed; the migration will not happen.
        Undocheck = "undocheck",
        /// `pre`: before the operation (again on each retry of a migration).
        Pre = "pre",
        /// `post`: after the operation, even a failed one.
        Post = "post",
    }
}

words! {
    /// `ACTION` (powerpc-utils 1.3.12 and later): the words hooks receive.
    HookAction, "ACTION" {
        /// `add`: processors are added.
        Add = "add",
        /// `remove`: processors are removed.
        Remove = "remove",
        /// `migrate`: the partition migrates.
        Migrate = "migrate",
    }
}

/// What the hook variables of a process say, before the script is asked.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Reading {
    /// Not a hook start: the AIX protocol applies.
    NotAHook,
    /// A hook with nothing to run: the warning to print, exit 0.
    Ignore(String),
    /// `DRC_COUNT` is malformed outside `check`: the error to print, exit 1.
    Malformed(DecodeError),
    /// A hook to answer, with a warning to print first, if any.
    Run(Hook, Option<String>),
}

/// Reads the hook variables among `env`: `PHASE` and `DRC_TYPE` make a hook.
pub(crate) fn read(env: &[(OsString, OsString)]) -> Reading {
    let mut vars: [Option<&OsStr>; 4] = Default::default();
    const NAMES: [&str; 4] = [DrcType::VARIABLE, HookPhase::VARIABLE, HookAction::VARIABLE, Hook::COUNT];
    for (k, v) in env {
        if let Some(i) = NAMES.iter().position(|n| k == n) {
            vars[i] = Some(v);
        }
    }
    let [Some(drc_type), Some(phase), action, count] = vars else { return Reading::NotAHook };
    let word = |value: &OsStr| value.to_string_lossy().into_owned();
    let unknown = |name: &str, value: &OsStr, known: &str| {
        Reading::Ignore(format!(
            "{name}={:?} is not a value this script knows ({known}); nothing done",
            value.to_string_lossy()
        ))
    };
    let Some(drc_type) = DrcType::parse(&word(drc_type)) else {
        return unknown(DrcType::VARIABLE, drc_type, "cpu, pmig");
    };
    let Some(phase) = HookPhase::parse(&word(phase)) else {
        return unknown(HookPhase::VARIABLE, phase, "check, undocheck, pre, post");
    };
    let action = match action {
        None => None,
        Some(value) => match HookAction::parse(&word(value)) {
            Some(action) => Some(action),
            None => return unknown(HookAction::VARIABLE, value, "add, remove, migrate"),
        },
    };
    let (count, warning) = match count.map(parse_count) {
        None => (None, None),
        Some(Ok(count)) => (Some(count), None),
        Some(Err(e)) if phase == HookPhase::Check => (None, Some(format!("{e}; the check goes on without it"))),
        Some(Err(e)) => return Reading::Malformed(e),
    };
    Reading::Run(Hook { drc_type, action, phase, count }, warning)
}

fn parse_count(raw: &OsStr) -> Result<u32, DecodeError> {
    let text = raw.to_string_lossy();
    let trimmed = text.trim();
    let digits = !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit());
    digits
        .then(|| trimmed.parse().ok())
        .flatten()
        .ok_or_else(|| DecodeError::new(Hook::COUNT, text.as_ref(), "a decimal count from 0 to 4294967295"))
}

/// The host a handler runs under: powerpc-utils when started as `hook`, else AIX.
pub(crate) fn host(hook: Option<Hook>) -> Host {
    match hook {
        Some(hook) => Host::PowerpcUtils(hook),
        None => Host::Aix,
    }
}

/// The decoded event, completed with what the hook variables carry.
pub(crate) fn complete(hook: Option<Hook>, event: Event) -> Event {
    match (hook, event) {
        (Some(hook), Event::Cpu(mut cpu)) => {
            cpu.count = hook.count;
            Event::Cpu(cpu)
        }
        (_, event) => event,
    }
}
