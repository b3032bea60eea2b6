//! Acme's sizing rules: how large the buffer pool and how many threads, for the
//! resources the partition has.

use dlpar_script::prelude::{Frames, Megabytes};

/// Pinnable memory that must remain after a memory removal: the buffer pool and
/// the kernel live in it.
pub(crate) const PINNABLE_FLOOR: Megabytes = Megabytes::new(1024);

/// The share of memory added or removed that the buffer pool takes or gives back.
pub(crate) const POOL_SHARE_PERCENT: u64 = 50;

/// The buffer pool never shrinks below this.
pub(crate) const MIN_POOL_MB: u64 = 256;

/// Worker threads per entitled processor (capacity is in hundredths).
pub(crate) const THREADS_PER_PROCESSOR: u64 = 4;

/// Spare threads at the highest variable weight (255); none at weight 0.
pub(crate) const MAX_SPARE_THREADS: u64 = 4;

/// The highest uncapped variable weight.
const MAX_WEIGHT: u64 = 255;

/// Pinnable memory left after removing `request`: `None` when the request is
/// larger than what is pinnable.
pub(crate) fn pinnable_left(pinnable: Frames, request: Megabytes) -> Option<Megabytes> {
    pinnable.checked_sub(request.to_frames()).map(Frames::to_megabytes)
}

/// The pool's share of `request_mb`.
fn share(request_mb: u64) -> u64 {
    request_mb.saturating_mul(POOL_SHARE_PERCENT) / 100
}

/// The pool after `request_mb` of memory goes: smaller by its share, not under
/// [`MIN_POOL_MB`] (nor larger than it was).
pub(crate) fn shrunk_pool(pool_mb: u64, request_mb: u64) -> u64 {
    pool_mb.saturating_sub(share(request_mb)).max(MIN_POOL_MB).min(pool_mb)
}

/// The pool after `request_mb` of memory comes: larger by its share.
pub(crate) fn grown_pool(pool_mb: u64, request_mb: u64) -> u64 {
    pool_mb.saturating_add(share(request_mb))
}

/// The value after a change: `value + delta`, never below zero.
pub(crate) fn resulting(value: u64, delta: i64) -> u64 {
    value.saturating_add_signed(delta)
}

/// Worker threads for an entitled capacity in hundredths of a processor: four per
/// processor, rounded up, at least one.
pub(crate) fn threads_for(capacity: u64) -> u64 {
    capacity.saturating_mul(THREADS_PER_PROCESSOR).div_ceil(100).max(1)
}

/// Spare threads for a variable weight: in proportion, rounded down.
pub(crate) fn spare_threads_for(weight: u64) -> u64 {
    weight.min(MAX_WEIGHT) * MAX_SPARE_THREADS / MAX_WEIGHT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pinnable_floor_is_in_megabytes_of_4k_frames() {
        let three_gb = Frames::new(0xC0000);
        assert_eq!(pinnable_left(three_gb, Megabytes::new(256)), Some(Megabytes::new(2816)));
        assert_eq!(pinnable_left(three_gb, Megabytes::new(3072)), Some(Megabytes::new(0)));
        assert_eq!(pinnable_left(three_gb, Megabytes::new(4096)), None);
    }

    #[test]
    fn the_pool_follows_half_of_the_memory_within_its_bounds() {
        assert_eq!(shrunk_pool(2048, 256), 1920);
        assert_eq!(shrunk_pool(2048, 4000), MIN_POOL_MB);
        assert_eq!(shrunk_pool(200, 256), 200, "a pool already under the minimum does not grow on a removal");
        assert_eq!(grown_pool(2048, 1024), 2560);
    }

    #[test]
    fn threads_follow_capacity_and_weight() {
        assert_eq!(threads_for(150), 6);
        assert_eq!(threads_for(10), 1);
        assert_eq!(threads_for(0), 1);
        assert_eq!(spare_threads_for(0), 0);
        assert_eq!(spare_threads_for(160), 2);
        assert_eq!(spare_threads_for(255), MAX_SPARE_THREADS);
        assert_eq!(resulting(200, -50), 150);
        assert_eq!(resulting(20, -50), 0);
    }
}
