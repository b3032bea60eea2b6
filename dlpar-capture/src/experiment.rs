//! Doing an experiment's steps, and recording signals while sleeping.
//!
//! During a `sleep`, every catchable signal (all but `SIGKILL`, `SIGSTOP` and the
//! ones a fault raises) gets a handler that only reads the clocks and writes a
//! fixed-size note to a pipe, which is async-signal-safe; the sleeping loop reads
//! the pipe and writes each arrival as its own record at once, so a later
//! `SIGKILL` loses nothing already seen. The signal does not end the sleep: what
//! the host does next (another signal, `SIGKILL` after its grace period) is the
//! point of the experiment. Signals the host blocked stay blocked.

use std::sync::atomic::{AtomicI32, Ordering};

use dlpar_script::wire::Reply;

use crate::output::Output;
use crate::probe::{self, signals};
use crate::record::{Record, SignalArrival, Stamp, Step};
use crate::recorder::Recorder;

/// The handler as `sigaction` takes it.
const HANDLER: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) = on_signal;

/// The pipe's write end, for the handler.
static PIPE_WRITE: AtomicI32 = AtomicI32::new(-1);

/// What the handler writes: fixed size, well under `PIPE_BUF`, so one write is atomic.
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct Note {
    number: i32,
    sender_pid: i32,
    sender_uid: u32,
    has_sender: u32,
    monotonic_ns: u64,
    wall_ns: u64,
}

const NOTE_BYTES: usize = std::mem::size_of::<Note>();

/// Does `steps` in order; returns the exit status (0 unless an `exit` step says otherwise).
pub(crate) fn run(steps: &[Step], start: Stamp, out: &mut Output, recorder: &mut Recorder) -> u8 {
    for step in steps {
        match step {
            Step::Print { line } => out.stdout(&format!("{line}\n")),
            Step::Error { message } => {
                let mut reply = Reply::new();
                reply.error(message);
                out.stdout(&String::from_utf8_lossy(reply.as_bytes()));
            }
            Step::Sleep { seconds } => sleep(*seconds, start, out, recorder),
            Step::Exit { status } => return *status,
        }
    }
    0
}

/// Whether a signal may get a recording handler: not the uncatchable ones, and not
/// those a fault raises (a handler that returns would fault again).
fn recordable(number: i32) -> bool {
    ![
        libc::SIGKILL,
        libc::SIGSTOP,
        libc::SIGSEGV,
        libc::SIGBUS,
        libc::SIGILL,
        libc::SIGFPE,
        libc::SIGTRAP,
        libc::SIGABRT,
    ]
    .contains(&number)
}

fn sleep(seconds: u32, start: Stamp, out: &mut Output, recorder: &mut Recorder) {
    let Some(read_end) = open_pipe() else {
        out.warn(&format!("cannot record signals ({}): sleeping without", std::io::Error::last_os_error()));
        plain_sleep(seconds);
        return;
    };
    for number in signals::numbers().filter(|&n| recordable(n)) {
        // SAFETY: an all-zero sigaction is valid; the handler is async-signal-safe.
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        action.sa_sigaction = HANDLER as usize;
        action.sa_flags = libc::SA_SIGINFO;
        // SAFETY: `action` is initialised; a number the system refuses just fails.
        // AIX: sigaction with SA_SIGINFO documented.
        unsafe {
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(number, &action, std::ptr::null_mut());
        }
    }
    let deadline = probe::clock(libc::CLOCK_MONOTONIC).saturating_add(u64::from(seconds) * 1_000_000_000);
    loop {
        let now = probe::clock(libc::CLOCK_MONOTONIC);
        if now >= deadline {
            break;
        }
        let wait_ms = i32::try_from((deadline - now).div_ceil(1_000_000)).unwrap_or(i32::MAX);
        let mut poll = libc::pollfd { fd: read_end, events: libc::POLLIN, revents: 0 };
        // SAFETY: one valid pollfd.
        // AIX: poll documented.
        unsafe { libc::poll(&mut poll, 1, wait_ms) };
        drain(read_end, start, recorder);
    }
    drain(read_end, start, recorder);
}

/// Sleeps without recording (the pipe could not be made).
fn plain_sleep(seconds: u32) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(u64::from(seconds));
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        std::thread::sleep(left);
    }
}

/// A pipe whose ends are close-on-exec, the write end non-blocking (a handler never
/// waits); returns the read end, non-blocking too, so draining stops when empty.
fn open_pipe() -> Option<i32> {
    let mut ends = [0; 2];
    // SAFETY: `ends` has room for two descriptors.
    // AIX: pipe, fcntl F_SETFL/F_SETFD documented.
    unsafe {
        if libc::pipe(ends.as_mut_ptr()) != 0 {
            return None;
        }
        for fd in ends {
            libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK);
            libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
        }
    }
    PIPE_WRITE.store(ends[1], Ordering::SeqCst);
    Some(ends[0])
}

/// Records every note waiting in the pipe.
fn drain(read_end: i32, start: Stamp, recorder: &mut Recorder) {
    loop {
        let mut note = Note::default();
        // SAFETY: `note` is NOTE_BYTES of plain data.
        // AIX: read documented.
        let n = unsafe { libc::read(read_end, (&raw mut note).cast(), NOTE_BYTES) };
        if n != NOTE_BYTES as isize {
            return;
        }
        let at = Stamp { monotonic_ns: note.monotonic_ns, wall_ns: note.wall_ns };
        recorder.record(Record::Signal(SignalArrival {
            at,
            since_start_ns: at.monotonic_ns.saturating_sub(start.monotonic_ns),
            signal: signals::name(note.number),
            number: note.number,
            sender_pid: (note.has_sender != 0).then_some(note.sender_pid),
            sender_uid: (note.has_sender != 0).then_some(note.sender_uid),
        }));
    }
}

/// The handler: clocks, sender, one write. Async-signal-safe (clock_gettime and
/// write are on POSIX's list); `errno` is kept, as POSIX asks of handlers, so the
/// interrupted code never sees a value the handler left.
extern "C" fn on_signal(number: libc::c_int, info: *mut libc::siginfo_t, _context: *mut libc::c_void) {
    let errno = errno_location();
    // SAFETY: the calling thread's errno is always readable.
    let saved = unsafe { *errno };
    let (sender_pid, sender_uid, has_sender) = if info.is_null() {
        (0, 0, 0)
    } else {
        // SAFETY: the kernel passes a valid siginfo with SA_SIGINFO.
        let (pid, uid) = unsafe { sender(&*info) };
        (pid, uid, 1)
    };
    let note = Note {
        number,
        sender_pid,
        sender_uid,
        has_sender,
        monotonic_ns: probe::clock(libc::CLOCK_MONOTONIC),
        wall_ns: probe::clock(libc::CLOCK_REALTIME),
    };
    // SAFETY: writing plain bytes to a pipe; a full pipe drops the note (EAGAIN).
    unsafe { libc::write(PIPE_WRITE.load(Ordering::SeqCst), (&raw const note).cast(), NOTE_BYTES) };
    // SAFETY: as above.
    unsafe { *errno = saved };
}

/// The calling thread's `errno`.
#[cfg(target_os = "linux")]
fn errno_location() -> *mut libc::c_int {
    // SAFETY: no preconditions; async-signal-safe.
    unsafe { libc::__errno_location() }
}

/// The calling thread's `errno`.
#[cfg(not(target_os = "linux"))]
fn errno_location() -> *mut libc::c_int {
    // SAFETY: no preconditions; async-signal-safe.
    // AIX: _Errno is what errno.h's errno expands to.
    unsafe { libc::_Errno() }
}

/// `si_pid` and `si_uid`.
///
/// # Safety
///
/// `info` comes from the kernel for a signal delivered with `SA_SIGINFO`.
#[cfg(target_os = "linux")]
unsafe fn sender(info: &libc::siginfo_t) -> (i32, u32) {
    // SAFETY: for signals sent by kill and by the kernel's timers the union holds
    // the sender's fields; at worst the values are meaningless, never unsafe.
    unsafe { (info.si_pid(), info.si_uid()) }
}

/// `si_pid` and `si_uid`.
///
/// # Safety
///
/// `info` comes from the kernel for a signal delivered with `SA_SIGINFO`.
#[cfg(not(target_os = "linux"))]
unsafe fn sender(info: &libc::siginfo_t) -> (i32, u32) {
    // AIX: siginfo_t has si_pid and si_uid as plain fields.
    (info.si_pid, info.si_uid)
}
