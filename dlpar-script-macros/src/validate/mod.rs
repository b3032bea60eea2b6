//! Stage 2: the rules a script must follow that can be checked on tokens. Each
//! problem is reported on the token to change, with the fix in the message.

pub(crate) mod chain;
pub(crate) mod handler;
pub(crate) mod script;
