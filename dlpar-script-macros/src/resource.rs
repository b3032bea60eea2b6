//! Resource words as written in attributes and in the usage table of `main!`.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::quote;
use syn::LitStr;
use syn::ext::IdentExt;

/// The longest resource name, in bytes (`dlpar_script::protocol::MAX_RESOURCE_NAME`).
const MAX_LEN: usize = 32;

/// The resources with a typed event: the word and the event type's name.
const TYPED: [(&str, &str); 4] =
    [("cpu", "CpuEvent"), ("mem", "MemEvent"), ("capacity", "CapacityEvent"), ("var_weight", "WeightEvent")];

/// The words drmgr itself sends as a resource: the four resources with a typed event
/// and the family words. Only these may be written bare; anything else is a custom
/// resource and is written in quotes, so a typo (`memory`) cannot become one.
pub(crate) const DRMGR_WORDS: [&str; 8] = ["cpu", "mem", "capacity", "var_weight", "pmig", "phib", "acc", "topology"];

/// How to write a resource, for error messages.
pub(crate) const HOW_TO_WRITE: &str = "a resource is a word drmgr sends (cpu, mem, capacity, var_weight, pmig, phib, \
                                       acc, topology) or a custom name in quotes (\"acme_gpu\": 1 to 32 bytes of \
                                       a-z, 0-9 and _)";

/// A resource word and where it was written.
#[derive(Debug, Clone)]
pub(crate) struct ResourceWord {
    /// The word.
    pub(crate) word: String,
    /// Where it was written.
    pub(crate) span: Span,
    /// Whether it was written in quotes: a custom resource.
    pub(crate) custom: bool,
}

impl ResourceWord {
    /// A word as the handlers' collection passes it on (already checked).
    pub(crate) fn checked(word: String, span: Span) -> ResourceWord {
        let custom = !DRMGR_WORDS.contains(&word.as_str());
        ResourceWord { word, span, custom }
    }

    /// Reads one resource from the tokens between two commas: one of
    /// [`DRMGR_WORDS`] as an identifier, or a custom name as a string literal. Says
    /// what is wrong otherwise, with the closest drmgr word for a near miss.
    pub(crate) fn from_tokens(tokens: TokenStream) -> Result<ResourceWord, syn::Error> {
        let mut iter = tokens.clone().into_iter();
        let word = match (iter.next(), iter.next()) {
            (Some(TokenTree::Ident(ident)), None) => {
                ResourceWord { word: ident.unraw().to_string(), span: ident.span(), custom: false }
            }
            (Some(TokenTree::Literal(lit)), None) => {
                match syn::parse2::<LitStr>(TokenTree::Literal(lit.clone()).into()) {
                    Ok(s) => ResourceWord { word: s.value(), span: lit.span(), custom: true },
                    Err(_) => {
                        return Err(syn::Error::new(lit.span(), format!("expected a resource name: {HOW_TO_WRITE}")));
                    }
                }
            }
            _ => return Err(syn::Error::new_spanned(tokens, format!("expected a resource name: {HOW_TO_WRITE}"))),
        };
        word.validate()?;
        if !word.custom && !DRMGR_WORDS.contains(&word.word.as_str()) {
            return Err(word.not_a_drmgr_word());
        }
        Ok(word)
    }

    /// `memory` written bare: not a word drmgr sends.
    fn not_a_drmgr_word(&self) -> syn::Error {
        let word = &self.word;
        let hint =
            crate::suggest::closest(word, &DRMGR_WORDS).map(|w| format!(" (did you mean `{w}`?)")).unwrap_or_default();
        let words = DRMGR_WORDS.join(", ");
        syn::Error::new(
            self.span,
            format!(
                "`{word}` is not a resource drmgr sends{hint}: a bare resource is one of {words}; a custom \
                 resource is written in quotes, `\"{word}\"`"
            ),
        )
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

    /// The runtime's `Resource` for this word, given the path of the `Resource` type:
    /// `from_static` for a drmgr word, `custom` for a custom one.
    pub(crate) fn constructor(&self, resource: &TokenStream) -> TokenStream {
        let word = self.literal();
        if self.custom { quote!(#resource::custom(#word)) } else { quote!(#resource::from_static(#word)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(tokens: TokenStream) -> String {
        ResourceWord::from_tokens(tokens).unwrap_err().to_string()
    }

    #[test]
    fn drmgr_words_bare_and_custom_names_in_quotes() {
        for word in DRMGR_WORDS {
            let ident = proc_macro2::Ident::new(word, Span::call_site());
            let read = ResourceWord::from_tokens(quote!(#ident)).unwrap();
            assert_eq!((read.word.as_str(), read.custom), (word, false));
        }
        let custom = ResourceWord::from_tokens(quote!("acme_gpu")).unwrap();
        assert_eq!((custom.word.as_str(), custom.custom), ("acme_gpu", true));
        assert_eq!(ResourceWord::from_tokens(quote!("3d_accel")).unwrap().word, "3d_accel");
        assert_eq!(ResourceWord::from_tokens(quote!(cpu)).unwrap().typed_event(), Some("CpuEvent"));
        assert_eq!(ResourceWord::from_tokens(quote!(pmig)).unwrap().typed_event(), None);
        let resource = quote!(R);
        assert_eq!(custom.constructor(&resource).to_string(), "R :: custom (\"acme_gpu\")");
        let cpu = ResourceWord::from_tokens(quote!(cpu)).unwrap();
        assert_eq!(cpu.constructor(&resource).to_string(), "R :: from_static (\"cpu\")");
    }

    #[test]
    fn a_bare_word_drmgr_does_not_send_is_an_error_with_the_closest_word() {
        assert_eq!(
            message(quote!(memory)),
            "`memory` is not a resource drmgr sends (did you mean `mem`?): a bare resource is one of cpu, mem, \
             capacity, var_weight, pmig, phib, acc, topology; a custom resource is written in quotes, `\"memory\"`"
        );
        assert!(message(quote!(cpus)).contains("(did you mean `cpu`?)"));
        assert!(message(quote!(r#type)).starts_with("`type` is not a resource drmgr sends: a bare resource"));
        let far = message(quote!(acme_gpu));
        assert!(far.starts_with("`acme_gpu` is not a resource drmgr sends: a bare"), "{far}");
        assert!(far.ends_with("written in quotes, `\"acme_gpu\"`"), "{far}");
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
