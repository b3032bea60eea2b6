//! From one command line to one answer (docs/protocol.md §5).
//!
//! | situation | stdout | exit |
//! |---|---|---|
//! | install command | its `DR_*` lines | 0 |
//! | event command without a handler | nothing (`DR_*` variables are not read) | 0 |
//! | … that has handlers in its family | nothing; [phase state](crate::state) kept tidy | 0 |
//! | handler returns `Ok` | its log lines | 0 |
//! | handler returns `Err` | `DR_ERROR` with the error's text and causes ([`Error::reply_text`](crate::Error::reply_text)) | 1 |
//! | handler panics | `DR_ERROR` naming the handler and the panic message | 1 |
//! | malformed `DR_*` value | `DR_ERROR` naming the variable and the value | 1 |
//! | missing or extra argument, unregistered or invalid resource | `DR_ERROR` saying so | 1 |
//! | invalid script metadata | `DR_ERROR` listing every problem | 1 |
//! | unknown command word | `DR_ERROR` naming it | 10 |
//! | handler still running near `DR_TIMEOUT` (real process only) | log lines so far, `DR_ERROR` | 124 |
//! | host sends `SIGTERM` while a handler runs (real process only) | log lines so far, `DR_ERROR` saying so | 143 |
//! | a handler's panic panics again while unwinding (Rust aborts) | `DR_ERROR` naming both panics (real process only) | killed by `SIGABRT` |
//! | the handler closed the reply's copy of stdout (real process only) | nothing; the reply on stderr, after a note | as above |
//! | a process the handler forked returns into the runtime | nothing (only the host's process answers) | 0 or 1, to whoever waits for it |
//!
//! Whatever the exit, the reply stays within [`wire::MAX_BYTES`](crate::wire::MAX_BYTES):
//! log lines that do not fit are dropped and counted in one `DR_LOG_WARNING`.
//!
//! Around an event handler, the runtime routes `log` records to the reply
//! ([`logging`](crate::logging)), discards stale [phase state](crate::state)
//! before it and clears the operation's state after a post or undo handler, and
//! in a real process points fd 1 at stderr and arms the [watchdog](crate::watchdog)
//! (see [`Script::run`]).

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use super::handler::Handler;
use super::{Context, Script, Target, panic, stdio};
use crate::event::{Common, DetailLevel, DrEnv, Event};
use crate::hook::{self, Hook};
use crate::logging::{self, Mirrors, Sink};
use crate::protocol::{Command, Invocation, Resource};
use crate::state::{self, Store};
use crate::watchdog;
use crate::wire::{Key, LogLevel, Output, note};

/// How the command is answered: in a real script process ([`Script::run`],
/// [`Script::run_c_main`]), which writes the reply to stdout, keeps handlers away
/// from it, answers `SIGTERM`, arms the watchdog when the script declares a
/// timeout and has not turned it off, and shows log lines on stderr when stdout is
/// a terminal; or in the caller's process ([`Script::run_with`]), which writes the
/// reply to the caller's writer and does none of the rest.
///
/// The writers are trait objects, the command line arrives as owned `OsString`s
/// collected at the public entry points and the environment as an [`Env`]: the
/// dispatcher is compiled once, whatever the caller passes.
pub(crate) enum Launch<'w> {
    /// The script's own process.
    Process,
    /// Somebody else's process (a test, a host embedding the script), and its writer.
    InProcess(&'w mut dyn Write),
    /// The script's own process, started as a powerpc-utils hook ([`crate::hook`]),
    /// and the writer that turns the reply into readable lines on stderr; the
    /// watchdog and the `SIGTERM` answer write such lines too.
    Hook(Hook, &'w mut dyn Write),
}

/// The environment a command is answered with.
pub(crate) enum Env {
    /// The process's own, read only when an event command is due: `scriptinfo`,
    /// `register`, `usage` and every refused command never copy it.
    Process,
    /// The caller's pairs (in-process, or what a hook passes on).
    Given(Vec<(OsString, OsString)>),
}

/// Answers the command on `argv` (the program name first) with `env` as the
/// environment; returns the exit status.
pub(crate) fn run(script: &Script, argv: Vec<OsString>, env: Env, launch: Launch<'_>) -> u8 {
    let started = Instant::now();
    let process = !matches!(launch, Launch::InProcess(_));
    let hook = match &launch {
        Launch::Hook(hook, _) => Some(*hook),
        Launch::Process | Launch::InProcess(_) => None,
    };
    // A hook's reply is turned into readable lines on the way out, by its writer.
    let output = match launch {
        Launch::Process => Output::process(),
        Launch::Hook(..) => Output::hook(),
        Launch::InProcess(_) => Output::new(),
    };
    let mut argv = argv.into_iter();
    let program = argv.next();
    let name = script.name.clone().unwrap_or_else(|| program_name(program.as_deref()));
    let code = match answer(script, argv, &output) {
        Step::Done(code) => code,
        Step::Event(invocation, handler) => {
            // One pass: the `DR_*` variables are copied, and the state directory; nothing else.
            let pairs: Box<dyn Iterator<Item = (OsString, OsString)>> = match env {
                Env::Process => Box::new(std::env::vars_os()),
                Env::Given(pairs) => Box::new(pairs.into_iter()),
            };
            let mut state_dir: Option<OsString> = None;
            let env = DrEnv::from_pairs(pairs.filter_map(|(k, v)| {
                if k == state::DIR_VARIABLE {
                    state_dir = Some(v);
                    return None;
                }
                Some((k, v))
            }));
            let store = Store::new(
                state_dir.as_deref(),
                script.state_dir.as_deref(),
                script.state_max_age,
                &name,
                invocation.command,
                invocation.resource.as_ref(),
            );
            // A hook's reply is on stderr already: no second copy of its log lines there.
            let mirrors = Mirrors { terminal: process && hook.is_none(), syslog: script.syslog.clone() };
            match handler {
                Some(handler) => {
                    let start = Start { name, env, started, store, mirrors, process, hook };
                    run_handler(script, invocation, handler, start, &output)
                }
                None => {
                    let _scope = logging::enter(Sink::new(output.clone(), DetailLevel::default(), mirrors));
                    store.before_handler();
                    store.after_handler();
                    0
                }
            }
        }
    };
    // Only the process that may answer gets here: a forked child exits in run_handler.
    match launch {
        Launch::Process => output.finish(io::sink()),
        Launch::InProcess(out) | Launch::Hook(_, out) => output.finish(out),
    }
    code
}

/// The name a script was started as, without its directory.
fn program_name(program: Option<&OsStr>) -> String {
    program
        .and_then(|p| Path::new(p).file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dlpar-script".to_owned())
}

enum Step<'s> {
    Done(u8),
    /// An event command, with its handler if the script has one.
    Event(Invocation, Option<&'s Handler>),
}

fn fail(output: &Output, message: &str, code: u8) -> Step<'static> {
    output.error(message);
    Step::Done(code)
}

fn answer<'s>(script: &'s Script, args: impl Iterator<Item = OsString>, output: &Output) -> Step<'s> {
    if let Err(invalid) = script.validate() {
        return fail(output, &format!("invalid script: {invalid}"), 1);
    }
    let invocation = match Invocation::parse(args) {
        Ok(invocation) => invocation,
        Err(e) => return fail(output, &e.to_string(), e.exit_code()),
    };
    match invocation.command {
        Command::ScriptInfo => {
            output.with(|r| {
                r.token(&Key::VERSION, script.version.unwrap_or_default());
                r.token(&Key::DATE, script.date.as_deref().unwrap_or_default());
                r.text(&Key::SCRIPTINFO, &script.info);
                r.text(&Key::VENDOR, &script.vendor);
                if let Some(timeout) = script.timeout {
                    r.token(&Key::TIMEOUT, timeout);
                }
            });
            Step::Done(0)
        }
        Command::Register => {
            output.with(|r| script.resources.iter().for_each(|(res, _)| r.token(&Key::RESOURCE, res)));
            Step::Done(0)
        }
        Command::Usage => match usage_of(script, invocation.resource.as_ref()) {
            Ok(usage) => {
                output.with(|r| r.text(&Key::USAGE, usage));
                Step::Done(0)
            }
            Err(message) => fail(output, &message, 1),
        },
        command => {
            let family = command.family();
            if !family.resource_optional()
                && let Err(message) = usage_of(script, invocation.resource.as_ref())
            {
                return fail(output, &message, 1);
            }
            match find(script, command, invocation.resource.as_ref()) {
                Some(handler) => Step::Event(invocation, Some(handler)),
                None if script.handlers.iter().any(|h| h.command.family() == family) => Step::Event(invocation, None),
                None => Step::Done(0),
            }
        }
    }
}

/// The usage text of a registered resource, or the message for an unregistered one.
fn usage_of<'s>(script: &'s Script, resource: Option<&Resource>) -> Result<&'s str, String> {
    let resource = resource.expect("argv decoding guarantees a resource for this command");
    match script.resources.iter().find(|(r, _)| r == resource) {
        Some((_, usage)) => Ok(usage),
        None => {
            Err(format!("resource {resource} is not registered by this script (it registers: {})", registered(script)))
        }
    }
}

/// The resources `script` registers, for a message: `cpu, mem`, or `nothing`.
pub(super) fn registered(script: &Script) -> String {
    let known: Vec<&str> = script.resources.iter().map(|(r, _)| r.as_str()).collect();
    if known.is_empty() { "nothing".to_owned() } else { known.join(", ") }
}

/// The handler for a command: the one naming the resource, else the family-wide one.
fn find<'s>(script: &'s Script, command: Command, resource: Option<&Resource>) -> Option<&'s Handler> {
    let named = resource.map(|r| Target::Resource(r.clone()));
    let on = |target: &Target| script.handlers.iter().find(|h| h.command == command && h.target == *target);
    named.as_ref().and_then(on).or_else(|| on(&Target::AnyResource))
}

/// Ends a process that a handler forked (without exec) and that returned into the
/// runtime: only the process the host started answers, and only it keeps phase
/// state tidy, so this one writes no reply, touches no state and exits at once
/// (`_exit`: nothing of the parent's is flushed twice), with 0 if the handler's
/// code returned `Ok` in it, else 1, for whoever waits for it.
fn forked_child_exits<T>(handler: &str, outcome: &Result<crate::Result<T>, String>) -> ! {
    note(format_args!(
        "a process forked by handler {handler} returned into the runtime; only the process the host started \
         answers, so this one exits without a reply (end a forked child with exec or _exit)"
    ));
    let code = if matches!(outcome, Ok(Ok(_))) { 0 } else { 1 };
    // AIX: _exit is POSIX; nothing AIX-specific to verify.
    // SAFETY: `_exit` ends the process at once; nothing is left to run in this one.
    unsafe { libc::_exit(code) }
}

/// What the dispatcher knows about the process when an event handler is due.
struct Start {
    name: String,
    env: DrEnv,
    started: Instant,
    store: Store,
    mirrors: Mirrors,
    /// Whether this is the script's own process.
    process: bool,
    /// The hook variables, when the process was started as a powerpc-utils hook.
    hook: Option<Hook>,
}

fn run_handler(script: &Script, invocation: Invocation, handler: &Handler, ctx: Start, output: &Output) -> u8 {
    let common = Common::decode(&ctx.env);
    let log = Sink::new(output.clone(), common.detail_level, ctx.mirrors);
    let _scope = logging::enter(log.clone());
    for warning in &common.warnings {
        log.emit(LogLevel::Warning, warning);
    }
    let event = match Event::decode(invocation.resource.as_ref(), &ctx.env) {
        Ok(event) => hook::complete(ctx.hook, event),
        Err(e) => {
            output.error(&e.to_string());
            return 1;
        }
    };
    let mut cx = Context {
        command: invocation.command,
        resource: invocation.resource,
        script: ctx.name,
        handler: handler.name.clone(),
        common,
        env: ctx.env,
        limit: script.timeout.map(|s| Duration::from_secs(s.into())),
        started: ctx.started,
        log,
        store: ctx.store,
        host: hook::host(ctx.hook),
    };
    cx.store.before_handler();
    if ctx.process {
        output.claim();
    }
    let watchdog = ctx.process.then(|| {
        if ctx.hook.is_none()
            && let Some(private) = stdio::divert_stdout()
        {
            output.send_to(private);
        }
        let limit = cx.limit.filter(|_| script.watchdog);
        watchdog::guard(output.clone(), &handler.name, ctx.started, limit, ctx.hook.is_some())
    });
    let outcome = panic::catch(&handler.name, output, || handler.call(&event, &mut cx));
    if !output.is_answerer() {
        forked_child_exits(&handler.name, &outcome);
    }
    if let Some(watchdog) = watchdog {
        watchdog.disarm();
    }
    let code = match outcome {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => {
            output.error(&e.reply_text());
            1
        }
        Err(message) => {
            output.error(&format!("handler {} panicked: {message}", handler.name));
            1
        }
    };
    cx.store.after_handler();
    code
}
