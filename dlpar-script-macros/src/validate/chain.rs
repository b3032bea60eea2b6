//! The checks that need every handler at once: no two handlers for one command and
//! resource, and a usage text for exactly the resources used. (A listed name
//! without an attribute is left to the compiler: `expand::chain`.)

use crate::command::COMMANDS;
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

/// The usage table as far as it is known.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UsageTable<'a> {
    /// The entries that could be read.
    pub(crate) entries: &'a [Usage],
    /// Whether every entry could be read.
    pub(crate) complete: bool,
}

/// Checks the handlers, given in the order of `paths`, against each other and the
/// usage table. Where an earlier error leaves a fact unknown (a function without an
/// attribute, an attribute with errors, an unreadable usage entry), the checks that
/// depend on it are skipped rather than guessed, so no error follows from another.
pub(crate) fn validate(found: &[Described], usage: Option<UsageTable<'_>>, errors: &mut Errors) {
    let mut registered = Vec::new();
    let mut all_known = true;
    for described in found {
        match described {
            // Reported by the compiler: see `expand::chain::attribute_required`.
            Described::Missing => all_known = false,
            Described::Handler(handler) => {
                all_known &= handler.ready;
                registered.extend(registrations(handler));
            }
        }
    }
    duplicates(&registered, errors);
    if let Some(usage) = usage {
        if usage.complete {
            undescribed(&registered, usage.entries, errors);
        }
        if all_known {
            unused(&registered, usage.entries, errors);
        }
    }
}

fn registrations(handler: &Description) -> Vec<Registered<'_>> {
    if handler.resources.is_empty() {
        // A remove or add handler without a resource is reported by its attribute.
        let Some(word) = handler.command.family_word() else { return Vec::new() };
        let word = word.to_owned();
        let at = ResourceWord::checked(word.clone(), handler.attribute);
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
        if let Some(first) = registered[..i].iter().find(same).filter(|f| !std::ptr::eq(f.handler, second.handler)) {
            let command = second.handler.command.word;
            let target = if second.family_wide {
                format!("`{command}` for any resource")
            } else {
                format!("`{command} {}`", second.word)
            };
            errors.duplicate(
                second.at.span,
                format!(
                    "{target} has two handlers, `{}` and `{}`: a script answers each command and resource \
                     with one handler; merge them into one function",
                    first.handler.name, second.handler.name
                ),
                first.at.span,
                format!("the first handler for {target}, `{}`, is", first.handler.name),
            );
        }
    }
}

/// Resources handled without a usage text.
fn undescribed(registered: &[Registered<'_>], usage: &[Usage], errors: &mut Errors) {
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
                    r.handler.name,
                    r.word,
                    if r.at.custom { format!("\"{}\"", r.word) } else { r.word.clone() }
                ),
            );
        }
    }
}

/// Usage texts for resources that no handler handles.
fn unused(registered: &[Registered<'_>], usage: &[Usage], errors: &mut Errors) {
    for entry in usage {
        if !registered.iter().any(|r| r.word == entry.resource.word) {
            let word = &entry.resource.word;
            let family = COMMANDS.iter().find(|c| c.family_word() == Some(word.as_str()));
            let written = if entry.resource.custom { format!("\"{word}\"") } else { word.clone() };
            let example = family.map_or_else(|| format!("#[checkrelease({written})]"), |c| format!("#[{}]", c.word));
            errors.push(
                entry.resource.span,
                format!(
                    "usage text for `{word}`, but no handler in `handlers` handles `{word}`: remove it, or add a \
                     handler such as `{example}`"
                ),
            );
        }
    }
}
