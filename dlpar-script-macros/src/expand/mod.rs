//! Stage 3: models to code. Generated code reaches the runtime only through
//! absolute `::dlpar_script::__private` paths, so it works whatever the user imports.

pub(crate) mod chain;
pub(crate) mod handler;
pub(crate) mod script;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Ident, Path};

/// `::dlpar_script::__private::name`.
pub(crate) fn private(name: &str) -> TokenStream {
    let name = syn::Ident::new(name, Span::call_site());
    quote!(::dlpar_script::__private::#name)
}

/// Where `__dlpar_script` reaches handler `index` of `main!`'s list: the module
/// `handler_{index}`, and in it the handler's own name (the last segment of `path`).
pub(crate) fn slot(index: usize, path: &Path) -> (Ident, &Ident) {
    let name = &path.segments.last().expect("a path has a segment").ident;
    (format_ident!("handler_{index}"), name)
}

#[cfg(test)]
mod tests;
