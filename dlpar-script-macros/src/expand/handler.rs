//! A handler attribute's output: the function, unchanged, and its companion module.
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
use syn::ext::IdentExt;
use syn::{Ident, ItemFn};

use super::private;
use crate::command::Command;
use crate::error::Errors;
use crate::fallback;
use crate::parse::handler::{self, HandlerInput};
use crate::validate::{self, handler::Signature};

/// A handler attribute for `word`: parse, validate, expand, or fall back to the
/// code as written.
pub(crate) fn attribute(word: &str, args: TokenStream, item: TokenStream) -> TokenStream {
    let command = Command::from_word(word).expect("every attribute is in the command table");
    let mut errors = Errors::default();
    let output = match handler::parse(command, args, item, &mut errors) {
        Err(item) => item,
        Ok(input) => {
            // A resource that could not be read leaves the event type the handler
            // should take unknown: checking it would add a second, wrong error to
            // the one on the resource, so the adapter (which checks it) waits until
            // that is fixed; the signature's other checks still run.
            let resources_read = errors.is_empty();
            match validate::handler::validate(&input, &mut errors) {
                Some(signature) if resources_read => {
                    let ready = errors.is_empty();
                    expand(&input, &signature, ready)
                }
                Some(_) | None => fallback::handler(&input),
            }
        }
    };
    let mut tokens = errors.to_compile_errors();
    tokens.extend(output);
    tokens
}

/// The function and a companion with an adapter and `register`; `ready` tells
/// whether the attribute found no error (the adapter still checks the types).
fn expand(input: &HandlerInput, signature: &Signature<'_>, ready: bool) -> TokenStream {
    let function = &input.function;
    let ident = &function.sig.ident;
    let expected = private(signature.expected.name());
    let (event, context, output) = (signature.event, signature.context, signature.output);
    let (handler_event, handler_context, handler_return) =
        (private("HandlerEvent"), private("HandlerContext"), private("HandlerReturn"));
    let (context_ty, result, script) = (private("Context"), private("Result"), private("Script"));
    let command = private("Command");
    let variant = Ident::new(input.command.variant, Span::call_site());
    let targets: Vec<TokenStream> = if input.resources.is_empty() {
        let target = private("Target");
        vec![quote!(#target::AnyResource)]
    } else {
        let resource = private("Resource");
        input.resources.iter().map(|r| r.constructor(&resource)).collect()
    };
    let name = syn::LitStr::new(&ident.unraw().to_string(), ident.span());
    let companion = companion(
        input,
        quote! {
            pub(crate) fn #ident(event: &#expected, cx: &mut #context_ty) -> #result<()> {
                <#output as #handler_return>::into_result(super::#ident(
                    <#event as #handler_event<#expected>>::cast(event),
                    <#context as #handler_context>::cast(cx),
                ))
            }

            pub(crate) fn register(script: #script) -> #script {
                script #(.on_named(#command::#variant, #targets, #name, #ident))*
            }
        },
        ready,
    );
    quote!(#function #companion)
}

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
