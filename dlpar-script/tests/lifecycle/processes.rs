//! Phase state across real processes: each phase is its own run of the probe, as
//! under drmgr; and a process killed mid-save never leaves a torn file.

use std::fs;
use std::time::Duration;

use insta::assert_snapshot;

use super::support::{StateDir, probe, run_probe};

/// Runs each command as its own process, all with `vars` and one state directory.
fn phases(commands: &[&str], vars: &[(&str, &str)]) -> String {
    let dir = StateDir::new();
    let mut out = String::new();
    for command in commands {
        let vars = vars.iter().map(|(k, v)| ((*k).into(), (*v).into()));
        let run = run_probe(&[command, "cpu"], vars.chain([dir.var_os()]));
        out.push_str(&format!("$ {command} cpu\n{}\n{}", run.exit_line, run.stdout));
    }
    assert!(!dir.file("probe", "remove", "cpu").exists(), "the operation's end clears its state");
    out
}

#[test]
fn state_round_trips_from_pre_to_undo_and_from_pre_to_post() {
    let vars = [("PROBE_VALUE", "pool=512MB"), ("DR_DETAIL_LEVEL", "2"), ("DR_BCPUID", "3")];
    let undo = phases(&["checkrelease", "prerelease", "undoprerelease"], &vars);
    // After post, nothing is left for an undo.
    let post = phases(&["prerelease", "postrelease", "undoprerelease"], &vars);
    assert_snapshot!(undo + &post, @r#"
    $ checkrelease cpu
    exit: 0
    $ prerelease cpu
    exit: 0
    DR_LOG_INFO="saved pool=512MB"
    $ undoprerelease cpu
    exit: 0
    DR_LOG_INFO="undo restores pool=512MB"
    $ prerelease cpu
    exit: 0
    DR_LOG_INFO="saved pool=512MB"
    $ postrelease cpu
    exit: 0
    DR_LOG_INFO="post sees pool=512MB"
    $ undoprerelease cpu
    exit: 0
    DR_LOG_WARNING="nothing to undo"
    "#);
}

/// The payload length the probe uses for record `n` (see `examples/lifecycle_probe.rs`).
fn payload_len(n: u64) -> usize {
    1000 + (n as usize * 7919) % 60_000
}

/// Reads the state file and checks it is whole: a numbered record with the
/// payload that goes with its number, or the record saved before the loop.
/// Returns the record's number, if it has one.
fn whole_record(file: &std::path::Path, context: &str) -> Option<u64> {
    let bytes = fs::read(file).unwrap_or_else(|e| panic!("{context}: the state file is gone ({e})"));
    let record: serde_json::Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{context}: torn state file ({e}): {}", String::from_utf8_lossy(&bytes)));
    let value = &record["value"];
    match value["n"].as_u64() {
        Some(n) => {
            assert_eq!(value["payload"].as_str().map(str::len), Some(payload_len(n)), "{context}");
            Some(n)
        }
        None => {
            assert_eq!(value["value"], "before", "{context}: the earlier state is intact");
            None
        }
    }
}

#[test]
fn a_process_killed_while_saving_never_leaves_a_torn_file() {
    let dir = StateDir::new();
    let first = run_probe(&["prerelease", "cpu"], [("PROBE_VALUE".into(), "before".into()), dir.var_os()]);
    assert_eq!(first.exit, Some(0), "{}", first.stdout);
    let file = dir.file("probe", "remove", "cpu");
    let mut killed_mid_save = 0;
    for round in 0..40u64 {
        let before = whole_record(&file, &format!("before round {round}"));
        let mut child = probe(&["postrelease", "cpu"], [("PROBE_SAVE_LOOP".into(), "1".into()), dir.var_os()])
            .spawn()
            .expect("the probe starts");
        if round % 2 == 0 {
            // Kill in the middle of the loop: wait (reading along, which must
            // always find a whole file) until a new record is in, then a little more.
            // A deadline, not a count of reads: a loaded machine may start the probe slowly.
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            let mut reads = 0;
            while whole_record(&file, &format!("round {round}, read {reads}")) == before {
                reads += 1;
                assert!(std::time::Instant::now() < deadline, "round {round}: the probe never saved");
                std::thread::yield_now();
            }
            std::thread::sleep(Duration::from_micros(round * 150));
        } else {
            // Kill at any moment, maybe before the first save.
            std::thread::sleep(Duration::from_millis(round % 7));
        }
        child.kill().expect("SIGKILL is delivered");
        let status = child.wait().expect("the probe is reaped");
        assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(libc::SIGKILL), "round {round}");
        whole_record(&file, &format!("after round {round}"));
        // A temporary file left behind means the kill came between its creation
        // and the rename: the window this test is about.
        let temp =
            fs::read_dir(dir.path()).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp"));
        killed_mid_save += u32::from(temp);
    }
    assert!(killed_mid_save > 0, "no kill landed in the middle of a save: the test proved nothing");
    // The next save sweeps the temporary files the killed writers left.
    assert_eq!(run_probe(&["prerelease", "cpu"], [dir.var_os()]).exit, Some(0));
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["probe.remove.cpu.json"]);
}
