//! Resource words as written in attributes and in the usage table of `main!`.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::LitStr;
use syn::ext::IdentExt;

/// The longest resource name, in bytes (`dlpar_script::protocol::MAX_RESOURCE_NAME`).
const MAX_LEN: usize = 32;

/// The resources with a typed event: the word and the event type's name.
const TYPED: [(&str, &str); 4] =
    [("cpu", "CpuEvent"), ("mem", "MemEvent"), ("capacity", "CapacityEvent"), ("var_weight", "WeightEvent")];

/// How to write a resource, for error messages.
pub(crate) const HOW_TO_WRITE: &str = "a resource is cpu, mem, capacity, var_weight or a custom name of 1 to 32 \
                                       bytes of a-z, 0-9 and _ (in quotes if it is not a Rust identifier)";

/// A resource word and where it was written.
#[derive(Debug, Clone)]
pub(crate) struct ResourceWord {
    /// The word.
    pub(crate) word: String,
    /// Where it was written.
    pub(crate) span: Span,
}

impl ResourceWord {
    /// Reads one resource from the tokens between two commas: an identifier or a
    /// string literal. Says what is wrong otherwise, or when the name is invalid.
    pub(crate) fn from_tokens(tokens: TokenStream) -> Result<ResourceWord, syn::Error> {
        let mut iter = tokens.clone().into_iter();
        let word = match (iter.next(), iter.next()) {
            (Some(TokenTree::Ident(ident)), None) => {
                ResourceWord { word: ident.unraw().to_string(), span: ident.span() }
            }
            (Some(TokenTree::Literal(lit)), None) => {
                match syn::parse2::<LitStr>(TokenTree::Literal(lit.clone()).into()) {
                    Ok(s) => ResourceWord { word: s.value(), span: lit.span() },
                    Err(_) => {
                        return Err(syn::Error::new(lit.span(), format!("expected a resource name: {HOW_TO_WRITE}")));
                    }
                }
            }
            _ => return Err(syn::Error::new_spanned(tokens, format!("expected a resource name: {HOW_TO_WRITE}"))),
        };
        word.validate()?;
        Ok(word)
    }

    /// Checks the name rule: `[a-z0-9_]+`, at most 32 bytes.
    fn validate(&self) -> Result<(), syn::Error> {
        let word = &self.word;
        let rule = format!("resource names are 1 to {MAX_LEN} bytes of a-z, 0-9 and _");
        let message = if word.is_empty() {
            format!("invalid resource name \"\": it is empty; {rule}")
        } else if word.len() > MAX_LEN {
            format!("invalid resource name {word:?}: it is {} bytes long; {rule}", word.len())
        } else if let Some(bad) = word.chars().find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')) {
            let fixed = word.to_ascii_lowercase().replace('-', "_");
            let valid = fixed.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            let hint = if valid { format!("; did you mean `{fixed}`?") } else { String::new() };
            format!("invalid resource name {word:?}: {bad:?} is not allowed ({rule}){hint}")
        } else {
            return Ok(());
        };
        Err(syn::Error::new(self.span, message))
    }

    /// The typed event of this resource (`CpuEvent`, …), if it has one.
    pub(crate) fn typed_event(&self) -> Option<&'static str> {
        TYPED.iter().find(|(word, _)| *word == self.word).map(|(_, event)| *event)
    }

    /// The word as a string literal at its place.
    pub(crate) fn literal(&self) -> LitStr {
        LitStr::new(&self.word, self.span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn message(tokens: TokenStream) -> String {
        ResourceWord::from_tokens(tokens).unwrap_err().to_string()
    }

    #[test]
    fn identifiers_and_strings_are_resource_words() {
        assert_eq!(ResourceWord::from_tokens(quote!(acme_gpu)).unwrap().word, "acme_gpu");
        assert_eq!(ResourceWord::from_tokens(quote!("3d_accel")).unwrap().word, "3d_accel");
        assert_eq!(ResourceWord::from_tokens(quote!(r#type)).unwrap().word, "type");
        assert_eq!(ResourceWord::from_tokens(quote!(cpu)).unwrap().typed_event(), Some("CpuEvent"));
        assert_eq!(ResourceWord::from_tokens(quote!(pmig)).unwrap().typed_event(), None);
    }

    #[test]
    fn invalid_names_say_why() {
        assert_eq!(
            message(quote!(Cpu)),
            "invalid resource name \"Cpu\": 'C' is not allowed (resource names are 1 to 32 bytes of a-z, 0-9 \
             and _); did you mean `cpu`?"
        );
        assert!(message(quote!("acme-gpu")).ends_with("did you mean `acme_gpu`?"), "{}", message(quote!("acme-gpu")));
        assert!(message(quote!("")).contains("it is empty"));
        let long = "a".repeat(33);
        assert!(message(quote!(#long)).contains("it is 33 bytes long; resource names are 1 to 32 bytes"));
        assert!(message(quote!(acme - gpu)).starts_with("expected a resource name"));
        assert!(message(quote!(1)).starts_with("expected a resource name"));
    }
}
