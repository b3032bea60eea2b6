//! The metadata of `main!`: required keys, one-line texts, the date, numbers, and
//! the usage table and handler list on their own.

use proc_macro2::Span;
use quote::ToTokens;
use syn::{LitInt, LitStr};

use crate::error::Errors;
use crate::parse::script::{Field, ScriptInput, same_path};

/// Checks everything `main!` can check without the handlers' attributes.
pub(crate) fn validate(input: &ScriptInput, errors: &mut Errors) {
    let required = [
        ("vendor", "vendor: \"Acme\""),
        ("info", "info: \"what the script does, in one line\""),
        ("version", "version: 1"),
        ("date", "date: \"22112026\""),
        ("usage", "usage: { cpu: \"what the application does with processors\" }"),
        ("handlers", "handlers: [keep_cpu0]"),
    ];
    let missing: Vec<String> =
        required.iter().filter(|(key, _)| !input.has(key)).map(|(_, example)| format!("    {example},")).collect();
    if !missing.is_empty() {
        let keys: Vec<&str> = required.iter().map(|(key, _)| *key).filter(|key| !input.has(key)).collect();
        errors.push(
            input.invocation_span(),
            format!("`main!` is missing `{}`: add\n{}", keys.join("`, `"), missing.join("\n")),
        );
    }
    for field in [&input.vendor, &input.info, &input.name].into_iter().flatten() {
        check_text(&format!("`{}`", field.key), &field.value, errors);
    }
    if let Some(name) = &input.name
        && name.value.value().contains('/')
    {
        errors.push(name.value.span(), "`name` is a file name, not a path: remove the `/`");
    }
    if let Some(dir) = &input.state_dir {
        check_state_dir(&dir.value, errors);
    }
    if let Some(date) = &input.date {
        check_date(&date.value, errors);
    }
    if let Some(version) = &input.version {
        number(version, errors);
    }
    if let Some(timeout) = &input.timeout {
        match number(timeout, errors) {
            Some(0) => errors.push(
                timeout.value.span(),
                "`timeout` must be at least 1 second: drmgr ends a script when it runs out",
            ),
            Some(seconds) if seconds > MAX_TIMEOUT => errors.push(
                timeout.value.span(),
                format!(
                    "`timeout` is at most {MAX_TIMEOUT} seconds (one day), not {seconds}: give a shorter limit; an \
                     administrator who needs more sets it at install (drmgr -w MINUTES)"
                ),
            ),
            _ => {}
        }
    }
    if let Some(usage) = &input.usage {
        for (i, entry) in usage.value.iter().enumerate() {
            let word = &entry.resource.word;
            check_text(&format!("the usage text of `{word}`"), &entry.text, errors);
            if let Some(first) = usage.value[..i].iter().find(|e| e.resource.word == *word) {
                errors.duplicate(
                    entry.resource.span,
                    format!("`{word}` has two usage texts: keep one"),
                    first.resource.span,
                    format!("the first usage text of `{word}` is"),
                );
            }
        }
    }
    if let Some(handlers) = &input.handlers {
        check_handler_list(handlers, errors);
    }
}

fn check_handler_list(handlers: &Field<Vec<syn::Path>>, errors: &mut Errors) {
    if handlers.value.is_empty() {
        errors.push(handlers.key.span(), "`handlers` is empty: list the functions that carry a handler attribute");
    }
    for (i, path) in handlers.value.iter().enumerate() {
        let name = path.to_token_stream().to_string();
        if let Some(first) = handlers.value[..i].iter().find(|p| same_path(p, path)) {
            errors.duplicate(
                span_of(path),
                format!("`{name}` is listed twice in `handlers`: remove one"),
                span_of(first),
                format!("`{name}` is first listed"),
            );
        }
    }
}

/// Where a path was written (its last segment: the function's name).
pub(crate) fn span_of(path: &syn::Path) -> Span {
    path.segments.last().map_or_else(Span::call_site, |s| s.ident.span())
}

/// One line, not empty: what drmgr can show on one line of its output.
/// `state_dir`: an absolute path on one line (the runtime checks the directory itself).
fn check_state_dir(dir: &LitStr, errors: &mut Errors) {
    let value = dir.value();
    if !value.starts_with('/') {
        errors.push(
            dir.span(),
            "`state_dir` must be an absolute path (drmgr starts scripts in /tmp): write `state_dir: \"/var/lib/..\"`",
        );
    } else if value.chars().any(char::is_control) {
        errors.push(dir.span(), "`state_dir` must be one line without control characters: remove them");
    }
}

fn check_text(what: &str, text: &LitStr, errors: &mut Errors) {
    let value = text.value();
    if value.trim().is_empty() {
        errors.push(text.span(), format!("{what} is empty: write one line for the administrator"));
    } else if value.chars().any(char::is_control) {
        errors.push(
            text.span(),
            format!("{what} must be one line without control characters: remove the line break or tab"),
        );
    }
}

fn check_date(date: &LitStr, errors: &mut Errors) {
    let value = date.value();
    if value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()) {
        errors.push(date.span(), format!("`date` must be 8 digits, DDMMYYYY, such as \"22112026\"; {value:?} is not"));
    }
}

/// The value as a `u32`, reporting one that is out of range.
/// The longest `timeout` a script may declare, in seconds: the runtime's
/// `ScriptInfo::MAX_TIMEOUT` (the macros depend on nothing of ours, so it is
/// repeated here; `tests/ui/metadata/timeout_too_long.rs` and the runtime's
/// validation test hold both to 86 400).
const MAX_TIMEOUT: u32 = 86_400;

fn number(field: &Field<LitInt>, errors: &mut Errors) -> Option<u32> {
    let parsed = field.value.base10_parse::<u32>();
    if parsed.is_err() {
        errors.push(field.value.span(), format!("`{}` must be a whole number from 0 to {}", field.key, u32::MAX));
    }
    parsed.ok()
}
