//! Resource limits.

use crate::record::Rlimit;

/// The limits both systems have; the `as _` casts cover Linux's unsigned resource type.
const LIMITS: [(i32, &str); 9] = [
    (libc::RLIMIT_CPU as _, "CPU"),
    (libc::RLIMIT_FSIZE as _, "FSIZE"),
    (libc::RLIMIT_DATA as _, "DATA"),
    (libc::RLIMIT_STACK as _, "STACK"),
    (libc::RLIMIT_CORE as _, "CORE"),
    (libc::RLIMIT_RSS as _, "RSS"),
    (libc::RLIMIT_AS as _, "AS"),
    (libc::RLIMIT_NOFILE as _, "NOFILE"),
    (libc::RLIMIT_NPROC as _, "NPROC"),
];

/// Every limit of [`LIMITS`] this system reports.
pub(super) fn all() -> Vec<Rlimit> {
    LIMITS
        .iter()
        .filter_map(|&(resource, name)| {
            let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
            // SAFETY: `limit` is a valid rlimit to write into.
            // AIX: getrlimit documented for each of these resources.
            (unsafe { libc::getrlimit(resource as _, &mut limit) } == 0).then(|| Rlimit {
                name: name.to_owned(),
                soft: finite(limit.rlim_cur),
                hard: finite(limit.rlim_max),
            })
        })
        .collect()
}

fn finite(value: libc::rlim_t) -> Option<u64> {
    (value != libc::RLIM_INFINITY).then_some(value)
}
