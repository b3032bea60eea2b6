//! Startup of a built DLPAR script, side by side with `/bin/true` and the equivalent
//! POSIX shell script, measured in one interleaved run.
//!
//! The script is measured twice: as cargo built it (dynamically linked against
//! libc and `libgcc_s`), and statically linked (`-C target-feature=+crt-static`,
//! the build Linux on Power deployments can use as powerpc-utils hooks). The bench
//! builds the static one itself, with the same release profile, into its own
//! target directory (`target/startup-static`), so the first run takes a minute
//! longer; `STATIC=0` skips it.
//!
//! Run: `cargo bench -p acme_cpuguard --bench startup` (optionally `ITERATIONS=1000`).
//! Each invocation is spawned the way drmgr does it (clean environment, cwd /tmp,
//! stdout read through a pipe) and timed from spawn to exit.
//!
//! Peak resident memory is read separately, untimed: the child is traced and
//! stopped just before it exits, and its `VmHWM` read from `/proc`. (The
//! `ru_maxrss` that `wait4` reports is useless here: the exec'ing process's own
//! size is counted, so every program shows the benchmark's footprint.)
#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SHELL_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/acme_cpuguard.sh");
const SCRIPT: &str = env!("CARGO_BIN_EXE_acme_cpuguard");

struct Candidate {
    label: &'static str,
    program: String,
    args: &'static [&'static str],
    times: Vec<Duration>,
}

impl Candidate {
    fn new(label: &'static str, program: impl Into<String>, args: &'static [&'static str]) -> Candidate {
        Candidate { label, program: program.into(), args, times: Vec::new() }
    }

    /// The command as drmgr starts it: only PATH and the event's variables, cwd /tmp.
    fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(self.args).env_clear().env("PATH", "/usr/bin:/etc:/usr/sbin").env("DR_BCPUID", "5");
        command.current_dir("/tmp");
        command
    }

    fn run_once(&mut self) {
        let started = Instant::now();
        let mut child = self
            .command()
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.program));
        let mut reply = Vec::new();
        child.stdout.take().expect("piped").read_to_end(&mut reply).expect("read reply");
        let status = child.wait().expect("wait");
        self.times.push(started.elapsed());
        assert!(status.success(), "{} {:?} failed: {status:?}", self.program, self.args);
    }

    fn median(&self) -> Duration {
        let mut sorted = self.times.clone();
        sorted.sort();
        sorted[sorted.len() / 2]
    }
}

/// Peak resident set size of one run, in KiB: `VmHWM` read while the traced child
/// is stopped at its exit. `None` where the kernel does not allow tracing.
#[cfg(target_os = "linux")]
fn peak_rss_kib(mut command: Command) -> Option<u64> {
    use std::os::unix::process::CommandExt;

    // SAFETY: the closure only calls ptrace(2), which is async-signal-safe.
    unsafe {
        command.pre_exec(|| match libc::ptrace(libc::PTRACE_TRACEME, 0, std::ptr::null_mut::<libc::c_void>(), 0) {
            -1 => Err(std::io::Error::last_os_error()),
            _ => Ok(()),
        });
    }
    let child = command.stdout(Stdio::null()).spawn().ok()?;
    let pid = child.id() as libc::pid_t;
    let mut peak = None;
    let mut status = 0;
    let mut first_stop = true;
    // SAFETY: plain waitpid/ptrace calls on our own traced child.
    unsafe {
        while libc::waitpid(pid, &mut status, 0) == pid && libc::WIFSTOPPED(status) {
            if first_stop {
                // Stopped at exec: ask to be stopped again at exit.
                libc::ptrace(libc::PTRACE_SETOPTIONS, pid, 0, libc::PTRACE_O_TRACEEXIT);
                first_stop = false;
            } else if status >> 8 == (libc::SIGTRAP | (libc::PTRACE_EVENT_EXIT << 8)) {
                peak = vm_hwm(pid);
            }
            let signal = match libc::WSTOPSIG(status) {
                libc::SIGTRAP => 0,
                other => other,
            };
            libc::ptrace(libc::PTRACE_CONT, pid, 0, signal);
        }
    }
    peak
}

#[cfg(target_os = "linux")]
fn vm_hwm(pid: libc::pid_t) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(not(target_os = "linux"))]
fn peak_rss_kib(_: Command) -> Option<u64> {
    None
}

/// Builds acme_cpuguard statically linked (release profile, the host as an explicit
/// `--target` so that `crt-static` reaches only the script, not the proc-macros)
/// and returns the binary's path.
fn build_static() -> String {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest.parent().and_then(Path::parent).expect("examples/<name> sits in the workspace");
    let target_dir = workspace.join("target").join("startup-static");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let host = Command::new("rustc").arg("-vV").output().ok().and_then(|out| {
        String::from_utf8_lossy(&out.stdout).lines().find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
    });
    let host = host.expect("rustc -vV names the host");
    let status = Command::new(cargo)
        .args(["build", "--release", "--locked", "-p", "acme_cpuguard", "--target", &host, "--target-dir"])
        .arg(&target_dir)
        .env("RUSTFLAGS", "-C target-feature=+crt-static")
        .current_dir(workspace)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the static build failed");
    target_dir.join(host).join("release").join("acme_cpuguard").display().to_string()
}

fn main() {
    let iterations: usize = std::env::var("ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(400);
    let static_script = (std::env::var("STATIC").as_deref() != Ok("0")).then(build_static);
    let mut candidates = vec![
        Candidate::new("/bin/true", "/bin/true", &[]),
        Candidate::new("shell scriptinfo", SHELL_SCRIPT, &["scriptinfo"]),
        Candidate::new("shell checkrelease cpu", SHELL_SCRIPT, &["checkrelease", "cpu"]),
        Candidate::new("rust scriptinfo", SCRIPT, &["scriptinfo"]),
        Candidate::new("rust checkrelease cpu", SCRIPT, &["checkrelease", "cpu"]),
    ];
    if let Some(path) = &static_script {
        candidates.push(Candidate::new("rust static scriptinfo", path.as_str(), &["scriptinfo"]));
        candidates.push(Candidate::new("rust static checkrelease cpu", path.as_str(), &["checkrelease", "cpu"]));
    }
    for candidate in &mut candidates {
        candidate.run_once(); // warm the page cache
        candidate.times.clear();
    }
    for i in 0..iterations {
        // Rotate the order so no candidate always runs right after another.
        let n = candidates.len();
        for k in 0..n {
            candidates[(i + k) % n].run_once();
        }
    }
    let baseline = candidates[0].median().as_secs_f64();
    let shell = |label: &str| {
        candidates.iter().find(|c| c.label == label).map(|c| c.median().as_secs_f64()).unwrap_or(f64::NAN)
    };
    println!("startup, {iterations} interleaved runs each (median wall time from spawn to exit)");
    println!("{:<30} {:>10} {:>10} {:>10} {:>12}", "command", "median", "vs true", "vs shell", "peak RSS");
    for c in &candidates {
        let median = c.median().as_secs_f64();
        let versus_shell = match c.label.strip_prefix("rust ").map(|r| r.strip_prefix("static ").unwrap_or(r)) {
            Some(rest) => format!("{:.2}x", median / shell(&format!("shell {rest}"))),
            None => "-".to_owned(),
        };
        let rss = peak_rss_kib(c.command()).map_or_else(|| "n/a".to_owned(), |kib| format!("{kib} KiB"));
        println!(
            "{:<30} {:>8.0}us {:>9.2}x {:>10} {:>12}",
            c.label,
            median * 1e6,
            median / baseline,
            versus_shell,
            rss
        );
    }
    let size = |path: &str| std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) / 1024;
    println!(
        "binary size of {SCRIPT}: {} KiB (profile as built; `cargo bench` uses the release settings)",
        size(SCRIPT)
    );
    if let Some(path) = &static_script {
        println!("binary size of {path} (static): {} KiB", size(path));
    }
}
