//! The error path: keep the user's code as written, so that only the real errors
//! show and no cascade of "cannot find" errors follows them.

use proc_macro2::TokenStream;
use quote::quote;

use super::companion::companion;
use super::private;
use crate::parse::handler::HandlerInput;

/// A handler whose signature has the wrong shape: the function as written, and a
/// companion that tells `main!` the handler is broken (its errors are reported). A
/// method gets no companion: a module cannot be declared in an `impl` block.
pub(crate) fn handler(input: &HandlerInput) -> TokenStream {
    let function = &input.function;
    if function.sig.receiver().is_some() {
        return quote!(#function);
    }
    let companion = companion(input, TokenStream::new(), false);
    quote!(#function #companion)
}

/// The `script()` function of a script with errors: never run, because the build fails.
pub(crate) fn script() -> TokenStream {
    let script = private("Script");
    quote! {
        pub(super) fn script() -> #script {
            ::core::unreachable!("the script did not compile")
        }
    }
}

/// `main` of a script whose `main!` could not be read: never run either.
pub(crate) fn main() -> TokenStream {
    quote! {
        pub(crate) fn main() -> ::std::process::ExitCode {
            ::core::unreachable!("the script did not compile")
        }
    }
}
