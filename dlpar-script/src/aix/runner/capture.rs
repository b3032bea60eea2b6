//! Reading a child's output on a helper thread, up to a bound.

use std::io::Read;
use std::sync::mpsc::{self, Receiver};
use std::thread;

/// What was read from one stream.
#[derive(Debug)]
pub(super) struct Captured {
    pub(super) bytes: Vec<u8>,
    /// More than the bound was written; the rest was read and dropped.
    pub(super) overflowed: bool,
}

/// Reads `stream` to its end on a new thread, keeping at most `limit` bytes. The
/// stream is always drained, so a chatty child never blocks on a full pipe.
pub(super) fn spawn(stream: Option<impl Read + Send + 'static>, limit: usize) -> Receiver<Captured> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let mut captured = Captured { bytes: Vec::new(), overflowed: false };
        if let Some(mut stream) = stream {
            let mut chunk = [0u8; 8192];
            loop {
                match stream.read(&mut chunk) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let room = limit - captured.bytes.len();
                        captured.bytes.extend_from_slice(&chunk[..n.min(room)]);
                        captured.overflowed |= n > room;
                    }
                }
            }
        }
        // The receiver may have given up (time limit); nothing to do then.
        let _ = sender.send(captured);
    });
    receiver
}
