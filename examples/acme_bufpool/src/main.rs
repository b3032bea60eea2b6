//! `acme_bufpool`: Acme's server keeps its buffer pool and thread counts in step with
//! the partition's memory, entitled capacity and variable weight.
//!
//! The server reads its tuning from a control file (see [`control`]) that this
//! script rewrites; the sizing rules are in [`tuning`].
//!
//! | command | what it does |
//! |---|---|
//! | `checkrelease mem` | refuses when less than 1 GB of pinnable memory (`DR_PINNABLE_FRAMES` minus `DR_MEM_SIZE_REQUEST`, 4 KB frames) would remain |
//! | `prerelease mem` | shrinks the pool by half the request (not under 256 MB); records the sizes in phase state |
//! | `undoprerelease mem` | the removal failed: gives the pool its recorded size back |
//! | `postrelease mem` | the removal is done: the smaller pool stays; the record is dropped |
//! | `postacquire mem` | grows the pool by half the memory added |
//! | `postacquire`/`postrelease capacity` | four worker threads per entitled processor |
//! | `postacquire`/`postrelease var_weight` | up to four spare threads, in proportion to the weight |
//!
//! Under `drmgr-sim`, `ACME_BUFPOOL_CONTROL` names the control file and
//! `DLPAR_STATE_DIR` the phase-state directory.

#![cfg_attr(not(test), no_main)] // `fast_start` below exports C `main`

mod control;
mod tuning;

use dlpar_script::prelude::*;
use serde::{Deserialize, Serialize};

use control::{ControlFile, Tuning};
use tuning::{PINNABLE_FLOOR, grown_pool, pinnable_left, resulting, shrunk_pool, spare_threads_for, threads_for};

/// What `prerelease` did to the pool, for `undoprerelease` and `postrelease`.
#[derive(Debug, Serialize, Deserialize)]
struct Shrunk {
    /// The pool before, MB.
    from_mb: u64,
    /// The pool after, MB.
    to_mb: u64,
}

fn request(ev: &MemEvent) -> Result<Megabytes> {
    ev.request_mb.ok_or(Error::missing("DR_MEM_SIZE_REQUEST"))
}

/// Reads the control file, applies `change` and writes it back when it changed.
fn retune(change: impl FnOnce(&mut Tuning)) -> Result<(Tuning, Tuning)> {
    let control = ControlFile::from_env();
    let before = control.read().map_err(Error::other)?;
    let mut after = before;
    change(&mut after);
    if after != before {
        control.write(&after).map_err(Error::other)?;
    }
    Ok((before, after))
}

/// Refuses a removal that would leave too little pinnable memory.
#[checkrelease(mem)]
fn keep_pinnable_floor(ev: &MemEvent, _cx: &mut Context) -> Result<()> {
    let pinnable = ev.pinnable_frames.ok_or(Error::missing("DR_PINNABLE_FRAMES"))?;
    let request = request(ev)?;
    let left = pinnable_left(pinnable, request).unwrap_or(Megabytes::new(0));
    if left < PINNABLE_FLOOR {
        return Err(Error::refuse(format!(
            "removing {} MB would leave {} MB of pinnable memory; Acme's buffer pool needs at least {} MB",
            request.get(),
            left.get(),
            PINNABLE_FLOOR.get()
        )));
    }
    Ok(())
}

/// Shrinks the pool before memory goes, and records it.
#[prerelease(mem)]
fn shrink_pool(ev: &MemEvent, cx: &mut Context) -> Result<()> {
    let request_mb = request(ev)?.get();
    let control = ControlFile::from_env();
    let mut tuning = control.read().map_err(Error::other)?;
    let shrunk = Shrunk { from_mb: tuning.pool_mb, to_mb: shrunk_pool(tuning.pool_mb, request_mb) };
    // Recorded first: if the script dies after writing, undo still knows the old size.
    cx.state().save(&shrunk)?;
    tuning.pool_mb = shrunk.to_mb;
    control.write(&tuning).map_err(Error::other)?;
    log::info!("buffer pool {} MB -> {} MB for the removal of {request_mb} MB", shrunk.from_mb, shrunk.to_mb);
    Ok(())
}

/// The removal failed: the pool gets its recorded size back.
#[undoprerelease(mem)]
fn restore_pool(_ev: &MemEvent, cx: &mut Context) -> Result<()> {
    let Some(shrunk) = cx.state().take::<Shrunk>()? else {
        log::warn!("no record of the buffer pool's size before the removal; it stays as it is");
        return Ok(());
    };
    let (before, _) = retune(|tuning| tuning.pool_mb = shrunk.from_mb)?;
    if before.pool_mb != shrunk.to_mb {
        log::warn!("the buffer pool was changed to {} MB meanwhile; restoring {} MB", before.pool_mb, shrunk.from_mb);
    }
    log::warn!("memory removal failed: buffer pool back to {} MB", shrunk.from_mb);
    Ok(())
}

/// The removal is done: the smaller pool stays.
#[postrelease(mem)]
fn commit_pool(_ev: &MemEvent, cx: &mut Context) -> Result<()> {
    if let Some(shrunk) = cx.state().take::<Shrunk>()? {
        log::info!("memory removed: buffer pool stays at {} MB", shrunk.to_mb);
    }
    Ok(())
}

/// Grows the pool into memory that came.
#[postacquire(mem)]
fn grow_pool(ev: &MemEvent, _cx: &mut Context) -> Result<()> {
    let request_mb = request(ev)?.get();
    let (before, after) = retune(|tuning| tuning.pool_mb = grown_pool(tuning.pool_mb, request_mb))?;
    log::info!("buffer pool {} MB -> {} MB after {request_mb} MB was added", before.pool_mb, after.pool_mb);
    Ok(())
}

/// A Micro-Partitioning value after the change: the variable `name` plus `delta_name`.
fn after_change(value: Option<u64>, delta: Option<i64>, name: &'static str, delta_name: &'static str) -> Result<u64> {
    Ok(resulting(value.ok_or(Error::missing(name))?, delta.ok_or(Error::missing(delta_name))?))
}

/// Sets the worker threads for the entitled capacity after the change.
fn retune_threads(ev: &CapacityEvent) -> Result<()> {
    let capacity = after_change(ev.capacity, ev.delta, "DR_CPU_CAPACITY", "DR_CPU_CAPACITY_DELTA")?;
    let (before, after) = retune(|tuning| tuning.threads = threads_for(capacity))?;
    let processors = format!("{}.{:02}", capacity / 100, capacity % 100);
    log::info!("entitled capacity {processors} processors: worker threads {} -> {}", before.threads, after.threads);
    Ok(())
}

/// Sets the spare threads for the variable weight after the change.
fn retune_spare_threads(ev: &WeightEvent) -> Result<()> {
    let weight = after_change(ev.weight, ev.delta, "DR_VAR_WEIGHT", "DR_VAR_WEIGHT_DELTA")?;
    let (before, after) = retune(|tuning| tuning.spare_threads = spare_threads_for(weight))?;
    log::info!("variable weight {weight}: spare threads {} -> {}", before.spare_threads, after.spare_threads);
    Ok(())
}

/// Entitled capacity was added.
#[postacquire(capacity)]
fn capacity_added(ev: &CapacityEvent, _cx: &mut Context) -> Result<()> {
    retune_threads(ev)
}

/// Entitled capacity was removed.
#[postrelease(capacity)]
fn capacity_removed(ev: &CapacityEvent, _cx: &mut Context) -> Result<()> {
    retune_threads(ev)
}

/// The variable weight was raised.
#[postacquire(var_weight)]
fn weight_raised(ev: &WeightEvent, _cx: &mut Context) -> Result<()> {
    retune_spare_threads(ev)
}

/// The variable weight was lowered.
#[postrelease(var_weight)]
fn weight_lowered(ev: &WeightEvent, _cx: &mut Context) -> Result<()> {
    retune_spare_threads(ev)
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme server: buffer pool and threads follow memory, capacity and weight",
    version: 1,
    date: "22112026",
    timeout: 20,
    fast_start: true,
    usage: {
        mem: "Acme server's buffer pool lives in pinned memory; it shrinks before a removal and grows after an addition",
        capacity: "Acme server runs four worker threads per entitled processor",
        var_weight: "Acme server runs spare threads on idle shared-pool cycles, in proportion to the weight",
    },
    handlers: [
        keep_pinnable_floor, shrink_pool, restore_pool, commit_pool, grow_pool,
        capacity_added, capacity_removed, weight_raised, weight_lowered,
    ],
}
