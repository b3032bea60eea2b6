//! `acme_licmgr`: Acme's processor licence, enforced when processors are added.
//!
//! Acme is licensed per processor. The licence file (`/etc/acme/licmgr.conf`, see
//! [`licence`]) says how many processors the partition may have online while Acme
//! runs. Written with the handler attributes and `dlpar_script::main!`:
//!
//! | command | what it does |
//! |---|---|
//! | `checkacquire cpu` | refuses the processor when the partition would then have more processors online than licensed. drmgr never lets an operator force past a `checkacquire` veto, so the licence holds |
//! | `postacquire cpu`, `postrelease cpu` | log how many of the licensed processors are online (`DR_LOG_INFO`, shown from `DR_DETAIL_LEVEL` 2) |
//!
//! There is deliberately no `checkrelease`: giving processors back never breaks the
//! licence, so a removal is never refused.
//!
//! **Counting online processors.** The event names the processor being added, not
//! how many are online, so the script asks AIX: `bindprocessor -q` lists the bind
//! ids of the online processors ([`Aix::online_processors`]). It is the count that
//! matters to a per-processor licence and the one an administrator sees. Under tests
//! and `drmgr-sim`, `DLPAR_AIX_REPLAY` answers that command from a replay file, and
//! `ACME_LICMGR_CONF` names the licence file.
//!
//! Without macros, the same script is
//! `Script::new("Acme", …).resource(Resource::Cpu, …).on(Command::CheckAcquire, Resource::Cpu, stay_within_licence)…`.
#![cfg_attr(not(test), no_main)] // `fast_start` below exports C `main`

mod licence;

use dlpar_script::aix::Aix;
use dlpar_script::prelude::*;

use licence::Licence;

/// How many processors are online now, according to AIX.
fn online_processors(cx: &Context) -> Result<usize> {
    Ok(Aix::from_env()?.within(cx).online_processors()?.len())
}

/// Refuses a processor that would take the partition past the licensed count.
#[checkacquire(cpu)]
fn stay_within_licence(ev: &CpuEvent, cx: &mut Context) -> Result<()> {
    let licence = Licence::from_env().map_err(Error::other)?;
    let online = online_processors(cx)?;
    let processor = ev.bcpuid.map_or_else(|| "a processor".to_owned(), |id| format!("processor {id}"));
    if online + 1 > licence.cpus {
        return Err(Error::refuse(format!(
            "Acme is licensed for {} processors and {online} are online: adding {processor} would exceed the \
             licence; buy more licences and raise licensed_cpus in {}",
            licence.cpus,
            licence.path.display()
        )));
    }
    dlpar_script::log::info!("{processor} fits the Acme licence: {} of {} processors", online + 1, licence.cpus);
    Ok(())
}

/// Logs the licence use after the partition's processors changed.
fn report(cx: &Context) -> Result<()> {
    let licence = Licence::from_env().map_err(Error::other)?;
    let online = online_processors(cx)?;
    dlpar_script::log::info!("Acme licence: {online} of {} licensed processors online", licence.cpus);
    Ok(())
}

/// A processor was added.
#[postacquire(cpu)]
fn report_after_acquire(_ev: &CpuEvent, cx: &mut Context) -> Result<()> {
    report(cx)
}

/// A processor was removed.
#[postrelease(cpu)]
fn report_after_release(_ev: &CpuEvent, cx: &mut Context) -> Result<()> {
    report(cx)
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme licence manager: keeps the partition within Acme's processor licence",
    version: 1,
    date: "22112026",
    timeout: 10,
    fast_start: true,
    usage: { cpu: "Acme is licensed per processor: processors beyond the licence are refused" },
    handlers: [stay_within_licence, report_after_acquire, report_after_release],
}
