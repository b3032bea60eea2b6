//! Reading the files an operator points drmgr-sim at (the repository's information
//! file, `lvupdate.data`): regular files only, no larger than a limit, so that
//! `/dev/zero` or a FIFO is a clear error at once rather than a hang or an
//! unbounded read.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Reads the text file `path`, of at most `limit` bytes.
///
/// The file is opened with `O_NONBLOCK`, so that opening a FIFO cannot wait for a
/// writer, then checked on the open descriptor: anything but a regular file is
/// [`io::ErrorKind::InvalidInput`] naming what it is; a file over `limit` bytes
/// (or one that grows past it while read) is [`io::ErrorKind::FileTooLarge`];
/// text that is not UTF-8 is [`io::ErrorKind::InvalidData`]. A missing file is
/// the system's [`io::ErrorKind::NotFound`], for callers to which that means
/// "nothing yet".
pub(crate) fn read_operator_file(path: &Path, limit: u64) -> io::Result<String> {
    let file = OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
    let file_type = file.metadata()?.file_type();
    if !file_type.is_file() {
        let what = if file_type.is_dir() {
            "a directory"
        } else if file_type.is_fifo() {
            "a FIFO"
        } else if file_type.is_char_device() {
            "a character device"
        } else if file_type.is_block_device() {
            "a block device"
        } else if file_type.is_socket() {
            "a socket"
        } else {
            "a special file"
        };
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("not a regular file ({what})")));
    }
    let mut bytes = Vec::new();
    File::take(file, limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(io::ErrorKind::FileTooLarge, format!("larger than the {limit}-byte limit")));
    }
    String::from_utf8(bytes).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not valid UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "12345").unwrap();
        assert_eq!(read_operator_file(&path, 5).unwrap(), "12345");
        let err = read_operator_file(&path, 4).unwrap_err();
        assert_eq!((err.kind(), err.to_string()), (io::ErrorKind::FileTooLarge, "larger than the 4-byte limit".into()));
        let err = read_operator_file(Path::new("/dev/zero"), 4).unwrap_err();
        assert_eq!(err.to_string(), "not a regular file (a character device)");
        assert_eq!(read_operator_file(dir.path(), 4).unwrap_err().to_string(), "not a regular file (a directory)");
        std::fs::write(&path, b"\xff").unwrap();
        assert_eq!(read_operator_file(&path, 4).unwrap_err().to_string(), "not valid UTF-8 text");
        let missing = read_operator_file(&dir.path().join("absent"), 4).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    }
}
