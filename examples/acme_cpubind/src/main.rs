//! `acme_cpubind`: processor removal with `bindprocessor` attachments, written with
//! the handler attributes, `main!` and the `dlpar_script::aix` helpers.
//!
//! A processor removal fails while a process is bound to the processor. This script
//! resolves that dependency the way IBM's documentation describes, with typed calls
//! instead of `ps | grep | awk`:
//!
//! | command | what it does |
//! |---|---|
//! | `checkrelease cpu` | refuses when a Workload Manager class is confined to a resource set whose only processor is the one being removed (`DR_LCPUID`): the removal would fail, and only the administrator can move the class |
//! | `prerelease cpu` | unbinds every process bound to the processor (`DR_BCPUID`) and records them in phase state |
//! | `undoprerelease cpu` | the removal failed: binds the recorded processes again to the same processor |
//! | `postrelease cpu` | the removal succeeded: leaves them unbound and says so ([`AfterRelease::LeaveUnbound`]) |
//!
//! Without macros, the same script is
//! `Script::new("Acme", …).resource(Resource::Cpu, …).on(Command::PreRelease, Resource::Cpu, unbind_from_cpu)…`.
//!
//! Under `drmgr-sim`, `DLPAR_AIX_REPLAY` points the AIX commands at a replay file and
//! `DLPAR_STATE_DIR` the phase state at a temporary directory.
#![cfg_attr(not(test), no_main)] // `fast_start` below exports C `main`

use dlpar_script::aix::{AfterRelease, Aix, BindCpu, CpuRelease, LogicalCpu, WlmScope, classes_confined_to};
use dlpar_script::prelude::*;

/// Refuses the removal when a WLM class would be left without a processor.
#[checkrelease(cpu)]
fn keep_confined_classes(ev: &CpuEvent, cx: &mut Context) -> Result<()> {
    let lcpuid = ev.lcpuid.ok_or(Error::missing("DR_LCPUID"))?;
    let aix = Aix::from_env()?.within(cx);
    let classes = aix.classes(WlmScope::InCore)?;
    if classes.iter().all(|class| class.rset.is_none()) {
        return Ok(());
    }
    let rsets = aix.rsets()?;
    if let Some(class) = classes_confined_to(&classes, &rsets, LogicalCpu(lcpuid)).first() {
        return Err(Error::refuse(format!(
            "WLM class {} is confined to resource set {}, whose only processor is logical CPU {lcpuid}; \
             give the class another resource set first (chclass -a rset=...)",
            class.name,
            class.rset.as_deref().unwrap_or_default()
        )));
    }
    Ok(())
}

/// Unbinds the processes bound to the processor being removed.
#[prerelease(cpu)]
fn unbind_from_cpu(ev: &CpuEvent, cx: &mut Context) -> Result<()> {
    let cpu = BindCpu(ev.bcpuid.ok_or(Error::missing("DR_BCPUID"))?);
    let aix = Aix::from_env()?.within(cx);
    let released = CpuRelease::new(&aix).prerelease(cpu, &mut cx.state())?;
    for process in &released.processes {
        log::info!("unbound process {} ({}) from bind CPU {}", process.pid, process.command, process.cpu);
    }
    Ok(())
}

/// The removal failed: binds the processes again.
#[undoprerelease(cpu)]
fn rebind_after_undo(_: &CpuEvent, cx: &mut Context) -> Result<()> {
    let aix = Aix::from_env()?.within(cx);
    let rebound = CpuRelease::new(&aix).undoprerelease(&mut cx.state())?;
    for (process, cpu) in &rebound.bound {
        log::info!("bound process {} ({}) to bind CPU {cpu} again", process.pid, process.command);
    }
    for (process, reason) in &rebound.left {
        log::warn!("process {} ({}) could not be bound again: {reason}", process.pid, process.command);
    }
    Ok(())
}

/// The removal succeeded: the processes stay unbound (the policy, so `info`).
#[postrelease(cpu)]
fn settle_after_release(_: &CpuEvent, cx: &mut Context) -> Result<()> {
    let aix = Aix::from_env()?.within(cx);
    let rebound = CpuRelease::new(&aix).postrelease(&mut cx.state(), AfterRelease::LeaveUnbound)?;
    for (process, reason) in &rebound.left {
        log::info!("process {} ({}) stays unbound: {reason}", process.pid, process.command);
    }
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme binder: moves bound processes off a processor being removed",
    version: 1,
    date: "22112026",
    timeout: 20,
    fast_start: true,
    usage: { cpu: "Acme workers are bound to processors with bindprocessor" },
    handlers: [keep_confined_classes, unbind_from_cpu, rebind_after_undo, settle_after_release],
}
