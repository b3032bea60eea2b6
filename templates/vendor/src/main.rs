//! {{vendor}}_{{subsystem}}: {{description}}
//!
//! drmgr runs this program with a command word and `DR_*` environment variables
//! around each change of the partition's memory. Each function below answers one
//! command; `main!` at the bottom lists them. Commands without a function are
//! answered "nothing to do".
//!
//! | command | what the script does |
//! |---|---|
//! | `checkrelease mem` | refuses a removal that would leave less than [`MIN_PINNABLE_MB`] of pinnable memory |
//! | `prerelease mem` | asks {{subsystem}} to give the memory back; records what it asked |
//! | `undoprerelease mem` | the removal failed: gives {{subsystem}} back what it gave |
//! | `postrelease mem` | the removal is done: {{subsystem}} keeps its smaller size |
//! | `postacquire mem` | memory was added: {{subsystem}} may grow |
//!
//! The calls into {{subsystem}} itself are yours to write where the comments say so;
//! the log lines show in the drmgr trace and, at `DR_DETAIL_LEVEL` 2 or more, on
//! the HMC.

#![cfg_attr(not(test), no_main)] // `fast_start` below exports C `main`

use dlpar_script::log;
use dlpar_script::prelude::*;

/// Pinnable memory {{subsystem}} needs to keep running, in MB.
const MIN_PINNABLE_MB: u64 = 512;

/// What `prerelease` asked of {{subsystem}}, kept for `undoprerelease` and
/// `postrelease`, which run as separate processes. `Serialize` and `Deserialize`
/// come with the prelude; the `serde(crate)` line lets them work without `serde`
/// among the dependencies.
#[derive(Debug, Serialize, Deserialize)]
#[serde(crate = "dlpar_script::serde")]
struct Released {
    /// Megabytes {{subsystem}} was asked to give back.
    mb: u64,
}

/// The size of the request, `DR_MEM_SIZE_REQUEST`, in MB.
fn request_mb(ev: &MemEvent) -> Result<u64> {
    Ok(ev.request_mb.ok_or(Error::missing("DR_MEM_SIZE_REQUEST"))?.get())
}

/// Refuses a removal that would leave less than [`MIN_PINNABLE_MB`] of pinnable
/// memory, the usual reason a memory removal fails.
#[checkrelease(mem)]
fn keep_pinnable(ev: &MemEvent, _cx: &mut Context) -> Result<()> {
    let pinnable =
        ev.pinnable_frames.ok_or(Error::missing("DR_PINNABLE_FRAMES"))?.to_megabytes().get();
    let request = request_mb(ev)?;
    let left = pinnable.saturating_sub(request);
    if left < MIN_PINNABLE_MB {
        return Err(Error::refuse(format!(
            "{{subsystem}} needs {MIN_PINNABLE_MB} MB of pinnable memory; removing {request} MB would leave {left} MB"
        )));
    }
    Ok(())
}

/// Asks {{subsystem}} to give the memory back, and records it.
#[prerelease(mem)]
fn give_back(ev: &MemEvent, cx: &mut Context) -> Result<()> {
    let mb = request_mb(ev)?;
    // Tell {{subsystem}} here to shrink its caches or buffers by `mb` MB.
    cx.state().save(&Released { mb })?;
    log::info!("{{subsystem}} gives back {mb} MB");
    Ok(())
}

/// The removal failed: gives {{subsystem}} back what `prerelease` took.
#[undoprerelease(mem)]
fn take_back(_ev: &MemEvent, cx: &mut Context) -> Result<()> {
    if let Some(Released { mb }) = cx.state().take()? {
        // Tell {{subsystem}} here to grow back by `mb` MB.
        log::warn!("the removal failed: {{subsystem}} takes its {mb} MB back");
    }
    Ok(())
}

/// The removal is done: {{subsystem}} stays at its smaller size.
#[postrelease(mem)]
fn released(_ev: &MemEvent, cx: &mut Context) -> Result<()> {
    if let Some(Released { mb }) = cx.state().take()? {
        log::info!("{mb} MB removed: {{subsystem}} stays {mb} MB smaller");
    }
    Ok(())
}

/// Memory was added: {{subsystem}} may grow.
#[postacquire(mem)]
fn acquired(ev: &MemEvent, _cx: &mut Context) -> Result<()> {
    let mb = request_mb(ev)?;
    // Tell {{subsystem}} here that it may use `mb` MB more.
    log::info!("{mb} MB added: {{subsystem}} may grow");
    Ok(())
}

dlpar_script::main! {
    vendor: "{{vendor_name}}",
    info: "{{description}}",
    version: 1,
    date: "{{date}}",
    timeout: 30,
    fast_start: true,
    usage: {
        mem: "{{subsystem}} keeps its caches in pinned memory: it shrinks them before a memory removal",
    },
    handlers: [keep_pinnable, give_back, take_back, released, acquired],
}
