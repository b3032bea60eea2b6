use std::fmt;

use super::Context;
use crate::error::{Error, Result};
use crate::event::{Event, EventType};
use crate::protocol::{Command, Resource};

/// What a handler is registered for: one resource, or any resource of its family.
///
/// `AnyResource` is for the migrate, hibernate, accelerator and topology families,
/// whose resource word may be absent or anything: such a handler runs whenever no
/// handler names the word given, and registers the family's word (`pmig`, `phib`,
/// `acc`, `topology`).
///
/// ```
/// use dlpar_script::Target;
/// use dlpar_script::protocol::Resource;
///
/// let t: Target = Resource::Mem.into();
/// assert_eq!(t.to_string(), "mem");
/// assert_eq!(Target::AnyResource.to_string(), "any resource");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// Exactly this resource word.
    Resource(Resource),
    /// Any resource word of the family, or none.
    AnyResource,
}

impl From<Resource> for Target {
    fn from(resource: Resource) -> Target {
        Target::Resource(resource)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Resource(r) => r.fmt(f),
            Target::AnyResource => f.write_str("any resource"),
        }
    }
}

type Call = Box<dyn Fn(&Event, &mut Context) -> Result<()>>;

/// One registered handler.
pub(crate) struct Handler {
    pub(crate) command: Command,
    pub(crate) target: Target,
    pub(crate) name: String,
    /// The resource the handler's event type belongs to (`None`: the general event).
    pub(crate) expects: Option<Resource>,
    call: Call,
}

impl fmt::Debug for Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handler")
            .field("command", &self.command)
            .field("target", &self.target)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Handler {
    pub(crate) fn new<E, F>(command: Command, target: Target, name: String, f: F) -> Handler
    where
        E: EventType,
        F: Fn(&E, &mut Context) -> Result<()> + 'static,
    {
        let call: Call = Box::new(move |event, cx| match E::from_event(event) {
            Some(typed) => f(typed, cx),
            // Validation rejects a handler whose event type does not fit its target,
            // so this is only reached through a bug in this crate.
            None => Err(Error::failed("internal error: event type does not match the handler")),
        });
        Handler { command, target, name, expects: E::resource(), call }
    }

    pub(crate) fn call(&self, event: &Event, cx: &mut Context) -> Result<()> {
        (self.call)(event, cx)
    }
}

/// A readable handler name from the handler's type, for [`Script::on`] only:
/// `keep_cpu0` for a function item `my_crate::keep_cpu0`, `closure in main` for a
/// closure defined in `main`. `std::any::type_name` does not promise this text, so
/// `main!` and [`Script::on_named`] give the name from the source instead.
///
/// [`Script::on`]: crate::Script::on
/// [`Script::on_named`]: crate::Script::on_named
pub(crate) fn name_of<F>() -> String {
    let full = std::any::type_name::<F>();
    let path = full.split('<').next().unwrap_or(full);
    let mut segments = path.rsplit("::");
    match segments.next() {
        Some("{{closure}}") => format!("closure in {}", segments.next().unwrap_or("?")),
        Some(last) => last.to_owned(),
        None => full.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep_cpu0(_: &Event, _: &mut Context) -> Result<()> {
        Ok(())
    }

    #[test]
    fn names_come_from_the_function() {
        fn of<F>(_: &F) -> String {
            name_of::<F>()
        }
        assert_eq!(of(&keep_cpu0), "keep_cpu0");
        let closure = |_: &Event, _: &mut Context| -> Result<()> { Ok(()) };
        assert_eq!(of(&closure), "closure in names_come_from_the_function");
    }
}
