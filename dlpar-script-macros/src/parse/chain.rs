//! The state `main!` passes from one handler's `describe!` to the next.
//!
//! ```text
//! collect! {
//!     { handler keep_cpu0 command checkrelease resources ["cpu"] ready }   // from describe!, or { missing }
//!     [ {...} {...} ]                                                       // what earlier handlers said
//!     ok                                                                    // or `failed`: main! found errors
//!     { vendor: "Acme", ... }                                               // the input of main!, as written
//! }
//! ```
//!
//! Only generated code writes this, so a parse error here is a bug in this crate.

use proc_macro2::{Group, Span, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, braced, bracketed};

use crate::command::Command;
use crate::resource::ResourceWord;

/// What one hop learnt about a handler listed in `main!`.
#[derive(Debug, Clone)]
pub(crate) enum Described {
    /// The function carries a handler attribute.
    Handler(Description),
    /// The function has no handler attribute: `describe!` came from the fallback.
    Missing,
}

/// What a handler attribute knows.
#[derive(Debug, Clone)]
pub(crate) struct Description {
    /// The function's name, where it is defined.
    pub(crate) name: Ident,
    /// The attribute's command.
    pub(crate) command: Command,
    /// Where the attribute is.
    pub(crate) attribute: Span,
    /// The resources it names (none: the whole family).
    pub(crate) resources: Vec<ResourceWord>,
    /// Whether it generated `register` (its errors, if any, are reported by the attribute).
    pub(crate) ready: bool,
}

/// The whole state of the chain.
#[derive(Debug)]
pub(crate) struct Chain {
    /// Every hop so far, the current one last, as tokens to pass on.
    pub(crate) raw: Vec<Group>,
    /// The same, read.
    pub(crate) found: Vec<Described>,
    /// Whether `main!` itself found no errors.
    pub(crate) metadata_ok: bool,
    /// The input of `main!`.
    pub(crate) script: TokenStream,
}

impl Chain {
    /// Re-anchors the attributes' spans on `root`, a span of the user's own input.
    ///
    /// The descriptions went through `describe!`, so their spans carry that macro's
    /// expansion, and an error on them would show "this error originates in the macro
    /// describe". Resolved at a span of `main!`'s input, they point at the same place
    /// and read like any other error.
    pub(crate) fn reroot(&mut self, root: Span) {
        for described in &mut self.found {
            if let Described::Handler(handler) = described {
                handler.name.set_span(handler.name.span().resolved_at(root));
                handler.attribute = handler.attribute.resolved_at(root);
                for resource in &mut handler.resources {
                    resource.span = resource.span.resolved_at(root);
                }
            }
        }
    }
}

impl Parse for Chain {
    fn parse(input: ParseStream<'_>) -> syn::Result<Chain> {
        let current: Group = input.parse()?;
        let earlier;
        bracketed!(earlier in input);
        let mut raw = Vec::new();
        while !earlier.is_empty() {
            raw.push(earlier.parse::<Group>()?);
        }
        raw.push(current);
        let found = raw.iter().map(|g| syn::parse2::<Described>(g.stream())).collect::<syn::Result<_>>()?;
        let state: Ident = input.parse()?;
        let script;
        braced!(script in input);
        Ok(Chain { raw, found, metadata_ok: state == "ok", script: script.parse()? })
    }
}

impl Parse for Described {
    fn parse(input: ParseStream<'_>) -> syn::Result<Described> {
        let first: Ident = input.parse()?;
        if first == "missing" {
            return Ok(Described::Missing);
        }
        let name: Ident = input.parse()?;
        input.parse::<Ident>()?; // command
        let word: Ident = input.parse()?;
        let command = Command::from_word(&word.to_string())
            .ok_or_else(|| syn::Error::new(word.span(), "internal error: unknown command in describe!"))?;
        input.parse::<Ident>()?; // resources
        let list;
        bracketed!(list in input);
        let mut resources = Vec::new();
        while !list.is_empty() {
            let word: LitStr = list.parse()?;
            resources.push(ResourceWord::checked(word.value(), word.span()));
        }
        let state: Ident = input.parse()?;
        Ok(Described::Handler(Description {
            name,
            command,
            attribute: word.span(),
            resources,
            ready: state == "ready",
        }))
    }
}
