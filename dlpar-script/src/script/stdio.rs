//! The standard descriptors of the script's own process.
//!
//! Two steps, each a few system calls, both only in a real process
//! ([`Script::run`](super::Script::run), [`Script::run_c_main`](super::Script::run_c_main)):
//!
//! * [`reopen_closed`]: what Rust's own start-up does and the C entry skips. A
//!   descriptor 0, 1 or 2 that the host left closed is opened on `/dev/null`, so
//!   the first file a handler opens never becomes "stdout".
//! * [`divert_stdout`]: before a handler runs, the reply gets a private copy of
//!   stdout (close-on-exec, numbered 3 or above, so child processes never inherit
//!   it) and fd 1 becomes a copy of stderr. Whatever a handler prints — `println!`,
//!   `write(1, …)`, a locked `io::stdout()`, a child process — lands on stderr,
//!   where a person looks and drmgr does not read. fd 1 is not restored afterwards:
//!   the reply is the last thing the process writes, and output std still buffers
//!   for stdout when the process ends goes to stderr too. When stderr cannot take
//!   writes at that moment (a pipe nobody reads any more, `/dev/full`, a
//!   descriptor not open for writing), fd 1 becomes `/dev/null` instead: `println!`
//!   panics on a write error, and stray output must never turn a handler's answer
//!   into a panic. (A stderr that fails later, while the handler runs, cannot be
//!   foreseen: a `println!` then still panics, and the handler's panic is the
//!   answer; handlers log instead of printing.)

use std::ffi::c_int;

/// Opens `/dev/null` on each of the descriptors 0, 1 and 2 that is closed; one
/// `poll` when all three are open.
pub(crate) fn reopen_closed() {
    // AIX: poll(2) and POLLNVAL are POSIX and std's own start-up uses them there; no IBM page found: verify once.
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd { fd, events: 0, revents: 0 });
    // SAFETY: `fds` is a valid array of three pollfd; a zero timeout never blocks.
    let polled = unsafe { libc::poll(fds.as_mut_ptr(), 3, 0) };
    for entry in fds {
        let closed = if polled >= 0 {
            entry.revents & libc::POLLNVAL != 0
        } else {
            // poll failed (EINTR, ENOMEM…): ask each descriptor, as std does.
            // SAFETY: F_GETFD only inspects the descriptor.
            let flags = unsafe { libc::fcntl(entry.fd, libc::F_GETFD) };
            flags == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF)
        };
        if closed {
            // The lowest free descriptor is this one: the lower ones are open by now.
            // SAFETY: a valid NUL-terminated path; the descriptor is meant to stay open.
            unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
        }
    }
}

/// Points fd 1 at stderr (at `/dev/null` when stderr takes no writes) and returns
/// the private copy of the former stdout that the reply goes to; `None` (stdout
/// left as it is) when either step fails, for instance at the descriptor limit.
pub(crate) fn divert_stdout() -> Option<c_int> {
    // AIX: F_DUPFD_CLOEXEC is POSIX.1-2008 (libc defines it for AIX; gnulib lists only AIX 5.1 without it): verify.
    // SAFETY: duplicating a descriptor has no memory-safety preconditions.
    let private = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_DUPFD_CLOEXEC, 3) };
    if private < 0 {
        return None;
    }
    let (stray, opened) = match stderr_takes_writes() {
        true => (libc::STDERR_FILENO, false),
        // AIX: open(2) of /dev/null, as reopen_closed() does; nothing AIX-specific to verify.
        // SAFETY: a valid NUL-terminated path; the descriptor is closed below once copied.
        false => (unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC) }, true),
    };
    // AIX (dup2 subroutine, Technical Reference): replaces an open newfd as close would; confirmed.
    // SAFETY: as above; on failure the copy is closed again.
    let diverted = stray >= 0 && unsafe { libc::dup2(stray, libc::STDOUT_FILENO) } >= 0;
    if opened && stray >= 0 {
        // SAFETY: the descriptor opened above, copied to fd 1 or not needed.
        unsafe { libc::close(stray) };
    }
    if !diverted {
        // SAFETY: the private copy made above.
        unsafe { libc::close(private) };
        return None;
    }
    Some(private)
}

/// Whether stderr takes writes now: `poll` finds no error or hang-up on it (a
/// pipe whose reader has gone reports one) and an empty `write` succeeds (it
/// fails on `/dev/full` with `ENOSPC`, on a descriptor opened read-only with
/// `EBADF`, and writes nothing anywhere else).
fn stderr_takes_writes() -> bool {
    let mut fd = libc::pollfd { fd: libc::STDERR_FILENO, events: libc::POLLOUT, revents: 0 };
    // AIX: poll(2) as in reopen_closed(); POLLERR/POLLHUP for a pipe without reader there: verify once.
    // SAFETY: one valid pollfd; a zero timeout never blocks.
    let polled = unsafe { libc::poll(&mut fd, 1, 0) };
    if polled < 0 || fd.revents & (libc::POLLERR | libc::POLLHUP | libc::POLLNVAL) != 0 {
        return false;
    }
    // AIX: a zero-length write(2) to a regular file returns 0 (POSIX); to devices it is unspecified: verify on a partition.
    // SAFETY: a zero-length write reads nothing from the pointer.
    unsafe { libc::write(libc::STDERR_FILENO, c"".as_ptr().cast(), 0) >= 0 }
}
