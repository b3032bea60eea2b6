//! A script that handles every command, and a table printer for snapshots.

use dlpar_script::prelude::*;
use dlpar_script::protocol::{Family, Phase};
use dlpar_script::testing::{Answer, invoke_with_env};

pub(crate) const PMIG: Resource = Resource::from_static("pmig");
pub(crate) const PHIB: Resource = Resource::from_static("phib");
pub(crate) const ACC: Resource = Resource::from_static("acc");
pub(crate) const TOPOLOGY: Resource = Resource::from_static("topology");

/// Every resource of the test script, with its usage text.
const USAGE: [(Resource, &str); 8] = [
    (Resource::Cpu, "Acme worker threads are bound to processors"),
    (Resource::Mem, "Acme buffer pool lives in pinned memory"),
    (Resource::Capacity, "Acme sizes its thread pool from entitled capacity"),
    (Resource::VarWeight, "Acme batch jobs follow the variable weight"),
    (PMIG, "Acme reconnects its clients after a migration"),
    (PHIB, "Acme flushes its journal before hibernation"),
    (ACC, "Acme offloads encryption to accelerators"),
    (TOPOLOGY, "Acme rebuilds its NUMA map after topology changes"),
];

/// The test script's metadata, registering only `resources` (each needs a handler).
pub(crate) fn registering(resources: &[Resource]) -> Script {
    let script = Script::new("Acme", "Acme test script: answers every command").version(3).date("22112026").timeout(20);
    USAGE.into_iter().filter(|(r, _)| resources.contains(r)).fold(script, |s, (r, usage)| s.resource(r, usage))
}

/// The test script's metadata with every resource registered.
pub(crate) fn base() -> Script {
    registering(&USAGE.map(|(r, _)| r))
}

/// Whether a handler should refuse: the checks veto, every other phase fails.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Succeed,
    Fail,
}

fn outcome(mode: Mode, cx: &Context, what: String) -> Result<()> {
    match (mode, cx.command().phase()) {
        (Mode::Succeed, _) => Ok(()),
        (Mode::Fail, Phase::Check) => Err(Error::refuse(format!("{} vetoes: {what}", cx.command()))),
        (Mode::Fail, _) => Err(Error::failed(format!("{} failed: {what}", cx.command()))),
    }
}

/// The base script with a handler on every event command: typed handlers for the
/// four named resources, family-wide handlers for the others.
pub(crate) fn every_command(mode: Mode) -> Script {
    let mut script = base();
    for command in Command::all().filter(|c| !c.is_install()) {
        script = match command.family() {
            Family::Remove | Family::Add => script
                .on(command, Resource::Cpu, move |ev: &CpuEvent, cx: &mut Context| outcome(mode, cx, format!("{ev:?}")))
                .on(command, Resource::Mem, move |ev: &MemEvent, cx: &mut Context| outcome(mode, cx, format!("{ev:?}")))
                .on(command, Resource::Capacity, move |ev: &CapacityEvent, cx: &mut Context| {
                    outcome(mode, cx, format!("{ev:?}"))
                })
                .on(command, Resource::VarWeight, move |ev: &WeightEvent, cx: &mut Context| {
                    outcome(mode, cx, format!("{ev:?}"))
                }),
            _ => script.on(command, Target::AnyResource, move |ev: &Event, cx: &mut Context| {
                outcome(mode, cx, format!("{ev:?}"))
            }),
        };
    }
    script
}

/// One invocation: the words after the program name, and the environment.
pub(crate) type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);

/// Runs each case and renders `$ args [env] → exit + stdout` blocks, one per case.
pub(crate) fn table<'a>(script: &Script, cases: impl IntoIterator<Item = Case<'a>>) -> String {
    let mut out = String::new();
    for (args, env) in cases {
        let answer: Answer = invoke_with_env(script, args.iter().copied(), env.iter().copied());
        let env: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        out.push_str(&format!("$ {} {}\n{answer}\n", env.join(" "), args.join(" ")).replace("$  ", "$ "));
    }
    out
}
