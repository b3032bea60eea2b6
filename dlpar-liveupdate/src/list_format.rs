//! The text form of the safe list: the file `etc/liveupdate/lvup_safe_KE` and the
//! output of `-l`.

use super::{KextPath, PREVIEW_MARKER, SafeKext, SafeListError};

/// The header written at the top of the list file.
const HEADER: &str = "# Kernel extensions that are safe for AIX Live Update (lvupdateSafeKE work-alike).\n\
# One absolute path a line; a tab and \"preview\" after the path marks an entry added with -p.\n";

/// The file's content: the header, then one entry a line, in order.
pub(super) fn render(entries: &[SafeKext]) -> String {
    let mut text = String::from(HEADER);
    for entry in entries {
        text.push_str(&entry.to_string());
        text.push('\n');
    }
    text
}

/// Reads the list file's content. Blank lines and lines starting with `#` are
/// skipped; any other line must be an entry. A bad path, an unknown marker or a path
/// listed twice makes the whole list [`SafeListError::Damaged`], naming the line.
pub(super) fn parse(text: &str, origin: &str) -> Result<Vec<SafeKext>, SafeListError> {
    let mut entries: Vec<SafeKext> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let damaged = |reason: String| SafeListError::Damaged { origin: origin.to_owned(), line: index + 1, reason };
        let (path, marker) = match line.split_once('\t') {
            Some((path, marker)) => (path, Some(marker)),
            None => (line, None),
        };
        let preview_only = match marker {
            None => false,
            Some(PREVIEW_MARKER) => true,
            Some(other) => return Err(damaged(format!("unknown marker {other:?} (expected {PREVIEW_MARKER:?})"))),
        };
        let path = KextPath::new(path).map_err(|e| damaged(e.to_string()))?;
        if entries.iter().any(|e| e.path == path) {
            return Err(damaged(format!("{path} is listed twice")));
        }
        entries.push(SafeKext { path, preview_only });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kext(path: &str, preview_only: bool) -> SafeKext {
        SafeKext { path: path.parse().unwrap(), preview_only }
    }

    #[test]
    fn render_then_parse_round_trips() {
        let entries = vec![kext("/usr/lib/drivers/a", false), kext("/opt/b c/d", true)];
        let text = render(&entries);
        assert!(text.ends_with("\n/usr/lib/drivers/a\n/opt/b c/d\tpreview\n"), "{text}");
        assert_eq!(parse(&text, "f").unwrap(), entries);
        assert_eq!(parse(HEADER, "f").unwrap(), []);
    }

    #[test]
    fn damage_is_reported_with_its_line() {
        let err = |text: &str| parse(text, "lvup_safe_KE").unwrap_err().to_string();
        assert_eq!(err("/usr/a\n\n/usr/a\tpreview\n"), "lvup_safe_KE, line 3: /usr/a is listed twice");
        assert_eq!(err("/usr/a\tPreview\n"), "lvup_safe_KE, line 1: unknown marker \"Preview\" (expected \"preview\")");
        assert_eq!(
            err("# c\nusr/a\n"),
            "lvup_safe_KE, line 2: \"usr/a\" is not an absolute path: it must start with /"
        );
        assert_eq!(err("/usr/a\t\n").split(':').next(), Some("lvup_safe_KE, line 1"));
        assert_eq!(err(" /usr/a\n"), "lvup_safe_KE, line 1: \" /usr/a\" is not an absolute path: it must start with /");
    }
}
