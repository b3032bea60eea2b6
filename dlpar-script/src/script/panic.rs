//! Turning a handler's panic into a message for `DR_ERROR`.
//!
//! A panic hook is installed once per process. While a handler runs on a thread,
//! the hook records the panic message for that thread and writes one short line
//! to stderr (an unwritable stderr is ignored: the hook itself must not panic, or
//! Rust would abort without an answer); panics elsewhere go to the hook that was
//! installed before.
//!
//! A second panic on the handler's thread before the first is caught is, as a
//! rule, a `Drop` that panics while the first panic unwinds, and Rust aborts the
//! process as soon as the hook returns. In the script's own process the hook
//! therefore writes the reply there and then, with a `DR_ERROR` naming both
//! panics (for a powerpc-utils hook, the `error:` line on stderr); the command
//! fails in any case (exit 1, or the abort's `SIGABRT`).

use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::wire::{Output, note};

/// The handler running on this thread.
struct Running {
    handler: String,
    output: Output,
    /// The message of the panic being unwound, once there is one.
    message: Option<String>,
    /// Whether the hook already wrote the reply.
    answered: bool,
}

thread_local! {
    static RUNNING: RefCell<Option<Running>> = const { RefCell::new(None) };
}

fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let in_handler = RUNNING.with_borrow_mut(|running| {
                let Some(running) = running.as_mut() else { return false };
                let message = payload_text(info.payload());
                match info.location() {
                    Some(at) => note(format_args!("handler panicked at {at}: {message}")),
                    None => note(format_args!("handler panicked: {message}")),
                }
                match running.message.take() {
                    Some(first) if running.output.can_finish_now() => {
                        running.output.error(&format!(
                            "handler {} panicked: {first}; then panicked again: {message}",
                            running.handler
                        ));
                        running.output.finish_now();
                        running.answered = true;
                        running.message = Some(first);
                    }
                    _ => running.message = Some(message),
                }
                true
            });
            if !in_handler {
                previous(info);
            }
        }));
    });
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// Runs `f`, the handler `handler` answering through `output`; a panic becomes
/// `Err(message)`, and so does a return after the hook answered.
pub(crate) fn catch<T>(handler: &str, output: &Output, f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let running = Running { handler: handler.to_owned(), output: output.clone(), message: None, answered: false };
    // A handler may answer a command in-process on its own thread: restore the outer one after.
    let outer = RUNNING.replace(Some(running));
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    let ours = RUNNING.replace(outer).expect("the running handler is restored only here");
    match outcome {
        Err(payload) => Err(ours.message.unwrap_or_else(|| payload_text(payload.as_ref()))),
        Ok(_) if ours.answered => Err(ours.message.unwrap_or_default()),
        Ok(value) => Ok(value),
    }
}
