//! The renderer itself: what it writes, and the exact answer to each mistake in a
//! value or a template.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::render::{Template, substitute};

/// A one-placeholder template in a temporary directory.
fn template_with(manifest: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, Result<Template, String>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cargo-generate.toml"), manifest).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let template = Template::load(dir.path());
    (dir, template)
}

const ONE_PLACEHOLDER: &str = "[template]\ncargo_generate_version = \">=0.23.0\"\n\
    [placeholders.who]\ntype = \"string\"\nprompt = \"Who?\"\nregex = '^[a-z]+$'\ndefault = \"world\"\n";

fn render_error(manifest: &str, file: &str, given: &[(&str, &str)]) -> String {
    let (_dir, template) = template_with(manifest, &[("hello.txt", file)]);
    let out = tempfile::tempdir().unwrap();
    template.and_then(|t| t.render(given, out.path())).unwrap_err()
}

fn values() -> BTreeMap<String, String> {
    BTreeMap::from([("vendor".to_owned(), "acme".to_owned())])
}

#[test]
fn every_template_renders_its_files_with_no_placeholder_left() {
    for (name, expected) in [
        ("sysadmin", [".gitignore", "Cargo.toml", "README.md", "src/main.rs", "tests/drmgr.rs"]),
        ("vendor", [".gitignore", "Cargo.toml", "README.md", "src/main.rs", "tests/drmgr.rs"]),
    ] {
        let out = tempfile::tempdir().unwrap();
        let written = Template::named(name).render(&[], out.path()).unwrap();
        assert_eq!(written, expected.map(PathBuf::from), "{name}");
        for file in &written {
            let text = std::fs::read_to_string(out.path().join(file)).unwrap();
            assert!(!text.contains("{{") && !text.contains("}}"), "{name}/{}: a placeholder is left", file.display());
        }
    }
}

#[test]
fn the_sysadmin_script_name_always_has_the_prefix() {
    let out = tempfile::tempdir().unwrap();
    Template::named("sysadmin").render(&[("subsystem", "wlm")], out.path()).unwrap();
    let manifest = std::fs::read_to_string(out.path().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("[[bin]]\nname = \"sysadmin_wlm\"\n"), "{manifest}");

    let err = Template::named("sysadmin").render(&[("subsystem", "sysadmin wlm")], out.path()).unwrap_err();
    assert_eq!(
        err,
        "placeholder subsystem: \"sysadmin wlm\" does not match ^[a-z][a-z0-9]{0,23}(_[a-z0-9]{1,23}){0,3}$ \
         (What does the script look after? Lower case, e.g. wlm or backup (the script is named sysadmin_<this>))"
    );
}

#[test]
fn the_vendor_script_is_named_vendor_subsystem() {
    let out = tempfile::tempdir().unwrap();
    Template::named("vendor").render(&[("vendor", "initech"), ("subsystem", "tps")], out.path()).unwrap();
    let manifest = std::fs::read_to_string(out.path().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("[[bin]]\nname = \"initech_tps\"\n"), "{manifest}");

    let err = Template::named("vendor").render(&[("vendor", "Initech")], out.path()).unwrap_err();
    assert!(err.starts_with("placeholder vendor: \"Initech\" does not match ^"), "{err}");
}

#[test]
fn values_are_checked_before_anything_is_written() {
    let out = tempfile::tempdir().unwrap();
    let err = Template::named("vendor").render(&[("colour", "blue")], out.path()).unwrap_err();
    assert_eq!(err, "no placeholder \"colour\"; the template has date, description, subsystem, vendor, vendor_name");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn template_mistakes_are_named() {
    let cases = [
        (
            ONE_PLACEHOLDER.replace("regex = '^[a-z]+$'", "regex = '[a-z]+'"),
            "placeholder who: the regex [a-z]+ is not anchored with ^…$",
        ),
        (
            ONE_PLACEHOLDER.replace("regex = '^[a-z]+$'\n", ""),
            "placeholder who has no regex: every value must be checked",
        ),
        (
            ONE_PLACEHOLDER.replace("default = \"world\"\n", ""),
            "placeholder who has no default and no value was given (Who?)",
        ),
        (
            ONE_PLACEHOLDER.replace("\"world\"", "\"World\""),
            "placeholder who: \"World\" does not match ^[a-z]+$ (Who?)",
        ),
        (
            ONE_PLACEHOLDER.replace("\"string\"", "\"bool\""),
            "placeholder who: type \"bool\" is not supported, only \"string\"",
        ),
    ];
    for (manifest, expected) in cases {
        assert_eq!(render_error(&manifest, "hello {{who}}", &[]), expected);
    }
    let unknown_key = ONE_PLACEHOLDER.replace("[template]\n", "[template]\nignore = [\"x\"]\n");
    let err = render_error(&unknown_key, "", &[]);
    assert!(err.contains("unknown field `ignore`, expected `cargo_generate_version`"), "{err}");
}

#[test]
fn only_plain_placeholders_are_rendered() {
    assert_eq!(substitute("name = \"{{vendor}}_{{ vendor }}\"", &values()).unwrap(), "name = \"acme_acme\"");
    let cases = [
        (
            "a\n{{ vendor | upcase }}",
            "line 2: {{ vendor | upcase }} is not a plain placeholder (filters and expressions are not supported)",
        ),
        ("{% if x %}{% endif %}", "line 1: Liquid tags ({% … %}) are not supported"),
        ("a\nb\n{{product}}", "line 3: unknown placeholder \"product\"; the template defines vendor"),
        ("{{vendor", "line 1: `{{` is never closed"),
    ];
    for (text, expected) in cases {
        assert_eq!(substitute(text, &values()).unwrap_err(), expected, "{text}");
    }
    let err = render_error(ONE_PLACEHOLDER, "x\n{{ whom }}", &[]);
    assert_eq!(err, "hello.txt: line 2: unknown placeholder \"whom\"; the template defines who");
}

#[test]
fn a_liquid_suffix_is_dropped() {
    let (_dir, template) = template_with(ONE_PLACEHOLDER, &[("Cargo.toml.liquid", "name = \"{{who}}\"\n")]);
    let out = tempfile::tempdir().unwrap();
    assert_eq!(template.unwrap().render(&[("who", "acme")], out.path()).unwrap(), [Path::new("Cargo.toml")]);
    assert_eq!(std::fs::read_to_string(out.path().join("Cargo.toml")).unwrap(), "name = \"acme\"\n");
}
