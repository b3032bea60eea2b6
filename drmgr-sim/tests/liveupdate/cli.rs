//! `drmgr-sim liveupdate` and `lvupdate-safe-ke` together, as real processes.

use std::process::Command;

use super::runs::World;
use super::safe_ke::render;

/// `drmgr-sim -R <root> --workdir <root>/work --hostname testhost liveupdate ARGS`.
fn liveupdate(world: &World, args: &[&str]) -> String {
    liveupdate_with(world, &[], args)
}

/// The same with more global options before `liveupdate`.
fn liveupdate_with(world: &World, global: &[&str], args: &[&str]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_drmgr-sim"));
    command.arg("-R").arg(world.root()).arg("--workdir").arg(world.root().join("work"));
    command.args(["--hostname", "testhost"]).args(global).arg("liveupdate").args(args);
    render(&mut command, world.root())
}

fn safe_ke(world: &World, args: &[&str]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lvupdate-safe-ke"));
    render(command.arg("--root").arg(world.root()).args(args), world.root())
}

#[test]
fn the_list_written_by_lvupdate_safe_ke_decides_the_check() {
    let _serial = crate::serial();
    let world = World::new();
    let kext = "/usr/lib/drivers/acme_dd";
    let failed = liveupdate(&world, &["--loaded", kext]);
    assert!(failed.starts_with("exit: 4\n"), "{failed}");
    assert!(failed.ends_with(&format!("outcome: FAILED: 1 loaded kernel extension is not safe for Live Update: {kext} (logged in <root>/var/adm/ras/liveupdate/logs/lvupdlog)\n")), "{failed}");

    assert_eq!(safe_ke(&world, &["-a", kext, "-p"]), "exit: 0\n");
    let preview = liveupdate(&world, &["--loaded", kext, "--preview"]);
    assert!(preview.starts_with("exit: 0\n") && preview.contains("safe for the preview"), "{preview}");
    assert!(liveupdate(&world, &["--loaded", kext]).starts_with("exit: 4\n"), "-p entries do not count for the update");

    assert_eq!(safe_ke(&world, &["-a", kext]).lines().next(), Some("exit: 0"));
    let passed = liveupdate(&world, &["--loaded", kext]);
    assert!(passed.starts_with("exit: 0\n") && passed.ends_with("outcome: SUCCESS\n"), "{passed}");
}

#[test]
fn exit_status_follows_the_outcome_and_json_is_one_document() {
    let _serial = crate::serial();
    let world = World::new();
    let vetoed = liveupdate(&world, &["--setenv", "PROBE_FAIL=a_app:checkmigrate"]);
    assert!(vetoed.starts_with("exit: 3\n"), "{vetoed}");

    let answer = liveupdate(&world, &["--fail-at", "surr-pre-kernel", "--json"]);
    let (status, json) = answer.split_once("--- stdout\n").unwrap();
    assert_eq!(status, "exit: 4\n");
    let doc: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(doc["schema"], "drmgr-sim/liveupdate/2");
    assert_eq!(doc["outcome"], "failed");
    let phases: Vec<&str> = doc["phases"].as_array().unwrap().iter().map(|p| p["phase"].as_str().unwrap()).collect();
    assert_eq!(
        phases,
        ["orig-check", "surr-check", "orig-pre", "surr-pre", "orig-pre-kernel", "surr-pre-kernel", "post-error"]
    );
    assert_eq!(doc["phases"][5]["injected"], true);
    assert_eq!(doc["phases"][6]["invocations"][0]["command"], "undopremigrate");
}

#[test]
fn a_separate_system_root_and_data_file() {
    let _serial = crate::serial();
    let world = World::new();
    let system = tempfile::tempdir().unwrap();
    let data = world.root().join("lu.data");
    std::fs::write(&data, "general:\n\tkext_check = no\n").unwrap();
    let system_root = system.path().to_str().unwrap();
    let answer =
        liveupdate(&world, &["--system-root", system_root, "--loaded", "/opt/x/k", "--data", data.to_str().unwrap()]);
    assert!(answer.starts_with("exit: 0\n"), "{answer}");
    assert!(answer.contains("lvupdate.data: kext_check = no\n"), "{answer}");

    std::fs::write(&data, "general:\n\tkext_check = no\n  stray\n").unwrap();
    insta::assert_snapshot!(liveupdate(&world, &["--data", data.to_str().unwrap()]), @r#"
    exit: 1
    --- stderr
    drmgr-sim: error: lvupdate.data: <root>/lu.data: line 3: expected a `name:` header, a `key = value` line, a comment or a blank line, found "stray"
    "#);
}

#[test]
fn a_data_file_that_is_not_a_regular_file_or_too_large_is_a_clear_error_at_once() {
    let _serial = crate::serial();
    let world = World::new();
    let fifo = world.root().join("lu.fifo");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: `c_path` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let big = world.root().join("lu.big");
    std::fs::File::create(&big).unwrap().set_len(2 * 1024 * 1024).unwrap();
    for (file, reason) in [
        ("/dev/zero".to_owned(), "not a regular file (a character device)"),
        (fifo.to_str().unwrap().to_owned(), "not a regular file (a FIFO)"),
        (big.to_str().unwrap().to_owned(), "larger than the 1048576-byte limit"),
    ] {
        let shown = file.replace(world.root().to_str().unwrap(), "<root>");
        let root = world.root().to_owned();
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut command = Command::new(env!("CARGO_BIN_EXE_drmgr-sim"));
            command.arg("-R").arg(&root).args(["liveupdate", "--data", &file]);
            send.send(render(&mut command, &root))
        });
        let answer = receive.recv_timeout(std::time::Duration::from_secs(20)).expect("drmgr-sim hung on --data");
        assert_eq!(answer, format!("exit: 1\n--- stderr\ndrmgr-sim: error: lvupdate.data: {shown}: {reason}\n"));
    }
}

#[test]
fn bad_options_are_usage_errors() {
    let _serial = crate::serial();
    let world = World::new();
    insta::assert_snapshot!(liveupdate(&world, &["--fail-at", "orig-precheck"]), @"
    exit: 2
    --- stderr
    error: invalid value 'orig-precheck' for '--fail-at <PHASE>'
      [possible values: orig-check, surr-check, orig-pre, surr-pre, orig-pre-kernel, surr-pre-kernel, orig-post, surr-post]

      tip: a similar value exists: 'orig-check'

    For more information, try '--help'.
    ");
    insta::assert_snapshot!(liveupdate(&world, &["--loaded", "usr/lib/drivers/x"]), @r#"
    exit: 2
    --- stderr
    error: invalid value 'usr/lib/drivers/x' for '--loaded <KEXT>...': "usr/lib/drivers/x" is not an absolute path: it must start with /

    For more information, try '--help'.
    "#);
}

#[test]
fn syslog_id_forwards_the_scripts_log_lines() {
    let _serial = crate::serial();
    let world = World::new();
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/liveupdate/lu_logger.sh");
    let mut install = Command::new(env!("CARGO_BIN_EXE_drmgr-sim"));
    install.arg("-R").arg(world.root()).arg("--workdir").arg(world.root().join("work"));
    let installed = install.args(["--hostname", "testhost", "install"]).arg(&source).output().unwrap();
    assert!(installed.status.success(), "{}", String::from_utf8_lossy(&installed.stderr));
    let socket = world.root().join("log.sock");
    let syslog = std::os::unix::net::UnixDatagram::bind(&socket).unwrap();
    syslog.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
    let answer = liveupdate_with(&world, &["-S", "LU", "--syslog-socket", socket.to_str().unwrap()], &[]);
    assert!(answer.starts_with("exit: 0\n"), "{answer}");
    let mut buf = [0u8; 512];
    let n = syslog.recv(&mut buf).unwrap();
    let message = String::from_utf8_lossy(&buf[..n]);
    assert!(message.starts_with("<14>") && message.contains(" LU["), "{message}");
    assert!(message.ends_with("]: lu_logger.sh checkmigrate pmig: received checkmigrate pmig"), "{message}");
}
