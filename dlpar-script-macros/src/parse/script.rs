//! The input of `main!`: `key: value` pairs separated by commas.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Ident, LitBool, LitInt, LitStr, Path};

use super::split_commas;
use crate::error::Errors;
use crate::resource::ResourceWord;

/// The keys `main!` accepts, in the order the documentation lists them.
pub(crate) const KEYS: [&str; 12] = [
    "vendor",
    "info",
    "version",
    "date",
    "timeout",
    "name",
    "state_dir",
    "fast_start",
    "hooks",
    "hook_undocheck",
    "usage",
    "handlers",
];

/// A key and its value.
#[derive(Debug)]
pub(crate) struct Field<T> {
    /// The key as written.
    pub(crate) key: Ident,
    /// The value.
    pub(crate) value: T,
}

/// One entry of the usage table: `cpu: "text"`.
#[derive(Debug)]
pub(crate) struct Usage {
    /// The resource.
    pub(crate) resource: ResourceWord,
    /// Its usage text.
    pub(crate) text: LitStr,
}

/// Everything `main!` was given; absent keys, and values that could not be read,
/// are `None`.
#[derive(Debug, Default)]
pub(crate) struct ScriptInput {
    /// Every key given, in order, even those whose value could not be read.
    pub(crate) given: Vec<Ident>,
    /// Whether an entry of the usage table could not be read: which resources it
    /// covers is then unknown.
    pub(crate) usage_unreadable: bool,
    /// The span of the first token of the input, if any.
    first: Option<Span>,
    pub(crate) vendor: Option<Field<LitStr>>,
    pub(crate) info: Option<Field<LitStr>>,
    pub(crate) version: Option<Field<LitInt>>,
    pub(crate) date: Option<Field<LitStr>>,
    pub(crate) timeout: Option<Field<LitInt>>,
    pub(crate) name: Option<Field<LitStr>>,
    /// `state_dir: "/var/lib/acme/dlpar"`: where phase state lives (see `Script::state_dir`).
    pub(crate) state_dir: Option<Field<LitStr>>,
    /// `fast_start: true`: export C `main` instead of Rust's (see `Script::run_c_main`).
    pub(crate) fast_start: Option<Field<LitBool>>,
    /// `hooks: false`: no powerpc-utils hook mode (see `Script::hooks`).
    pub(crate) hooks: Option<Field<LitBool>>,
    /// `hook_undocheck: true`: `undocheck` runs `undopremigrate` (see `Script::hook_undocheck`).
    pub(crate) hook_undocheck: Option<Field<LitBool>>,
    pub(crate) usage: Option<Field<Vec<Usage>>>,
    pub(crate) handlers: Option<Field<Vec<Path>>>,
}

/// Reads every `key: value` pair it can, recording each problem.
pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> ScriptInput {
    let mut input =
        ScriptInput { first: tokens.clone().into_iter().next().map(|t| t.span()), ..ScriptInput::default() };
    for piece in split_commas(tokens) {
        let mut trees = piece.clone().into_iter();
        let key = match (trees.next(), trees.next()) {
            (Some(TokenTree::Ident(key)), Some(TokenTree::Punct(colon))) if colon.as_char() == ':' => key,
            (Some(TokenTree::Ident(key)), _) => {
                errors.push(key.span(), format!("expected `:` after `{key}`: write `{key}: value`"));
                continue;
            }
            _ => {
                errors.push_error(syn::Error::new_spanned(piece, expected_key()));
                continue;
            }
        };
        let value: TokenStream = trees.collect();
        input.set(key, value, errors);
    }
    input
}

impl ScriptInput {
    /// The whole `main!` invocation, anchored on its input so that an error there
    /// reads like any other (without "this error originates in the macro").
    pub(crate) fn invocation_span(&self) -> Span {
        let call_site = Span::call_site();
        self.first.map_or(call_site, |first| call_site.resolved_at(first))
    }

    /// Whether `key` was given, readable or not.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.given.iter().any(|k| k == key)
    }

    /// The handler paths, each once, in the order listed.
    pub(crate) fn handler_list(&self) -> Vec<&Path> {
        let mut seen: Vec<&Path> = Vec::new();
        for path in self.handlers.iter().flat_map(|h| &h.value) {
            if !seen.iter().any(|p| same_path(p, path)) {
                seen.push(path);
            }
        }
        seen
    }

    fn set(&mut self, key: Ident, value: TokenStream, errors: &mut Errors) {
        let name = key.to_string();
        if let Some(first) = self.given.iter().find(|k| **k == name) {
            errors.duplicate(
                key.span(),
                format!("`{key}` is given twice in `main!`: keep one"),
                first.span(),
                format!("`{key}` is first given"),
            );
            return;
        }
        if KEYS.contains(&name.as_str()) {
            self.given.push(key.clone());
        }
        match name.as_str() {
            "vendor" => store(&mut self.vendor, key, text(&format!("{name}: \"..\""), value, errors)),
            "info" => store(&mut self.info, key, text(&format!("{name}: \"..\""), value, errors)),
            "name" => store(&mut self.name, key, text(&format!("{name}: \"..\""), value, errors)),
            "state_dir" => store(&mut self.state_dir, key, text(&format!("{name}: \"/var/lib/..\""), value, errors)),
            "date" => store(&mut self.date, key, date(value, errors)),
            "version" => store(&mut self.version, key, number(&name, value, errors)),
            "timeout" => store(&mut self.timeout, key, number(&name, value, errors)),
            "fast_start" => store(&mut self.fast_start, key, flag(&name, value, errors)),
            "hooks" => store(&mut self.hooks, key, flag(&name, value, errors)),
            "hook_undocheck" => store(&mut self.hook_undocheck, key, flag(&name, value, errors)),
            "usage" => {
                let (entries, complete) = usage(value, errors);
                self.usage_unreadable = !complete;
                store(&mut self.usage, key, entries)
            }
            "handlers" => store(&mut self.handlers, key, handlers(value, errors)),
            _ => {
                let hint = suggestion(&name).map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default();
                let keys = KEYS.join(", ");
                errors.push(key.span(), format!("unknown key `{name}` in `main!`{hint}; the keys are {keys}"));
            }
        }
    }
}

fn expected_key() -> String {
    format!("expected `key: value`; the keys are {}", KEYS.join(", "))
}

/// Whether two entries of `handlers` name the same function, as written.
pub(crate) fn same_path(a: &Path, b: &Path) -> bool {
    a.to_token_stream().to_string() == b.to_token_stream().to_string()
}

/// Stores a value that could be read.
fn store<T>(slot: &mut Option<Field<T>>, key: Ident, value: Option<T>) {
    if let Some(value) = value {
        *slot = Some(Field { key, value });
    }
}

/// A string literal; `example` shows how to write it.
fn text(example: &str, value: TokenStream, errors: &mut Errors) -> Option<LitStr> {
    let message = format!("expected a one-line string: `{example}`");
    errors.ok(syn::parse2(value.clone()).map_err(|_| syn::Error::new_spanned(value, message)))
}

fn date(value: TokenStream, errors: &mut Errors) -> Option<LitStr> {
    let message = "`date` is a string of 8 digits, DDMMYYYY: `date: \"22112026\"`";
    errors.ok(syn::parse2(value.clone()).map_err(|_| syn::Error::new_spanned(value, message)))
}

fn number(key: &str, value: TokenStream, errors: &mut Errors) -> Option<LitInt> {
    let message = format!("`{key}` is a whole number: `{key}: 1`");
    errors.ok(syn::parse2(value.clone()).map_err(|_| syn::Error::new_spanned(value, message)))
}

fn flag(key: &str, value: TokenStream, errors: &mut Errors) -> Option<LitBool> {
    let message = format!("`{key}` is `true` or `false`: `{key}: true`");
    errors.ok(syn::parse2(value.clone()).map_err(|_| syn::Error::new_spanned(value, message)))
}

/// The group a value must be, or an error saying how to write it.
fn group(value: TokenStream, delimiter: Delimiter, example: &str, errors: &mut Errors) -> Option<TokenStream> {
    let mut trees = value.clone().into_iter();
    match (trees.next(), trees.next()) {
        (Some(TokenTree::Group(g)), None) if g.delimiter() == delimiter => Some(g.stream()),
        _ => {
            errors.push_error(syn::Error::new_spanned(value, example));
            None
        }
    }
}

/// The usage table, and whether every entry could be read.
fn usage(value: TokenStream, errors: &mut Errors) -> (Option<Vec<Usage>>, bool) {
    let example =
        "`usage` is a table of resource and text: `usage: { cpu: \"Acme DB threads are bound to processors\" }`";
    let Some(table) = group(value, Delimiter::Brace, example, errors) else {
        return (None, false);
    };
    let mut entries = Vec::new();
    let mut complete = true;
    for piece in split_commas(table) {
        let mut trees: Vec<TokenTree> = piece.clone().into_iter().collect();
        let Some(colon) = trees.iter().position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ':')) else {
            errors.push_error(syn::Error::new_spanned(piece, format!("expected `resource: \"text\"`: {example}")));
            complete = false;
            continue;
        };
        let text_tokens: TokenStream = trees.split_off(colon + 1).into_iter().collect();
        trees.pop();
        let resource = errors.ok(ResourceWord::from_tokens(trees.into_iter().collect()));
        let example = resource.as_ref().map_or_else(|| "cpu".to_owned(), |r| r.word.clone());
        let text = text(&format!("{example}: \"..\""), text_tokens, errors);
        match (resource, text) {
            (Some(resource), Some(text)) => entries.push(Usage { resource, text }),
            _ => complete = false,
        }
    }
    (Some(entries), complete)
}

fn handlers(value: TokenStream, errors: &mut Errors) -> Option<Vec<Path>> {
    let example = "`handlers` lists the handler functions: `handlers: [keep_cpu0, shrink_pool]`";
    let list = group(value, Delimiter::Bracket, example, errors)?;
    Some(
        split_commas(list)
            .into_iter()
            .filter_map(|piece| {
                errors.ok(syn::parse2(piece.clone()).map_err(|_| {
                    syn::Error::new_spanned(
                        piece,
                        "expected the name or path of a handler function, such as `keep_cpu0` or `cpu::keep`",
                    )
                }))
            })
            .collect(),
    )
}

/// The key closest to a misspelt one, if it is close enough to be a typo.
fn suggestion(word: &str) -> Option<&'static str> {
    crate::suggest::closest(word, &KEYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_of_keys_are_recognised() {
        assert_eq!(suggestion("vendr"), Some("vendor"));
        assert_eq!(suggestion("handler"), Some("handlers"));
        assert_eq!(suggestion("timout"), Some("timeout"));
        assert_eq!(suggestion("description"), None);
    }
}
