//! Handler attributes and `main!` for [`dlpar-script`]. Use them through that crate:
//! `use dlpar_script::prelude::*;` brings the attributes, and `dlpar_script::main!`
//! writes `main`.
//!
//! ```
//! # mod doc {
//! use dlpar_script::prelude::*;
//!
//! /// Refuse to give away the CPU that runs the licence daemon.
//! #[checkrelease(cpu)]
//! fn keep_cpu0(ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
//!     if ev.bcpuid == Some(0) {
//!         return Err(Error::refuse("CPU 0 runs the licence daemon"));
//!     }
//!     Ok(())
//! }
//!
//! dlpar_script::main! {
//!     vendor: "Acme",
//!     info: "Acme DB follows CPU changes",
//!     version: 1,
//!     date: "22112026",
//!     timeout: 30,
//!     usage: { cpu: "Acme DB worker threads are bound to processors" },
//!     handlers: [keep_cpu0],
//! }
//! # }
//! # fn main() {}
//! ```
//!
//! # How the pieces fit
//!
//! Behaviour lives in the runtime, wiring in the macros: everything generated is a
//! call into `dlpar_script`'s builder ([`Script`]) through absolute
//! `::dlpar_script::__private_0_1_0` paths (the version is this crate's, so a
//! runtime of another version does not compile against these macros; the
//! workspace pins them to each other with `=`). Handlers are collected explicitly, without
//! linker sections (which do not work on AIX): each attribute leaves its function as
//! written and adds a hidden companion module of the same name; `main!` names the
//! handlers and reaches their companions through those names.
//!
//! Every mistake is a compile error on the token to change, and one build reports
//! all of them: the attribute checks its resources and the shape of the signature;
//! the compiler checks the parameter and return types on the user's own types
//! through traits of the runtime; `main!` checks its keys and values, and then,
//! having asked each listed handler what its attribute knows, that no two handlers
//! answer the same command and resource, that every function listed has an
//! attribute, and that the usage table covers exactly the resources handled. The
//! other direction, a handler left out of the list, is checked by the compiler:
//! each attribute requires the runtime's `Listed` trait of a marker named after
//! its handler, and `main!` implements it for every handler it lists. One
//! check runs at constant evaluation: that each text fits the protocol's value limit
//! (the limit lives in the runtime).
//!
//! The collection asks the handlers one after the other, each step one macro
//! expansion deep, so a script can list about 60 handlers before reaching the
//! compiler's default `recursion_limit` of 128; raise it with
//! `#![recursion_limit = "256"]` if ever needed.
//!
//! [`dlpar-script`]: https://docs.rs/dlpar-script
//! [`Script`]: https://docs.rs/dlpar-script/latest/dlpar_script/struct.Script.html

mod command;
mod error;
mod expand;
mod parse;
mod resource;
mod suggest;
mod validate;

use proc_macro::TokenStream;

/// Writes `fn main` for a DLPAR script: its metadata, its usage table and its handlers.
///
/// ```
/// # mod doc {
/// use dlpar_script::prelude::*;
///
/// #[checkrelease(cpu)]
/// fn keep_cpu0(ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
///     if ev.bcpuid == Some(0) {
///         return Err(Error::refuse("CPU 0 runs the licence daemon"));
///     }
///     Ok(())
/// }
///
/// #[premigrate]
/// fn before_migration(_ev: &Event, cx: &mut Context) -> Result<()> {
///     cx.emerg("Acme DB pauses while the partition migrates");
///     Ok(())
/// }
///
/// dlpar_script::main! {
///     vendor: "Acme",
///     info: "Acme DB follows CPU changes and migrations",
///     version: 1,
///     date: "22112026",
///     timeout: 30,
///     name: "acme_db",
///     usage: {
///         cpu: "Acme DB worker threads are bound to processors",
///         pmig: "Acme DB pauses while the partition migrates",
///     },
///     handlers: [keep_cpu0, before_migration],
/// }
/// # }
/// # fn main() {}
/// ```
///
/// # Keys
///
/// | key | value | answers |
/// |---|---|---|
/// | `vendor` | one-line string, required | `DR_VENDOR` of `scriptinfo` |
/// | `info` | one-line string, required | `DR_SCRIPTINFO` of `scriptinfo` |
/// | `version` | whole number, required | `DR_VERSION` of `scriptinfo` |
/// | `date` | string of 8 digits (DDMMYYYY), required | `DR_DATE` of `scriptinfo` |
/// | `timeout` | seconds, at least 1, optional | `DR_TIMEOUT` of `scriptinfo` |
/// | `name` | string, optional; default: the file name the binary runs as | messages and phase state |
/// | `state_dir` | absolute path, optional; default: see `dlpar_script::state` | where phase state is kept |
/// | `fast_start` | `true` or `false`, optional; default `false` | the entry point, see below |
/// | `hooks` | `true` or `false`, optional; default `true` | whether a start without arguments may answer as a powerpc-utils hook (`Script::hooks`) |
/// | `hook_undocheck` | `true` or `false`, optional; default `false` | whether a hook's `undocheck` runs the `undopremigrate` handler (`Script::hook_undocheck`) |
/// | `usage` | `{ resource: "one line", .. }`, required | `register` and `usage RES` |
/// | `handlers` | `[function, ..]`, names or paths, required | the event commands |
///
/// A handler that names no resource (`#[premigrate]`) registers its family's word —
/// `pmig`, `phib`, `acc` or `topology` — and that word is its key in `usage`.
///
/// Resources, in the attributes and as `usage` keys, are written bare when they are
/// words drmgr sends (`cpu`, `mem`, `capacity`, `var_weight`, `pmig`, `phib`, `acc`,
/// `topology`) and in quotes when they are your own (`"acme_gpu": "…"`); a bare word
/// that drmgr does not send is an error naming the closest one.
///
/// # Fast start
///
/// drmgr starts a script several times per operation. With `fast_start: true`,
/// `main!` exports C `main` instead of defining Rust's `fn main`, skipping the
/// standard library's start-up work (see `Script::run_c_main`); startup then costs
/// about as much as a shell script's. The crate must then begin with
/// `#![cfg_attr(not(test), no_main)]` — test builds keep Rust's `main` for the test
/// harness. Forgetting it is the compiler's error "`main` function not found".
///
/// # Checked at compile time
///
/// Each of these is an error on the token to change, saying how: an unknown key
/// (the valid keys are listed), a missing required key, a key given twice (both
/// places shown), an empty or multi-line text, a date that is not 8 digits, a zero
/// timeout, an invalid resource name, a bare resource word drmgr does not send, a
/// usage text for a resource that no handler
/// handles, a handler whose resource has no usage text, two handlers for the same
/// command and resource (both shown), a function listed in `handlers` without a
/// handler attribute, and a function listed twice. That each text fits the
/// protocol's value limit is checked when the compiler evaluates constants.
///
/// # Equivalent code without the macro
///
/// `main!` expands to the builder calls below (through hidden paths, and with each
/// handler wrapped in an adapter that has its name); the runtime validates the script
/// again before answering anything.
///
/// ```
/// use dlpar_script::prelude::*;
///
/// fn keep_cpu0(ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
///     if ev.bcpuid == Some(0) {
///         return Err(Error::refuse("CPU 0 runs the licence daemon"));
///     }
///     Ok(())
/// }
///
/// fn before_migration(_ev: &Event, cx: &mut Context) -> Result<()> {
///     cx.emerg("Acme DB pauses while the partition migrates");
///     Ok(())
/// }
///
/// fn script() -> Script {
///     Script::new("Acme", "Acme DB follows CPU changes and migrations")
///         .name("acme_db")
///         .version(1)
///         .date("22112026")
///         .timeout(30)
///         .resource(Resource::Cpu, "Acme DB worker threads are bound to processors")
///         .resource(Resource::from_static("pmig"), "Acme DB pauses while the partition migrates")
///         .on(Command::CheckRelease, Resource::Cpu, keep_cpu0)
///         .on(Command::PreMigrate, Target::AnyResource, before_migration)
/// }
/// // fn main() -> std::process::ExitCode { script().run() }
///
/// let answer = dlpar_script::testing::invoke(&script(), ["register"]);
/// assert_eq!(answer.stdout, "DR_RESOURCE=cpu\nDR_RESOURCE=pmig\n");
/// let answer = dlpar_script::testing::invoke_with_env(&script(), ["checkrelease", "cpu"], [("DR_BCPUID", "0")]);
/// assert_eq!(answer.to_string(), "exit: 1\nDR_ERROR=\"CPU 0 runs the licence daemon\"\n");
/// ```
#[proc_macro]
pub fn main(input: TokenStream) -> TokenStream {
    expand::script::expand(input.into()).into()
}

/// Not public API: one step of `main!`'s collection of handlers.
#[doc(hidden)]
#[proc_macro]
pub fn __collect(input: TokenStream) -> TokenStream {
    expand::chain::expand(input.into()).into()
}

/// Defines one attribute per event command of `dlpar_script_vocab::commands!`, with
/// its documentation: a runnable example with the attribute and `main!`, and the
/// same script with the builder.
///
/// A row's attribute (in braces) is empty for an install command, else `"summary"`
/// and then either `resource "(args)" "Event" "word" "Target" argv` — a command of
/// the remove or add family, shown with one resource — or `family "word" argv` — a
/// command whose handler may name no resource and then registers the family's
/// resource `word`. `argv` is the command line the example runs.
macro_rules! handler_attributes {
    ($($(#[$doc:meta])* $variant:ident = $word:ident $(| $alias:literal)*, $family:ident, $phase:ident { $($attribute:tt)* })+) => {$(
        handler_attributes!(@row $word, $variant { $($attribute)* });
    )+};
    (@row $word:ident, $variant:ident {}) => {};
    (@row $word:ident, $variant:ident { $summary:literal $form:ident $($example:literal)+ }) => {
        handler_attributes!(@form $word, $variant, $summary, $form $($example)+);
    };
    (@form $word:ident, $variant:ident, $summary:literal, resource
        $args:literal $event:literal $usage:literal $target:literal $argv:literal) => {
        handler_attributes!(@attribute $word, $variant, $summary, $args $event $usage $target $argv);
    };
    (@form $word:ident, $variant:ident, $summary:literal, family $family:literal $argv:literal) => {
        handler_attributes!(
            @attribute $word,
            $variant,
            concat!(
                $summary,
                " Without a resource the handler answers for any resource word, or none, and registers `",
                $family,
                "`."
            ),
            "" "Event" $family "Target::AnyResource" $argv
        );
    };
    (@attribute $word:ident, $variant:ident, $summary:expr,
        $args:literal $event:literal $usage:literal $target:literal $argv:literal) => {
        #[doc = concat!("Handler for `", stringify!($word), "`: ", $summary)]
        #[doc = ""]
        #[doc = concat!(
            "Put it on a function `fn(ev: &", $event, ", cx: &mut Context) -> Result<()>` and list the function ",
            "in [`main!`](macro@main). The attribute takes the resource(s) the handler answers for: one ",
            "(`cpu`, `mem`, `capacity`, `var_weight` — the handler then takes `CpuEvent`, `MemEvent`, ",
            "`CapacityEvent` or `WeightEvent`), several (`cpu, mem`), a family word (`pmig`, `phib`, `acc`, ",
            "`topology`), or a custom resource of your own, always in quotes (`\"acme_gpu\"`) so that a typo ",
            "cannot become one: `#[checkrelease(memory)]` is an error (did you mean `mem`?). drmgr sends a custom ",
            "resource only to an operation that names it. With several or a custom one the handler takes the ",
            "general `Event`."
        )]
        #[doc = ""]
        #[doc = concat!(
            "```\n",
            "# mod doc {\n",
            "use dlpar_script::prelude::*;\n",
            "\n",
            "#[", stringify!($word), $args, "]\n",
            "fn on_", stringify!($word), "(_ev: &", $event, ", cx: &mut Context) -> Result<()> {\n",
            "    assert_eq!(cx.command(), Command::", stringify!($variant), ");\n",
            "    Ok(())\n",
            "}\n",
            "\n",
            "dlpar_script::main! {\n",
            "    vendor: \"Acme\",\n",
            "    info: \"Acme example\",\n",
            "    version: 1,\n",
            "    date: \"22112026\",\n",
            "    usage: { ", $usage, ": \"Acme example follows this resource\" },\n",
            "    handlers: [on_", stringify!($word), "],\n",
            "}\n",
            "# }\n",
            "# fn main() {}\n",
            "```\n",
            "\n",
            "Equivalent code without the macro:\n",
            "\n",
            "```\n",
            "use dlpar_script::prelude::*;\n",
            "\n",
            "fn on_", stringify!($word), "(_ev: &", $event, ", cx: &mut Context) -> Result<()> {\n",
            "    assert_eq!(cx.command(), Command::", stringify!($variant), ");\n",
            "    Ok(())\n",
            "}\n",
            "\n",
            "let script = Script::new(\"Acme\", \"Acme example\")\n",
            "    .version(1)\n",
            "    .date(\"22112026\")\n",
            "    .resource(Resource::from_static(\"", $usage, "\"), \"Acme example follows this resource\")\n",
            "    .on(Command::", stringify!($variant), ", ", $target, ", on_", stringify!($word), ");\n",
            "// fn main() -> std::process::ExitCode { script.run() }\n",
            "\n",
            "let answer = dlpar_script::testing::invoke(&script, [", $argv, "]);\n",
            "assert_eq!(answer.to_string(), \"exit: 0\\n\");\n",
            "```"
        )]
        #[proc_macro_attribute]
        pub fn $word(args: TokenStream, item: TokenStream) -> TokenStream {
            expand::handler::attribute(stringify!($word), args.into(), item.into()).into()
        }
    };
}

dlpar_script_vocab::commands!(handler_attributes);
