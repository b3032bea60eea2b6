//! The hops of `main!`: ask each handler's `describe!` in turn, then write `script()`.
//!
//! `main!` only sees the handlers' names, but what their attributes know is needed to
//! check the script as a whole. So `main!` asks the first handler's companion
//! (`describe!`), which calls `collect!` with its description and the state; `collect!`
//! asks the next one, and after the last one checks everything and writes the
//! `script()` function that `main` runs. A function without an attribute has no
//! companion; the fallback `describe!` that `main!` placed under the same name then
//! answers `missing`, reported on the name in `handlers`.

use proc_macro2::{Group, Literal, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Path;

use super::{fallback, private, slot};
use crate::error::Errors;
use crate::parse::chain::{Chain, Described};
use crate::parse::script::{self, ScriptInput};
use crate::validate;

/// `collect!`: one hop.
pub(crate) fn expand(tokens: TokenStream) -> TokenStream {
    let mut chain = match syn::parse2::<Chain>(tokens) {
        Ok(chain) => chain,
        Err(e) => return e.to_compile_error(),
    };
    if let Some(root) = chain.script.clone().into_iter().next() {
        chain.reroot(root.span());
    }
    // main! reported any problem of its input already.
    let input = script::parse(chain.script.clone(), &mut Errors::default());
    let paths = input.handler_list();
    if chain.found.len() < paths.len() {
        return hop(chain.found.len(), &paths, &chain.raw, chain.metadata_ok, &chain.script);
    }
    let mut errors = Errors::default();
    let usage = input
        .usage
        .as_ref()
        .map(|u| validate::chain::UsageTable { entries: &u.value, complete: !input.usage_unreadable });
    validate::chain::validate(&chain.found, usage, &mut errors);
    let all_ready = chain.found.iter().all(|d| matches!(d, Described::Handler(h) if h.ready));
    let script = if errors.is_empty() && chain.metadata_ok && all_ready {
        script_fn(&input, &paths)
    } else {
        fallback::script()
    };
    // Every handler that described itself as ready has a marker to mark as listed,
    // whatever else is wrong, so that no "not listed" error follows from another.
    let listed = chain
        .found
        .iter()
        .zip(&paths)
        .enumerate()
        .filter(|(_, (described, _))| matches!(described, Described::Handler(h) if h.ready))
        .map(|(i, (_, path))| super::companion::listed_impl(i, path));
    let required = chain
        .found
        .iter()
        .zip(&paths)
        .enumerate()
        .filter(|(_, (described, _))| matches!(described, Described::Missing))
        .map(|(i, (_, path))| attribute_required(i, path));
    let errors = errors.to_compile_errors();
    quote!(#errors #(#listed)* #(#required)* #script)
}

/// For a listed name whose companion is missing: a requirement that the compiler
/// checks on the name itself. A function without an attribute (forgotten, or
/// misspelt, which the compiler reports too) fails it with the runtime's message
/// on the name in `handlers`; a name that names nothing already failed its `use`
/// (the compiler's "unresolved import", which suggests the similar name), and
/// the requirement, naming an unresolved item, adds no second error.
fn attribute_required(index: usize, path: &Path) -> TokenStream {
    let (module, name) = slot(index, path);
    // Every token of the call on the name in `handlers`, where the error shows.
    let span = crate::validate::script::span_of(path);
    let require: TokenStream = super::private("require_handler_attribute")
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect();
    let module = syn::Ident::new(&module.to_string(), span);
    let check = format_ident!("__attribute_of_{}", index);
    let call = quote_spanned!(span => #require(#module::#name););
    quote! {
        #[allow(dead_code, non_snake_case)]
        fn #check() {
            #call
        }
    }
}

/// Asks handler `index` to describe itself, passing the state on.
pub(crate) fn hop(index: usize, paths: &[&Path], found: &[Group], ok: bool, script: &TokenStream) -> TokenStream {
    let (module, name) = slot(index, paths[index]);
    let state = format_ident!("{}", if ok { "ok" } else { "failed" });
    quote!(#module::#name::describe! { [#(#found)*] #state { #script } })
}

/// `script()`: the builder calls for the metadata, then each handler's `register`.
fn script_fn(input: &ScriptInput, paths: &[&Path]) -> TokenStream {
    let (script, resource) = (private("Script"), private("Resource"));
    let text = |field: &Option<script::Field<syn::LitStr>>| field.as_ref().map(|f| f.value.clone());
    let (vendor, info) = (text(&input.vendor), text(&input.info));
    let name = text(&input.name).map(|name| quote!(.name(#name)));
    let state_dir = text(&input.state_dir).map(|dir| quote!(.state_dir(#dir)));
    let date = text(&input.date);
    let number = |field: &Option<script::Field<syn::LitInt>>| {
        field.as_ref().and_then(|f| {
            let mut literal = Literal::u32_suffixed(f.value.base10_parse().ok()?);
            literal.set_span(f.value.span());
            Some(literal)
        })
    };
    let version = number(&input.version);
    let timeout = number(&input.timeout).map(|t| quote!(.timeout(#t)));
    let flag = |field: &Option<script::Field<syn::LitBool>>, method: &str| {
        field.as_ref().map(|f| {
            let (method, value) = (syn::Ident::new(method, f.key.span()), &f.value);
            quote!(.#method(#value))
        })
    };
    let (hooks, hook_undocheck) = (flag(&input.hooks, "hooks"), flag(&input.hook_undocheck, "hook_undocheck"));
    let usage = input.usage.iter().flat_map(|u| &u.value).map(|u| {
        let (resource, text) = (u.resource.constructor(&resource), &u.text);
        quote!(.resource(#resource, #text))
    });
    let registrations = paths.iter().enumerate().map(|(i, path)| {
        let (module, name) = slot(i, path);
        quote!(let script = #module::#name::register(script);)
    });
    quote! {
        pub(super) fn script() -> #script {
            let script = #script::new(#vendor, #info)
                #name
                .version(#version)
                .date(#date)
                #timeout
                #state_dir
                #hooks
                #hook_undocheck
                #(#usage)*;
            #(#registrations)*
            script
        }
    }
}
