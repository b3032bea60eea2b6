//! Turning a handler's panic into a message for `DR_ERROR`.
//!
//! A panic hook is installed once per process. While a handler runs on a thread,
//! the hook records the panic message for that thread and prints one short line to
//! stderr; panics elsewhere go to the hook that was installed before.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static IN_HANDLER: Cell<bool> = const { Cell::new(false) };
    static MESSAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !IN_HANDLER.get() {
                return previous(info);
            }
            let message = payload_text(info.payload());
            match info.location() {
                Some(at) => eprintln!("dlpar-script: handler panicked at {at}: {message}"),
                None => eprintln!("dlpar-script: handler panicked: {message}"),
            }
            MESSAGE.set(Some(message));
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

/// Runs `f`; a panic becomes `Err(message)`.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    IN_HANDLER.set(true);
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    IN_HANDLER.set(false);
    outcome.map_err(|payload| MESSAGE.take().unwrap_or_else(|| payload_text(payload.as_ref())))
}
