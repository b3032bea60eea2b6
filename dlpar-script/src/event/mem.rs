use super::{DecodeError, DrEnv, Frames, Megabytes};

/// Memory being added or removed (resource `mem`).
///
/// ```
/// use dlpar_script::event::{DrEnv, Frames, MemEvent, Megabytes};
///
/// let env = DrEnv::from_pairs([
///     ("DR_MEM_SIZE_REQUEST", "256"),
///     ("DR_PINNABLE_FRAMES", "0x30000"),
///     ("DR_TOTAL_FRAMES", "0x40000"),
/// ]);
/// let ev = MemEvent::decode(&env).unwrap();
/// assert_eq!(ev.request_mb, Some(Megabytes::new(256)));
/// assert_eq!(ev.pinnable_frames, Some(Frames::new(0x30000)));
/// assert_eq!(ev.completed_mb, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MemEvent {
    /// `DR_FREE_FRAMES` (hex): free 4 KB frames now.
    pub free_frames: Option<Frames>,
    /// `DR_PINNABLE_FRAMES` (hex): total pinnable frames; running short of these is
    /// the usual reason a memory removal fails.
    pub pinnable_frames: Option<Frames>,
    /// `DR_TOTAL_FRAMES` (hex): total frames.
    pub total_frames: Option<Frames>,
    /// `DR_MEM_SIZE_REQUEST` (decimal MB): the size of the request.
    pub request_mb: Option<Megabytes>,
    /// `DR_MEM_SIZE_COMPLETED` (decimal MB): how much has been added or removed so far.
    pub completed_mb: Option<Megabytes>,
}

impl MemEvent {
    /// `DR_FREE_FRAMES`, the name of [`MemEvent::free_frames`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, MemEvent};
    ///
    /// let env = DrEnv::from_pairs([(MemEvent::FREE_FRAMES, "0x4000")]);
    /// assert_eq!(MemEvent::decode(&env).unwrap().free_frames, Some(dlpar_script::event::Frames::new(0x4000)));
    /// ```
    pub const FREE_FRAMES: &'static str = "DR_FREE_FRAMES";

    /// `DR_PINNABLE_FRAMES`, the name of [`MemEvent::pinnable_frames`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, MemEvent};
    ///
    /// let env = DrEnv::from_pairs([(MemEvent::PINNABLE_FRAMES, "0x30000")]);
    /// assert_eq!(MemEvent::decode(&env).unwrap().pinnable_frames, Some(dlpar_script::event::Frames::new(0x30000)));
    /// ```
    pub const PINNABLE_FRAMES: &'static str = "DR_PINNABLE_FRAMES";

    /// `DR_TOTAL_FRAMES`, the name of [`MemEvent::total_frames`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, MemEvent};
    ///
    /// let env = DrEnv::from_pairs([(MemEvent::TOTAL_FRAMES, "0x40000")]);
    /// assert_eq!(MemEvent::decode(&env).unwrap().total_frames, Some(dlpar_script::event::Frames::new(0x40000)));
    /// ```
    pub const TOTAL_FRAMES: &'static str = "DR_TOTAL_FRAMES";

    /// `DR_MEM_SIZE_REQUEST`, the name of [`MemEvent::request_mb`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, MemEvent};
    ///
    /// let env = DrEnv::from_pairs([(MemEvent::SIZE_REQUEST, "256")]);
    /// assert_eq!(MemEvent::decode(&env).unwrap().request_mb, Some(dlpar_script::event::Megabytes::new(256)));
    /// ```
    pub const SIZE_REQUEST: &'static str = "DR_MEM_SIZE_REQUEST";

    /// `DR_MEM_SIZE_COMPLETED`, the name of [`MemEvent::completed_mb`].
    ///
    /// ```
    /// use dlpar_script::event::{DrEnv, MemEvent};
    ///
    /// let env = DrEnv::from_pairs([(MemEvent::SIZE_COMPLETED, "128")]);
    /// assert_eq!(MemEvent::decode(&env).unwrap().completed_mb, Some(dlpar_script::event::Megabytes::new(128)));
    /// ```
    pub const SIZE_COMPLETED: &'static str = "DR_MEM_SIZE_COMPLETED";

    /// Decodes the five memory variables.
    pub fn decode(env: &DrEnv) -> Result<MemEvent, DecodeError> {
        let frames = |name| env.hex(name).map(|v| v.map(Frames::new));
        let mb = |name| env.decimal(name).map(|v| v.map(Megabytes::new));
        Ok(MemEvent {
            free_frames: frames(Self::FREE_FRAMES)?,
            pinnable_frames: frames(Self::PINNABLE_FRAMES)?,
            total_frames: frames(Self::TOTAL_FRAMES)?,
            request_mb: mb(Self::SIZE_REQUEST)?,
            completed_mb: mb(Self::SIZE_COMPLETED)?,
        })
    }
}
