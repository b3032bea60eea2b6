//! `sysadmin_wlm`: a Workload Manager class follows the online processors.
//!
//! The administrator's script the AIX documentation names as its example: a WLM
//! class confined to a resource set keeps running on every online processor as
//! processors come and go. The class and the resource set the script keeps for it
//! come from a configuration file (see [`config`]); the processors from the system
//! resource set `sys/sys0`; the changes are made with `rmrset`/`mkrset` and
//! `chclass` (see [`follow`]).
//!
//! | command | what it does |
//! |---|---|
//! | `checkrelease cpu` | refuses when the configuration is unusable, the class is not defined in the running WLM, or the class would be left without a processor |
//! | `prerelease cpu` | takes the leaving processor (`DR_LCPUID`) out of the class's set; records the set as it was in phase state |
//! | `undoprerelease cpu` | the removal failed: gives the class its recorded set back |
//! | `postrelease cpu` | the removal succeeded: makes sure the set holds exactly the online processors |
//! | `postacquire cpu` | adds the new processor to the class's set |
//!
//! Under `drmgr-sim`, `DLPAR_AIX_REPLAY` answers the AIX commands from a replay
//! file, `DLPAR_STATE_DIR` holds the phase state and `SYSADMIN_WLM_CONFIG` names the
//! configuration file.

#![cfg_attr(not(test), no_main)] // `fast_start` below exports C `main`

mod config;
mod follow;

use dlpar_script::aix::LogicalCpu;
use dlpar_script::prelude::*;
use serde::{Deserialize, Serialize};

use follow::{Follower, with, without};

/// The class's set before `prerelease` changed it, for `undoprerelease`.
#[derive(Debug, Serialize, Deserialize)]
struct SetBefore {
    /// Its processors; `None` when the set did not exist.
    cpus: Option<Vec<LogicalCpu>>,
}

/// `DR_LCPUID`: resource sets count logical CPUs.
fn leaving_or_coming(ev: &CpuEvent) -> Result<LogicalCpu> {
    Ok(LogicalCpu(ev.lcpuid.ok_or(Error::missing("DR_LCPUID"))?))
}

/// Refuses a removal the script could not follow.
#[checkrelease(cpu)]
fn check_class(ev: &CpuEvent, cx: &mut Context) -> Result<()> {
    let cpu = leaving_or_coming(ev)?;
    let wlm = Follower::new(cx)?;
    if !wlm.class_exists()? {
        return Err(Error::refuse(format!(
            "WLM class {} is not defined in the running Workload Manager (lsclass -C -r -d \"\"); \
             correct the configuration or start WLM",
            wlm.class()
        )));
    }
    if without(&wlm.processors()?.online, cpu).is_empty() {
        return Err(Error::refuse(format!("logical CPU {cpu} is the last one WLM class {} can run on", wlm.class())));
    }
    Ok(())
}

/// Takes the leaving processor out of the class's set; records the set as it was.
#[prerelease(cpu)]
fn shrink_class_set(ev: &CpuEvent, cx: &mut Context) -> Result<()> {
    let cpu = leaving_or_coming(ev)?;
    let wlm = Follower::new(cx)?;
    let now = wlm.processors()?;
    cx.state().save(&SetBefore { cpus: now.class_set.clone() })?;
    wlm.confine(&now, &without(&now.online, cpu))
}

/// The removal failed: the class gets its recorded set back (every online
/// processor when there was no set before).
#[undoprerelease(cpu)]
fn restore_class_set(_ev: &CpuEvent, cx: &mut Context) -> Result<()> {
    let wlm = Follower::new(cx)?;
    let now = wlm.processors()?;
    let before = cx.state().take::<SetBefore>()?.and_then(|before| before.cpus);
    let cpus = before.unwrap_or_else(|| now.online.clone());
    wlm.confine(&now, &cpus)
}

/// The removal succeeded: the set holds exactly the online processors.
#[postrelease(cpu)]
fn settle_class_set(ev: &CpuEvent, cx: &mut Context) -> Result<()> {
    let cpu = leaving_or_coming(ev)?;
    let wlm = Follower::new(cx)?;
    let now = wlm.processors()?;
    wlm.confine(&now, &without(&now.online, cpu))
}

/// Adds the new processor to the class's set.
#[postacquire(cpu)]
fn grow_class_set(ev: &CpuEvent, cx: &mut Context) -> Result<()> {
    let cpu = leaving_or_coming(ev)?;
    let wlm = Follower::new(cx)?;
    let now = wlm.processors()?;
    wlm.confine(&now, &with(&now.online, cpu))
}

dlpar_script::main! {
    vendor: "System administration",
    info: "Keeps a Workload Manager class on every online processor",
    version: 1,
    date: "22112026",
    timeout: 30,
    fast_start: true,
    usage: {
        cpu: "The WLM class named in /etc/sysadmin_wlm.conf is confined to a resource set that follows the online processors",
    },
    handlers: [check_class, shrink_class_set, restore_class_set, settle_class_set, grow_class_set],
}
