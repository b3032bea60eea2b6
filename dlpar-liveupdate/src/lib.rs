//! AIX Live Update helpers: the safe kernel-extension list and `lvupdate.data`.
//!
//! This crate is for a product's installer and for the simulator, not for DLPAR
//! scripts: a script that does not manage the safe list does not compile it.
//!
//! During a Live Update AIX boots a *surrogate* partition with the updated kernel
//! and moves the running workload onto it. Kernel-extension data is not carried
//! over, so a loaded kernel extension blocks the update unless it is known to be
//! *Live Update safe*: listed with `lvupdateSafeKE -a`, or loaded through
//! `sysconfig()` with `SYS_LUSAFE`. A vendor whose product loads a kernel extension
//! registers it at install time, and removes it at uninstall time:
//!
//! ```
//! use dlpar_liveupdate::{AddOutcome, FileSafeKextList, KextPath, SafeKext, SafeKextList};
//!
//! /// Called by the product's installer.
//! fn register(list: &dyn SafeKextList) -> Result<AddOutcome, Box<dyn std::error::Error>> {
//!     let kext: KextPath = "/usr/lib/drivers/acme_dd".parse()?;
//!     if let Some(warning) = kext.warning() {
//!         eprintln!("warning: {warning}");
//!     }
//!     Ok(list.add(&SafeKext::new(kext))?)
//! }
//!
//! // On AIX: register(&NativeSafeKextList::new()), which runs /usr/sbin/lvupdateSafeKE.
//! // In tests and simulation, a list kept under a root directory:
//! let root = tempfile::tempdir()?;
//! let list = FileSafeKextList::new(root.path());
//! assert_eq!(register(&list)?, AddOutcome::Added);
//! assert_eq!(register(&list)?, AddOutcome::AlreadyListed);
//! assert_eq!(list.list()?.len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The pieces
//!
//! * [`KextPath`]: the path rules — absolute, at most 1024 bytes, canonical, and in
//!   one of the file systems `/`, `/var`, `/usr`, `/opt`, `/tmp`; which paths are
//!   refused and which only warned about is documented there.
//! * [`SafeKextList`]: add (with the preview-only mark of `-p`), remove, list, with
//!   two backends: [`NativeSafeKextList`] (AIX's command, run by absolute path with
//!   an argument vector) and [`FileSafeKextList`] (a file under a root directory,
//!   written atomically, 0600, no links; its format is documented there). Both
//!   treat a duplicate add as "nothing changed" and the removal of an absent entry
//!   as an error.
//! * [`LvupdateData`]: the `lvupdate.data` stanza file, parsed and written back line
//!   for line, with typed access to `kext_check`, the disks and the HMC keys.
//!
//! The files are written with the secure-file rules of `dlpar-script` (0700
//! directories, 0600 files, atomic replace, no links, no foreign owners).
//!
//! drmgr-sim simulates a whole Live Update — the safe kernel-extension check and the
//! DLPAR scripts on the original and the surrogate — with `drmgr-sim liveupdate`.

mod data;
mod file_backend;
mod kext_path;
mod list_format;
mod native;
mod safe_list;

pub use data::{DataError, DataErrorKind, DiskRole, LVUPDATE_DATA, LvupdateData};
pub use file_backend::{FileSafeKextList, MAX_SAFE_LIST_BYTES, SAFE_LIST_DIR, SAFE_LIST_FILE};
pub use kext_path::{
    FileSystem, KextPath, KextPathError, KextPathErrorKind, MAX_KEXT_COMPONENT, MAX_KEXT_PATH, RedundantComponent,
};
pub use native::{LVUPDATE_SAFE_KE, NativeSafeKextList};
pub use safe_list::{AddOutcome, PREVIEW_MARKER, SafeKext, SafeKextList, SafeListError};
