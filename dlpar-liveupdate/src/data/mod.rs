//! `lvupdate.data`, the AIX stanza file that configures a Live Update.

mod document;
mod error;
mod typed;

use std::fmt;
use std::path::Path;

use dlpar_script::__fs::{FsError, PrivateDir};
use document::{Attribute, Line, Stanza};
pub use error::{DataError, DataErrorKind};
pub use typed::DiskRole;

/// Where AIX reads the Live Update configuration (`geninstall -k`).
pub const LVUPDATE_DATA: &str = "/var/adm/ras/liveupdate/lvupdate.data";

/// An `lvupdate.data` file: AIX stanza syntax, kept line for line.
///
/// # Syntax (AIX stanza files)
///
/// * `name:` starts a stanza (`general:`, `disks:`, `hmc:`, or any other);
/// * `key = value` lines under it, usually indented by a tab; blanks around the key,
///   the `=` and the value are ignored; the value runs to the end of the line and is
///   taken literally (no quoting), and may be empty;
/// * blank lines, and lines starting with `*` or `#` (comments), may appear anywhere.
///
/// Stanza and key names are `A-Za-z0-9_.-`. A key set twice in a stanza, a stanza
/// that appears twice, an attribute before the first header and any other line are
/// errors naming the line.
///
/// # Faithful round trips
///
/// Every line is kept as written — comments, blank lines, indentation, blanks around
/// `=`, CRLF line ends, a missing final line break, unknown stanzas and keys — so
/// `parse` then `to_string` gives back the same text. An edit replaces only the value
/// of its line; a new key goes after the last key of its stanza (`\tkey = value`),
/// a new stanza at the end of the file.
///
/// ```
/// use dlpar_liveupdate::LvupdateData;
///
/// let text = "general:\n\tkext_check = yes\n\n* filled in by the admin\nhmc:\n\tuser=hscroot\n\tsite = lab 3\n";
/// let mut data = LvupdateData::parse(text).unwrap();
/// assert_eq!(data.to_string(), text);
/// assert_eq!(data.kext_check().unwrap(), Some(true));
/// assert_eq!(data.get("hmc", "site"), Some("lab 3"));
///
/// data.set_kext_check(false);
/// data.set("hmc", "management_console", "hmc01").unwrap();
/// assert_eq!(
///     data.to_string(),
///     "general:\n\tkext_check = no\n\n* filled in by the admin\nhmc:\n\tuser=hscroot\n\tsite = lab 3\n\
///      \tmanagement_console = hmc01\n"
/// );
/// ```
#[derive(Debug, Clone)]
pub struct LvupdateData {
    head: Vec<Line>,
    stanzas: Vec<Stanza>,
    final_newline: bool,
}

impl Default for LvupdateData {
    fn default() -> Self {
        LvupdateData::new()
    }
}

impl LvupdateData {
    /// An empty file.
    pub fn new() -> LvupdateData {
        LvupdateData { head: Vec::new(), stanzas: Vec::new(), final_newline: true }
    }

    /// Parses the text of a file.
    pub fn parse(text: &str) -> Result<LvupdateData, DataError> {
        let (head, stanzas, final_newline) = document::parse(text)?;
        Ok(LvupdateData { head, stanzas, final_newline })
    }

    /// Reads and parses a file; errors name the file.
    pub fn read(path: impl AsRef<Path>) -> Result<LvupdateData, DataError> {
        let path = path.as_ref();
        let io = |e| DataError::new(None, DataErrorKind::Io(e)).in_file(path);
        let text = std::fs::read_to_string(path).map_err(io)?;
        LvupdateData::parse(&text).map_err(|e| e.in_file(path))
    }

    /// Writes the file with the rules of phase state: replaced atomically (temporary
    /// file, `fsync`, rename, directory `fsync`), mode 0600; the directory is created
    /// 0700 if missing, and a directory or file that is a symbolic link, belongs to
    /// another user or is writable by others is refused.
    ///
    /// ```
    /// use dlpar_liveupdate::LvupdateData;
    ///
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("liveupdate/lvupdate.data");
    /// let mut data = LvupdateData::new();
    /// data.set_kext_check(false);
    /// data.write(&path)?;
    /// assert_eq!(LvupdateData::read(&path)?, data);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write(&self, path: impl AsRef<Path>) -> Result<(), DataError> {
        let path = path.as_ref();
        // FsError's message names the path it is about; no file prefix needed.
        let fail = |e: FsError| DataError::new(None, DataErrorKind::File(e));
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let dir = PrivateDir::open(parent).map_err(fail)?;
        dir.write(name, self.to_string().as_bytes()).map_err(fail)
    }

    /// The value of `key` in `stanza`, blanks around it removed; `Some("")` when the
    /// key is present with an empty value.
    ///
    /// ```
    /// let data = dlpar_liveupdate::LvupdateData::parse("disks:\n\tnhdisk =\n").unwrap();
    /// assert_eq!(data.get("disks", "nhdisk"), Some(""));
    /// assert_eq!(data.get("disks", "mhdisk"), None);
    /// assert_eq!(data.get("hmc", "user"), None);
    /// ```
    pub fn get(&self, stanza: &str, key: &str) -> Option<&str> {
        self.find(stanza, key).map(|a| a.value.as_str())
    }

    /// Sets `key` in `stanza`, adding the key (and the stanza) when absent.
    ///
    /// ```
    /// use dlpar_liveupdate::LvupdateData;
    ///
    /// let mut data = LvupdateData::new();
    /// data.set("general", "kext_check", "no").unwrap();
    /// data.set("hmc", "lpar_id", "7").unwrap();
    /// assert_eq!(data.to_string(), "general:\n\tkext_check = no\n\nhmc:\n\tlpar_id = 7\n");
    /// assert_eq!(
    ///     data.set("hmc", "user", "a\nb").unwrap_err().to_string(),
    ///     "hmc: the value for user contains a line break or control character"
    /// );
    /// assert!(data.set("hmc", "bad key", "x").is_err());
    /// ```
    pub fn set(&mut self, stanza: &str, key: &str, value: &str) -> Result<(), DataError> {
        for name in [stanza, key] {
            if !document::valid_name(name) {
                return Err(DataError::new(None, DataErrorKind::BadName(name.to_owned())));
            }
        }
        if value.chars().any(char::is_control) {
            let (stanza, key) = (stanza.to_owned(), key.to_owned());
            return Err(DataError::new(None, DataErrorKind::ControlInValue { stanza, key }));
        }
        let value = value.trim();
        let stanza = self.stanza_or_insert(stanza);
        match stanza.attribute_mut(key) {
            Some(attribute) => attribute.value = value.to_owned(),
            None => stanza.push(Attribute::new(key, value)),
        }
        Ok(())
    }

    /// Removes `key` from `stanza` and gives its value back. The stanza stays, even
    /// when it has no key left.
    ///
    /// ```
    /// let mut data = dlpar_liveupdate::LvupdateData::parse("hmc:\n\tuser = a\n\tlpar_id = 3\n").unwrap();
    /// assert_eq!(data.remove("hmc", "user").as_deref(), Some("a"));
    /// assert_eq!(data.remove("hmc", "user"), None);
    /// assert_eq!(data.to_string(), "hmc:\n\tlpar_id = 3\n");
    /// ```
    pub fn remove(&mut self, stanza: &str, key: &str) -> Option<String> {
        let stanza = self.stanzas.iter_mut().find(|s| s.name == stanza)?;
        let index = stanza.body.iter().position(|line| matches!(line, Line::Attribute(a) if a.key == key))?;
        match stanza.body.remove(index) {
            Line::Attribute(attribute) => Some(attribute.value),
            Line::Verbatim(_) => unreachable!("position matched an attribute"),
        }
    }

    /// The stanza names, in file order.
    pub fn stanzas(&self) -> impl Iterator<Item = &str> {
        self.stanzas.iter().map(|s| s.name.as_str())
    }

    /// The keys of a stanza and their values, in file order (empty if the stanza is
    /// absent).
    ///
    /// ```
    /// let data = dlpar_liveupdate::LvupdateData::parse("x:\n\ta = 1\n\tb = 2\n").unwrap();
    /// assert_eq!(data.entries("x").collect::<Vec<_>>(), [("a", "1"), ("b", "2")]);
    /// ```
    pub fn entries(&self, stanza: &str) -> impl Iterator<Item = (&str, &str)> {
        let stanza = self.stanzas.iter().find(|s| s.name == stanza);
        stanza.into_iter().flat_map(|s| s.attributes()).map(|a| (a.key.as_str(), a.value.as_str()))
    }

    fn find(&self, stanza: &str, key: &str) -> Option<&Attribute> {
        self.stanzas.iter().find(|s| s.name == stanza)?.attributes().find(|a| a.key == key)
    }

    fn stanza_or_insert(&mut self, name: &str) -> &mut Stanza {
        if let Some(index) = self.stanzas.iter().position(|s| s.name == name) {
            return &mut self.stanzas[index];
        }
        if let Some(last) = self.stanzas.last_mut()
            && !matches!(last.body.last(), Some(Line::Verbatim(text)) if text.trim().is_empty())
        {
            last.body.push(Line::Verbatim(String::new()));
        }
        self.final_newline = true;
        self.stanzas.push(Stanza::new(name));
        self.stanzas.last_mut().expect("just pushed")
    }
}

/// Two files are equal when their text is (line numbers remembered from parsing do
/// not count).
impl PartialEq for LvupdateData {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Eq for LvupdateData {}

impl fmt::Display for LvupdateData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&document::render(&self.head, &self.stanzas, self.final_newline))
    }
}

#[cfg(test)]
mod tests;
