//! Stage 1: tokens to models. Parsing never stops at the first mistake: what can be
//! read is kept and every problem goes to the error accumulator.

pub(crate) mod chain;
pub(crate) mod handler;
pub(crate) mod script;

use proc_macro2::{TokenStream, TokenTree};

/// Splits tokens at top-level commas, dropping empty pieces (a trailing comma).
pub(crate) fn split_commas(tokens: TokenStream) -> Vec<TokenStream> {
    let mut pieces = vec![TokenStream::new()];
    for tree in tokens {
        match &tree {
            TokenTree::Punct(p) if p.as_char() == ',' => pieces.push(TokenStream::new()),
            _ => pieces.last_mut().expect("never empty").extend([tree]),
        }
    }
    pieces.retain(|p| !p.is_empty());
    pieces
}
