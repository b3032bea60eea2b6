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

    /// Records something defined twice: one error at the second place, whose last
    /// line is the note `first_note` with the first place's line (stable proc macros
    /// cannot attach a note with its own snippet, and a second error would count the
    /// mistake twice).
    pub(crate) fn duplicate(&mut self, second: Span, message: impl Display, first: Span, first_note: impl Display) {
        let at = place(first, second);
        self.push(
            second,
            format!("{message}\nnote: {first_note} at {}", at.unwrap_or_else(|| "the first place".to_owned())),
        );
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

/// `line 3`, or `src/cpu.rs, line 3` when `first` is in another file than `second`;
/// `None` outside the compiler (in this crate's unit tests).
fn place(first: Span, second: Span) -> Option<String> {
    if !::proc_macro::is_available() {
        return None;
    }
    let (first, second) = (first.unwrap(), second.unwrap());
    let line = first.line();
    Some(if first.file() == second.file() { format!("line {line}") } else { format!("{}, line {line}", first.file()) })
}
