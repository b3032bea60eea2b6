//! `lvupdate-safe-ke`, run as a real process: every flag combination and misuse.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use dlpar_script::testing::exit_line;

/// A scratch system root and the binary run against it.
pub(crate) struct Sim {
    pub(crate) root: tempfile::TempDir,
}

impl Sim {
    pub(crate) fn new() -> Sim {
        Sim { root: tempfile::tempdir().unwrap() }
    }

    pub(crate) fn list_file(&self) -> PathBuf {
        self.root.path().join("etc/liveupdate/lvup_safe_KE")
    }

    /// Runs the binary with `--root` and `args`.
    pub(crate) fn run(&self, args: &[&str]) -> String {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lvupdate-safe-ke"));
        command.arg("--root").arg(self.root.path()).args(args);
        render(&mut command, self.root.path())
    }
}

/// Runs a command; shows its exit status, stdout and stderr, with `root` replaced by
/// `<root>` so that snapshots do not depend on the temporary directory.
pub(crate) fn render(command: &mut Command, root: &Path) -> String {
    let output = command.output().unwrap();
    let mut text = format!("{}\n", exit_line(output.status));
    for (name, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        if !bytes.is_empty() {
            write!(text, "--- {name}\n{}", String::from_utf8_lossy(bytes)).unwrap();
        }
    }
    text.replace(root.to_str().unwrap(), "<root>")
}

/// Runs the binary without `--root` handling (for misuse cases).
fn bare(args: &[&str]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lvupdate-safe-ke"));
    render(command.args(args), Path::new("/nonexistent-root-placeholder"))
}

#[test]
fn misuse_is_a_numbered_usage_error_with_exit_1() {
    let _serial = crate::serial();
    let cases: &[&[&str]] = &[
        &[],
        &["-p"],
        &["-l", "-p"],
        &["-r", "/usr/lib/drivers/x", "-p"],
        &["-a", "/usr/lib/drivers/x", "-l"],
        &["-a", "/usr/lib/drivers/x", "-r", "/usr/lib/drivers/y"],
        &["-r", "/usr/lib/drivers/y", "-l"],
        &["-la", "/usr/lib/drivers/x", "-r", "/usr/lib/drivers/y"],
        &["-a"],
        &["-r"],
        &["-p", "-a"],
        &["-l", "-l"],
        &["-ll"],
        &["-a", "/usr/a", "-a", "/usr/b"],
        &["-r", "/usr/a", "-r", "/usr/b"],
        &["-p", "-a", "/usr/a", "-p"],
        &["-x"],
        &["-lx"],
        &["-L"],
        &["-l", "extra"],
        &["/usr/lib/drivers/x"],
        &["-"],
        &["--", "-l"],
        &["-l", "--", "extra"],
        &["--list"],
        &["--root"],
        &["--root", "", "-l"],
        &["--root=", "-l"],
        &["--root", "/a", "--root", "/b", "-l"],
    ];
    let mut transcript = String::new();
    for args in cases {
        let answer = bare(args);
        assert!(answer.starts_with("exit: 1\n--- stderr\nlvupdate-safe-ke: DLS-101: "), "{args:?}: {answer}");
        assert!(answer.ends_with("Usage: lvupdate-safe-ke [--root DIR] [ -a kext_path [-p] | -r kext_path | -l ]\n"));
        let message = answer.lines().nth(2).unwrap();
        writeln!(transcript, "{args:?} => {message}").unwrap();
    }
    insta::assert_snapshot!(transcript);
}

#[test]
fn help_prints_the_usage_on_stdout() {
    let _serial = crate::serial();
    insta::assert_snapshot!(bare(&["--help"]), @r"
    exit: 0
    --- stdout
    Usage: lvupdate-safe-ke [--root DIR] [ -a kext_path [-p] | -r kext_path | -l ]
    ");
}

#[test]
fn add_list_remove_in_every_spelling() {
    let _serial = crate::serial();
    let sim = Sim::new();
    assert_eq!(sim.run(&["-l"]), "exit: 0\n", "an empty list prints nothing");
    for args in [
        &["-a", "/usr/lib/drivers/plain"][..],
        &["-a", "/usr/lib/drivers/preview", "-p"],
        &["-p", "-a", "/opt/acme/flag_first"],
        &["-pa", "/opt/acme/grouped"],
        &["-a/tmp/attached"],
        &["-pa/tmp/grouped_attached"],
        &["-a", "/usr/lib/drivers/with space"],
    ] {
        assert_eq!(sim.run(args), "exit: 0\n", "{args:?}");
    }
    // `--root=DIR` is the same as `--root DIR`.
    let mut command = Command::new(env!("CARGO_BIN_EXE_lvupdate-safe-ke"));
    let root = format!("--root={}", sim.root.path().display());
    assert_eq!(render(command.args([root.as_str(), "-a", "/var/lib/kext"]), sim.root.path()), "exit: 0\n");
    insta::assert_snapshot!(sim.run(&["-l"]), @r"
    exit: 0
    --- stdout
    /usr/lib/drivers/plain
    /usr/lib/drivers/preview	preview
    /opt/acme/flag_first	preview
    /opt/acme/grouped	preview
    /tmp/attached
    /tmp/grouped_attached	preview
    /usr/lib/drivers/with space
    /var/lib/kext
    ");
    assert_eq!(sim.run(&["-r", "/opt/acme/grouped"]), "exit: 0\n");
    assert_eq!(sim.run(&["-r/tmp/attached"]), "exit: 0\n");
    insta::assert_snapshot!(sim.run(&["-l"]), @r"
    exit: 0
    --- stdout
    /usr/lib/drivers/plain
    /usr/lib/drivers/preview	preview
    /opt/acme/flag_first	preview
    /tmp/grouped_attached	preview
    /usr/lib/drivers/with space
    /var/lib/kext
    ");
}

#[test]
fn duplicates_marks_and_absent_entries() {
    let _serial = crate::serial();
    let sim = Sim::new();
    assert_eq!(sim.run(&["-a", "/usr/lib/drivers/x"]), "exit: 0\n");
    let before = std::fs::read(sim.list_file()).unwrap();
    insta::assert_snapshot!(sim.run(&["-a", "/usr/lib/drivers/x"]), @r"
    exit: 0
    --- stderr
    lvupdate-safe-ke: DLS-301: /usr/lib/drivers/x is already in the list of safe kernel extensions; nothing changed
    ");
    assert_eq!(std::fs::read(sim.list_file()).unwrap(), before, "a duplicate add writes nothing");
    insta::assert_snapshot!(sim.run(&["-a", "/usr/lib/drivers/x", "-p"]), @r"
    exit: 0
    --- stderr
    lvupdate-safe-ke: DLS-302: /usr/lib/drivers/x is now safe for the preview check only (-p)
    ");
    insta::assert_snapshot!(sim.run(&["-a", "/usr/lib/drivers/x"]), @r"
    exit: 0
    --- stderr
    lvupdate-safe-ke: DLS-302: /usr/lib/drivers/x is now safe for Live Update, not only its preview
    ");
    insta::assert_snapshot!(sim.run(&["-r", "/usr/lib/drivers/absent"]), @r"
    exit: 1
    --- stderr
    lvupdate-safe-ke: DLS-303: /usr/lib/drivers/absent is not in the list of safe kernel extensions
    ");
    assert_eq!(sim.run(&["-r", "/usr/lib/drivers/x"]), "exit: 0\n");
    insta::assert_snapshot!(sim.run(&["-r", "/usr/lib/drivers/x"]), @r"
    exit: 1
    --- stderr
    lvupdate-safe-ke: DLS-303: /usr/lib/drivers/x is not in the list of safe kernel extensions
    ");
    assert_eq!(sim.run(&["-l"]), "exit: 0\n");
}

#[test]
fn path_rules_at_the_command_line() {
    let _serial = crate::serial();
    let sim = Sim::new();
    let exact = format!("/usr/{}/{}/{}/{}", "a".repeat(254), "b".repeat(254), "c".repeat(254), "d".repeat(254));
    assert_eq!(exact.len(), 1024);
    let over = format!("{exact}e");
    let mut transcript = String::new();
    for path in [
        over.as_str(),
        "usr/lib/drivers/x",
        "",
        "/usr/lib/../lib/drivers/x",
        "/usr/lib/./drivers/x",
        "/usr//lib/drivers/x",
        "/usr/lib/drivers/",
        "/usr",
        "/home/joe/kext",
        "/admin/kext",
        "/proc/kext",
        "/var/adm/ras/livedump/kext",
        "/usr/lib/drivers/tab\there",
        "-p",
        "p",
    ] {
        for flag in ["-a", "-r"] {
            let answer = sim.run(&[flag, path]);
            assert!(answer.starts_with("exit: 1\n--- stderr\nlvupdate-safe-ke: DLS-201: "), "{path}: {answer}");
            if flag == "-a" {
                transcript.push_str(&answer.replace(&over, "/usr/aaa…(1025 bytes)"));
            }
        }
    }
    // `-ap` is `-a` with the attached argument "p" (getopt), not `-a -p`.
    assert_eq!(sim.run(&["-ap"]), sim.run(&["-a", "p"]));
    insta::assert_snapshot!(transcript);
    assert!(!sim.list_file().exists(), "refused paths create nothing");
    assert_eq!(sim.run(&["-a", &exact]), "exit: 0\n");
    assert_eq!(sim.run(&["-r", &exact]), "exit: 0\n");

    insta::assert_snapshot!(sim.run(&["-a", "/export/kext/acme.ext"]), @r#"
    exit: 0
    --- stderr
    lvupdate-safe-ke: DLS-202: warning: "/export/kext/acme.ext": /export is not a standard directory of /, /var, /usr, /opt or /tmp; make sure it is not a separate file system (df /export)
    "#);
    assert_eq!(sim.run(&["-l"]), "exit: 0\n--- stdout\n/export/kext/acme.ext\n");
}

#[test]
fn a_path_that_is_not_utf8_is_refused() {
    let _serial = crate::serial();
    use std::os::unix::ffi::OsStrExt;
    let sim = Sim::new();
    let mut command = Command::new(env!("CARGO_BIN_EXE_lvupdate-safe-ke"));
    command.arg("--root").arg(sim.root.path()).arg("-a").arg(std::ffi::OsStr::from_bytes(b"/usr/lib/\xffkext"));
    insta::assert_snapshot!(render(&mut command, sim.root.path()), @r#"
    exit: 1
    --- stderr
    lvupdate-safe-ke: DLS-201: "/usr/lib/�kext" is not valid UTF-8 from byte 9
    "#);
}

#[test]
fn io_errors_exit_2_and_lose_nothing() {
    let _serial = crate::serial();
    let sim = Sim::new();
    sim.run(&["-a", "/usr/lib/drivers/x"]);
    let damaged = "/usr/lib/drivers/x\n/usr/lib/drivers/y\tunknown\n";
    std::fs::write(sim.list_file(), damaged).unwrap();
    for args in [&["-l"][..], &["-a", "/usr/lib/drivers/z"], &["-r", "/usr/lib/drivers/x"]] {
        insta::allow_duplicates! {
            insta::assert_snapshot!(sim.run(args), @r#"
        exit: 2
        --- stderr
        lvupdate-safe-ke: DLS-402: <root>/etc/liveupdate/lvup_safe_KE, line 2: unknown marker "unknown" (expected "preview")
        "#);
        }
    }
    assert_eq!(std::fs::read_to_string(sim.list_file()).unwrap(), damaged);

    // A root whose etc is a file, not a directory.
    let blocked = Sim::new();
    std::fs::write(blocked.root.path().join("etc"), "").unwrap();
    insta::assert_snapshot!(blocked.run(&["-a", "/usr/lib/drivers/x"]), @"
    exit: 2
    --- stderr
    lvupdate-safe-ke: DLS-401: <root>/etc is not a directory
    ");
}

#[test]
fn a_linked_list_file_is_refused() {
    let _serial = crate::serial();
    let sim = Sim::new();
    sim.run(&["-a", "/usr/lib/drivers/x"]);
    let target = sim.root.path().join("target");
    std::fs::rename(sim.list_file(), &target).unwrap();
    std::os::unix::fs::symlink(&target, sim.list_file()).unwrap();
    insta::assert_snapshot!(sim.run(&["-a", "/usr/lib/drivers/y"]), @"
    exit: 2
    --- stderr
    lvupdate-safe-ke: DLS-401: <root>/etc/liveupdate/lvup_safe_KE is a symbolic link; refusing to follow it
    ");
    assert!(!std::fs::read_to_string(&target).unwrap().contains("/y"));
}

#[test]
fn concurrent_processes_lose_no_entry() {
    let _serial = crate::serial();
    let sim = Sim::new();
    let children: Vec<_> = (0..8)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_lvupdate-safe-ke"))
                .arg("--root")
                .arg(sim.root.path())
                .args(["-a", &format!("/usr/lib/drivers/k{i}")])
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let listed = sim.run(&["-l"]);
    assert_eq!(listed.lines().filter(|l| l.starts_with("/usr/lib/drivers/k")).count(), 8, "{listed}");
}

#[test]
#[cfg(target_os = "linux")]
fn a_list_that_cannot_be_written_is_an_io_error() {
    let _serial = crate::serial();
    let sim = Sim::new();
    assert_eq!(sim.run(&["-a", "/usr/lib/drivers/x"]), "exit: 0\n");
    let mut command = Command::new(env!("CARGO_BIN_EXE_lvupdate-safe-ke"));
    command.arg("--root").arg(sim.root.path()).arg("-l").stdout(std::fs::File::create("/dev/full").unwrap());
    insta::assert_snapshot!(render(&mut command, sim.root.path()), @"
    exit: 2
    --- stderr
    lvupdate-safe-ke: DLS-401: could not write the list: No space left on device (os error 28)
    ");
}
