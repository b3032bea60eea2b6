//! The line model of a stanza file: every line kept as written, so that a parse
//! followed by a write gives back the same bytes, and an edit changes one value only.

use super::error::{DataError, DataErrorKind};

/// One line of a stanza body, or of the lines before the first stanza.
#[derive(Debug, Clone)]
pub(super) enum Line {
    /// A blank line or a comment, kept verbatim.
    Verbatim(String),
    /// A `key = value` line.
    Attribute(Attribute),
}

/// A `key = value` line, split so the value can be replaced in place.
#[derive(Debug, Clone)]
pub(super) struct Attribute {
    /// 1-based line in the parsed text; `None` for an attribute added since.
    pub(super) line: Option<usize>,
    /// Everything before the value: indentation, key, blanks, `=`, blanks.
    pub(super) lead: String,
    pub(super) key: String,
    pub(super) value: String,
    /// Blanks after the value (a `\r` of a CRLF file included).
    pub(super) trail: String,
}

impl Attribute {
    /// A new attribute in the usual AIX layout: a tab, `key = value`.
    pub(super) fn new(key: &str, value: &str) -> Attribute {
        Attribute {
            line: None,
            lead: format!("\t{key} = "),
            key: key.to_owned(),
            value: value.to_owned(),
            trail: String::new(),
        }
    }
}

/// A `name:` header and the lines under it, up to the next header.
#[derive(Debug, Clone)]
pub(super) struct Stanza {
    pub(super) line: Option<usize>,
    pub(super) header: String,
    pub(super) name: String,
    pub(super) body: Vec<Line>,
}

impl Stanza {
    pub(super) fn new(name: &str) -> Stanza {
        Stanza { line: None, header: format!("{name}:"), name: name.to_owned(), body: Vec::new() }
    }

    pub(super) fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.body.iter().filter_map(|line| match line {
            Line::Attribute(attribute) => Some(attribute),
            Line::Verbatim(_) => None,
        })
    }

    pub(super) fn attribute_mut(&mut self, key: &str) -> Option<&mut Attribute> {
        self.body.iter_mut().find_map(|line| match line {
            Line::Attribute(attribute) if attribute.key == key => Some(attribute),
            _ => None,
        })
    }

    /// Adds an attribute after the stanza's last attribute, so that trailing blank
    /// lines and comments stay between this stanza and the next.
    pub(super) fn push(&mut self, attribute: Attribute) {
        let after_last = self.body.iter().rposition(|line| matches!(line, Line::Attribute(_))).map_or(0, |i| i + 1);
        self.body.insert(after_last, Line::Attribute(attribute));
    }
}

/// Whether a stanza or key name is acceptable: `A-Za-z0-9_.-`, not empty.
pub(super) fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

/// The text of a line without its blanks at both ends.
fn is_comment(text: &str) -> bool {
    text.is_empty() || text.starts_with('*') || text.starts_with('#')
}

/// Parses the whole text into lines before the first stanza, the stanzas, and
/// whether the text ended with a line break.
pub(super) fn parse(text: &str) -> Result<(Vec<Line>, Vec<Stanza>, bool), DataError> {
    let final_newline = text.is_empty() || text.ends_with('\n');
    let body = text.strip_suffix('\n').unwrap_or(text);
    let mut head = Vec::new();
    let mut stanzas: Vec<Stanza> = Vec::new();
    let lines = if text.is_empty() { None } else { Some(body.split('\n')) };
    for (index, raw) in lines.into_iter().flatten().enumerate() {
        let number = index + 1;
        let error = |kind| Err(DataError::new(Some(number), kind));
        let text = raw.trim();
        let line = if is_comment(text) {
            Line::Verbatim(raw.to_owned())
        } else if let Some((key, _)) = text.split_once('=') {
            let key = key.trim_end();
            if !valid_name(key) {
                return error(DataErrorKind::BadName(key.to_owned()));
            }
            let Some(stanza) = stanzas.last() else {
                return error(DataErrorKind::AttributeOutsideStanza(key.to_owned()));
            };
            if let Some(first) = stanza.attributes().find(|a| a.key == key) {
                let (stanza, key, first) = (stanza.name.clone(), key.to_owned(), first.line.unwrap_or(0));
                return error(DataErrorKind::DuplicateKey { stanza, key, first });
            }
            Line::Attribute(split_attribute(raw, number))
        } else if let Some(name) = text.strip_suffix(':') {
            let name = name.trim_end();
            if !valid_name(name) {
                return error(DataErrorKind::BadName(name.to_owned()));
            }
            if let Some(first) = stanzas.iter().find(|s| s.name == name) {
                let (stanza, first) = (name.to_owned(), first.line.unwrap_or(0));
                return error(DataErrorKind::DuplicateStanza { stanza, first });
            }
            let (line, header) = (Some(number), raw.to_owned());
            stanzas.push(Stanza { line, header, name: name.to_owned(), body: Vec::new() });
            continue;
        } else {
            return error(DataErrorKind::UnexpectedLine(text.to_owned()));
        };
        match stanzas.last_mut() {
            Some(stanza) => stanza.body.push(line),
            None => head.push(line),
        }
    }
    Ok((head, stanzas, final_newline))
}

/// Splits a line known to hold `key = value` into its parts.
fn split_attribute(raw: &str, line: usize) -> Attribute {
    let eq = raw.find('=').expect("an attribute line has '='");
    let after_eq = &raw[eq + 1..];
    let value_start = eq + 1 + (after_eq.len() - after_eq.trim_start().len());
    let value_end = raw.trim_end().len().max(value_start);
    Attribute {
        line: Some(line),
        lead: raw[..value_start].to_owned(),
        key: raw[..eq].trim().to_owned(),
        value: raw[value_start..value_end].to_owned(),
        trail: raw[value_end..].to_owned(),
    }
}

/// Writes lines back exactly as [`parse`] split them.
pub(super) fn render(head: &[Line], stanzas: &[Stanza], final_newline: bool) -> String {
    let mut lines: Vec<String> = Vec::new();
    let emit = |lines: &mut Vec<String>, line: &Line| {
        lines.push(match line {
            Line::Verbatim(text) => text.clone(),
            Line::Attribute(a) => format!("{}{}{}", a.lead, a.value, a.trail),
        })
    };
    head.iter().for_each(|line| emit(&mut lines, line));
    for stanza in stanzas {
        lines.push(stanza.header.clone());
        stanza.body.iter().for_each(|line| emit(&mut lines, line));
    }
    let mut text = lines.join("\n");
    if final_newline && !lines.is_empty() {
        text.push('\n');
    }
    text
}
