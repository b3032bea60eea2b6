//! The path rules for kernel extensions named to `lvupdateSafeKE`.

use std::ffi::OsStr;
use std::fmt;
use std::str::FromStr;

/// The longest kernel-extension path accepted, in bytes (IBM's page: "up to 1024
/// characters"; characters are counted as the bytes of the UTF-8 text, which is what
/// AIX's C interfaces see).
pub const MAX_KEXT_PATH: usize = 1024;

/// The longest single path component accepted, in bytes (AIX's `NAME_MAX` for JFS2).
pub const MAX_KEXT_COMPONENT: usize = 255;

/// One of the five file systems a kernel extension loaded during a Live Update must
/// live in (IBM's note on the `lvupdateSafeKE` page).
///
/// ```
/// use dlpar_liveupdate::FileSystem;
/// assert_eq!(FileSystem::Opt.mount_point(), "/opt");
/// assert_eq!(FileSystem::Root.to_string(), "/");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileSystem {
    /// `/`, the root file system (`hd4`).
    Root,
    /// `/var` (`hd9var`).
    Var,
    /// `/usr` (`hd2`).
    Usr,
    /// `/opt` (`hd10opt`).
    Opt,
    /// `/tmp` (`hd3`).
    Tmp,
}

impl FileSystem {
    /// Where the file system is mounted.
    pub fn mount_point(self) -> &'static str {
        match self {
            FileSystem::Root => "/",
            FileSystem::Var => "/var",
            FileSystem::Usr => "/usr",
            FileSystem::Opt => "/opt",
            FileSystem::Tmp => "/tmp",
        }
    }
}

impl fmt::Display for FileSystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mount_point())
    }
}

/// Which file system a path's leading directories place it in, decided from the
/// text alone (the rule documented on [`KextPath`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// Certainly one of the five.
    Allowed(FileSystem),
    /// Certainly a standard AIX file system outside the five.
    Refused(&'static str),
    /// A top-level directory the rule does not know: a directory of `/`, or the mount
    /// point of another file system.
    Unknown,
}

/// Top-level directories of a standard AIX install that belong to the root file
/// system. `/bin` and `/lib` are symbolic links into `/usr` there.
/// The directories directly in `/` that the rule knows, and no kernel extension can be.
const STANDARD_DIRECTORIES: [&str; 9] = ["var", "usr", "opt", "tmp", "etc", "sbin", "dev", "bin", "lib"];

const ROOT_DIRECTORIES: [(&str, FileSystem); 5] = [
    ("etc", FileSystem::Root),
    ("sbin", FileSystem::Root),
    ("dev", FileSystem::Root),
    ("bin", FileSystem::Usr),
    ("lib", FileSystem::Usr),
];

/// Standard AIX file systems (and links into them) that are not among the five.
/// Checked before the allowed prefixes, so the longest mount point wins.
const OTHER_FILE_SYSTEMS: [&str; 5] = ["/var/adm/ras/livedump", "/home", "/admin", "/proc", "/u"];

fn placement(path: &str) -> Placement {
    let under = |mount: &str| path.strip_prefix(mount).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    if let Some(other) = OTHER_FILE_SYSTEMS.iter().find(|mount| under(mount)) {
        return Placement::Refused(other);
    }
    let mut components = path[1..].split('/');
    let top = components.next().unwrap_or_default();
    if components.next().is_none() {
        // A file directly in `/` lives in the root file system.
        return Placement::Allowed(FileSystem::Root);
    }
    let five = [FileSystem::Var, FileSystem::Usr, FileSystem::Opt, FileSystem::Tmp];
    if let Some(fs) = five.into_iter().find(|fs| &fs.mount_point()[1..] == top) {
        return Placement::Allowed(fs);
    }
    match ROOT_DIRECTORIES.iter().find(|(dir, _)| *dir == top) {
        Some((_, fs)) => Placement::Allowed(*fs),
        None => Placement::Unknown,
    }
}

/// A validated kernel-extension path, as `lvupdateSafeKE -a`/`-r` take it.
///
/// # The rule (a project decision; IBM documents only the first two points)
///
/// * **Absolute**, and at most [`MAX_KEXT_PATH`] (1024) bytes; no component longer
///   than [`MAX_KEXT_COMPONENT`] (255) bytes.
/// * **Canonical spelling**, because the list is matched by exact text against the
///   names of loaded kernel extensions: no `..` component (where it leads depends on
///   symbolic links, so it cannot be judged from the text), no `.` component, no
///   empty component (`//`), no trailing `/` (a kernel extension is a file). The
///   error shows the canonical spelling where there is one.
/// * **No control characters** (NUL, tab, newline, DEL, …): the list is one entry a
///   line, and such names cannot be typed safely anyway. Spaces are allowed.
/// * **The five file systems** (`/`, `/var`, `/usr`, `/opt`, `/tmp`), judged from
///   the leading directories as a standard AIX install lays them out:
///   - allowed: a file directly in `/`; anything under `/var`, `/usr`, `/opt`,
///     `/tmp`; anything under the root file system's own directories `/etc`,
///     `/sbin`, `/dev`, and under `/bin` and `/lib` (links into `/usr`);
///   - **refused**: anything under a standard file system outside the five:
///     `/home` (and its link `/u`), `/admin`, `/proc`, `/var/adm/ras/livedump`;
///     the standard directories themselves (`/usr`, `/etc`, …) are refused too;
///   - **accepted with a warning** ([`KextPath::warning`]): any other top-level
///     directory (`/kernext/x`, `/export/x`, …). It is either a directory of `/`
///     (allowed) or the mount point of another file system (not allowed), and only
///     the running system can tell which; the warning says what to check.
///
/// ```
/// use dlpar_liveupdate::{FileSystem, KextPath};
///
/// let kext: KextPath = "/usr/lib/drivers/mydev_driver".parse().unwrap();
/// assert_eq!(kext.file_system(), Some(FileSystem::Usr));
/// assert!(kext.warning().is_none());
///
/// let err = "/usr/lib/./drivers/x".parse::<KextPath>().unwrap_err();
/// assert_eq!(err.to_string(), "\"/usr/lib/./drivers/x\" has a \".\" component: write it as \"/usr/lib/drivers/x\"");
///
/// let err = "/home/joe/kext".parse::<KextPath>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "\"/home/joe/kext\" is in the /home file system: a kernel extension loaded during \
///      a Live Update must be in /, /var, /usr, /opt or /tmp"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KextPath(String);

impl KextPath {
    /// Validates a path by the rule above.
    pub fn new(path: impl Into<String>) -> Result<KextPath, KextPathError> {
        let path = path.into();
        check(&path)?;
        Ok(KextPath(path))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file system the path is in, or `None` when its top-level directory is not
    /// one the rule knows (see [`KextPath::warning`]).
    pub fn file_system(&self) -> Option<FileSystem> {
        match placement(&self.0) {
            Placement::Allowed(fs) => Some(fs),
            Placement::Refused(_) | Placement::Unknown => None,
        }
    }

    /// A warning for a path the rule accepts without being sure of its file system.
    ///
    /// ```
    /// use dlpar_liveupdate::KextPath;
    /// let kext = KextPath::new("/kernext/acme.ext").unwrap();
    /// assert_eq!(
    ///     kext.warning().unwrap(),
    ///     "\"/kernext/acme.ext\": /kernext is not a standard directory of /, /var, /usr, /opt or /tmp; \
    ///      make sure it is not a separate file system (df /kernext)"
    /// );
    /// ```
    pub fn warning(&self) -> Option<String> {
        let top = self.0.split('/').nth(1).unwrap_or_default();
        (placement(&self.0) == Placement::Unknown).then(|| {
            format!(
                "{:?}: /{top} is not a standard directory of {FIVE}; make sure it is not a separate file system (df /{top})",
                self.0
            )
        })
    }
}

/// The five file systems, as the messages name them.
const FIVE: &str = "/, /var, /usr, /opt or /tmp";

fn check(path: &str) -> Result<(), KextPathError> {
    let error = |kind| Err(KextPathError { path: path.to_owned(), kind });
    if path.is_empty() {
        return error(KextPathErrorKind::Empty);
    }
    if let Some((index, ch)) = path.char_indices().find(|(_, c)| c.is_control()) {
        return error(KextPathErrorKind::ControlCharacter { index, ch });
    }
    if !path.starts_with('/') {
        return error(KextPathErrorKind::NotAbsolute);
    }
    if path.len() > MAX_KEXT_PATH {
        return error(KextPathErrorKind::TooLong { bytes: path.len() });
    }
    if path.ends_with('/') {
        return error(KextPathErrorKind::Directory);
    }
    let components: Vec<&str> = path[1..].split('/').collect();
    if components.contains(&"..") {
        return error(KextPathErrorKind::ParentComponent);
    }
    if let Some(long) = components.iter().find(|c| c.len() > MAX_KEXT_COMPONENT) {
        return error(KextPathErrorKind::ComponentTooLong { bytes: long.len() });
    }
    let odd = |c: &str| c.is_empty() || c == ".";
    if let Some(first) = components.iter().find(|c| odd(c)) {
        let canonical: Vec<&str> = components.iter().copied().filter(|c| !odd(c)).collect();
        let canonical = format!("/{}", canonical.join("/"));
        let kind = if first.is_empty() { RedundantComponent::Empty } else { RedundantComponent::Dot };
        return error(KextPathErrorKind::NonCanonical { kind, canonical });
    }
    if let [top] = components[..]
        && let Some(dir) = STANDARD_DIRECTORIES.iter().find(|dir| **dir == top)
    {
        return error(KextPathErrorKind::StandardDirectory(dir));
    }
    match placement(path) {
        Placement::Refused(fs) => error(KextPathErrorKind::OtherFileSystem(fs)),
        Placement::Allowed(_) | Placement::Unknown => Ok(()),
    }
}

impl FromStr for KextPath {
    type Err = KextPathError;

    fn from_str(path: &str) -> Result<Self, Self::Err> {
        KextPath::new(path)
    }
}

/// Paths from the command line: bytes that are not UTF-8 are refused
/// ([`KextPathErrorKind::NotUtf8`]), since the list is text.
///
/// ```
/// use std::ffi::OsStr;
/// use dlpar_liveupdate::KextPath;
///
/// assert!(KextPath::try_from(OsStr::new("/usr/lib/drivers/x")).is_ok());
/// # #[cfg(unix)] {
/// use std::os::unix::ffi::OsStrExt;
/// let err = KextPath::try_from(OsStr::from_bytes(b"/usr/\xffx")).unwrap_err();
/// assert_eq!(err.to_string(), "\"/usr/\u{fffd}x\" is not valid UTF-8 from byte 5");
/// # }
/// ```
impl TryFrom<&OsStr> for KextPath {
    type Error = KextPathError;

    fn try_from(path: &OsStr) -> Result<Self, Self::Error> {
        match path.to_str() {
            Some(text) => KextPath::new(text),
            None => {
                let lossy = path.to_string_lossy();
                let index = lossy.find('\u{fffd}').unwrap_or_default();
                Err(KextPathError { path: lossy.into_owned(), kind: KextPathErrorKind::NotUtf8 { index } })
            }
        }
    }
}

impl fmt::Display for KextPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for KextPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Why a text is not an acceptable kernel-extension path.
///
/// ```
/// use dlpar_liveupdate::{KextPath, KextPathErrorKind};
///
/// let long = format!("/usr/{}", "x".repeat(1020));
/// let err = KextPath::new(long).unwrap_err();
/// assert_eq!(err.kind(), &KextPathErrorKind::TooLong { bytes: 1025 });
/// assert_eq!(err.to_string(), "path is 1025 bytes long, over the limit of 1024");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KextPathError {
    path: String,
    kind: KextPathErrorKind,
}

impl KextPathError {
    /// The path as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong with it.
    pub fn kind(&self) -> &KextPathErrorKind {
        &self.kind
    }
}

/// What is wrong with a kernel-extension path.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KextPathErrorKind {
    /// The path is empty.
    Empty,
    /// The path does not start with `/`.
    NotAbsolute,
    /// Longer than [`MAX_KEXT_PATH`].
    TooLong {
        /// The path's length in bytes.
        bytes: usize,
    },
    /// A component is longer than [`MAX_KEXT_COMPONENT`].
    ComponentTooLong {
        /// The component's length in bytes.
        bytes: usize,
    },
    /// A control character (NUL, tab, newline, …).
    ControlCharacter {
        /// Its byte offset in the path.
        index: usize,
        /// The character.
        ch: char,
    },
    /// Bytes that are not UTF-8 (only from [`KextPath::try_from`] an `OsStr`).
    NotUtf8 {
        /// The byte offset of the first invalid byte.
        index: usize,
    },
    /// A `..` component.
    ParentComponent,
    /// A `.` or empty component.
    NonCanonical {
        /// Which kind of component.
        kind: RedundantComponent,
        /// The same path without such components.
        canonical: String,
    },
    /// Ends with `/`: names a directory.
    Directory,
    /// The path is a standard directory directly in `/` (`/usr`, `/etc`, …), named
    /// without the leading `/`.
    StandardDirectory(&'static str),
    /// The path is in a file system outside the five (its mount point).
    OtherFileSystem(&'static str),
}

/// A component that makes a path non-canonical.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedundantComponent {
    /// `.`
    Dot,
    /// An empty component, from `//`.
    Empty,
}

impl fmt::Display for KextPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use KextPathErrorKind::*;
        let path = &self.path;
        match &self.kind {
            Empty => f.write_str("the kernel extension path is empty"),
            NotAbsolute => write!(f, "{path:?} is not an absolute path: it must start with /"),
            TooLong { bytes } => write!(f, "path is {bytes} bytes long, over the limit of {MAX_KEXT_PATH}"),
            ComponentTooLong { bytes } => {
                write!(f, "{path:?} has a component of {bytes} bytes, over the limit of {MAX_KEXT_COMPONENT}")
            }
            ControlCharacter { index, ch } => {
                write!(f, "{path:?} contains the control character {ch:?} at byte {index}")
            }
            NotUtf8 { index } => write!(f, "{path:?} is not valid UTF-8 from byte {index}"),
            ParentComponent => write!(f, "{path:?} has a \"..\" component: give the path without it"),
            NonCanonical { kind: RedundantComponent::Dot, canonical } => {
                write!(f, "{path:?} has a \".\" component: write it as {canonical:?}")
            }
            NonCanonical { kind: RedundantComponent::Empty, canonical } => {
                write!(f, "{path:?} has an empty component (//): write it as {canonical:?}")
            }
            Directory => write!(f, "{path:?} ends with /: a kernel extension is a file"),
            StandardDirectory(_) => write!(f, "{path:?} is a standard directory, not a kernel extension"),
            OtherFileSystem(fs) => write!(
                f,
                "{path:?} is in the {fs} file system: a kernel extension loaded during a Live Update must be in {FIVE}"
            ),
        }
    }
}

impl std::error::Error for KextPathError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> KextPathErrorKind {
        KextPath::new(path).unwrap_err().kind
    }

    #[test]
    fn length_limit_is_1024_bytes_inclusive() {
        // "/usr/" + 4 components of 254 + 3 separators + tail, built to exact sizes.
        let sized = |total: usize| {
            let mut path = String::from("/usr");
            while path.len() < total {
                let room = (total - path.len() - 1).min(200);
                path.push('/');
                path.push_str(&"k".repeat(room.max(1)));
            }
            path
        };
        let exact = sized(1024);
        assert_eq!(exact.len(), 1024);
        assert_eq!(KextPath::new(exact.clone()).unwrap().as_str(), exact);
        let over = sized(1025);
        assert_eq!(over.len(), 1025);
        assert_eq!(kind(&over), KextPathErrorKind::TooLong { bytes: 1025 });
    }

    #[test]
    fn multibyte_characters_count_as_their_bytes() {
        // 'é' is two bytes: 5 + 2 * 510 = 1025.
        let path = format!("/usr/{}", "é".repeat(510));
        assert_eq!(kind(&path), KextPathErrorKind::TooLong { bytes: 1025 });
    }

    #[test]
    fn components_are_limited_to_255_bytes() {
        assert!(KextPath::new(format!("/usr/{}", "c".repeat(255))).is_ok());
        assert_eq!(kind(&format!("/usr/{}", "c".repeat(256))), KextPathErrorKind::ComponentTooLong { bytes: 256 });
    }

    #[test]
    fn relative_empty_and_control_characters_are_refused() {
        assert_eq!(kind(""), KextPathErrorKind::Empty);
        assert_eq!(kind("usr/lib/drivers/x"), KextPathErrorKind::NotAbsolute);
        assert_eq!(kind("./x"), KextPathErrorKind::NotAbsolute);
        assert_eq!(kind("~/x"), KextPathErrorKind::NotAbsolute);
        assert_eq!(kind(" /usr/x"), KextPathErrorKind::NotAbsolute);
        assert_eq!(kind("/usr/x\0y"), KextPathErrorKind::ControlCharacter { index: 6, ch: '\0' });
        assert_eq!(kind("/usr/x\ny"), KextPathErrorKind::ControlCharacter { index: 6, ch: '\n' });
        assert_eq!(kind("/usr/\tx"), KextPathErrorKind::ControlCharacter { index: 5, ch: '\t' });
        assert!(KextPath::new("/usr/lib/drivers/my driver").is_ok());
    }

    #[test]
    fn non_canonical_spellings_are_refused_with_the_canonical_one() {
        assert_eq!(kind("/usr/lib/../lib/x"), KextPathErrorKind::ParentComponent);
        assert_eq!(kind("/.."), KextPathErrorKind::ParentComponent);
        let non_canonical =
            |kind, canonical: &str| KextPathErrorKind::NonCanonical { kind, canonical: canonical.into() };
        assert_eq!(kind("/usr//lib/x"), non_canonical(RedundantComponent::Empty, "/usr/lib/x"));
        assert_eq!(kind("//usr/lib/x"), non_canonical(RedundantComponent::Empty, "/usr/lib/x"));
        assert_eq!(kind("/./usr/./x"), non_canonical(RedundantComponent::Dot, "/usr/x"));
        assert_eq!(kind("/usr/lib/drivers/"), KextPathErrorKind::Directory);
        assert_eq!(kind("/"), KextPathErrorKind::Directory);
        assert_eq!(
            KextPath::new("/usr//x").unwrap_err().to_string(),
            "\"/usr//x\" has an empty component (//): write it as \"/usr/x\""
        );
    }

    #[test]
    fn the_five_file_systems_and_root_directories_are_allowed() {
        for (path, fs) in [
            ("/unix_ext", FileSystem::Root),
            ("/etc/drivers/x", FileSystem::Root),
            ("/sbin/helpers/x", FileSystem::Root),
            ("/dev/.kext/x", FileSystem::Root),
            ("/var/opt/acme/x", FileSystem::Var),
            ("/var/adm/ras/other/x", FileSystem::Var),
            ("/usr/lib/drivers/mydev_driver", FileSystem::Usr),
            ("/lib/drivers/x", FileSystem::Usr),
            ("/bin/x", FileSystem::Usr),
            ("/opt/acme/kext/acme.ext", FileSystem::Opt),
            ("/tmp/test.ext", FileSystem::Tmp),
        ] {
            let kext = KextPath::new(path).unwrap();
            assert_eq!(kext.file_system(), Some(fs), "{path}");
            assert_eq!(kext.warning(), None, "{path}");
        }
    }

    #[test]
    fn other_standard_file_systems_are_refused() {
        for (path, fs) in [
            ("/home/joe/x", "/home"),
            ("/u/joe/x", "/u"),
            ("/admin/x", "/admin"),
            ("/proc/1/x", "/proc"),
            ("/var/adm/ras/livedump/x", "/var/adm/ras/livedump"),
        ] {
            assert_eq!(kind(path), KextPathErrorKind::OtherFileSystem(fs), "{path}");
        }
        // Only whole components count: /homer and /var/adm/ras/livedumps are not /home.
        assert_eq!(KextPath::new("/var/adm/ras/livedumps/x").unwrap().file_system(), Some(FileSystem::Var));
        assert_eq!(KextPath::new("/homer/x").unwrap().file_system(), None);
    }

    #[test]
    fn standard_directories_themselves_are_refused() {
        for dir in STANDARD_DIRECTORIES {
            assert_eq!(kind(&format!("/{dir}")), KextPathErrorKind::StandardDirectory(dir));
        }
        assert_eq!(kind("/home"), KextPathErrorKind::OtherFileSystem("/home"));
        assert_eq!(kind("/var/adm/ras/livedump"), KextPathErrorKind::OtherFileSystem("/var/adm/ras/livedump"));
        assert_eq!(
            KextPath::new("/usr").unwrap_err().to_string(),
            "\"/usr\" is a standard directory, not a kernel extension"
        );
    }

    #[test]
    fn unknown_top_level_directories_are_accepted_with_a_warning() {
        let kext = KextPath::new("/export/kext/x").unwrap();
        assert_eq!(kext.file_system(), None);
        assert!(kext.warning().unwrap().contains("(df /export)"));
    }
}
