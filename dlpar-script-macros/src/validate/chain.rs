//! The checks that need every handler at once: attributes present, no two handlers
//! for one command and resource, and a usage text for exactly the resources used.

use syn::Path;

use super::script::span_of;
use crate::error::Errors;
use crate::parse::chain::{Described, Description};
use crate::parse::script::Usage;
use crate::resource::ResourceWord;

/// A resource a handler registers: one it names, or its family's word.
struct Registered<'a> {
    handler: &'a Description,
    word: String,
    /// The resource token in the attribute, or the attribute itself.
    at: ResourceWord,
    /// Whether the handler named no resource.
    family_wide: bool,
}

/// Checks the handlers, given in the order of `paths`, against each other and the usage table.
pub(crate) fn validate(found: &[Described], paths: &[&Path], usage: Option<&[Usage]>, errors: &mut Errors) {
    let mut registered = Vec::new();
    for (described, path) in found.iter().zip(paths) {
        match described {
            Described::Missing => missing(path, errors),
            Described::Handler(handler) => registered.extend(registrations(handler)),
        }
    }
    duplicates(&registered, errors);
    if let Some(usage) = usage {
        coverage(&registered, usage, errors);
    }
}

fn missing(path: &Path, errors: &mut Errors) {
    let name = path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
    errors.push(
        span_of(path),
        format!(
            "`{name}` is listed in `handlers` but has no handler attribute: put the attribute of the command it \
             answers on `fn {name}`, such as `#[checkrelease(cpu)]` or `#[premigrate]`"
        ),
    );
}

fn registrations(handler: &Description) -> Vec<Registered<'_>> {
    if handler.resources.is_empty() {
        let word = handler.command.family_word.unwrap_or_default().to_owned();
        let at = ResourceWord { word: word.clone(), span: handler.attribute };
        return vec![Registered { handler, word, at, family_wide: true }];
    }
    handler
        .resources
        .iter()
        .map(|r| Registered { handler, word: r.word.clone(), at: r.clone(), family_wide: false })
        .collect()
}

fn duplicates(registered: &[Registered<'_>], errors: &mut Errors) {
    for (i, second) in registered.iter().enumerate() {
        let same = |r: &&Registered<'_>| {
            r.handler.command == second.handler.command && r.word == second.word && r.family_wide == second.family_wide
        };
        // One attribute naming a resource twice is reported by the attribute.
        if let Some(first) = registered[..i].iter().find(same).filter(|f| f.handler.name != second.handler.name) {
            let command = second.handler.command.word;
            let target = if second.family_wide {
                format!("`{command}` (whole family)")
            } else {
                format!("`{command} {}`", second.word)
            };
            errors.duplicate(
                second.at.span,
                format!(
                    "{target} has two handlers, `{}` and `{}`: drmgr runs one handler per command and resource; \
                     merge them into one function",
                    first.handler.name, second.handler.name
                ),
                first.at.span,
                format!("first handler for {target} is `{}`, here", first.handler.name),
            );
        }
    }
}

fn coverage(registered: &[Registered<'_>], usage: &[Usage], errors: &mut Errors) {
    for (i, r) in registered.iter().enumerate() {
        let first_use = !registered[..i].iter().any(|o| o.word == r.word);
        if first_use && !usage.iter().any(|u| u.resource.word == r.word) {
            let via = if r.family_wide {
                format!(" (the resource word of `{}`)", r.handler.command.word)
            } else {
                String::new()
            };
            errors.push(
                r.at.span,
                format!(
                    "`{}` handles `{}`{via} but `main!` has no usage text for it: add `{}: \"what your application \
                     does with it\"` to `usage`",
                    r.handler.name, r.word, r.word
                ),
            );
        }
    }
    for entry in usage {
        if !registered.iter().any(|r| r.word == entry.resource.word) {
            let word = &entry.resource.word;
            errors.push(
                entry.resource.span,
                format!(
                    "usage text for `{word}`, but no handler in `handlers` handles `{word}`: remove it, or add a \
                     handler such as `#[checkrelease({word})]`"
                ),
            );
        }
    }
}
