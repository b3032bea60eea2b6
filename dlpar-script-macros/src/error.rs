//! An error accumulator, so that one build reports every mistake at once.

use std::fmt::Display;

use proc_macro2::{Span, TokenStream};

/// The errors found so far, in the order found.
#[derive(Debug, Default)]
pub(crate) struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    /// Records an error at `span`.
    pub(crate) fn push(&mut self, span: Span, message: impl Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records a parse error.
    pub(crate) fn push_error(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// Records something defined twice: the error at the second place, and a second
    /// error `first_note` at the first place (stable proc macros cannot attach notes).
    pub(crate) fn duplicate(&mut self, second: Span, message: impl Display, first: Span, first_note: impl Display) {
        self.push(second, message);
        self.push(first, first_note);
    }

    /// The value of `result`, recording its error.
    pub(crate) fn ok<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|e| self.push_error(e)).ok()
    }

    /// How many errors were recorded.
    pub(crate) fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether nothing was recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Every error as a `compile_error!` invocation at its span.
    pub(crate) fn to_compile_errors(&self) -> TokenStream {
        self.errors.iter().map(syn::Error::to_compile_error).collect()
    }
}
