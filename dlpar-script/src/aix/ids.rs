//! The identifiers the AIX commands print: process ids, bind CPU ids, logical CPU ids.
//!
//! Bind CPU ids (what `bindprocessor` and `DR_BCPUID` use) and logical CPU ids (what
//! resource sets and `DR_LCPUID` use) are different numbering schemes; keeping them in
//! distinct types makes mixing them a compile error.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A process id.
///
/// ```
/// use dlpar_script::aix::Pid;
///
/// assert_eq!(Pid(4242).to_string(), "4242");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pid(pub u32);

/// A bind CPU id: `0..N` over the online processors, the numbering of
/// `bindprocessor` and of `DR_BCPUID`. A processor removal always takes the highest.
///
/// ```
/// use dlpar_script::aix::BindCpu;
///
/// assert_eq!(BindCpu::from(3).to_string(), "3");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BindCpu(pub u32);

/// A logical CPU id: the numbering of resource sets (`lsrset`, `mkrset`) and of
/// `DR_LCPUID`, which counts online and offline processors alike.
///
/// ```
/// use dlpar_script::aix::LogicalCpu;
///
/// assert_eq!(LogicalCpu::from(14).to_string(), "14");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LogicalCpu(pub u32);

macro_rules! id_conversions {
    ($($name:ident),*) => {$(
        impl From<u32> for $name {
            fn from(id: u32) -> $name {
                $name(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_conversions!(Pid, BindCpu, LogicalCpu);
