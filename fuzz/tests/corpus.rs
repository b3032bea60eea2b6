//! Every committed corpus file through its target's property, on stable.

use std::fs;
use std::path::Path;

#[test]
fn every_corpus_file_holds_its_target_s_property() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for (target, property) in dlpar_script_fuzz::TARGETS {
        let dir = root.join(target);
        let mut files: Vec<_> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        files.sort();
        assert!(files.len() >= 3, "{target}: a handful of corpus files expected, found {}", files.len());
        for file in files {
            let data = fs::read(&file).unwrap();
            if std::panic::catch_unwind(|| property(&data)).is_err() {
                panic!("{target}: the property fails on {}", file.display());
            }
        }
    }
}

#[test]
fn every_target_has_a_corpus_and_a_fuzz_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for (target, _) in dlpar_script_fuzz::TARGETS {
        assert!(root.join("fuzz_targets").join(format!("{target}.rs")).is_file(), "{target}: no fuzz target");
        assert!(manifest.contains(&format!("name = \"{target}\"")), "{target}: no [[bin]] in Cargo.toml");
    }
}
