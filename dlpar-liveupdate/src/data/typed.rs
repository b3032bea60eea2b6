//! Typed access to the keys AIX documents: `general: kext_check`, the four `disks:`
//! keys, and `hmc: lpar_id`, `management_console`, `user`.

use super::{DataError, DataErrorKind, LvupdateData};

const GENERAL: &str = "general";
const DISKS: &str = "disks";
const HMC: &str = "hmc";

/// The role of a disk list in the `disks:` stanza.
///
/// ```
/// use dlpar_liveupdate::DiskRole;
/// assert_eq!(DiskRole::Surrogate.key(), "nhdisk");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiskRole {
    /// `nhdisk`: the disks that receive the copy of rootvg the surrogate boots from.
    Surrogate,
    /// `mhdisk`: the disks that receive the mirror of the original's rootvg.
    Mirror,
    /// `tohdisk`: temporary storage for the original partition.
    OriginalTemporary,
    /// `tshdisk`: temporary storage for the surrogate partition.
    SurrogateTemporary,
}

impl DiskRole {
    /// The key in the `disks:` stanza.
    pub fn key(self) -> &'static str {
        match self {
            DiskRole::Surrogate => "nhdisk",
            DiskRole::Mirror => "mhdisk",
            DiskRole::OriginalTemporary => "tohdisk",
            DiskRole::SurrogateTemporary => "tshdisk",
        }
    }
}

impl LvupdateData {
    /// `general: kext_check`: whether the safe kernel-extension check runs. `yes` or
    /// `no` in any case; `None` when absent or empty (the check runs).
    ///
    /// ```
    /// use dlpar_liveupdate::LvupdateData;
    ///
    /// let data = LvupdateData::parse("general:\n\tkext_check = NO\n").unwrap();
    /// assert_eq!(data.kext_check().unwrap(), Some(false));
    /// let data = LvupdateData::parse("general:\n\tkext_check = off\n").unwrap();
    /// assert_eq!(
    ///     data.kext_check().unwrap_err().to_string(),
    ///     "line 2: general: kext_check = \"off\" is not valid: expected yes or no"
    /// );
    /// ```
    pub fn kext_check(&self) -> Result<Option<bool>, DataError> {
        self.typed(GENERAL, "kext_check", "yes or no", |v| match v.to_ascii_lowercase().as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        })
    }

    /// Sets `general: kext_check` to `yes` or `no`.
    pub fn set_kext_check(&mut self, check: bool) {
        self.set(GENERAL, "kext_check", if check { "yes" } else { "no" }).expect("a valid key and value");
    }

    /// A disk list of the `disks:` stanza: hdisk names separated by commas or blanks;
    /// empty when absent or empty.
    ///
    /// ```
    /// use dlpar_liveupdate::{DiskRole, LvupdateData};
    /// let data = LvupdateData::parse("disks:\n\tnhdisk = hdisk1, hdisk2\n\tmhdisk = hdisk3 hdisk4\n").unwrap();
    /// assert_eq!(data.disks(DiskRole::Surrogate), ["hdisk1", "hdisk2"]);
    /// assert_eq!(data.disks(DiskRole::Mirror), ["hdisk3", "hdisk4"]);
    /// assert!(data.disks(DiskRole::OriginalTemporary).is_empty());
    /// ```
    pub fn disks(&self, role: DiskRole) -> Vec<&str> {
        let value = self.get(DISKS, role.key()).unwrap_or_default();
        value.split(|c: char| c == ',' || c.is_whitespace()).filter(|d| !d.is_empty()).collect()
    }

    /// Sets a disk list, written separated by commas (a project decision; both forms
    /// are read). A disk name must be non-empty, without blanks, commas or control
    /// characters.
    ///
    /// ```
    /// use dlpar_liveupdate::{DiskRole, LvupdateData};
    /// let mut data = LvupdateData::new();
    /// data.set_disks(DiskRole::Surrogate, &["hdisk1", "hdisk2"]).unwrap();
    /// assert_eq!(data.to_string(), "disks:\n\tnhdisk = hdisk1,hdisk2\n");
    /// assert!(data.set_disks(DiskRole::Mirror, &["hdisk 3"]).is_err());
    /// ```
    pub fn set_disks(&mut self, role: DiskRole, disks: &[&str]) -> Result<(), DataError> {
        let bad = |d: &str| d.is_empty() || d.chars().any(|c| c == ',' || c.is_whitespace() || c.is_control());
        if let Some(disk) = disks.iter().find(|d| bad(d)) {
            let (stanza, key, value) = (DISKS, role.key(), (*disk).to_owned());
            let expected = "hdisk names without blanks or commas";
            return Err(DataError::new(None, DataErrorKind::BadValue { stanza, key, value, expected }));
        }
        self.set(DISKS, role.key(), &disks.join(","))
    }

    /// `hmc: lpar_id`, the partition's number on its managed system.
    ///
    /// ```
    /// let data = dlpar_liveupdate::LvupdateData::parse("hmc:\n\tlpar_id = 12\n").unwrap();
    /// assert_eq!(data.lpar_id().unwrap(), Some(12));
    /// ```
    pub fn lpar_id(&self) -> Result<Option<u32>, DataError> {
        self.typed(HMC, "lpar_id", "a decimal partition number", |v| {
            v.bytes().all(|b| b.is_ascii_digit()).then(|| v.parse().ok()).flatten()
        })
    }

    /// Sets `hmc: lpar_id`.
    pub fn set_lpar_id(&mut self, id: u32) {
        self.set(HMC, "lpar_id", &id.to_string()).expect("a valid key and value");
    }

    /// `hmc: management_console`, the HMC's host name; `None` when absent or empty.
    pub fn management_console(&self) -> Option<&str> {
        self.get(HMC, "management_console").filter(|v| !v.is_empty())
    }

    /// `hmc: user`, the HMC user name; `None` when absent or empty.
    ///
    /// ```
    /// let data = dlpar_liveupdate::LvupdateData::parse("hmc:\n\tuser = hscroot\n\tmanagement_console =\n").unwrap();
    /// assert_eq!(data.user(), Some("hscroot"));
    /// assert_eq!(data.management_console(), None);
    /// ```
    pub fn user(&self) -> Option<&str> {
        self.get(HMC, "user").filter(|v| !v.is_empty())
    }

    /// Reads a value with `decode`; absent or empty is `None`, a value `decode`
    /// refuses is an error naming the line and the expected form.
    fn typed<T>(
        &self,
        stanza: &'static str,
        key: &'static str,
        expected: &'static str,
        decode: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, DataError> {
        let Some(attribute) = self.find(stanza, key).filter(|a| !a.value.is_empty()) else {
            return Ok(None);
        };
        let value = attribute.value.clone();
        decode(&value)
            .map(Some)
            .ok_or_else(|| DataError::new(attribute.line, DataErrorKind::BadValue { stanza, key, value, expected }))
    }
}
