//! Not public API: the paths the macros expand to. May change in any release.
