use std::borrow::Cow;

/// The longest value written, in bytes (the classic syslog message size).
pub const MAX_VALUE_BYTES: usize = 1024;

const ELLIPSIS: &str = "...";

/// Makes `text` safe to be one quoted value on one line (see the [module rules](super)).
///
/// ```
/// use dlpar_script::wire::neutralise;
///
/// assert_eq!(neutralise("a\r\nb\tc\u{7}"), "a b c?");
/// assert_eq!(neutralise("say \"hi\""), "say 'hi'");
/// let long = "é".repeat(600);
/// let cut = neutralise(&long);
/// assert!(cut.len() <= 1024 && cut.ends_with("..."));
/// ```
pub fn neutralise(text: &str) -> Cow<'_, str> {
    let clean = text.len() <= MAX_VALUE_BYTES && !text.chars().any(needs_change);
    if clean {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(MAX_VALUE_BYTES));
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let replacement = match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                ' '
            }
            '\n' | '\t' => ' ',
            '"' => '\'',
            c if is_control(c) => '?',
            c => c,
        };
        if out.len() + replacement.len_utf8() > MAX_VALUE_BYTES {
            while out.len() + ELLIPSIS.len() > MAX_VALUE_BYTES {
                out.pop();
            }
            out.push_str(ELLIPSIS);
            break;
        }
        out.push(replacement);
    }
    Cow::Owned(out)
}

fn needs_change(c: char) -> bool {
    c == '"' || is_control(c)
}

fn is_control(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(neutralise("CPU 0 runs the licence daemon"), Cow::Borrowed(_)));
    }

    #[test]
    fn exactly_at_the_limit_is_kept_whole() {
        let text = "x".repeat(MAX_VALUE_BYTES);
        assert_eq!(neutralise(&text), text);
        let over = "x".repeat(MAX_VALUE_BYTES + 1);
        let cut = neutralise(&over);
        assert_eq!(cut.len(), MAX_VALUE_BYTES);
        assert!(cut.ends_with("x..."));
    }

    #[test]
    fn separators_and_c1_controls_are_replaced() {
        assert_eq!(neutralise("a\u{2028}b\u{85}c\u{7f}"), "a?b?c?");
        assert_eq!(neutralise("a\rb\n\nc"), "a b  c");
    }
}
