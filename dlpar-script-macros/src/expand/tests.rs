//! Snapshots of what the macros generate for representative inputs, pretty-printed.

use proc_macro2::TokenStream;
use quote::quote;

fn pretty(tokens: TokenStream) -> String {
    let file = syn::parse2::<syn::File>(tokens.clone()).unwrap_or_else(|e| panic!("{e}: {tokens}"));
    prettyplease::unparse(&file)
}

fn attribute(word: &str, args: TokenStream, item: TokenStream) -> String {
    pretty(super::handler::attribute(word, args, item))
}

#[test]
fn a_handler_for_one_known_resource_takes_its_typed_event() {
    insta::assert_snapshot!(attribute(
        "checkrelease",
        quote!(cpu),
        quote! {
            /// Refuse to give away CPU 0.
            fn keep_cpu0(ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
                if ev.bcpuid == Some(0) { return Err(Error::refuse("CPU 0")); }
                Ok(())
            }
        },
    ));
}

#[test]
fn a_handler_for_several_or_custom_resources_takes_the_general_event() {
    insta::assert_snapshot!(attribute(
        "prerelease",
        quote!(cpu, mem, "3d_accel"),
        quote!(
            pub(crate) fn drain(_ev: &Event, _cx: &mut Context) -> Result<()> {
                Ok(())
            }
        ),
    ));
}

#[test]
fn a_family_wide_handler_answers_for_any_resource() {
    insta::assert_snapshot!(attribute(
        "premigrate",
        TokenStream::new(),
        quote!(
            fn pause(_ev: &Event, _cx: &mut Context) -> Result<()> {
                Ok(())
            }
        ),
    ));
}

#[test]
fn a_handler_with_errors_is_kept_as_written_and_marked_broken() {
    insta::assert_snapshot!(attribute(
        "checkrelease",
        quote!(Cpu, cpu),
        quote!(
            async fn keep<T>(ev: CpuEvent) {}
        ),
    ));
}

#[test]
fn an_attribute_on_something_else_keeps_the_item() {
    insta::assert_snapshot!(attribute(
        "postacquire",
        quote!(mem),
        quote!(
            struct Pool {
                size: u64,
            }
        )
    ));
}

const SCRIPT: fn() -> TokenStream = || {
    quote! {
        vendor: "Acme",
        info: "Acme DB follows CPU changes",
        version: 1,
        date: "22112026",
        timeout: 30,
        name: "acme_db",
        usage: { cpu: "Acme DB threads", pmig: "Acme DB pauses" },
        handlers: [keep_cpu0, migrate::pause],
    }
};

#[test]
fn main_writes_the_collector_and_main() {
    insta::assert_snapshot!(pretty(super::script::expand(SCRIPT())));
}

#[test]
fn fast_start_exports_c_main() {
    insta::assert_snapshot!(pretty(super::script::expand(quote! {
        vendor: "Acme",
        info: "Acme DB follows CPU changes",
        version: 1,
        date: "22112026",
        fast_start: true,
        usage: { cpu: "Acme DB threads" },
        handlers: [keep_cpu0],
    })));
}

#[test]
fn main_with_errors_reports_them_and_still_collects() {
    insta::assert_snapshot!(pretty(super::script::expand(quote! {
        vendr: "Acme",
        info: "two\nlines",
        version: 1,
        date: "2026",
        timeout: 0,
        usage: { Cpu: "x" },
        handlers: [keep_cpu0, keep_cpu0],
    })));
}

#[test]
fn main_without_handlers_falls_back_to_a_main_that_never_runs() {
    insta::assert_snapshot!(pretty(super::script::expand(quote!(vendor: "Acme"))));
}

fn described_keep_cpu0() -> TokenStream {
    quote!({ handler keep_cpu0 command checkrelease resources ["cpu"] ready })
}

#[test]
fn a_middle_hop_asks_the_next_handler() {
    let script = SCRIPT();
    let described = described_keep_cpu0();
    insta::assert_snapshot!(pretty(super::chain::expand(quote!(#described [] ok { #script }))));
}

#[test]
fn the_last_hop_writes_the_script() {
    let script = SCRIPT();
    let first = described_keep_cpu0();
    let last = quote!({ handler pause command premigrate resources [] ready });
    insta::assert_snapshot!(pretty(super::chain::expand(quote!(#last [#first] ok { #script }))));
}

#[test]
fn the_last_hop_reports_what_needs_every_handler() {
    let script = quote! {
        vendor: "Acme", info: "x", version: 1, date: "22112026",
        usage: { cpu: "threads", mem: "pool" },
        handlers: [keep_cpu0, also_cpu0, plain, pause],
    };
    let first = described_keep_cpu0();
    let second = quote!({ handler also_cpu0 command checkrelease resources ["cpu"] ready });
    let last = quote!({ handler pause command premigrate resources [] ready });
    insta::assert_snapshot!(pretty(super::chain::expand(quote!(#last [#first #second { missing }] ok { #script }))));
}
