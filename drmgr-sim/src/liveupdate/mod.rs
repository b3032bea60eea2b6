//! AIX Live Update in the simulator: the `lvupdateSafeKE` work-alike ([`safe_ke`]).

pub mod safe_ke;
