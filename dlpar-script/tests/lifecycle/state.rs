//! Phase state in-process: lifetime, stale records, refusals and clear errors.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use dlpar_script::prelude::*;
use insta::assert_snapshot;
use serde::{Deserialize, Serialize};

use super::support::{StateDir, invoke_in, is_root, probe, run};

#[derive(Debug, Serialize, Deserialize)]
struct Pool {
    mb: u64,
}

fn save(ev: &MemEvent, cx: &mut Context) -> Result<()> {
    cx.state().save(&Pool { mb: ev.request_mb.map_or(0, |mb| mb.get()) })
}

fn load(_: &MemEvent, cx: &mut Context) -> Result<()> {
    log::warn!("{} loads {:?}", cx.command(), cx.state().load::<Pool>()?);
    Ok(())
}

fn take_twice(_: &MemEvent, cx: &mut Context) -> Result<()> {
    let first = cx.state().take::<Pool>()?;
    let second = cx.state().take::<Pool>()?;
    log::warn!("took {first:?}, then {second:?}");
    Ok(())
}

/// `acme`: saves in `prerelease mem`, reads in `checkrelease`, `postrelease` and
/// `undoprerelease mem`; the same for migration (`pmig`).
fn acme() -> Script {
    Script::new("Acme", "Acme keeps its pool size between phases")
        .name("acme")
        .version(1)
        .date("22112026")
        .resource(Resource::Mem, "Acme buffer pool lives in memory")
        .resource(Resource::from_static("phib"), "Acme flushes its pool before hibernation")
        .on(Command::CheckRelease, Resource::Mem, load)
        .on(Command::PreRelease, Resource::Mem, save)
        .on(Command::PostRelease, Resource::Mem, load)
        .on(Command::UndoPreRelease, Resource::Mem, take_twice)
        .on(Command::PostHibernate, Target::AnyResource, |_: &Event, cx: &mut Context| {
            log::warn!("loads {:?}", cx.state().load::<Pool>()?);
            Ok(())
        })
}

const MEM: [(&str, &str); 1] = [("DR_MEM_SIZE_REQUEST", "256")];

/// The answers of a sequence of commands, one block each, paths redacted.
fn sequence(script: &Script, dir: &StateDir, commands: &[&[&str]]) -> String {
    let mut out = String::new();
    for args in commands {
        let answer = invoke_in(script, args, dir, &MEM);
        out.push_str(&format!("$ {}\n{}\n", args.join(" "), dir.redact(&answer.to_string())));
    }
    out
}

/// A record as an earlier run of `acme` would have saved it, `age_secs` ago
/// (negative: in the future).
fn record(family: &str, resource: &str, command: &str, age_secs: i64, value: &str) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    format!(
        r#"{{"format":1,"script":"acme","family":"{family}","resource":"{resource}","command":"{command}","saved_at":{},"run":"1-2-3","value":{value}}}"#,
        now - age_secs
    )
}

/// Writes `content` as `file` of the state directory, as an earlier run (or an
/// intruder) would have.
fn plant(dir: &StateDir, file: &str, content: &str) {
    dir.create();
    fs::write(dir.path().join(file), content).unwrap();
}

fn mode(path: &std::path::Path) -> u32 {
    fs::metadata(path).unwrap().mode() & 0o777
}

#[test]
fn pre_saves_post_reads_and_the_end_of_the_operation_clears() {
    let dir = StateDir::new();
    let out = sequence(&acme(), &dir, &[&["prerelease", "mem"], &["postrelease", "mem"], &["postrelease", "mem"]]);
    assert_snapshot!(out, @r#"
    $ prerelease mem
    exit: 0

    $ postrelease mem
    exit: 0
    DR_LOG_WARNING="postrelease loads Some(Pool { mb: 256 })"

    $ postrelease mem
    exit: 0
    DR_LOG_WARNING="postrelease loads None"
    "#);
    assert!(!dir.file("acme", "remove", "mem").exists());
}

#[test]
fn save_makes_a_private_directory_and_file() {
    let dir = StateDir::new();
    assert_eq!(invoke_in(&acme(), &["prerelease", "mem"], &dir, &MEM).exit, 0);
    let file = dir.file("acme", "remove", "mem");
    assert_eq!((mode(&dir.path()), mode(&file)), (0o700, 0o600));
    let record: serde_json::Value = serde_json::from_slice(&fs::read(&file).unwrap()).unwrap();
    assert_eq!(record["command"], "prerelease");
    assert_eq!(record["value"], serde_json::json!({ "mb": 256 }));
}

#[test]
fn take_reads_once_and_undo_ends_the_operation() {
    let dir = StateDir::new();
    let out = sequence(&acme(), &dir, &[&["prerelease", "mem"], &["undoprerelease", "mem"]]);
    assert_snapshot!(out, @r#"
    $ prerelease mem
    exit: 0

    $ undoprerelease mem
    exit: 0
    DR_LOG_WARNING="took Some(Pool { mb: 256 }), then None"
    "#);
}

#[test]
fn a_handler_reads_back_what_it_saved_itself() {
    let script = acme().on(Command::PreRelease, Resource::Cpu, |_: &CpuEvent, cx: &mut Context| {
        cx.state().save(&Pool { mb: 1 })?;
        log::warn!("reads {:?}", cx.state().load::<Pool>()?);
        Ok(())
    });
    let script = script.resource(Resource::Cpu, "Acme binds threads");
    let answer = invoke_in(&script, &["prerelease", "cpu"], &StateDir::new(), &[]);
    assert_eq!(answer.to_string(), "exit: 0\nDR_LOG_WARNING=\"reads Some(Pool { mb: 1 })\"\n");
}

#[test]
fn the_last_phase_clears_even_without_its_own_handler() {
    let dir = StateDir::new();
    let script = Script::new("Acme", "saves only")
        .name("acme")
        .version(1)
        .date("22112026")
        .resource(Resource::Mem, "Acme buffer pool lives in memory")
        .on(Command::PreRelease, Resource::Mem, save);
    assert_eq!(invoke_in(&script, &["prerelease", "mem"], &dir, &MEM).exit, 0);
    assert!(dir.file("acme", "remove", "mem").exists());
    assert_eq!(invoke_in(&script, &["postrelease", "mem"], &dir, &MEM).to_string(), "exit: 0\n");
    assert!(!dir.file("acme", "remove", "mem").exists());
}

#[test]
fn state_left_by_an_unfinished_operation_is_discarded_with_a_warning() {
    let dir = StateDir::new();
    // The first removal stops after prerelease; the next starts with checkrelease
    // (or, forced, with prerelease); the third never saw a check.
    let out = sequence(
        &acme(),
        &dir,
        &[
            &["prerelease", "mem"],
            &["checkrelease", "mem"],
            &["prerelease", "mem"],
            &["prerelease", "mem"],
            &["postrelease", "mem"],
        ],
    );
    assert_snapshot!(out, @r#"
    $ prerelease mem
    exit: 0

    $ checkrelease mem
    exit: 0
    DR_LOG_WARNING="discarded stale phase state [state]/acme.remove.mem.json: it was saved by prerelease of an earlier remove operation that did not finish"
    DR_LOG_WARNING="checkrelease loads None"

    $ prerelease mem
    exit: 0

    $ prerelease mem
    exit: 0
    DR_LOG_WARNING="discarded stale phase state [state]/acme.remove.mem.json: it was saved by prerelease of an earlier remove operation that did not finish"

    $ postrelease mem
    exit: 0
    DR_LOG_WARNING="postrelease loads Some(Pool { mb: 256 })"
    "#);
}

#[test]
fn old_state_and_state_of_another_operation_are_stale() {
    let dir = StateDir::new();
    let file = "acme.remove.mem.json";
    plant(&dir, file, &record("remove", "mem", "prerelease", 25 * 3600, r#"{"mb":1}"#));
    let old = invoke_in(&acme(), &["postrelease", "mem"], &dir, &MEM);
    plant(&dir, file, &record("remove", "cpu", "prerelease", 0, r#"{"mb":2}"#));
    let other = invoke_in(&acme(), &["postrelease", "mem"], &dir, &MEM);
    let shorter = acme().state_max_age(std::time::Duration::from_secs(3600));
    plant(&dir, file, &record("remove", "mem", "prerelease", 2 * 3600, r#"{"mb":3}"#));
    let limit = invoke_in(&shorter, &["postrelease", "mem"], &dir, &MEM);
    plant(&dir, file, &record("remove", "mem", "prerelease", 3000, r#"{"mb":4}"#));
    let young = invoke_in(&shorter, &["postrelease", "mem"], &dir, &MEM);
    let all = [old, other, limit, young].map(|a| dir.redact(&a.stdout)).concat();
    assert_snapshot!(all, @r#"
    DR_LOG_WARNING="discarded stale phase state [state]/acme.remove.mem.json: it was saved 25 h ago by prerelease, longer ago than an operation may last (24 h)"
    DR_LOG_WARNING="postrelease loads None"
    DR_LOG_WARNING="discarded stale phase state [state]/acme.remove.mem.json: it was saved for acme remove cpu, not acme remove mem"
    DR_LOG_WARNING="postrelease loads None"
    DR_LOG_WARNING="discarded stale phase state [state]/acme.remove.mem.json: it was saved 2 h ago by prerelease, longer ago than an operation may last (60 min)"
    DR_LOG_WARNING="postrelease loads None"
    DR_LOG_WARNING="postrelease loads Some(Pool { mb: 4 })"
    "#);
}

#[test]
fn a_record_from_the_future_is_stale() {
    let dir = StateDir::new();
    plant(&dir, "acme.remove.mem.json", &record("remove", "mem", "prerelease", -2 * 3600, r#"{"mb":5}"#));
    let remove = invoke_in(&acme(), &["postrelease", "mem"], &dir, &MEM);
    // Hibernation has no maximum age, but no record comes from the future either.
    plant(&dir, "acme.hibernate.phib.json", &record("hibernate", "phib", "prehibernate", -90, r#"{"mb":6}"#));
    let hibernate = invoke_in(&acme(), &["posthibernate"], &dir, &[]);
    let all = [remove, hibernate].map(|a| dir.redact(&a.stdout)).concat();
    assert_snapshot!(all, @r#"
    DR_LOG_WARNING="discarded stale phase state [state]/acme.remove.mem.json: it claims to have been saved by prerelease 2 h in the future: the clock was set back or the file was not written by this runtime"
    DR_LOG_WARNING="postrelease loads None"
    DR_LOG_WARNING="discarded stale phase state [state]/acme.hibernate.phib.json: it claims to have been saved by prehibernate 90 s in the future: the clock was set back or the file was not written by this runtime"
    DR_LOG_WARNING="loads None"
    "#);
}

#[test]
fn a_parent_directory_others_could_swap_the_state_directory_in_is_refused() {
    let dir = StateDir::new();
    let parent = dir.root.path();
    let answer = |mode: u32| {
        fs::set_permissions(parent, fs::Permissions::from_mode(mode)).unwrap();
        let answer = invoke_in(&acme(), &["prerelease", "mem"], &dir, &MEM);
        let _ = fs::remove_file(dir.file("acme", "remove", "mem"));
        answer.to_string().replace(&parent.display().to_string(), "[parent]")
    };
    let out = [answer(0o775), answer(0o1775), answer(0o755)].concat();
    // Group-writable: refused; with the sticky bit, or not group-writable: used.
    assert_snapshot!(out, @r#"
    exit: 1
    DR_ERROR="phase state directory [parent]/state (DLPAR_STATE_DIR): [parent], above the private directory, is writable by its group (mode 0775) without the sticky bit, so a member of the group could swap the directory below it: remove the group's write permission (chmod g-w) or use another directory (to use another: `state_dir` in `main!`, `Script::state_dir`, or DLPAR_STATE_DIR)"
    exit: 0
    exit: 0
    "#);
    if is_root() {
        // Only root can give the directory to another user.
        std::os::unix::fs::chown(parent, Some(4321), None).unwrap();
        assert_eq!(
            answer(0o755),
            "exit: 1\nDR_ERROR=\"phase state directory [parent]/state (DLPAR_STATE_DIR): [parent], above the private \
             directory, is owned by uid 4321, who could swap the directory below it: give it to root or to uid 0 \
             (chown), or use another directory (to use another: `state_dir` in `main!`, `Script::state_dir`, or \
             DLPAR_STATE_DIR)\"\n"
        );
    }
}

#[test]
fn a_hibernation_may_last_any_time() {
    let dir = StateDir::new();
    let month = 30 * 24 * 3600;
    plant(&dir, "acme.hibernate.phib.json", &record("hibernate", "phib", "prehibernate", month, r#"{"mb":9}"#));
    // drmgr may also leave the resource word out for hibernation.
    let answer = invoke_in(&acme(), &["posthibernate"], &dir, &[]);
    assert_eq!(answer.to_string(), "exit: 0\nDR_LOG_WARNING=\"loads Some(Pool { mb: 9 })\"\n");
    assert!(!dir.file("acme", "hibernate", "phib").exists());
}

#[test]
fn unreadable_files_are_clear_errors() {
    let dir = StateDir::new();
    let file = "acme.remove.mem.json";
    let mut out = String::new();
    for (what, content) in [
        ("garbage", "{\"format\":1,\"scr".to_owned()),
        ("empty", String::new()),
        ("newer format", r#"{"format":2,"script":"acme"}"#.to_owned()),
        ("another type", record("remove", "mem", "prerelease", 0, r#"{"mb":"many"}"#)),
    ] {
        plant(&dir, file, &content);
        let answer = invoke_in(&acme(), &["postrelease", "mem"], &dir, &MEM);
        out.push_str(&format!("{what}: {}", dir.redact(&answer.to_string())));
    }
    assert_snapshot!(out, @r#"
    garbage: exit: 1
    DR_ERROR="phase state file [state]/acme.remove.mem.json is unreadable: EOF while parsing a string at line 1 column 16"
    empty: exit: 1
    DR_ERROR="phase state file [state]/acme.remove.mem.json is unreadable: EOF while parsing a value at line 1 column 0"
    newer format: exit: 1
    DR_ERROR="phase state file [state]/acme.remove.mem.json is unreadable: it is in record format 2; this runtime reads format 1"
    another type: exit: 1
    DR_ERROR="phase state file [state]/acme.remove.mem.json does not hold a lifecycle::lifecycle::state::Pool: invalid type: string 'many', expected u64 at line 1 column 142"
    "#);
}

#[test]
fn links_are_refused_and_never_followed() {
    let dir = StateDir::new();
    let elsewhere = dir.root.path().join("elsewhere.json");
    fs::write(&elsewhere, "precious").unwrap();
    dir.create();
    symlink(&elsewhere, dir.file("acme", "remove", "mem")).unwrap();
    let save = invoke_in(&acme(), &["prerelease", "mem"], &dir, &MEM);
    let load = invoke_in(&acme(), &["checkrelease", "mem"], &dir, &MEM);
    assert_eq!(fs::read_to_string(&elsewhere).unwrap(), "precious");

    let linked = StateDir::new();
    symlink(dir.path(), linked.path()).unwrap();
    let through_link = invoke_in(&acme(), &["prerelease", "mem"], &linked, &MEM);
    let out = [save, load].map(|a| dir.redact(&a.to_string())).concat() + &linked.redact(&through_link.to_string());
    assert_snapshot!(out, @r#"
    exit: 1
    DR_ERROR="phase state directory [state] (DLPAR_STATE_DIR): [state]/acme.remove.mem.json is a symbolic link; refusing to follow it (to use another: `state_dir` in `main!`, `Script::state_dir`, or DLPAR_STATE_DIR)"
    exit: 1
    DR_ERROR="phase state directory [state] (DLPAR_STATE_DIR): [state]/acme.remove.mem.json is a symbolic link; refusing to follow it (to use another: `state_dir` in `main!`, `Script::state_dir`, or DLPAR_STATE_DIR)"
    exit: 1
    DR_ERROR="phase state directory [state] (DLPAR_STATE_DIR): [state] is a symbolic link; refusing to follow it (to use another: `state_dir` in `main!`, `Script::state_dir`, or DLPAR_STATE_DIR)"
    "#);
}

#[test]
fn files_and_directories_of_another_user_are_refused() {
    let dir = StateDir::new();
    if !is_root() {
        // Without root nothing can be given away; a directory of root's stands in.
        let script = acme().state_dir("/");
        let answer = dlpar_script::testing::invoke_with_env(&script, ["prerelease", "mem"], MEM);
        assert!(
            answer.stdout.starts_with(
                "DR_ERROR=\"phase state directory / (Script::state_dir): / is owned by uid 0, not by uid "
            ),
            "{answer}"
        );
        return;
    }
    assert_eq!(invoke_in(&acme(), &["prerelease", "mem"], &dir, &MEM).exit, 0);
    let file = dir.file("acme", "remove", "mem");
    std::os::unix::fs::lchown(&file, Some(65534), None).unwrap();
    let file_refused = invoke_in(&acme(), &["checkrelease", "mem"], &dir, &MEM);
    std::os::unix::fs::lchown(&file, Some(0), None).unwrap();
    std::os::unix::fs::lchown(dir.path(), Some(65534), None).unwrap();
    let dir_refused = invoke_in(&acme(), &["prerelease", "mem"], &dir, &MEM);
    let out = [file_refused, dir_refused].map(|a| dir.redact(&a.to_string())).concat();
    assert_snapshot!(out, @r#"
    exit: 1
    DR_ERROR="phase state directory [state] (DLPAR_STATE_DIR): [state]/acme.remove.mem.json is owned by uid 65534, not by uid 0 that this process runs as; refusing to use it (to use another: `state_dir` in `main!`, `Script::state_dir`, or DLPAR_STATE_DIR)"
    exit: 1
    DR_ERROR="phase state directory [state] (DLPAR_STATE_DIR): [state] is owned by uid 65534, not by uid 0 that this process runs as; refusing to use it (to use another: `state_dir` in `main!`, `Script::state_dir`, or DLPAR_STATE_DIR)"
    "#);
}

#[test]
fn where_state_lives() {
    let builder_dir = StateDir::new();
    let env_dir = StateDir::new();
    let script = acme().state_dir(builder_dir.path());
    // DLPAR_STATE_DIR wins over the builder.
    assert_eq!(invoke_in(&script, &["prerelease", "mem"], &env_dir, &MEM).exit, 0);
    assert!(env_dir.file("acme", "remove", "mem").exists() && !builder_dir.path().exists());
    // An empty variable counts as unset.
    let answer =
        dlpar_script::testing::invoke_with_env(&script, ["prerelease", "mem"], [MEM[0], ("DLPAR_STATE_DIR", "")]);
    assert_eq!(answer.exit, 0);
    assert!(builder_dir.file("acme", "remove", "mem").exists());
    // Relative directories would land in drmgr's working directory, /tmp.
    let answer =
        dlpar_script::testing::invoke_with_env(&script, ["prerelease", "mem"], [MEM[0], ("DLPAR_STATE_DIR", "state")]);
    let relative = dlpar_script::testing::invoke_with_env(&acme().state_dir("var/state"), ["prerelease", "mem"], MEM);
    assert_snapshot!(answer.to_string() + &relative.to_string(), @r#"
    exit: 1
    DR_ERROR="phase state directory state (from DLPAR_STATE_DIR) is not an absolute path"
    exit: 1
    DR_ERROR="phase state directory var/state (from Script::state_dir) is not an absolute path"
    "#);
}

#[test]
fn values_over_one_mebibyte_are_refused() {
    let dir = StateDir::new();
    let script = acme()
        .on(Command::PreAcquire, Resource::Mem, |_: &MemEvent, cx: &mut Context| cx.state().save(&"x".repeat(1 << 20)));
    let answer = dir.redact(&invoke_in(&script, &["preacquire", "mem"], &dir, &[]).to_string());
    // The record around the value adds a few dozen bytes.
    let (head, tail) = answer.split_once(" it takes 10487").expect("the size is named");
    assert_eq!(head, "exit: 1\nDR_ERROR=\"phase state for [state]/acme.add.mem.json cannot be saved:");
    assert!(tail.ends_with(" bytes; phase state holds at most 1048576\"\n"), "{tail}");
    assert!(!dir.path().exists(), "nothing is created for a refused value");
}

#[test]
fn errors_can_be_told_apart() {
    let dir = StateDir::new();
    let script = acme().on(Command::PreAcquire, Resource::Mem, |_: &MemEvent, cx: &mut Context| {
        let err = cx.state().save(&1).and_then(|()| cx.state().path()).err();
        assert!(err.is_none());
        fs::write(cx.state().path()?, "{}").map_err(Error::from)?;
        let err = cx.state().load::<u8>().unwrap_err();
        match err {
            Error::Other(e) => {
                let state = e.downcast_ref::<dlpar_script::state::StateError>();
                assert!(matches!(state, Some(dlpar_script::state::StateError::Corrupt { .. })), "{state:?}");
            }
            other => panic!("unexpected {other:?}"),
        }
        Ok(())
    });
    assert_eq!(invoke_in(&script, &["preacquire", "mem"], &dir, &[]).exit, 0);
}

#[test]
fn a_state_directory_that_cannot_be_made_is_named_with_the_fix() {
    // The default of a user whose home directory does not exist: `nobody` on
    // Debian-like systems, /nonexistent. Only root can start the probe as them.
    let nobody = Path::new("/nonexistent");
    let home_is_missing = fs::read_to_string("/etc/passwd")
        .is_ok_and(|db| db.lines().any(|l| l.starts_with("nobody:x:65534:") && l.contains(":/nonexistent:")));
    if !is_root() || !home_is_missing || nobody.exists() {
        return;
    }
    let mut command = probe(&["prerelease", "cpu"], [("PROBE_VALUE", "x")]);
    command.uid(65534).gid(65534).current_dir("/tmp");
    let run = run(command);
    assert_eq!(run.exit, Some(1), "{}", run.stderr);
    assert_eq!(
        run.reply.error().unwrap(),
        "phase state directory /nonexistent/.dlpar-script/state (the default for this user): could not create \
         /nonexistent: Permission denied (os error 13) (to use another: `state_dir` in `main!`, \
         `Script::state_dir`, or DLPAR_STATE_DIR)"
    );
}
