//! `acme_quiesce`: one handler set for AIX and for Linux on Power.
//!
//! Acme's service takes its orders from a small control file (`state=` and
//! `workers=`; see [`control`]). Around a partition migration the script
//! quiesces it and resumes it; when processors come or go, it changes the number
//! of workers to follow. The same binary is
//!
//! * an AIX DLPAR script (`drmgr -i`), answering `checkmigrate`, `premigrate`,
//!   `postmigrate`, `undopremigrate`, `postacquire cpu`, `postrelease cpu`; and
//! * a powerpc-utils hook in `/etc/drmgr.d/pmig/` and `/etc/drmgr.d/cpu/`
//!   (`drmgr-sim linux install`), where the runtime maps `PHASE`/`ACTION` to the
//!   same handlers (see `dlpar_script::hook`).
//!
//! What differs between the hosts is only what the events carry: AIX changes one
//! processor per command, Linux gives the whole count in `DRC_COUNT`
//! (`CpuEvent::count`). Linux runs `post` even after a failed migration, which is
//! exactly when AIX runs `undopremigrate`: both resume the service.
//!
//! `checkmigrate` refuses while the control file holds the service (`hold=` with
//! a reason, say a backup), which powerpc-utils honours as a veto too.
#![cfg_attr(not(test), no_main)]

mod control;

use dlpar_script::hook::Host;
use dlpar_script::prelude::*;

use control::{Control, State};

/// Refuses the migration while the service is held.
#[checkmigrate]
fn refuse_while_held(_: &Event, _cx: &mut Context) -> Result<()> {
    match Control::open()?.read()?.hold {
        Some(reason) => Err(Error::refuse(format!("Acme service is held ({reason}): migrate later"))),
        None => Ok(()),
    }
}

/// Quiesces the service; a retry finds it already quiesced.
#[premigrate]
fn quiesce(_: &Event, _cx: &mut Context) -> Result<()> {
    switch(State::Running, State::Quiesced, "Acme service quiesced for the migration")
}

/// Resumes the service after the migration (and, on Linux, after a failed one).
#[postmigrate]
fn resume(_: &Event, _cx: &mut Context) -> Result<()> {
    resume_service()
}

/// The migration failed (AIX): resume the service all the same.
#[undopremigrate]
fn resume_after_failure(_: &Event, _cx: &mut Context) -> Result<()> {
    resume_service()
}

fn resume_service() -> Result<()> {
    switch(State::Quiesced, State::Running, "Acme service resumed")
}

/// Moves the service from `from` to `to`, saying `done`; in any other state it is
/// left alone (already switched, or set by its operator).
fn switch(from: State, to: State, done: &str) -> Result<()> {
    let control = Control::open()?;
    let mut settings = control.read()?;
    if settings.state == from {
        settings.state = to;
        control.write(&settings)?;
        // A warning, not info: a powerpc-utils hook shows only errors and warnings.
        log::warn!("{done}");
    }
    Ok(())
}

/// Adds one worker per processor added.
#[postacquire(cpu)]
fn more_workers(ev: &CpuEvent, cx: &mut Context) -> Result<()> {
    follow(changed(ev, cx), true)
}

/// Removes one worker per processor removed (never below one).
#[postrelease(cpu)]
fn fewer_workers(ev: &CpuEvent, cx: &mut Context) -> Result<()> {
    follow(changed(ev, cx), false)
}

/// How many processors changed: AIX changes one per command; a powerpc-utils
/// hook is told the count that actually changed.
fn changed(ev: &CpuEvent, cx: &Context) -> u32 {
    match cx.host() {
        Host::PowerpcUtils(_) => ev.count.unwrap_or(0),
        _ => 1,
    }
}

fn follow(processors: u32, added: bool) -> Result<()> {
    let control = Control::open()?;
    let mut settings = control.read()?;
    let before = settings.workers;
    settings.workers = if added { before.saturating_add(processors) } else { before.saturating_sub(processors).max(1) };
    if settings.workers != before {
        control.write(&settings)?;
        log::warn!("Acme workers: {before} -> {}", settings.workers);
    }
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme service: quiesced for migrations, workers follow processors",
    version: 1,
    date: "01122026",
    timeout: 20,
    fast_start: true,
    usage: {
        pmig: "Acme service is quiesced before a migration and resumed after it",
        cpu: "Acme runs one worker per processor",
    },
    handlers: [refuse_while_held, quiesce, resume, resume_after_failure, more_workers, fewer_workers],
}
