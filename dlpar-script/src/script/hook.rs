//! The hook entry: a start of the script's own process that is a powerpc-utils
//! hook ([`crate::hook`] says what a hook is) is mapped to the AIX command whose
//! handler answers it, then answered by the ordinary dispatcher with
//! [`Launch::Hook`]: the reply turned into readable lines on stderr
//! ([`Readable`]). Before the handler runs, the signal mask powerpc-utils' drmgr
//! leaves blocked is emptied ([`unblock_signals`]).

use std::ffi::{OsStr, OsString};
use std::io::Write;

use super::Script;
use super::dispatch::{self, Env, Launch};
use crate::hook::{DrcType, Hook, HookAction, MAPPING, Reading, Runs, read};
use crate::protocol::Command;
use crate::state;
use crate::wire::Readable;

/// Answers a hook start of `script`'s own process (`argv` and the process's
/// environment), or `None` when the process was not started as a hook (arguments
/// given, no hook variables, hooks turned off). Only a start without arguments
/// reads the environment here.
pub(super) fn answer_process(script: &Script, argv: &[OsString]) -> Option<u8> {
    if argv.len() > 1 || !script.hooks {
        return None;
    }
    let env: Vec<(OsString, OsString)> = std::env::vars_os().collect();
    answer(script, argv.first().map(OsString::as_os_str), &env, &mut std::io::stderr())
}

/// Answers the hook described by `env` as `program`, writing readable lines to
/// `stderr`; `None` if `env` is not a hook's.
fn answer(
    script: &Script,
    program: Option<&OsStr>,
    env: &[(OsString, OsString)],
    stderr: &mut dyn Write,
) -> Option<u8> {
    let mut out = Readable::new(stderr);
    let (hook, warning) = match read(env) {
        Reading::NotAHook => return None,
        Reading::Ignore(warning) => return Some(out.say("warning", &warning, 0)),
        Reading::Malformed(e) => return Some(out.say("error", &e.to_string(), 1)),
        Reading::Run(hook, warning) => (hook, warning),
    };
    if let Some(warning) = &warning {
        out.line("warning", warning);
    }
    let (command, resource) = match command_for(script, &hook) {
        Ok(found) => found,
        Err(Some(warning)) => return Some(out.say("warning", &warning, 0)),
        Err(None) => return Some(0),
    };
    unblock_signals();
    let program = program.unwrap_or(OsStr::new("dlpar-script"));
    let argv = [program, OsStr::new(command.as_str()), OsStr::new(resource)].map(OsStr::to_owned).to_vec();
    // Only the state directory is passed on: the hook variables are the host's, not `DR_*`.
    let state_dir = env.iter().filter(|(k, _)| k == state::DIR_VARIABLE).cloned().collect();
    Some(dispatch::run(script, argv, Env::Given(state_dir), Launch::Hook(hook, &mut out)))
}

/// Empties the signal mask the hook inherited, before its handler runs
/// (docs/protocol.md §10). powerpc-utils' drmgr blocks every signal but twelve in
/// itself (TERM, INT, HUP, CHLD, USR1, USR2 among the blocked) and its hooks
/// inherit that mask; it protects drmgr, not the hook. Emptied, the handler and
/// whatever it starts — by any means, not only `std::process::Command`, which
/// empties a child's mask itself — get signals as any program expects (a service
/// restarted from a hook can be stopped with SIGTERM), and the runtime's own
/// SIGTERM answer works. The watchdog would work either way: drmgr never blocks
/// SIGALRM. The AIX path is left as AIX drmgr starts it.
fn unblock_signals() {
    // AIX: sigemptyset(3) and pthread_sigmask(3) are POSIX, in libc.a.
    // SAFETY: `none` is initialised by sigemptyset before use; the old mask is not
    // asked for. The process has one thread here, so the whole process is unblocked.
    unsafe {
        let mut none: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut none);
        libc::pthread_sigmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
    }
}

/// The command and resource word to answer `hook` with; otherwise the warning
/// saying why nothing runs, or `None` when nothing is due (`undocheck` by default).
fn command_for(script: &Script, hook: &Hook) -> Result<(Command, &'static str), Option<String>> {
    let action = match (hook.drc_type, hook.action) {
        (_, Some(action)) => action,
        (DrcType::Pmig, None) => HookAction::Migrate,
        (DrcType::Cpu, None) => {
            return Err(Some(format!(
                "DRC_TYPE=cpu PHASE={} without ACTION (powerpc-utils 1.3.11): a processor addition cannot be told \
                 from a removal; nothing done",
                hook.phase
            )));
        }
    };
    let row = MAPPING.iter().find(|m| (m.drc_type, m.action, m.phase) == (hook.drc_type, action, hook.phase));
    let command = match row.map(|m| m.target) {
        Some(Runs::Command(command)) => command,
        Some(Runs::OptIn(command)) if script.hook_undocheck => command,
        Some(Runs::OptIn(_)) => return Err(None),
        None => {
            return Err(Some(format!(
                "DRC_TYPE={} ACTION={action} PHASE={} is not a hook run this script answers; nothing done",
                hook.drc_type, hook.phase
            )));
        }
    };
    let word = hook.drc_type.as_str();
    if !script.resources.iter().any(|(r, _)| r.as_str() == word) {
        return Err(Some(format!(
            "this script does not register {word} (it registers: {}); nothing done",
            dispatch::registered(script)
        )));
    }
    Ok((command, word))
}

#[cfg(test)]
mod tests;
