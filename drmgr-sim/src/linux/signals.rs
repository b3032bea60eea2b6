//! The signal mask powerpc-utils' drmgr runs under, and so every hook starts with
//! (docs/protocol.md §10).
//!
//! `dr_init()` calls `sig_setup()` (src/drmgr/common.c:229 in v1.3.13), which adds
//! to the mask drmgr inherited every signal except the twelve in [`UNBLOCKED`]
//! (`sigfillset`, twelve `sigdelset`, `sigprocmask(SIG_BLOCK)`: common.c:925-942).
//! A hook is forked and `execl`ed with no change to the mask (common.c:1583-1631),
//! and a mask survives both, so the hook starts blocked the same way.

use std::io;

/// The signals `sig_setup()` leaves deliverable, in its order.
pub const UNBLOCKED: [libc::c_int; 12] = [
    libc::SIGBUS,
    libc::SIGXFSZ,
    libc::SIGSEGV,
    libc::SIGTRAP,
    libc::SIGILL,
    libc::SIGFPE,
    libc::SIGSYS,
    libc::SIGPIPE,
    libc::SIGVTALRM,
    libc::SIGALRM,
    libc::SIGQUIT,
    libc::SIGABRT,
];

/// The mask drmgr would have when started from this thread: this thread's own
/// mask plus everything `sig_setup()` blocks.
pub(crate) fn drmgr_mask() -> libc::sigset_t {
    let mut mask = current_mask();
    // SAFETY: `set` is a sigset_t that sigfillset initialises before any other use;
    // sigdelset and sigaddset take valid signal numbers.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut set);
        for sig in UNBLOCKED {
            libc::sigdelset(&mut set, sig);
        }
        for sig in 1..=libc::SIGRTMAX() {
            if libc::sigismember(&set, sig) == 1 {
                libc::sigaddset(&mut mask, sig);
            }
        }
    }
    mask
}

/// This thread's signal mask.
fn current_mask() -> libc::sigset_t {
    // SAFETY: with a null new set, pthread_sigmask only writes the current mask
    // into `mask`, which is a valid sigset_t; sigemptyset initialises it first.
    unsafe {
        let mut mask: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut mask);
        libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), &mut mask);
        mask
    }
}

/// Blocks in the calling thread what powerpc-utils' drmgr blocks in itself, as
/// its `dr_init()` does: TERM, INT, HUP and the rest then stay pending, so only
/// SIGKILL (or one of [`UNBLOCKED`]) ends the caller while it waits for a hook.
/// `drmgr-sim linux` calls it before an operation unless `--interruptible`.
///
/// ```
/// drmgr_sim::linux::block_as_drmgr()?;
/// // SAFETY: raise(3) on a blocked signal leaves it pending; nothing else happens.
/// assert_eq!(unsafe { libc::raise(libc::SIGTERM) }, 0, "SIGTERM stays pending");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn block_as_drmgr() -> io::Result<()> {
    let mask = drmgr_mask();
    // SAFETY: `mask` is an initialised sigset_t; the old mask is not asked for.
    match unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &mask, std::ptr::null_mut()) } {
        0 => Ok(()),
        error => Err(io::Error::from_raw_os_error(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mask_blocks_everything_but_the_twelve_and_what_cannot_be_blocked() {
        let mask = drmgr_mask();
        // SAFETY: `mask` is initialised.
        let blocked = |sig| unsafe { libc::sigismember(&mask, sig) } == 1;
        for sig in UNBLOCKED {
            assert!(!blocked(sig), "signal {sig}");
        }
        for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP, libc::SIGCHLD, libc::SIGUSR1, libc::SIGUSR2] {
            assert!(blocked(sig), "signal {sig}");
        }
    }
}
