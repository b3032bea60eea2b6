//! One invocation: probe, record, then answer (experiment, plain success, or the
//! runtime for the install commands).

use std::ffi::{CStr, OsStr, c_char, c_int};
use std::os::unix::ffi::OsStrExt;

use dlpar_script::__fs::PrivateDir;
use dlpar_script::Script;
use dlpar_script::event::Event;
use dlpar_script::protocol::{Command, Resource};

use crate::control::{self, Rule, Target};
use crate::output::Output;
use crate::probe;
use crate::record::{AnsweredBy, Control, ControlState, End, HostKind, Record};
use crate::recorder::Recorder;
use crate::store::Store;

/// What `usage` answers for every resource.
const USAGE: &str = "only records how drmgr runs scripts (dlpar_capture); changes nothing";

/// The command each resource's registration handler is attached to.
const REGISTRATION: [(&str, Command); 8] = [
    ("cpu", Command::CheckAcquire),
    ("mem", Command::CheckAcquire),
    ("capacity", Command::CheckAcquire),
    ("var_weight", Command::CheckAcquire),
    ("pmig", Command::CheckMigrate),
    ("phib", Command::CheckHibernate),
    ("acc", Command::PreAccEvent),
    ("topology", Command::PreTopologyUpdate),
];

/// The capture script's metadata for the runtime: every resource a drmgr can send,
/// each with the usage text saying it only records.
///
/// The runtime lists a resource in `register` only with a handler for it, so each
/// resource has one, which succeeds. In the installed binary they are not reached:
/// event commands are answered before the runtime (see [`run_c_main`]), so that a
/// value the runtime would refuse as malformed is recorded and still answered
/// with success.
///
/// ```
/// use dlpar_script::testing::invoke;
/// let answer = invoke(&dlpar_capture::script(), ["register"]);
/// assert_eq!(answer.stdout.lines().count(), 8);
/// assert_eq!(answer.exit, 0);
/// // Reached in-process: the registration handler succeeds, saying nothing.
/// let event = invoke(&dlpar_capture::script(), ["preaccevent", "acc"]);
/// assert_eq!((event.exit, event.stdout.as_str()), (0, ""));
/// ```
pub fn script() -> Script {
    let mut script = Script::new("dlpar-script project", "dlpar_capture: records how drmgr runs DLPAR scripts")
        .version(1)
        .date("04122026")
        .timeout(10);
    for (word, command) in REGISTRATION {
        let resource = Resource::from_static(word);
        script = script.resource(resource.clone(), USAGE).on_named(
            command,
            resource,
            "records_only",
            |_: &Event, _: &mut dlpar_script::Context| Ok(()),
        );
    }
    script
}

/// The capture's C `main`: probes the process exactly as the host started it,
/// appends the invocation record, then answers; returns the exit status.
///
/// * An experiment from the control file: its steps, answered by the capture.
/// * An event command (AIX) or a hook run (Linux): success, no output.
/// * Anything else (`scriptinfo`, `register`, `usage`, an unknown word): the
///   runtime, through [`Script::run_c_main`].
///
/// Warnings (a record not written, a malformed control file) are `DR_LOG_WARNING`
/// lines (`warning:` lines on stderr for a hook), never a veto.
///
/// ```no_run
/// #![cfg_attr(not(test), no_main)]
/// #[cfg(not(test))]
/// #[unsafe(export_name = "main")]
/// extern "C" fn main(argc: std::ffi::c_int, argv: *const *const std::ffi::c_char) -> std::ffi::c_int {
///     // SAFETY: the C runtime passes `argc` valid strings in `argv`.
///     unsafe { dlpar_capture::run_c_main(argc, argv) }
/// }
/// ```
///
/// # Safety
///
/// `argv` must point to at least `argc` valid, NUL-terminated C strings, as the C
/// runtime passes them to `main`; call it first in `main`, before anything
/// changes the process.
pub unsafe fn run_c_main(argc: c_int, argv: *const *const c_char) -> c_int {
    let args: Vec<String> = (0..usize::try_from(argc).unwrap_or(0))
        .map(|i| {
            // SAFETY: the caller guarantees `argc` valid NUL-terminated strings.
            let arg = unsafe { CStr::from_ptr(*argv.add(i)) };
            probe::text(OsStr::from_bytes(arg.to_bytes()))
        })
        .collect();
    let mut invocation = probe::invocation(args, probe::environment());
    let mut out = Output::new(invocation.host);
    let mut warnings = Vec::new();
    let store = Store::from_env(&invocation.env, &mut warnings);
    if let Some(store) = &store {
        let (control, rules) = read_control(store);
        if let ControlState::Malformed { message } = &control.state {
            warnings.push(format!("control file {}: {message}; recording only", control.path));
        }
        let target = Target {
            script: &invocation.installed_name,
            command: invocation.command(),
            resource: invocation.resource(),
        };
        invocation.experiment = control::steps(&rules, target);
        invocation.capture_file = store.file.display().to_string();
        invocation.control = control;
    }
    let id = format!("{}-{}", invocation.process.pid, invocation.at.wall_ns);
    let (start, host) = (invocation.at, invocation.host);
    let command = invocation.command().map(str::to_owned);
    let steps = invocation.experiment.clone();
    let mut recorder = Recorder::new(store, id);
    recorder.record(Record::Invocation(Box::new(invocation)));
    for warning in warnings.iter().chain(&recorder.failures) {
        out.warn(warning);
    }
    let reported = recorder.failures.len();
    let (answered_by, status) = if !steps.is_empty() {
        (AnsweredBy::Capture, crate::experiment::run(&steps, start, &mut out, &mut recorder))
    } else if host == HostKind::Hook || is_event(command.as_deref()) {
        (AnsweredBy::Capture, 0)
    } else {
        // SAFETY: the caller's guarantee about argv, passed on.
        let status = unsafe { script().run_c_main(argc, argv) };
        (AnsweredBy::Runtime, u8::try_from(status).unwrap_or(u8::MAX))
    };
    for failure in &recorder.failures[reported..] {
        out.warn(failure);
    }
    recorder.record(Record::End(End {
        at: probe::now(),
        answered_by,
        exit_status: status,
        printed: std::mem::take(&mut out.printed),
    }));
    c_int::from(status)
}

/// Whether `word` is an event command (not an install command, not unknown).
fn is_event(word: Option<&str>) -> bool {
    word.and_then(|w| w.parse::<Command>().ok()).is_some_and(|c| !c.is_install())
}

/// Reads the control file next to the capture file: its state for the record and
/// its rules (none unless it was read whole).
fn read_control(store: &Store) -> (Control, Vec<Rule>) {
    let path = store.control_path().display().to_string();
    let bytes =
        store.dir().and_then(|dir: &PrivateDir| dir.read(control::NAME, control::MAX_BYTES).map_err(|e| e.to_string()));
    let rules = match bytes {
        Ok(None) => return (Control { path, state: ControlState::Missing }, Vec::new()),
        Ok(Some(bytes)) => {
            String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned()).and_then(|t| control::parse(&t))
        }
        Err(why) => Err(why),
    };
    match rules {
        Ok(rules) => (Control { path, state: ControlState::Read { rules: rules.len() } }, rules),
        Err(message) => (Control { path, state: ControlState::Malformed { message } }, Vec::new()),
    }
}
