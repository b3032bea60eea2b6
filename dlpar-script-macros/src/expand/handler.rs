//! A handler attribute's output: the function, unchanged, and its companion module
//! ([`super::companion`]) with the adapter and `register`.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Ident;
use syn::ext::IdentExt;

use super::companion::companion;
use super::{fallback, private};
use crate::command::Command;
use crate::error::Errors;
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
