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
//!   for stdout when the process ends goes to stderr too.

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

/// Points fd 1 at stderr and returns the private copy of the former stdout that
/// the reply goes to; `None` (stdout left as it is) when either step fails, for
/// instance at the descriptor limit.
pub(crate) fn divert_stdout() -> Option<c_int> {
    // AIX: F_DUPFD_CLOEXEC is POSIX.1-2008 (libc defines it for AIX; gnulib lists only AIX 5.1 without it): verify.
    // SAFETY: duplicating a descriptor has no memory-safety preconditions.
    let private = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_DUPFD_CLOEXEC, 3) };
    if private < 0 {
        return None;
    }
    // AIX (dup2 subroutine, Technical Reference): replaces an open newfd as close would; confirmed.
    // SAFETY: as above; on failure the copy is closed again.
    if unsafe { libc::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO) } < 0 {
        unsafe { libc::close(private) };
        return None;
    }
    Some(private)
}
