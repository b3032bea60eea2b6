//! Stage 3: models to code. Generated code reaches the runtime only through
//! absolute `::dlpar_script::__private_<version>` paths, so it works whatever the
//! user imports, and only with the runtime of this crate's own version.

pub(crate) mod chain;
mod companion;
mod fallback;
pub(crate) mod handler;
pub(crate) mod script;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Ident, Path};

/// The runtime's hidden module for this version of the macros, as thiserror does:
/// `__private_0_1_0` for 0.1.0.
pub(crate) fn private_module() -> Ident {
    format_ident!("__private_{}", env!("CARGO_PKG_VERSION").replace(['.', '-', '+'], "_"))
}

/// `::dlpar_script::__private_<version>::name`.
pub(crate) fn private(name: &str) -> TokenStream {
    let (module, name) = (private_module(), syn::Ident::new(name, Span::call_site()));
    quote!(::dlpar_script::#module::#name)
}

/// Where `__dlpar_script` reaches handler `index` of `main!`'s list: the module
/// `handler_{index}`, and in it the handler's own name (the last segment of `path`).
pub(crate) fn slot(index: usize, path: &Path) -> (Ident, &Ident) {
    let name = &path.segments.last().expect("a path has a segment").ident;
    (format_ident!("handler_{index}"), name)
}

#[cfg(test)]
mod tests;
