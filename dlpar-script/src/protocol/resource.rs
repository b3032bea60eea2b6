use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// The longest resource name accepted, in bytes (a project decision).
pub const MAX_RESOURCE_NAME: usize = 32;

/// A resource word, the second argument of an event command.
///
/// The four resources named by IBM's page have their own variants; any other valid
/// word (`pmig`, `phib`, `acc`, `topology`, or a vendor's own) is [`Resource::Other`],
/// so new resource kinds need no code change.
///
/// ```
/// use dlpar_script::protocol::Resource;
///
/// assert_eq!("var_weight".parse::<Resource>().unwrap(), Resource::VarWeight);
/// let pmig: Resource = "pmig".parse().unwrap();
/// assert_eq!(pmig.as_str(), "pmig");
/// assert!("Memory".parse::<Resource>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    /// `cpu`: a processor (`DR_BCPUID`, `DR_LCPUID`).
    Cpu,
    /// `mem`: memory (`DR_MEM_SIZE_REQUEST`, frame counts).
    Mem,
    /// `capacity`: entitled processor capacity (`DR_CPU_CAPACITY`).
    Capacity,
    /// `var_weight`: uncapped variable weight (`DR_VAR_WEIGHT`).
    VarWeight,
    /// Any other registered resource word.
    Other(ResourceName),
}

impl Resource {
    /// The resource word as it appears on the command line.
    ///
    /// ```
    /// assert_eq!(dlpar_script::protocol::Resource::VarWeight.as_str(), "var_weight");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            Resource::Cpu => "cpu",
            Resource::Mem => "mem",
            Resource::Capacity => "capacity",
            Resource::VarWeight => "var_weight",
            Resource::Other(name) => name.as_str(),
        }
    }

    /// The words drmgr itself sends as a resource: the four with their own variant
    /// and the family words of migrate, hibernate, accelerator and topology.
    pub const DRMGR_WORDS: [&'static str; 8] =
        ["cpu", "mem", "capacity", "var_weight", "pmig", "phib", "acc", "topology"];

    /// One of the words drmgr sends ([`Resource::DRMGR_WORDS`]), known at compile
    /// time; any other word panics (at compile time in a `const`), so that a typo
    /// such as `"memory"` cannot silently become a resource no operation delivers.
    /// A resource of your own is [`Resource::custom`].
    ///
    /// ```
    /// use dlpar_script::protocol::Resource;
    /// const PMIG: Resource = Resource::from_static("pmig");
    /// assert_eq!(PMIG.as_str(), "pmig");
    /// assert_eq!(Resource::from_static("cpu"), Resource::Cpu);
    /// ```
    ///
    /// ```should_panic
    /// # use dlpar_script::protocol::Resource;
    /// let _ = Resource::from_static("memory"); // not a word drmgr sends
    /// ```
    pub const fn from_static(word: &'static str) -> Resource {
        match word.as_bytes() {
            b"cpu" => Resource::Cpu,
            b"mem" => Resource::Mem,
            b"capacity" => Resource::Capacity,
            b"var_weight" => Resource::VarWeight,
            b"pmig" | b"phib" | b"acc" | b"topology" => Resource::Other(ResourceName::from_static(word)),
            _ => panic!(
                "not a resource word drmgr sends (cpu, mem, capacity, var_weight, pmig, phib, acc, topology): \
                 write a resource of your own as Resource::custom(\"name\")"
            ),
        }
    }

    /// A resource of your own, such as an accelerator's word (`acme_gpu`): a valid
    /// name (1 to 32 bytes of a-z, 0-9 and _) known at compile time; panics if it is
    /// invalid (at compile time in a `const`). drmgr reaches it only when an
    /// operation names it (as `drmgr-sim run … --resource NAME` does); a word drmgr
    /// sends gives the same resource as [`Resource::from_static`].
    ///
    /// ```
    /// use dlpar_script::protocol::Resource;
    /// const GPU: Resource = Resource::custom("acme_gpu");
    /// assert_eq!(GPU.as_str(), "acme_gpu");
    /// assert_eq!(Resource::custom("mem"), Resource::Mem);
    /// ```
    pub const fn custom(word: &'static str) -> Resource {
        match word.as_bytes() {
            b"cpu" => Resource::Cpu,
            b"mem" => Resource::Mem,
            b"capacity" => Resource::Capacity,
            b"var_weight" => Resource::VarWeight,
            _ => Resource::Other(ResourceName::from_static(word)),
        }
    }

    /// Whether drmgr itself sends this word ([`Resource::DRMGR_WORDS`]); `false` for
    /// a custom resource.
    ///
    /// ```
    /// use dlpar_script::protocol::Resource;
    /// assert!(Resource::from_static("pmig").is_drmgr_word());
    /// assert!(!Resource::custom("acme_gpu").is_drmgr_word());
    /// ```
    pub fn is_drmgr_word(&self) -> bool {
        Resource::DRMGR_WORDS.contains(&self.as_str())
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reads a resource word as it comes over the wire (argv\[2\], a `DR_RESOURCE`
/// line): any valid name, custom ones included. In a script, write
/// [`Resource::from_static`] or [`Resource::custom`] instead, which say which one
/// is meant.
impl FromStr for Resource {
    type Err = ResourceNameError;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        Ok(match word {
            "cpu" => Resource::Cpu,
            "mem" => Resource::Mem,
            "capacity" => Resource::Capacity,
            "var_weight" => Resource::VarWeight,
            other => Resource::Other(other.parse()?),
        })
    }
}

/// A validated resource word: `[a-z0-9_]+`, at most 32 bytes (a project decision).
///
/// ```
/// use dlpar_script::protocol::ResourceName;
///
/// assert!("acme_gpu".parse::<ResourceName>().is_ok());
/// let err = "acme-gpu".parse::<ResourceName>().unwrap_err();
/// assert_eq!(err.to_string(), "invalid resource name \"acme-gpu\": byte 4 ('-') is not one of a-z, 0-9, _");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceName(Cow<'static, str>);

impl ResourceName {
    /// The word itself.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A name known at compile time; panics if it is invalid (at compile time in a `const`).
    ///
    /// ```
    /// const ACC: dlpar_script::protocol::ResourceName =
    ///     dlpar_script::protocol::ResourceName::from_static("acc");
    /// assert_eq!(ACC.as_str(), "acc");
    /// ```
    pub const fn from_static(word: &'static str) -> ResourceName {
        if validate(word.as_bytes()).is_some() {
            panic!("invalid resource name: use 1 to 32 bytes of a-z, 0-9 and _");
        }
        ResourceName(Cow::Borrowed(word))
    }
}

/// Why a word is not a valid resource name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid resource name {word:?}: {reason}")]
pub struct ResourceNameError {
    word: String,
    reason: String,
}

const fn validate(bytes: &[u8]) -> Option<usize> {
    if bytes.is_empty() || bytes.len() > MAX_RESOURCE_NAME {
        return Some(usize::MAX);
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return Some(i);
        }
        i += 1;
    }
    None
}

impl FromStr for ResourceName {
    type Err = ResourceNameError;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        let reason = match validate(word.as_bytes()) {
            None => return Ok(ResourceName(Cow::Owned(word.to_owned()))),
            Some(usize::MAX) if word.is_empty() => "it is empty".to_owned(),
            Some(usize::MAX) => format!("it is {} bytes long, the limit is {MAX_RESOURCE_NAME}", word.len()),
            Some(at) => format!("byte {at} ({:?}) is not one of a-z, 0-9, _", word[at..].chars().next().unwrap_or('?')),
        };
        Err(ResourceNameError { word: word.to_owned(), reason })
    }
}

impl fmt::Display for ResourceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_at_the_length_limit() {
        assert!("a".repeat(32).parse::<ResourceName>().is_ok());
        let err = "a".repeat(33).parse::<ResourceName>().unwrap_err();
        assert!(err.to_string().contains("33 bytes long, the limit is 32"), "{err}");
        assert_eq!("".parse::<ResourceName>().unwrap_err().to_string(), "invalid resource name \"\": it is empty");
    }

    #[test]
    fn known_words_never_become_other() {
        for word in ["cpu", "mem", "capacity", "var_weight"] {
            let r: Resource = word.parse().unwrap();
            assert!(!matches!(r, Resource::Other(_)));
            assert_eq!(r, Resource::from_static(word));
            assert_eq!(r.to_string(), word);
        }
    }

    #[test]
    fn multibyte_characters_are_named_in_the_error() {
        let err = "cpué".parse::<ResourceName>().unwrap_err();
        assert!(err.to_string().contains("byte 3 ('é')"), "{err}");
    }
}
