//! What a script sees (docs/protocol.md §1): argv, a clean environment, the working directory,
//! its own process group, the file owner's identity.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};

use dlpar_script::protocol::Resource;
use drmgr_sim::{EventVars, InstallOptions, Invocation, MemVars, Operation, Outcome, Runner};

use crate::sim::support::Sim;

fn logs(invocation: &Invocation) -> Vec<String> {
    invocation.logs().map(|(_, text)| text.to_owned()).collect()
}

/// `uid=N gid=N` of this process.
fn me() -> String {
    // SAFETY: geteuid and getegid have no preconditions.
    unsafe { format!("uid={} gid={}", libc::geteuid(), libc::getegid()) }
}

#[test]
fn the_environment_is_path_lang_dr_and_the_test_variables_only() {
    let sim = Sim::new();
    sim.install("envcheck.sh", "envcheck");
    let runner = sim.runner.clone().lang(Some("C.UTF-8"));
    let trace = Operation::remove(Resource::Cpu)
        .event(EventVars::Cpu { bcpuid: 5, lcpuid: 7 })
        .detail(2)
        .run(&sim.repo, &runner)
        .unwrap();
    let check = &trace.invocations[0];
    let work = sim.dir.path().join("work");
    let state = sim.dir.path().join("state");
    assert_eq!(
        logs(check),
        [
            "args=checkrelease cpu".to_owned(),
            format!("cwd={}", work.display()),
            me(),
            "leads its process group".to_owned(),
            "DLPAR_STATE_DIR=".to_owned() + &state.display().to_string(),
            "DR_BCPUID=5".to_owned(),
            "DR_DETAIL_LEVEL=2".to_owned(),
            "DR_FORCE=FALSE".to_owned(),
            "DR_LCPUID=7".to_owned(),
            "LANG=C.UTF-8".to_owned(),
            "PATH=/usr/bin:/etc:/usr/sbin".to_owned(),
        ]
    );
}

#[test]
fn the_default_working_directory_is_tmp() {
    assert_eq!(Runner::WORKDIR, "/tmp");
    let sim = Sim::new();
    sim.install("envcheck.sh", "envcheck");
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &sim.runner.clone().workdir("/tmp")).unwrap();
    assert!(logs(&trace.invocations[0]).contains(&"cwd=/tmp".to_owned()));
}

#[test]
fn memory_completed_is_the_whole_request_after_the_kernel_step() {
    let sim = Sim::new();
    sim.install("envcheck.sh", "envcheck");
    // envcheck registers cpu; drive it through a mem event with a raw override.
    let mem = MemVars { request_mb: 512, completed_mb: 64, free_frames: 0x4000, ..MemVars::default() };
    let trace = Operation::remove(Resource::Cpu)
        .event(EventVars::Mem(mem))
        .var("DR_BCPUID", "1")
        .run(&sim.repo, &sim.runner)
        .unwrap();
    assert_eq!(trace.outcome, Outcome::Success);
    let completed =
        |i: usize| logs(&trace.invocations[i]).into_iter().find(|l| l.starts_with("DR_MEM_SIZE_COMPLETED=")).unwrap();
    assert_eq!(completed(0), "DR_MEM_SIZE_COMPLETED=64");
    assert_eq!(completed(2), "DR_MEM_SIZE_COMPLETED=512");
    assert!(logs(&trace.invocations[0]).contains(&"DR_FREE_FRAMES=0x4000".to_owned()));
    assert!(logs(&trace.invocations[0]).contains(&"DR_BCPUID=1".to_owned()));
}

#[test]
fn as_root_a_script_runs_as_its_files_owner() {
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    let sim = Sim::new();
    let source = sim.source("envcheck.sh", "envcheck");
    for dir in ["", "work", "sources"] {
        fs::set_permissions(sim.dir.path().join(dir), fs::Permissions::from_mode(0o755)).unwrap();
    }
    let expected = if euid == 0 {
        std::os::unix::fs::chown(&source, Some(65534), Some(65534)).unwrap();
        "uid=65534 gid=65534".to_owned()
    } else {
        me()
    };
    let installed = sim.repo.install(&sim.runner, &source, &InstallOptions::default()).unwrap();
    let meta = fs::metadata(sim.repo.script_path(&installed.entry)).unwrap();
    assert_eq!(meta.permissions().mode() & 0o7777, 0o755);
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &sim.runner).unwrap();
    assert!(logs(&trace.invocations[0]).contains(&expected), "{}", trace.render_snapshot());
}

#[test]
fn unless_told_otherwise_scripts_keep_phase_state_inside_the_repository() {
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    let sim = Sim::new();
    let source = sim.source("envcheck.sh", "envcheck");
    for dir in ["", "sources"] {
        fs::set_permissions(sim.dir.path().join(dir), fs::Permissions::from_mode(0o755)).unwrap();
    }
    // As root, the script runs as its file's owner, who gets a directory of its own.
    let uid = if euid == 0 {
        std::os::unix::fs::chown(&source, Some(65534), Some(65534)).unwrap();
        65534
    } else {
        euid
    };
    let runner = Runner::new().workdir("/tmp").lang(None::<&str>);
    sim.repo.install(&runner, &source, &InstallOptions::default()).unwrap();
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &runner).unwrap();
    let dir = sim.repo.root().join(".state").join(uid.to_string());
    let given = format!("DLPAR_STATE_DIR={}", dir.display());
    assert!(logs(&trace.invocations[0]).contains(&given), "{}", trace.render_snapshot());
    let meta = fs::metadata(&dir).unwrap();
    assert_eq!((meta.uid(), meta.permissions().mode() & 0o7777), (uid, 0o700));
    assert_eq!(sim.repo.scripts().unwrap().len(), 1, "`.state` is no host directory");
    // A DLPAR_STATE_DIR of the caller's still wins.
    let trace = Operation::remove(Resource::Cpu).run(&sim.repo, &sim.runner).unwrap();
    let state = sim.dir.path().join("state");
    assert!(logs(&trace.invocations[0]).contains(&format!("DLPAR_STATE_DIR={}", state.display())));
}
