//! Which rule of docs/protocol.md each compared aspect touches, for AIX drmgr and
//! for powerpc-utils hooks: one table, so that a change of the document is one
//! change here.

use super::point::{Aspect, Rule};

/// The host a capture was made under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Host {
    /// AIX drmgr (or drmgr-sim `run`).
    Aix,
    /// powerpc-utils' drmgr hooks (or drmgr-sim `linux`).
    Hook,
}

const fn rule(section: &'static str, text: &'static str) -> Rule {
    Rule { section, text }
}

/// The rule `aspect` touches under `host`.
pub(crate) fn rule_for(aspect: Aspect, host: Host) -> Rule {
    match (host, aspect) {
        (Host::Aix, Aspect::Sequence) => rule(
            "§7",
            "order and stops: within a phase scripts are called by name, in byte order; undo runs in the reverse \
             order; a check phase stops at the first veto",
        ),
        (Host::Aix, Aspect::Arguments) => rule("§1", "the host starts a script as `script COMMAND [RESOURCE]`"),
        (Host::Aix, Aspect::ProtocolVariables) => rule("§6", "what the host passes (host → script): the DR_* table"),
        (Host::Aix, Aspect::Path) => rule("§1", "PATH is /usr/bin:/etc:/usr/sbin and nothing else"),
        (Host::Aix, Aspect::OtherVariables | Aspect::Lang | Aspect::SimulatorVariables) => rule(
            "§1",
            "what the event is about comes only from the arguments and the DR_* variables; LANG is sometimes present",
        ),
        (Host::Aix, Aspect::WorkingDirectory) => rule("§1", "the working directory is /tmp"),
        (Host::Aix, Aspect::Identity) => rule("§1", "it runs with the user and group that own the script file"),
        (Host::Aix, Aspect::StandardDescriptors) => {
            rule("§1", "drmgr-sim gives each script standard input from /dev/null [P]; stdout is read for the reply")
        }
        (Host::Aix, Aspect::ProcessGroup) => rule("§1", "drmgr-sim gives each script a process group of its own [P]"),
        (Host::Aix, Aspect::TimeLimit) => rule(
            "§7",
            "time limits: SIGTERM to the script and its process group at DR_TIMEOUT (or -w), then SIGKILL after a \
             grace period",
        ),
        (Host::Aix, Aspect::AfterAnswer) => {
            rule("§7", "the order of the calls: a check veto stops the operation; exit 10 counts as success (§5)")
        }
        (Host::Aix, Aspect::PrintedLines) => rule("§4", "the host reads an answer leniently [P]"),
        (Host::Aix, _) => rule("§1", "how a script is started (no rule yet on this point)"),
        (Host::Hook, Aspect::Sequence) => rule(
            "§10",
            "hooks run one after another in version-sort order; a failed check runs undocheck for every hook; pre \
             again at each retry; post always",
        ),
        (Host::Hook, Aspect::Arguments) => rule("§10", "hooks run without arguments"),
        (Host::Hook, Aspect::ProtocolVariables | Aspect::OtherVariables | Aspect::Path | Aspect::Lang) => {
            rule("§10", "the environment holds exactly DRC_TYPE, DRC_COUNT, ACTION and PHASE, in that order; no PATH")
        }
        (Host::Hook, Aspect::WorkingDirectory) => rule("§10", "hooks run in /"),
        (Host::Hook, Aspect::SignalMask) => rule(
            "§10",
            "a hook inherits drmgr's mask: every signal blocked but BUS, XFSZ, SEGV, TRAP, ILL, FPE, SYS, PIPE, \
             VTALRM, ALRM, QUIT, ABRT",
        ),
        (Host::Hook, Aspect::StandardDescriptors) => rule("§10", "a hook inherits drmgr's stdin, stdout and stderr"),
        (Host::Hook, Aspect::ProcessGroup) => rule("§10", "a hook stays in drmgr's process group"),
        (Host::Hook, Aspect::TimeLimit) => rule("§10", "no time limit"),
        (Host::Hook, Aspect::AfterAnswer) => rule(
            "§10",
            "every hook runs even after another failed; only check may refuse, and then undocheck runs for every hook",
        ),
        (Host::Hook, _) => rule("§10", "how powerpc-utils starts a hook (no rule yet on this point)"),
    }
}
