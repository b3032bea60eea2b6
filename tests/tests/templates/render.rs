//! Rendering a template directory: cargo-generate's rules for the subset the
//! templates use.
//!
//! * Every file but `cargo-generate.toml` is copied, its text rendered.
//! * `{{ name }}` (spaces optional) is replaced by the placeholder's value,
//!   verbatim; a name the manifest does not define is an error.
//! * Any other Liquid — tags (`{%`), filters (`|`), expressions — is an error:
//!   this renderer does not implement it, and a template that used it would no
//!   longer be checked.
//! * A `.liquid` suffix is dropped from the file name, which is how a template keeps
//!   `Cargo.toml.liquid` from being seen by cargo inside this workspace.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::manifest::{MANIFEST, Manifest};

/// The suffix cargo-generate removes from rendered file names.
const LIQUID_SUFFIX: &str = ".liquid";

/// A template of `templates/`.
#[derive(Debug)]
pub(crate) struct Template {
    dir: PathBuf,
    manifest: Manifest,
}

impl Template {
    /// The template `templates/<name>` of this repository.
    pub(crate) fn named(name: &str) -> Template {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates").join(name);
        Template::load(&dir).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The template in `dir`.
    pub(crate) fn load(dir: &Path) -> Result<Template, String> {
        Ok(Template { dir: dir.to_owned(), manifest: Manifest::load(dir)? })
    }

    /// Renders the template into `dest` with `given` values (the rest defaults);
    /// returns the files written, relative to `dest`, sorted.
    pub(crate) fn render(&self, given: &[(&str, &str)], dest: &Path) -> Result<Vec<PathBuf>, String> {
        let values = self.manifest.values(given)?;
        let mut written = Vec::new();
        for source in files(&self.dir)? {
            let relative = source.strip_prefix(&self.dir).expect("walked from the template directory");
            if relative == Path::new(MANIFEST) {
                continue;
            }
            let text =
                std::fs::read_to_string(&source).map_err(|e| format!("cannot read {}: {e}", source.display()))?;
            let rendered = substitute(&text, &values).map_err(|e| format!("{}: {e}", relative.display()))?;
            let target = strip_liquid(relative);
            let path = dest.join(&target);
            std::fs::create_dir_all(path.parent().expect("a file has a parent"))
                .and_then(|()| std::fs::write(&path, rendered))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            written.push(target);
        }
        written.sort();
        Ok(written)
    }
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?.path();
        if path.is_dir() { found.extend(files(&path)?) } else { found.push(path) }
    }
    Ok(found)
}

fn strip_liquid(relative: &Path) -> PathBuf {
    let name = relative.to_string_lossy();
    PathBuf::from(name.strip_suffix(LIQUID_SUFFIX).unwrap_or(&name))
}

/// Replaces each `{{ name }}` in `text`; refuses everything else Liquid would read.
pub(crate) fn substitute(text: &str, values: &BTreeMap<String, String>) -> Result<String, String> {
    let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
    if let Some(at) = text.find("{%") {
        return Err(format!("line {}: Liquid tags ({{% … %}}) are not supported", line_of(at)));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let offset = text.len() - rest.len() + start;
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| format!("line {}: `{{{{` is never closed", line_of(offset)))?;
        let name = after[..end].trim();
        let plain = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !plain {
            return Err(format!(
                "line {}: {{{{{}}}}} is not a plain placeholder (filters and expressions are not supported)",
                line_of(offset),
                &after[..end]
            ));
        }
        let value = values.get(name).ok_or_else(|| {
            let known: Vec<&str> = values.keys().map(String::as_str).collect();
            format!("line {}: unknown placeholder {name:?}; the template defines {}", line_of(offset), known.join(", "))
        })?;
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}
