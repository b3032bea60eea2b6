//! The vocabulary of the DLPAR script protocol, written once: each command word with
//! its `Command` variant, aliases, family and phase, the documentation of its
//! variant and of its handler attribute; and each family with its word and the
//! resource word drmgr passes for it. Not meant for scripts: use `dlpar-script`.
//!
//! `dlpar-script` (the runtime) and `dlpar-script-macros` (its proc-macros) both
//! build on these tables, as argh's derive and runtime share `argh_shared`; the
//! proc-macro crate cannot depend on the runtime, which depends on it. The tables
//! are `macro_rules!` that hand their rows to a macro of the caller's (a
//! "callback"), so each side generates what it needs — the runtime its enums,
//! parsing and re-exports, the macros one attribute per event command — with no
//! code or dependency of its own in this crate. The macros use the tables at
//! compile time only, so nothing of this crate ends up in a script's binary that
//! the runtime does not already put there.
//!
//! The crate is released together with the runtime and the macros, which pin it
//! with `=`.

/// Calls `$callback! { rows }` with one row per command word, in the order of the
/// protocol's table (docs/protocol.md §3).
///
/// A row is `#[doc = "…"] Variant = word | "alias" …, Family, Phase { attribute }`:
///
/// * the variant's documentation, then the variant of `dlpar_script::protocol::Command`;
/// * the command word, an identifier (it is also the attribute's name), and the
///   aliases drmgr may send instead, as string literals;
/// * the variants of `Family` ([`families!`]) and `Phase`;
/// * in braces, the handler attribute: empty for the install commands, which have
///   none; else `"summary" resource "(args)" "Event" "usage word" "Target" argv`
///   (a command of the remove or add family, shown with one resource) or
///   `"summary" family "word" argv` (a command whose handler may name no resource
///   and then registers the family's resource `word`), `argv` being the command
///   line its documentation's example runs.
///
/// ```
/// macro_rules! event_words {
///     ($($(#[$doc:meta])* $variant:ident = $word:ident $(| $alias:literal)*, $family:ident, $phase:ident { $($attribute:tt)* })+) => {
///         [$(stringify!($word)),+]
///     };
/// }
/// let words = dlpar_script_vocab::commands!(event_words);
/// assert_eq!(words.len(), 24);
/// assert_eq!(words[3], "checkrelease");
/// ```
#[macro_export]
macro_rules! commands {
    ($callback:ident) => {
        $callback! {
            /// `scriptinfo`: print version, date, vendor and description (install time).
            ScriptInfo = scriptinfo, Install, Install {}
            /// `register`: print one `DR_RESOURCE` line per managed resource (install time).
            Register = register, Install, Install {}
            /// `usage RES`: print how the application uses a resource (install time).
            Usage = usage, Install, Install {}
            /// `checkrelease RES`: may the resource be removed? Non-zero vetoes.
            CheckRelease = checkrelease, Remove, Check {
                "may the resource be removed? An error vetoes the removal (unless forced)."
                resource "(cpu)" "CpuEvent" "cpu" "Resource::Cpu" r#""checkrelease", "cpu""#
            }
            /// `prerelease RES`: free the resource before the kernel removes it.
            PreRelease = prerelease, Remove, Pre {
                "free the resource before the kernel removes it."
                resource "(mem)" "MemEvent" "mem" "Resource::Mem" r#""prerelease", "mem""#
            }
            /// `postrelease RES`: resume after a successful removal.
            PostRelease = postrelease, Remove, Post {
                "resume after a successful removal."
                resource "(capacity)" "CapacityEvent" "capacity" "Resource::Capacity" r#""postrelease", "capacity""#
            }
            /// `undoprerelease RES`: the removal failed; undo what `prerelease` did.
            UndoPreRelease = undoprerelease, Remove, Undo {
                "the removal failed; undo what `prerelease` did."
                resource "(var_weight)" "WeightEvent" "var_weight" "Resource::VarWeight" r#""undoprerelease", "var_weight""#
            }
            /// `checkacquire RES`: may the resource be added? A veto cannot be forced.
            CheckAcquire = checkacquire, Add, Check {
                "may the resource be added? An error vetoes the addition; it cannot be forced."
                resource "(cpu)" "CpuEvent" "cpu" "Resource::Cpu" r#""checkacquire", "cpu""#
            }
            /// `preacquire RES`: prepare for the new resource.
            PreAcquire = preacquire, Add, Pre {
                "prepare for the new resource."
                resource "(mem)" "MemEvent" "mem" "Resource::Mem" r#""preacquire", "mem""#
            }
            /// `postacquire RES`: integrate the new resource.
            PostAcquire = postacquire, Add, Post {
                "integrate the new resource."
                resource "(capacity)" "CapacityEvent" "capacity" "Resource::Capacity" r#""postacquire", "capacity""#
            }
            /// `undopreacquire RES`: the addition failed; undo what `preacquire` did.
            UndoPreAcquire = undopreacquire, Add, Undo {
                "the addition failed; undo what `preacquire` did."
                resource "(var_weight)" "WeightEvent" "var_weight" "Resource::VarWeight" r#""undopreacquire", "var_weight""#
            }
            /// `checkmigrate`: may the partition migrate? A veto cannot be forced.
            CheckMigrate = checkmigrate, Migrate, Check {
                "may the partition migrate (Live Partition Mobility)? An error vetoes it; it cannot be forced."
                family "pmig" r#""checkmigrate", "pmig""#
            }
            /// `premigrate`: prepare for partition migration.
            PreMigrate = premigrate, Migrate, Pre {
                "prepare for partition migration."
                family "pmig" r#""premigrate""#
            }
            /// `postmigrate`: the migration succeeded.
            PostMigrate = postmigrate, Migrate, Post {
                "the migration succeeded."
                family "pmig" r#""postmigrate", "pmig""#
            }
            /// `undopremigrate`: the migration failed; undo what `premigrate` did.
            UndoPreMigrate = undopremigrate, Migrate, Undo {
                "the migration failed; undo what `premigrate` did."
                family "pmig" r#""undopremigrate", "pmig""#
            }
            /// `checkhibernate`: may the partition hibernate? A veto cannot be forced.
            CheckHibernate = checkhibernate, Hibernate, Check {
                "may the partition hibernate? An error vetoes it; it cannot be forced."
                family "phib" r#""checkhibernate", "phib""#
            }
            /// `prehibernate`: prepare for hibernation.
            PreHibernate = prehibernate, Hibernate, Pre {
                "prepare for hibernation."
                family "phib" r#""prehibernate""#
            }
            /// `posthibernate`: the hibernation succeeded.
            PostHibernate = posthibernate, Hibernate, Post {
                "the hibernation succeeded."
                family "phib" r#""posthibernate", "phib""#
            }
            /// `undohibernate` (alias `undoprehibernate`): undo what `prehibernate` did.
            UndoHibernate = undohibernate | "undoprehibernate", Hibernate, Undo {
                "undo what `prehibernate` did (drmgr may spell it `undoprehibernate`)."
                family "phib" r#""undoprehibernate", "phib""#
            }
            /// `preaccevent`: an accelerator event is coming (add or release not yet known).
            PreAccEvent = preaccevent, Accelerator, Pre {
                "an accelerator event is coming."
                family "acc" r#""preaccevent", "acc""#
            }
            /// `postaccevent`: the accelerator event completed.
            PostAccEvent = postaccevent, Accelerator, Post {
                "the accelerator event completed."
                family "acc" r#""postaccevent", "acc""#
            }
            /// `undopreaccevent` (alias `undoaccevent`): undo what `preaccevent` did.
            UndoPreAccEvent = undopreaccevent | "undoaccevent", Accelerator, Undo {
                "undo what `preaccevent` did (drmgr may spell it `undoaccevent`)."
                family "acc" r#""undoaccevent", "acc""#
            }
            /// `pretopologyupdate`: a topology change that cannot fail is coming.
            PreTopologyUpdate = pretopologyupdate, Topology, Pre {
                "a topology change that cannot fail is coming."
                family "topology" r#""pretopologyupdate", "topology""#
            }
            /// `posttopologyupdate`: the topology change completed.
            PostTopologyUpdate = posttopologyupdate, Topology, Post {
                "the topology change completed."
                family "topology" r#""posttopologyupdate""#
            }
        }
    };
}

/// Calls `$callback! { rows }` with one row per family of commands:
/// `#[doc = "…"] Variant = "word" resource_word;`, where `resource_word` is the
/// resource word drmgr-sim passes as argv\[2\] for a family whose resource IBM's
/// page does not name (a project decision), and the one a handler of the family
/// that names no resource registers; `_` for the families that always name one.
///
/// ```
/// macro_rules! resource_words {
///     ($($(#[$doc:meta])* $variant:ident = $word:literal $resource:tt;)+) => {
///         [$(stringify!($resource)),+]
///     };
/// }
/// let words = dlpar_script_vocab::families!(resource_words);
/// assert_eq!(words, ["_", "_", "_", "\"pmig\"", "\"phib\"", "\"acc\"", "\"topology\""]);
/// ```
#[macro_export]
macro_rules! families {
    ($callback:ident) => {
        $callback! {
            /// `scriptinfo`, `register`, `usage`.
            Install = "install" _;
            /// Removing a resource (`*release`).
            Remove = "remove" _;
            /// Adding a resource (`*acquire`).
            Add = "add" _;
            /// Live Partition Mobility (`*migrate`).
            Migrate = "migrate" "pmig";
            /// Partition hibernation (`*hibernate`).
            Hibernate = "hibernate" "phib";
            /// Accelerator events (`*accevent`).
            Accelerator = "accelerator" "acc";
            /// Topology updates (`*topologyupdate`).
            Topology = "topology" "topology";
        }
    };
}
