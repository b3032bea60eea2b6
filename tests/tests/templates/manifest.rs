//! A template's `cargo-generate.toml`, read strictly, and the placeholder values
//! checked the way cargo-generate checks them.

use std::collections::BTreeMap;
use std::path::Path;

use regex::Regex;
use serde::Deserialize;

/// The file cargo-generate reads the placeholders from; it is not copied.
pub(crate) const MANIFEST: &str = "cargo-generate.toml";

/// `cargo-generate.toml`. Unknown keys are refused: a template may only use what
/// this renderer checks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    template: TemplateSection,
    #[serde(default)]
    placeholders: BTreeMap<String, Placeholder>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateSection {
    cargo_generate_version: String,
}

/// One `[placeholders.NAME]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Placeholder {
    #[serde(rename = "type")]
    kind: String,
    prompt: String,
    regex: Option<String>,
    default: Option<String>,
}

impl Manifest {
    /// Reads `dir/cargo-generate.toml`.
    pub(crate) fn load(dir: &Path) -> Result<Manifest, String> {
        let path = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let manifest: Manifest = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if manifest.template.cargo_generate_version.trim().is_empty() {
            return Err(format!("{}: cargo_generate_version is empty", path.display()));
        }
        Ok(manifest)
    }

    /// The value of every placeholder: the one given, else the default. Like
    /// cargo-generate, a value must match the placeholder's regex (defaults
    /// included); unlike it, a regex must be anchored (`^…$`), since an unanchored
    /// one checks only part of the value.
    pub(crate) fn values(&self, given: &[(&str, &str)]) -> Result<BTreeMap<String, String>, String> {
        if let Some((name, _)) = given.iter().find(|(name, _)| !self.placeholders.contains_key(*name)) {
            return Err(format!("no placeholder {name:?}; the template has {}", self.names()));
        }
        let mut values = BTreeMap::new();
        for (name, placeholder) in &self.placeholders {
            if placeholder.kind != "string" {
                return Err(format!(
                    "placeholder {name}: type {:?} is not supported, only \"string\"",
                    placeholder.kind
                ));
            }
            let value = match given.iter().find(|(n, _)| n == name) {
                Some((_, value)) => (*value).to_owned(),
                None => placeholder.default.clone().ok_or_else(|| {
                    format!("placeholder {name} has no default and no value was given ({})", placeholder.prompt)
                })?,
            };
            placeholder.check(name, &value)?;
            values.insert(name.clone(), value);
        }
        Ok(values)
    }

    fn names(&self) -> String {
        self.placeholders.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
    }
}

impl Placeholder {
    fn check(&self, name: &str, value: &str) -> Result<(), String> {
        let Some(pattern) = &self.regex else {
            return Err(format!("placeholder {name} has no regex: every value must be checked"));
        };
        if !(pattern.starts_with('^') && pattern.ends_with('$')) {
            return Err(format!("placeholder {name}: the regex {pattern} is not anchored with ^…$"));
        }
        let regex = Regex::new(pattern).map_err(|e| format!("placeholder {name}: bad regex: {e}"))?;
        if !regex.is_match(value) {
            return Err(format!("placeholder {name}: {value:?} does not match {pattern} ({})", self.prompt));
        }
        Ok(())
    }
}
