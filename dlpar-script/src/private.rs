//! Not public API: the paths the macros expand to. May change in any release.
//!
//! The handler attributes and `main!` of `dlpar-script-macros` only wire a script
//! together; everything they generate is a call into this module or into the
//! public builder API ([`Script`]). The traits below check a handler's signature
//! where the compiler knows the types, so a mistake is reported on the user's own
//! type with a message that says how to fix it.

pub use dlpar_script_macros::__collect as collect;

pub use crate::event::{CapacityEvent, CpuEvent, Event, EventType, MemEvent, WeightEvent};
pub use crate::protocol::{Command, Resource};
pub use crate::wire::MAX_VALUE_BYTES;
pub use crate::{Context, Error, Result, Script, Target};

/// The event parameter of a handler: `Self` is what the handler takes, `Expected`
/// what its resources call for. Only `T: HandlerEvent<T>` exists.
#[diagnostic::on_unimplemented(
    message = "this handler must take `&{Expected}` as its event, not `&{Self}`",
    label = "expected `{Expected}` here",
    note = "a handler for exactly one of cpu, mem, capacity, var_weight takes that resource's event \
            (`CpuEvent`, `MemEvent`, `CapacityEvent`, `WeightEvent`); a handler for several resources, \
            a custom resource or a whole family takes `&Event`"
)]
pub trait HandlerEvent<Expected> {
    /// The handler's view of the event the dispatcher decoded.
    fn cast(event: &Expected) -> &Self;
}

impl<T: EventType> HandlerEvent<T> for T {
    fn cast(event: &T) -> &T {
        event
    }
}

/// The second parameter of a handler: only [`Context`] qualifies.
#[diagnostic::on_unimplemented(
    message = "the second parameter of a handler must be `&mut Context`, not `&mut {Self}`",
    label = "expected `Context` here",
    note = "`Context` is `dlpar_script::Context`, in the prelude"
)]
pub trait HandlerContext {
    /// The handler's view of the context.
    fn cast(cx: &mut Context) -> &mut Self;
}

#[diagnostic::do_not_recommend]
impl HandlerContext for Context {
    fn cast(cx: &mut Context) -> &mut Context {
        cx
    }
}

/// The return type of a handler: only [`Result<()>`](crate::Result) qualifies.
#[diagnostic::on_unimplemented(
    message = "a handler must return `Result<()>`, not `{Self}`",
    label = "expected `Result<()>` here",
    note = "`Result` is `dlpar_script::Result`, in the prelude: return `Ok(())` on success and \
            `Err(Error::refuse(..))` or another `Error` to fail the command"
)]
pub trait HandlerReturn {
    /// The handler's outcome as the dispatcher sees it.
    fn into_result(self) -> Result<()>;
}

#[diagnostic::do_not_recommend]
impl HandlerReturn for Result<()> {
    fn into_result(self) -> Result<()> {
        self
    }
}

/// A handler that `main!` lists. Each handler attribute declares a marker type named
/// like its function and requires it to be `Listed`; `main!` implements `Listed` for
/// the marker of every handler in `handlers: [...]`. A handler left out of the list
/// is then a compile error naming it, instead of a function that is never called.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has a handler attribute but is not in `main!`: add it to `handlers: [...]` in `main!`",
    label = "never called: not listed in `main!`",
    note = "drmgr reaches a handler only through the list `handlers: [...]` of `dlpar_script::main!`"
)]
pub trait Listed {}

/// Compiles only for a handler's marker that `main!` lists (see [`Listed`]).
pub const fn require_listed<T: Listed>() {}

/// What every name in `handlers: [...]` must be: a function with a handler
/// attribute. No function implements it: `main!` requires it only of a listed name
/// whose attribute it could not find, so that is a compile error on the name. A
/// name that names nothing gets the compiler's own "unresolved" error instead (the
/// requirement then has nothing to check, and stays silent).
#[diagnostic::on_unimplemented(
    message = "this function is listed in `handlers` but has no handler attribute",
    label = "no handler attribute on this function",
    note = "put the attribute of the command it answers on the function, such as `#[checkrelease(cpu)]` or \
            `#[premigrate]`; if it has one, the compiler reports it as not found: correct its spelling"
)]
pub trait HandlerAttribute {}

/// Compiles only for a [`HandlerAttribute`], that is never: `main!`'s check of a
/// listed function without an attribute.
pub fn require_handler_attribute<T: HandlerAttribute>(_: T) {}

/// Whether a metadata text fits the protocol's value limit; `main!` asserts it in a
/// `const` because the limit lives here, not in the macro crate.
pub const fn value_fits(text: &str) -> bool {
    text.len() <= MAX_VALUE_BYTES
}
