//! Stage 3: models to code. Generated code reaches the runtime only through
//! absolute `::dlpar_script::__private` paths, so it works whatever the user imports.

pub(crate) mod chain;
pub(crate) mod handler;
pub(crate) mod script;

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// `::dlpar_script::__private::name`.
pub(crate) fn private(name: &str) -> TokenStream {
    let name = syn::Ident::new(name, Span::call_site());
    quote!(::dlpar_script::__private::#name)
}

#[cfg(test)]
mod tests;
