//! The capture file: mode, directory, concurrent scripts, rotation.

use std::process::Stdio;

use super::support::{Place, mode, spawn};

#[test]
fn the_directory_is_created_0700_and_the_file_is_0600() {
    let place = Place::new();
    place.run("capture", &["postacquire", "cpu"], &[]);
    assert_eq!(mode(place.file().parent().unwrap()), 0o700);
    assert_eq!(mode(&place.file()), 0o600);
}

/// Many scripts at once, as drmgr may run them (and several operations may overlap):
/// every line whole, none lost.
#[test]
fn concurrent_scripts_never_interleave_or_lose_records() {
    let place = Place::new();
    let long = "v".repeat(20_000);
    let children: Vec<_> = (0..24)
        .map(|i| {
            let mut command = place.command("capture", &["postrelease", "cpu"], &[("PADDING", &long)]);
            command.env("N", i.to_string()).stdout(Stdio::null());
            spawn(&mut command)
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let capture = place.capture();
    assert_eq!(capture.lines.len(), 48);
    let runs = capture.runs();
    assert_eq!(runs.len(), 24);
    assert!(runs.iter().all(|r| r.end.is_some() && r.invocation.env_var("PADDING") == Some(long.as_str())));
}

/// With a small cap and concurrent scripts, rotation keeps exactly one older
/// generation, and both files hold whole records only.
#[test]
fn rotation_under_concurrent_scripts_keeps_whole_records() {
    let place = Place::new();
    let cap = "10000";
    let children: Vec<_> = (0..16)
        .map(|_| {
            let mut command = place.command("capture", &["postrelease", "mem"], &[("DLPAR_CAPTURE_MAX_BYTES", cap)]);
            command.stdout(Stdio::null());
            spawn(&mut command)
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let rotated = format!("{}.1", place.file().display());
    for file in [place.file().display().to_string(), rotated.clone()] {
        let size = std::fs::metadata(&file).unwrap().len();
        assert!(size <= 10_000, "{file} is {size} bytes");
        dlpar_capture::read::Capture::read_file(&file).unwrap();
    }
    assert_eq!(mode(rotated.as_ref()), 0o600);
    assert!(!std::path::Path::new(&format!("{}.2", place.file().display())).exists());
}
