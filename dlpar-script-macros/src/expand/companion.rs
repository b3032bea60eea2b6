//! The companion module of a handler attribute, written by the attribute and, for a
//! handler with errors, by the [fallback](super::fallback).
//!
//! The companion is a hidden module with the handler's own name (modules and
//! functions live in different namespaces), so wherever the function can be named,
//! the companion can too — including through a `use` of the function. It holds:
//!
//! * an adapter `fn`, also named like the handler, whose body converts the event and context through the runtime's
//!   `HandlerEvent`/`HandlerContext`/`HandlerReturn` traits — this is where a wrong
//!   parameter or return type is reported, on the user's type;
//! * `register`, which adds the adapter to a `Script` for each of its resources,
//!   under the function's name as written (`Script::on_named`);
//! * `describe!`, a `macro_rules!` that hands what the attribute knows (command,
//!   resources, spans) to the next stage of `main!`, which only sees the handler's name.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Ident, ItemFn};

use super::private;
use crate::parse::handler::HandlerInput;

/// The companion module: `items`, and the `describe!` macro telling whether the
/// handler is `ready` (no error: it has a `register` that `main!` may call) or
/// `broken` (its errors are reported by the attribute).
pub(crate) fn companion(input: &HandlerInput, items: TokenStream, ready: bool) -> TokenStream {
    let ItemFn { vis, sig, .. } = &input.function;
    let ident = &sig.ident;
    let collect = private("collect");
    let command = Ident::new(input.command.word, Span::call_site());
    let resources = input.resources.iter().map(|r| r.literal());
    let state = Ident::new(if ready { "ready" } else { "broken" }, Span::call_site());
    let listed = ready.then(|| listed_check(ident));
    quote! {
        #[doc(hidden)]
        #[allow(unreachable_pub)]
        #vis mod #ident {
            #[allow(unused_imports)]
            use super::*;

            #items
            #listed

            #[allow(unused_macros)]
            macro_rules! describe {
                ($($state:tt)*) => {
                    #collect! { { handler #ident command #command resources [#(#resources)*] #state } $($state)* }
                };
            }
            #[allow(unused_imports)]
            pub(crate) use describe;
        }
    }
}

/// The marker `main!` implements `Listed` for, and the check that it did: an error
/// on the handler's name when the handler is not in `handlers: [...]`.
fn listed_check(ident: &Ident) -> TokenStream {
    let require = private("require_listed");
    // Braced, so that it lives in the type namespace only, beside the adapter `fn`.
    quote! {
        #[allow(non_camel_case_types)]
        pub(crate) struct #ident {}
        const _: () = #require::<#ident>();
    }
}

/// `impl Listed for <the marker of handler `index`>`, written by `main!`'s last hop.
pub(crate) fn listed_impl(index: usize, path: &syn::Path) -> TokenStream {
    let (module, name) = super::slot(index, path);
    let listed = private("Listed");
    quote!(#[diagnostic::do_not_recommend] impl #listed for #module::#name::#name {})
}
