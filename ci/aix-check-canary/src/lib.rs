//! The canary of `ci/aix-check`: `epoll_create1` exists on Linux only, so this crate
//! builds for the host and must fail the `powerpc64-ibm-aix` check.

/// Opens an epoll instance (Linux only; AIX has `pollset_create` instead).
pub fn open_epoll() -> std::io::Result<libc::c_int> {
    // SAFETY: epoll_create1 takes a flag word and returns a new fd or -1.
    let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(fd)
}
