//! The shape of a handler: its resources and its signature.
//!
//! Only the shape is checked here (two parameters, a shared reference, a mutable
//! reference, a return type). Whether the types are the right ones is checked by the
//! compiler in the generated adapter, through the runtime's `HandlerEvent`,
//! `HandlerContext` and `HandlerReturn` traits, so type aliases and full paths work.

use syn::spanned::Spanned;
use syn::{FnArg, ReturnType, Safety, Type};

use crate::error::Errors;
use crate::parse::handler::HandlerInput;
use crate::resource::HOW_TO_WRITE;

/// The event type a handler's resources call for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expected {
    /// One known resource: its typed event (`CpuEvent`, …).
    Typed(&'static str),
    /// Several resources, a custom one, or none: the general `Event`.
    General,
}

impl Expected {
    /// The event type's name in the runtime's hidden module.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Expected::Typed(name) => name,
            Expected::General => "Event",
        }
    }
}

/// A handler whose shape is right: the types to check in the adapter.
#[derive(Debug)]
pub(crate) struct Signature<'a> {
    /// What the first parameter must be a reference to.
    pub(crate) expected: Expected,
    /// The first parameter's referent, as written.
    pub(crate) event: &'a Type,
    /// The second parameter's referent, as written.
    pub(crate) context: &'a Type,
    /// The return type, as written.
    pub(crate) output: &'a Type,
}

/// Checks the attribute's resources and the function's signature. Returns the
/// signature when its shape is right (even if the resources have problems, so the
/// types are still checked).
pub(crate) fn validate<'a>(input: &'a HandlerInput, errors: &mut Errors) -> Option<Signature<'a>> {
    check_resources(input, errors);
    let expected = match input.resources.as_slice() {
        [one] => one.typed_event().map_or(Expected::General, Expected::Typed),
        _ => Expected::General,
    };
    check_signature(input, expected, errors)
}

fn check_resources(input: &HandlerInput, errors: &mut Errors) {
    let word = input.command.word;
    if !input.has_args && input.command.family_word().is_none() {
        errors.push(
            input.attribute_span(),
            format!("`#[{word}]` needs a resource, such as `#[{word}(cpu)]`: {HOW_TO_WRITE}"),
        );
    }
    for (i, resource) in input.resources.iter().enumerate() {
        if let Some(first) = input.resources[..i].iter().find(|r| r.word == resource.word) {
            errors.duplicate(
                resource.span,
                format!("resource `{}` is named twice in `#[{word}]`: remove one", resource.word),
                first.span,
                format!("`{}` is first named", resource.word),
            );
        }
    }
}

fn check_signature<'a>(input: &'a HandlerInput, expected: Expected, errors: &mut Errors) -> Option<Signature<'a>> {
    let sig = &input.function.sig;
    let event_name = expected.name();
    let before = errors.len();
    if let Some(token) = &sig.asyncness {
        errors.push(
            token.span,
            "a handler cannot be `async`: drmgr waits for the process, so do the work before returning; remove `async`",
        );
    }
    if let Safety::Unsafe(token) = &sig.safety {
        errors.push(token.span, "a handler cannot be an `unsafe fn`: remove `unsafe` and use an `unsafe` block inside");
    }
    let generic = "a handler cannot be generic: remove the generic parameters; the attribute's resources decide \
                   the event type, and elided lifetimes are enough";
    if !sig.generics.params.is_empty() {
        errors.push_error(syn::Error::new_spanned(&sig.generics, generic));
    } else if let Some(clause) = &sig.generics.where_clause {
        errors.push_error(syn::Error::new_spanned(clause, generic));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(variadic.span(), "a handler cannot be variadic: remove `...`");
    }
    let params: Vec<&FnArg> = sig.inputs.iter().collect();
    let shape = format!("`(ev: &{event_name}, cx: &mut Context)`");
    let (event, context) = match params.as_slice() {
        [FnArg::Typed(ev), FnArg::Typed(cx)] => {
            (event_reference(&ev.ty, event_name, errors), context_reference(&cx.ty, errors))
        }
        _ => {
            if let Some(FnArg::Receiver(receiver)) = params.first() {
                errors.push(
                    receiver.span(),
                    format!("a handler is a free function, not a method: remove `self`; its parameters are {shape}"),
                );
            } else {
                errors.push(sig.paren_token.span.join(), format!("a handler takes two parameters: {shape}"));
            }
            (None, None)
        }
    };
    let output = match &sig.output {
        ReturnType::Type(_, ty) => Some(&**ty),
        ReturnType::Default => {
            errors.push(
                sig.paren_token.span.close(),
                "a handler must return `Result<()>`: add `-> Result<()>` after the parameters",
            );
            None
        }
    };
    match (event, context, output) {
        (Some(event), Some(context), Some(output)) if errors.len() == before => {
            Some(Signature { expected, event, context, output })
        }
        _ => None,
    }
}

/// The referent of the event parameter, which must be a shared reference.
fn event_reference<'a>(ty: &'a Type, event_name: &str, errors: &mut Errors) -> Option<&'a Type> {
    match ty {
        Type::Reference(r) if r.mutability.is_none() => Some(&r.elem),
        Type::Reference(r) => {
            errors.push(r.mutability.span(), format!("a handler cannot change the event: take it as `&{event_name}`"));
            None
        }
        _ => {
            errors.push_error(syn::Error::new_spanned(
                ty,
                format!("a handler takes the event by reference: `ev: &{event_name}`"),
            ));
            None
        }
    }
}

/// The referent of the context parameter, which must be a mutable reference.
fn context_reference<'a>(ty: &'a Type, errors: &mut Errors) -> Option<&'a Type> {
    match ty {
        Type::Reference(r) if r.mutability.is_some() => Some(&r.elem),
        _ => {
            errors.push_error(syn::Error::new_spanned(ty, "a handler takes the context as `cx: &mut Context`"));
            None
        }
    }
}
