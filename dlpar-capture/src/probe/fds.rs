//! Descriptors: what 0–2 are and which others are open.

use std::ffi::CString;

use crate::record::{Access, Fd, FdKind};

/// The highest descriptor number examined is below this (or the soft
/// `RLIMIT_NOFILE`, if lower): enough for any host, and quick.
const SCAN_LIMIT: i32 = 1024;

/// Descriptors 0–2, every other open one, and the scan's limit.
pub(super) fn all() -> (Vec<Fd>, Vec<Fd>, i32) {
    let null = identity_of("/dev/null");
    let limit = scan_limit();
    let stdio = (0..3).map(|fd| describe(fd, null)).collect();
    let others = (3..limit).map(|fd| describe(fd, null)).filter(|fd| fd.kind != FdKind::Closed).collect();
    (stdio, others, limit)
}

fn scan_limit() -> i32 {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: `limit` is a valid rlimit to write into.
    // AIX: getrlimit(RLIMIT_NOFILE) documented.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return SCAN_LIMIT;
    }
    i32::try_from(limit.rlim_cur).map_or(SCAN_LIMIT, |soft| soft.min(SCAN_LIMIT))
}

/// `(st_rdev)` of a device path, without opening it.
fn identity_of(path: &str) -> Option<u64> {
    let path = CString::new(path).ok()?;
    // SAFETY: all-zero is a valid `stat` to write into.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is NUL-terminated, `st` valid.
    // AIX: stat documented.
    (unsafe { libc::stat(path.as_ptr(), &mut st) } == 0).then_some(st.st_rdev)
}

fn describe(fd: i32, null: Option<u64>) -> Fd {
    // SAFETY: F_GETFD on any number is harmless; EBADF means closed.
    // AIX: fcntl F_GETFD/F_GETFL documented.
    let fd_flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    if fd_flags < 0 {
        return Fd::closed(fd);
    }
    // SAFETY: as above, on an open descriptor.
    let status = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    // SAFETY: all-zero is a valid `stat` to write into.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `fd` is open and `st` valid.
    // AIX: fstat documented.
    let stat_ok = unsafe { libc::fstat(fd, &mut st) } == 0;
    let kind = if stat_ok { kind(fd, &st, null) } else { FdKind::Other };
    Fd {
        fd,
        kind,
        access: (status >= 0).then_some(match status & libc::O_ACCMODE {
            libc::O_RDONLY => Access::Read,
            libc::O_WRONLY => Access::Write,
            _ => Access::ReadWrite,
        }),
        append: status >= 0 && status & libc::O_APPEND != 0,
        nonblock: status >= 0 && status & libc::O_NONBLOCK != 0,
        cloexec: fd_flags & libc::FD_CLOEXEC != 0,
        object: stat_ok.then_some((st.st_dev as u64, st.st_ino as u64)),
        path: link_of(fd),
    }
}

fn kind(fd: i32, st: &libc::stat, null: Option<u64>) -> FdKind {
    match st.st_mode & libc::S_IFMT {
        libc::S_IFIFO => FdKind::Pipe,
        libc::S_IFSOCK => FdKind::Socket,
        libc::S_IFREG => FdKind::File,
        libc::S_IFDIR => FdKind::Directory,
        libc::S_IFBLK => FdKind::BlockDevice,
        libc::S_IFCHR if null == Some(st.st_rdev) => FdKind::DevNull,
        // SAFETY: isatty on an open descriptor has no preconditions.
        // AIX: isatty documented.
        libc::S_IFCHR if unsafe { libc::isatty(fd) } == 1 => FdKind::Tty,
        libc::S_IFCHR => FdKind::CharDevice,
        _ => FdKind::Other,
    }
}

/// What `/proc/self/fd/N` names (Linux only: AIX's `/proc` has no such links).
#[cfg(target_os = "linux")]
fn link_of(fd: i32) -> Option<String> {
    std::fs::read_link(format!("/proc/self/fd/{fd}")).ok().map(|p| super::text(p.as_os_str()))
}

#[cfg(not(target_os = "linux"))]
fn link_of(_fd: i32) -> Option<String> {
    None
}
