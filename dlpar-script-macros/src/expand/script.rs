//! `main!`: `fn main`, the hidden module that collects the handlers, and the checks
//! of the metadata that need the runtime's constants.
//!
//! ```text
//! mod __dlpar_script_names {                 // the listed names, each imported once
//!     pub(super) mod handler_0 { pub(in super::super) use super::super::keep_cpu0; }
//! }
//! mod __dlpar_script {
//!     mod handler_0 {                         // one per listed handler
//!         mod fallback { pub(crate) mod keep_cpu0 { macro_rules! describe { .. missing .. } } }
//!         pub(super) use self::fallback::*;   // glob: the fallback, shadowed by …
//!         pub(super) use super::super::__dlpar_script_names::handler_0::keep_cpu0;  // … the companion, if any
//!     }
//!     handler_0::keep_cpu0::describe! { [] ok { <input> } }   // first hop; the last writes script()
//! }
//! fn main() -> ExitCode { __dlpar_script::script().run() }
//! ```
//!
//! With `fast_start: true`, `main` is instead C `main` (exported under that symbol,
//! outside test builds, which keep Rust's), which calls `Script::run_c_main`; the
//! crate must then say `#![cfg_attr(not(test), no_main)]`.
//!
//! An explicit `use` shadows a glob import only in the namespaces it brings, so
//! `handler_0::keep_cpu0` is the companion module where there is one and the fallback
//! otherwise, while the `use` itself always resolves (it finds the function). The
//! hops run inside `__dlpar_script`, not in the user's module, so the user's module
//! has no pending macro and the compiler can decide that a companion is absent.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::{LitStr, Path, PathArguments, PathSegment, Token};

use super::{chain, fallback, private, slot};
use crate::error::Errors;

use crate::parse::script::{self, ScriptInput};
use crate::validate;

/// `main!`.
pub(crate) fn expand(tokens: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let input = script::parse(tokens.clone(), &mut errors);
    validate::script::validate(&input, &mut errors);
    let limits = value_limits(&input);
    let paths = input.handler_list();
    let reported = errors.to_compile_errors();
    if paths.is_empty() {
        let main = fallback::main();
        return quote!(#reported #limits #main);
    }
    let modules = paths.iter().enumerate().map(|(i, path)| resolver(i, path));
    let imports = paths.iter().enumerate().map(|(i, path)| import(i, path));
    let first = chain::hop(0, &paths, &[], errors.is_empty(), &tokens);
    let main = entry(input.fast_start.as_ref().is_some_and(|f| f.value.value));
    quote! {
        #reported
        #limits
        #[doc(hidden)]
        mod __dlpar_script_names {
            #(#imports)*
        }
        #[doc(hidden)]
        mod __dlpar_script {
            #(#modules)*
            #first
        }
        #main
    }
}

/// The `use` of the name listed as handler `index`, in a module of its own outside
/// `__dlpar_script`: when the name names nothing, the compiler's "unresolved
/// import" error there suggests the similar names of the user's module, and no
/// path into `__dlpar_script` (whose fallbacks it cannot reach from there).
fn import(index: usize, path: &Path) -> TokenStream {
    let (module, _) = slot(index, path);
    let from_here = two_levels_up(path);
    quote! {
        pub(super) mod #module {
            #[allow(unused_imports)]
            pub(in super::super) use #from_here;
        }
    }
}

/// The process entry point: Rust's `main`, or with `fast_start` the C one. Test
/// builds always get Rust's `main`: the test harness replaces it (and keeps the
/// handlers it reaches from counting as dead code).
fn entry(fast_start: bool) -> TokenStream {
    let rust_main = quote! {
        pub(crate) fn main() -> ::std::process::ExitCode {
            __dlpar_script::script().run()
        }
    };
    if !fast_start {
        return rust_main;
    }
    quote! {
        /// The process entry point, called by the C runtime (`fast_start: true`).
        #[cfg(not(test))]
        #[doc(hidden)]
        #[unsafe(export_name = "main")]
        extern "C" fn __dlpar_script_main(
            argc: ::std::ffi::c_int,
            argv: *const *const ::std::ffi::c_char,
        ) -> ::std::ffi::c_int {
            // SAFETY: the C runtime passes `argc` valid NUL-terminated strings in `argv`.
            unsafe { __dlpar_script::script().run_c_main(argc, argv) }
        }
        #[cfg(test)]
        #rust_main
    }
}

/// The module that finds handler `index`'s companion, or the fallback.
fn resolver(index: usize, path: &Path) -> TokenStream {
    let (module, name) = slot(index, path);
    let collect = private("collect");
    quote! {
        mod #module {
            mod fallback {
                pub(crate) mod #name {
                    macro_rules! describe {
                        ($($state:tt)*) => { #collect! { { missing } $($state)* } };
                    }
                    pub(crate) use describe;
                }
            }
            #[allow(unused_imports)]
            pub(super) use self::fallback::*;
            #[allow(unused_imports)]
            pub(super) use super::super::__dlpar_script_names::#module::#name;
        }
    }
}

/// `path`, written in the user's module, as seen from two modules below it.
fn two_levels_up(path: &Path) -> TokenStream {
    let first = &path.segments[0].ident;
    if path.leading_colon.is_some() || first == "crate" || first == "$crate" {
        return path.to_token_stream();
    }
    let span = first.span();
    let up = |span: Span| PathSegment { ident: syn::Ident::new("super", span), arguments: PathArguments::None };
    let mut segments: syn::punctuated::Punctuated<PathSegment, Token![::]> = [up(span), up(span)].into_iter().collect();
    segments.extend(path.segments.iter().skip(usize::from(first == "self")).cloned());
    Path { leading_colon: None, segments }.into_token_stream()
}

/// `const` assertions that the texts fit the protocol's value limit, which only the
/// runtime knows; the compiler reports a failure on the text.
fn value_limits(input: &ScriptInput) -> TokenStream {
    let fits = private("value_fits");
    let texts = [("vendor", &input.vendor), ("info", &input.info), ("name", &input.name)]
        .into_iter()
        .filter_map(|(key, field)| field.as_ref().map(|f| (format!("`{key}`"), &f.value)))
        .chain(
            input
                .usage
                .iter()
                .flat_map(|u| &u.value)
                .map(|u| (format!("the usage text of `{}`", u.resource.word), &u.text)),
        );
    texts
        .map(|(what, text): (String, &LitStr)| {
            let message = format!(
                "{what} is longer than the protocol's value limit (dlpar_script::wire::MAX_VALUE_BYTES): shorten it"
            );
            quote_spanned!(text.span()=> const _: () = ::core::assert!(#fits(#text), #message);)
        })
        .collect()
}
