//! A handler attribute: its resources and the item it is on.

use proc_macro2::{TokenStream, TokenTree};
use syn::ItemFn;

use super::split_commas;
use crate::command::Command;
use crate::error::Errors;
use crate::resource::ResourceWord;

/// A handler attribute on a function.
#[derive(Debug)]
pub(crate) struct HandlerInput {
    /// The attribute's command.
    pub(crate) command: Command,
    /// Whether the attribute has arguments (`#[checkrelease(..)]`), readable or not.
    pub(crate) has_args: bool,
    /// The resources named in the attribute, in order; empty for a family-wide handler.
    pub(crate) resources: Vec<ResourceWord>,
    /// The handler, as written.
    pub(crate) function: ItemFn,
}

/// Reads the attribute's arguments and the item. `Err` carries the item back
/// unchanged when it is not a function, so the caller can still emit it.
pub(crate) fn parse(
    command: Command,
    args: TokenStream,
    item: TokenStream,
    errors: &mut Errors,
) -> Result<HandlerInput, TokenStream> {
    let has_args = !args.is_empty();
    let resources =
        split_commas(args).into_iter().filter_map(|piece| errors.ok(ResourceWord::from_tokens(piece))).collect();
    match syn::parse2::<syn::Item>(item.clone()) {
        Ok(syn::Item::Fn(function)) => Ok(HandlerInput { command, has_args, resources, function }),
        Ok(_) => {
            let word = command.word;
            errors.push_error(syn::Error::new_spanned(
                header(item.clone()),
                format!(
                    "`#[{word}]` goes on a handler function, such as \
                     `fn name(ev: &CpuEvent, cx: &mut Context) -> Result<()>`"
                ),
            ));
            Err(item)
        }
        Err(e) => {
            errors.push_error(e);
            Err(item)
        }
    }
}

impl HandlerInput {
    /// Where the attribute is, anchored on the function's name so that an error
    /// there reads like any other (without "this error originates in the macro").
    pub(crate) fn attribute_span(&self) -> proc_macro2::Span {
        proc_macro2::Span::call_site().resolved_at(self.function.sig.ident.span())
    }
}

/// The tokens of an item between its attributes and its body: `pub struct Foo`,
/// `const X: u32 = 5`. Errors about the item as a whole point there.
fn header(item: TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let mut trees = item.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match &tree {
            TokenTree::Punct(p) if p.as_char() == '#' && out.is_empty() => {
                trees.next(); // the bracketed attribute body
            }
            TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Brace => break,
            TokenTree::Punct(p) if p.as_char() == ';' => break,
            _ => out.extend([tree]),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn the_header_skips_attributes_and_the_body() {
        let header = header(quote!(
            #[derive(Debug)]
            #[doc = "x"]
            pub struct Foo {
                a: u8,
            }
        ));
        assert_eq!(header.to_string(), "pub struct Foo");
        assert_eq!(
            super::header(quote!(
                const X: u32 = 5;
            ))
            .to_string(),
            "const X : u32 = 5"
        );
    }
}
