//! sysadmin_{{subsystem}}: {{description}}
//!
//! drmgr runs this program with a command word and `DR_*` environment variables
//! each time processors are added to or removed from the partition. Each function
//! below answers one command; the list in `main!` at the bottom says which ones the
//! script has. Commands without a function are answered "nothing to do".
//!
//! | command | what the script does |
//! |---|---|
//! | `checkrelease cpu` | refuses to remove a processor when fewer than [`MIN_ONLINE`] would stay online |
//! | `postrelease cpu` | logs the processor that went and how many stay |
//! | `postacquire cpu` | logs the processor that came and how many are online |

#![cfg_attr(not(test), no_main)] // `fast_start` below exports C `main`

use dlpar_script::log;
use dlpar_script::prelude::*;

/// Processors that must stay online. A removal that would leave fewer is refused
/// (unless the operator forces it: then drmgr skips the check).
const MIN_ONLINE: u32 = 2;

/// Refuses to remove a processor when fewer than [`MIN_ONLINE`] would stay online.
///
/// Bind ids (`DR_BCPUID`) number the online processors 0, 1, … N, and a removal
/// always takes the highest one, so after it exactly `DR_BCPUID` processors stay.
#[checkrelease(cpu)]
fn keep_minimum(ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    let bcpuid = ev.bcpuid.ok_or(Error::missing("DR_BCPUID"))?;
    if bcpuid < MIN_ONLINE {
        return Err(Error::refuse(format!(
            "sysadmin_{{subsystem}} keeps {MIN_ONLINE} processors online; removing processor {bcpuid} would leave {bcpuid}"
        )));
    }
    log::info!("processor {bcpuid} may go: {bcpuid} processors stay online");
    Ok(())
}

/// Logs the processor that was removed.
#[postrelease(cpu)]
fn released(ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    let bcpuid = ev.bcpuid.ok_or(Error::missing("DR_BCPUID"))?;
    log::info!("processor {bcpuid} was removed: {bcpuid} processors online");
    Ok(())
}

/// Logs the processor that was added (it takes the next bind id).
#[postacquire(cpu)]
fn acquired(ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    let bcpuid = ev.bcpuid.ok_or(Error::missing("DR_BCPUID"))?;
    log::info!("processor {bcpuid} was added: {} processors online", bcpuid + 1);
    Ok(())
}

dlpar_script::main! {
    vendor: "{{maintainer}}",
    info: "{{description}}",
    version: 1,
    date: "{{date}}",
    timeout: 10,
    fast_start: true,
    // Keep the number in step with MIN_ONLINE.
    usage: {
        cpu: "sysadmin_{{subsystem}} refuses processor removals that would leave fewer than 2 online",
    },
    handlers: [keep_minimum, released, acquired],
}
