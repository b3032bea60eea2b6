use std::fmt;

/// Bytes in one memory frame: 4 KB (docs/protocol.md §6).
pub const FRAME_BYTES: u64 = 4096;
const MB_BYTES: u64 = 1024 * 1024;
const FRAMES_PER_MB: u64 = MB_BYTES / FRAME_BYTES;

/// A count of 4 KB memory frames (`DR_FREE_FRAMES`, `DR_PINNABLE_FRAMES`,
/// `DR_TOTAL_FRAMES`).
///
/// ```
/// use dlpar_script::event::{Frames, Megabytes};
///
/// let free = Frames::new(0x4000);
/// assert_eq!(free.to_bytes(), 64 * 1024 * 1024);
/// assert_eq!(free.to_megabytes(), Megabytes::new(64));
/// assert_eq!(Megabytes::new(1).to_frames(), Frames::new(256));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Frames(u64);

impl Frames {
    /// A number of frames.
    pub const fn new(count: u64) -> Frames {
        Frames(count)
    }

    /// The number of frames.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The size in bytes, saturating at `u64::MAX`.
    pub const fn to_bytes(self) -> u64 {
        self.0.saturating_mul(FRAME_BYTES)
    }

    /// The size in whole megabytes, rounded down.
    pub const fn to_megabytes(self) -> Megabytes {
        Megabytes(self.0 / FRAMES_PER_MB)
    }

    /// Frames left after taking `other` away, or `None` if `other` is larger.
    ///
    /// ```
    /// use dlpar_script::event::Frames;
    /// assert_eq!(Frames::new(10).checked_sub(Frames::new(4)), Some(Frames::new(6)));
    /// assert_eq!(Frames::new(1).checked_sub(Frames::new(4)), None);
    /// ```
    pub const fn checked_sub(self, other: Frames) -> Option<Frames> {
        match self.0.checked_sub(other.0) {
            Some(n) => Some(Frames(n)),
            None => None,
        }
    }
}

impl fmt::Display for Frames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} frames", self.0)
    }
}

/// A size in megabytes (`DR_MEM_SIZE_REQUEST`, `DR_MEM_SIZE_COMPLETED`).
///
/// ```
/// use dlpar_script::event::Megabytes;
/// assert_eq!(Megabytes::new(2).to_bytes(), 2 * 1024 * 1024);
/// assert_eq!(Megabytes::new(512).to_string(), "512 MB");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Megabytes(u64);

impl Megabytes {
    /// A number of megabytes.
    pub const fn new(count: u64) -> Megabytes {
        Megabytes(count)
    }

    /// The number of megabytes.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The size in bytes, saturating at `u64::MAX`.
    pub const fn to_bytes(self) -> u64 {
        self.0.saturating_mul(MB_BYTES)
    }

    /// The same size in 4 KB frames, saturating at `u64::MAX`.
    pub const fn to_frames(self) -> Frames {
        Frames(self.0.saturating_mul(FRAMES_PER_MB))
    }
}

impl fmt::Display for Megabytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} MB", self.0)
    }
}
