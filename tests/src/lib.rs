//! Shared helpers for the workspace test suites.
