//! AIX Live Update helpers: the safe kernel-extension list and `lvupdate.data`.

mod data;
mod file_backend;
mod kext_path;
mod list_format;
mod message;
mod native;
mod safe_list;

pub use data::{DataError, DataErrorKind, DiskRole, LVUPDATE_DATA, LvupdateData};
pub use file_backend::{FileSafeKextList, MAX_SAFE_LIST_BYTES, SAFE_LIST_DIR, SAFE_LIST_FILE};
pub use kext_path::{
    FileSystem, KextPath, KextPathError, KextPathErrorKind, MAX_KEXT_COMPONENT, MAX_KEXT_PATH, RedundantComponent,
};
pub use message::MessageId;
pub use native::{LVUPDATE_SAFE_KE, NativeSafeKextList};
pub use safe_list::{AddOutcome, PREVIEW_MARKER, SafeKext, SafeKextList, SafeListError};
