//! The simulated Live Update log, `<root>/var/adm/ras/liveupdate/logs/lvupdlog`.

use std::fs::{DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The log directory under the system root, as on AIX.
pub const LOG_DIR: &str = "var/adm/ras/liveupdate/logs";
/// The log file in it (AIX's Live Update log, which also receives the output of
/// `lvupdateRegScript` scripts).
pub const LOG_FILE: &str = "lvupdlog";

/// Appends `lines` to the log under `root`, each prefixed with the UTC time; creates
/// the directories (0700) and the file (0600) when missing; never follows a link to
/// the file. Returns the file's path.
pub(super) fn append(root: &Path, lines: &[String]) -> io::Result<PathBuf> {
    let dir = root.join(LOG_DIR);
    DirBuilder::new().recursive(true).mode(0o700).create(&dir)?;
    let path = dir.join(LOG_FILE);
    let mut file =
        OpenOptions::new().create(true).append(true).mode(0o600).custom_flags(libc::O_NOFOLLOW).open(&path)?;
    let now = timestamp(SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()));
    let text: String = lines.iter().map(|line| format!("{now} {line}\n")).collect();
    file.write_all(text.as_bytes())?;
    Ok(path)
}

/// `YYYY-MM-DD hh:mm:ss UTC` for seconds since the epoch.
fn timestamp(secs: u64) -> String {
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_date(days);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, for days after the epoch).
fn civil_date(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(timestamp(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(timestamp(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(timestamp(1_795_353_674), "2026-11-22 13:21:14 UTC");
        assert_eq!(timestamp(4_107_542_399), "2100-02-28 23:59:59 UTC");
    }
}
