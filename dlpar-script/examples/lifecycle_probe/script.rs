//! The probe's script, shared by its two entry points: `lifecycle_probe`
//! (`main.rs`, Rust's `main` and `Script::run`) and `lifecycle_probe_fast` (C
//! `main` and `Script::run_c_main`, as `fast_start: true` generates).
//!
//! Knobs (environment, read by the handlers, not by the runtime):
//! `PROBE_TIMEOUT` declares `DR_TIMEOUT` in seconds; `PROBE_WATCHDOG=0` turns the
//! watchdog off; `PROBE_SLEEP_MS` is how long `checkrelease mem` works (with
//! `PROBE_BUSY_LOGGER=1`, while another thread logs; `=flood`, 1 KB lines without
//! pause), after creating the file `PROBE_READY` if given;
//! `PROBE_VALUE` is what `prerelease cpu` saves; `PROBE_SAVE_LOOP=1` makes
//! `postrelease cpu` save numbered records forever (to be killed mid-save; post,
//! because a pre phase starts a new operation and discards what it finds).
//!
//! `checkacquire cpu` misbehaves on request, in this order: `PROBE_CLOSE_FDS=1`
//! closes every descriptor from 3 to 1023; `PROBE_OPEN=FILE`
//! opens FILE for writing and keeps it open; `PROBE_FORK=1` forks, and both
//! processes go on (the child returns into the runtime; the parent waits for it
//! first and logs its exit status); `PROBE_STRAY=1` writes to stdout in
//! every way a handler can (`print!`, `write(1, …)`, a locked `io::stdout()` that a
//! thread then keeps, a child process); `PROBE_WARNINGS=N` logs N warnings of 1 KB;
//! `PROBE_PANIC=once` panics, `=twice` panics again while unwinding (a `Drop`);
//! `PROBE_DONE=FILE` creates FILE as the handler's last act; `PROBE_FAIL=1`
//! returns an error.
//!
//! As a powerpc-utils hook (no arguments, `DRC_TYPE=pmig PHASE=…`): every
//! migration command warns what it sees; `premigrate` saves `PROBE_VALUE` and
//! `postmigrate` reports it; with `PROBE_SLEEP_MS` `checkmigrate` works that long
//! (after creating the file `PROBE_READY` if given),
//! with `PROBE_PANIC=1` it panics (with the message `PROBE_PANIC_TEXT` if given),
//! with `=twice` it panics again while unwinding, with `PROBE_FAIL=1` it refuses; `PROBE_HOOKS=0`
//! turns hook mode off and `PROBE_UNDOCHECK=1` maps `undocheck` to `undopremigrate`.

use std::io::Write;
use std::time::Duration;

use dlpar_script::prelude::*;
use serde::{Deserialize, Serialize};

/// What `prerelease cpu` records for the later phases.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    value: String,
}

/// A numbered record whose payload length depends on the number, so that a torn
/// file cannot pass for a whole one.
#[derive(Debug, Serialize, Deserialize)]
struct Numbered {
    n: u64,
    payload: String,
}

fn knob(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Saves `PROBE_VALUE`.
fn save_value(_: &CpuEvent, cx: &mut Context) -> Result<()> {
    let value = knob("PROBE_VALUE").unwrap_or_else(|| "nothing".to_owned());
    cx.state().save(&Saved { value: value.clone() })?;
    log::info!("saved {value}");
    Ok(())
}

/// The payload length of record `n`: varies from one save to the next.
fn payload_len(n: u64) -> usize {
    1000 + (n as usize * 7919) % 60_000
}

/// Takes what `prerelease` saved and says what it restores.
fn undo_value(_: &CpuEvent, cx: &mut Context) -> Result<()> {
    match cx.state().take::<Saved>()? {
        Some(saved) => log::info!("undo restores {}", saved.value),
        None => log::warn!("nothing to undo"),
    }
    Ok(())
}

/// Reads what `prerelease` saved (the runtime clears it afterwards), or with
/// `PROBE_SAVE_LOOP` saves numbered records until killed.
fn post_value(_: &CpuEvent, cx: &mut Context) -> Result<()> {
    if knob("PROBE_SAVE_LOOP").is_some() {
        for n in 1.. {
            cx.state().save(&Numbered { n, payload: "x".repeat(payload_len(n)) })?;
        }
    }
    match cx.state().load::<Saved>()? {
        Some(saved) => log::info!("post sees {}", saved.value),
        None => log::warn!("post sees nothing"),
    }
    Ok(())
}

/// Works for `PROBE_SLEEP_MS` milliseconds; with `PROBE_BUSY_LOGGER=1`, a second
/// thread logs without pause meanwhile, so the reply is often in use when the
/// watchdog fires.
fn slow_check(_: &MemEvent, _cx: &mut Context) -> Result<()> {
    let ms: u64 = knob("PROBE_SLEEP_MS").and_then(|v| v.parse().ok()).unwrap_or(0);
    log::info!("working for {ms} ms");
    match knob("PROBE_BUSY_LOGGER").as_deref() {
        Some("flood") => {
            std::thread::spawn(|| {
                let line = "f".repeat(1000);
                for tick in 0_u64.. {
                    log::warn!("{tick} {line}");
                }
            });
        }
        Some(_) => {
            std::thread::spawn(|| {
                for tick in 0_u64.. {
                    log::debug!("tick {tick}");
                    std::thread::sleep(Duration::from_micros(50));
                }
            });
        }
        None => {}
    }
    if let Some(ready) = knob("PROBE_READY") {
        std::fs::write(ready, b"working")?;
    }
    std::thread::sleep(Duration::from_millis(ms));
    log::info!("done");
    Ok(())
}

/// Logs once at every level, then saves and takes a value (which the runtime
/// notes at its own debug level).
fn chatty(_: &MemEvent, cx: &mut Context) -> Result<()> {
    cx.emerg("emergency");
    log::error!("error");
    log::warn!("warning");
    log::info!("info");
    log::debug!("debug");
    log::trace!("trace");
    cx.state().save("scratch")?;
    cx.state().take::<String>()?;
    Ok(())
}

/// Panics while a panic unwinds past it.
struct PanicsWhileUnwinding;

impl Drop for PanicsWhileUnwinding {
    fn drop(&mut self) {
        if std::thread::panicking() {
            panic!("second panic, from a Drop");
        }
    }
}

/// Writes "stdout" output in every way a handler can; none of it may reach the reply.
fn write_stray_output() -> Result<()> {
    #[allow(clippy::print_stdout, reason = "the probe checks that stray output cannot reach the reply")]
    {
        println!("DR_ERROR=\"forged by println\"");
        print!("partial print");
    }
    // SAFETY: a valid buffer of its length.
    unsafe { libc::write(1, b"partial write".as_ptr().cast(), 13) };
    writeln!(std::io::stdout().lock(), "DR_ERROR=\"forged through a lock\"")?;
    // A thread that holds the lock of std's stdout until the process ends.
    let (held, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _lock = std::io::stdout().lock();
        let _ = held.send(());
        loop {
            std::thread::park();
        }
    });
    let _ = wait.recv();
    let status = std::process::Command::new("/bin/echo").arg("DR_ERROR=\"forged by a child\"").status()?;
    log::warn!("child exited with {status}");
    Ok(())
}

/// Misbehaves as the knobs ask; see the module docs.
fn hostile(_: &CpuEvent, _cx: &mut Context) -> Result<()> {
    if knob("PROBE_CLOSE_FDS").is_some() {
        for fd in 3..1024 {
            // SAFETY: closing descriptors the handler does not own is the misbehaviour under test.
            unsafe { libc::close(fd) };
        }
    }
    if let Some(path) = knob("PROBE_OPEN") {
        std::mem::forget(std::fs::File::create(path)?);
    }
    if knob("PROBE_FORK").is_some() {
        // SAFETY: the child only returns into the runtime, which ends it (the misbehaviour under test).
        let child = unsafe { libc::fork() };
        if child > 0 {
            let mut status = 0;
            // SAFETY: waits for the child forked just above.
            unsafe { libc::waitpid(child, &mut status, 0) };
            log::warn!("the forked child exited with status {}", libc::WEXITSTATUS(status));
        }
    }
    if knob("PROBE_STRAY").is_some() {
        write_stray_output()?;
    }
    let warnings: u64 = knob("PROBE_WARNINGS").and_then(|v| v.parse().ok()).unwrap_or(0);
    let line = "w".repeat(1000);
    for n in 0..warnings {
        log::warn!("{n} {line}");
    }
    match knob("PROBE_PANIC").as_deref() {
        Some("once") => panic!("first panic"),
        Some("twice") => {
            let _bomb = PanicsWhileUnwinding;
            panic!("first panic");
        }
        _ => {}
    }
    if let Some(path) = knob("PROBE_DONE") {
        std::fs::write(path, b"done")?;
    }
    if knob("PROBE_FAIL").is_some() {
        return Err(Error::failed("the handler's own error"));
    }
    Ok(())
}

/// Every migration command: warns what it sees (visible at any detail level, as
/// hooks have none), and does what the knobs ask.
fn migration(_: &Event, cx: &mut Context) -> Result<()> {
    log::warn!("{} under {:?}", cx.command(), cx.host());
    match cx.command() {
        Command::CheckMigrate => {
            let ms: u64 = knob("PROBE_SLEEP_MS").and_then(|v| v.parse().ok()).unwrap_or(0);
            if let Some(ready) = knob("PROBE_READY") {
                std::fs::write(ready, b"working")?;
            }
            std::thread::sleep(Duration::from_millis(ms));
            match knob("PROBE_PANIC").as_deref() {
                Some("twice") => {
                    let _bomb = PanicsWhileUnwinding;
                    panic!("first panic");
                }
                Some(_) => panic!("{}", knob("PROBE_PANIC_TEXT").as_deref().unwrap_or("the probe was told to panic")),
                None => {}
            }
            if knob("PROBE_FAIL").is_some() {
                return Err(Error::refuse("the probe was told to refuse"));
            }
        }
        Command::PreMigrate => cx.state().save(&Saved { value: knob("PROBE_VALUE").unwrap_or_default() })?,
        Command::PostMigrate => {
            let saved = cx.state().load::<Saved>()?.map(|s| s.value);
            log::warn!("post sees {saved:?}");
        }
        _ => {}
    }
    Ok(())
}

/// The probe script.
pub(crate) fn script() -> Script {
    let script = Script::new("dlpar-script", "Probe for the runtime's process tests")
        .name("probe")
        .version(1)
        .date("22112026")
        .watchdog(knob("PROBE_WATCHDOG").as_deref() != Some("0"))
        .resource(Resource::Cpu, "Probe keeps state across the phases of a processor removal")
        .resource(Resource::Mem, "Probe sleeps and logs during a memory removal")
        .on(Command::PreRelease, Resource::Cpu, save_value)
        .on(Command::UndoPreRelease, Resource::Cpu, undo_value)
        .on(Command::PostRelease, Resource::Cpu, post_value)
        .on(Command::CheckRelease, Resource::Mem, slow_check)
        .on(Command::PreRelease, Resource::Mem, chatty)
        .on(Command::CheckAcquire, Resource::Cpu, hostile)
        .resource(Resource::from_static("pmig"), "Probe reports what a migration hook sees")
        .on(Command::CheckMigrate, Target::AnyResource, migration)
        .on(Command::PreMigrate, Target::AnyResource, migration)
        .on(Command::PostMigrate, Target::AnyResource, migration)
        .on(Command::UndoPreMigrate, Target::AnyResource, migration)
        .hooks(knob("PROBE_HOOKS").as_deref() != Some("0"))
        .hook_undocheck(knob("PROBE_UNDOCHECK").is_some());
    match knob("PROBE_TIMEOUT").and_then(|v| v.parse().ok()) {
        Some(seconds) => script.timeout(seconds),
        None => script,
    }
}
