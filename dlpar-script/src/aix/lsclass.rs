//! Workload Manager classes and their resource sets, from `lsclass -C -r`.
//!
//! The format (IBM AIX `lsclass` page, `-C` flag): colon-separated records, the
//! first line being the field names prefixed with `#`
//! (`#name:description:tier:inheritance:authuser:authgroup:adminuser:admingroup:rset:…`),
//! then one record per class. The page wraps its example over several lines for
//! display; the command prints one line per record. `-r` adds the subclasses, named
//! `Super.Sub`. An empty `rset` means the class may use every processor.

use super::parse::numbered;
use super::{LogicalCpu, ParseError, Rset};

const COMMAND: &str = "lsclass -C -r";

/// A Workload Manager class.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WlmClass {
    /// `Super` or `Super.Sub`.
    pub name: String,
    /// The resource set the class is confined to, if any.
    pub rset: Option<String>,
    /// Every field of the record, by the header's names, as printed.
    pub fields: Vec<(String, String)>,
}

impl WlmClass {
    /// A field of the record by its header name.
    ///
    /// ```
    /// use dlpar_script::aix::parse_lsclass;
    ///
    /// let classes = parse_lsclass("#name:tier:rset\ndb:1:acme/db\nweb:0:\n").unwrap();
    /// assert_eq!(classes[0].field("tier"), Some("1"));
    /// assert_eq!(classes[0].rset.as_deref(), Some("acme/db"));
    /// assert_eq!(classes[1].rset, None);
    /// ```
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Reads the output of `lsclass -C -r`.
pub fn parse_lsclass(output: &str) -> Result<Vec<WlmClass>, ParseError> {
    let mut lines = numbered(output).filter(|(_, line)| !line.trim().is_empty());
    let header = lines.next().ok_or_else(|| ParseError::whole(COMMAND, "no output, expected a #name:… header"))?;
    let names: Vec<&str> = header
        .1
        .strip_prefix('#')
        .ok_or_else(|| ParseError::at(COMMAND, header, "expected a header starting with #"))?
        .split(':')
        .collect();
    let position = |field: &str| {
        names
            .iter()
            .position(|n| *n == field)
            .ok_or_else(|| ParseError::at(COMMAND, header, format!("the header has no {field:?} field")))
    };
    let (name_at, rset_at) = (position("name")?, position("rset")?);
    lines
        .map(|line| {
            let values: Vec<&str> = line.1.split(':').collect();
            if values.len() != names.len() {
                let problem = format!("{} fields where the header names {}", values.len(), names.len());
                return Err(ParseError::at(COMMAND, line, problem));
            }
            if values[name_at].is_empty() {
                return Err(ParseError::at(COMMAND, line, "the class name is empty"));
            }
            Ok(WlmClass {
                name: values[name_at].to_owned(),
                rset: Some(values[rset_at]).filter(|r| !r.is_empty() && *r != "-").map(str::to_owned),
                fields: names.iter().zip(&values).map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect(),
            })
        })
        .collect()
}

/// The classes whose resource set holds `cpu` and no other processor: removing that
/// processor would leave them none, which makes a processor removal fail (the first
/// check of AIX's `cpupstat`). The sets' processors are all those listed, online or
/// not.
///
/// ```
/// use dlpar_script::aix::{classes_confined_to, parse_lsclass, parse_lsrset, LogicalCpu};
///
/// let classes = parse_lsclass("#name:rset\ndb:acme/one\nweb:\n").unwrap();
/// let rsets = parse_lsrset("T Name Owner Group Mode CPU Memory Resources\n\
///     r acme/one root system rwr-r- 1 0 acme/one\nCPU: 3\nMEM: <empty>\n").unwrap();
/// let confined = classes_confined_to(&classes, &rsets, LogicalCpu(3));
/// assert_eq!(confined.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["db"]);
/// assert!(classes_confined_to(&classes, &rsets, LogicalCpu(2)).is_empty());
/// ```
pub fn classes_confined_to<'c>(classes: &'c [WlmClass], rsets: &[Rset], cpu: LogicalCpu) -> Vec<&'c WlmClass> {
    classes
        .iter()
        .filter(|class| {
            let rset = class.rset.as_deref().and_then(|name| rsets.iter().find(|r| r.name == name));
            rset.is_some_and(|r| r.cpus == [cpu])
        })
        .collect()
}

/// Which Workload Manager definitions a query or change addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WlmScope {
    /// The current configuration's property files (`/etc/wlm/current`): a change
    /// lasts, and applies to the running classes once WLM is updated
    /// (`wlmcntrl -u`).
    #[default]
    Configuration,
    /// The classes in the kernel right now (`-d ""`): a change applies at once and is
    /// lost when WLM restarts. What a DLPAR script usually needs.
    InCore,
}

impl WlmScope {
    /// The `-d` flag for this scope, if any.
    pub(crate) fn args(self) -> &'static [&'static str] {
        match self {
            WlmScope::Configuration => &[],
            WlmScope::InCore => &["-d", ""],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aix::parse::fixture;

    fn parse(text: &str) -> Result<Vec<WlmClass>, ParseError> {
        parse_lsclass(&fixture(text))
    }

    #[test]
    fn normal() {
        let classes = parse(include_str!("fixtures/lsclass_normal.txt")).unwrap();
        let summary: Vec<_> = classes.iter().map(|c| (c.name.as_str(), c.rset.as_deref())).collect();
        assert_eq!(
            summary,
            [
                ("System", None),
                ("Default", None),
                ("Shared", None),
                ("acme_db", Some("acme/db")),
                ("acme_db.Default", None),
                ("acme_db.batch", Some("acme/web")),
                ("web", Some("sys/sys0")),
            ]
        );
        assert_eq!(classes[3].fields.len(), 41);
        assert_eq!((classes[3].field("description"), classes[3].field("tier")), (Some("Acme database"), Some("1")));
        assert_eq!(classes[3].field("delshm"), Some("no"));
    }

    #[test]
    fn empty() {
        assert_eq!(parse(include_str!("fixtures/lsclass_empty.txt")).unwrap(), []);
        assert_eq!(
            parse_lsclass("\n").unwrap_err().to_string(),
            "unexpected output from lsclass -C -r: no output, expected a #name:… header"
        );
    }

    #[test]
    fn odd_spacing() {
        let classes = parse(include_str!("fixtures/lsclass_odd_spacing.txt")).unwrap();
        assert_eq!(classes.len(), 1);
        assert_eq!(classes[0].field("description"), Some("  Acme   database  "));
    }

    #[test]
    fn unexpected_columns() {
        let err = parse(include_str!("fixtures/lsclass_unexpected_columns.txt")).unwrap_err();
        assert_eq!((err.line, err.problem.as_str()), (1, "the header has no \"rset\" field"));
        let err = parse_lsclass("name:rset\ndb:x\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unexpected output from lsclass -C -r, line 1 \"name:rset\": expected a header starting with #"
        );
    }

    #[test]
    fn truncated() {
        let err = parse(include_str!("fixtures/lsclass_truncated.txt")).unwrap_err();
        assert_eq!((err.line, err.problem.as_str()), (3, "17 fields where the header names 41"));
        assert!(err.quoted.starts_with("acme_db:Acme database:1:no:"));
    }

    #[test]
    fn an_empty_class_name_is_refused() {
        assert_eq!(parse_lsclass("#name:rset\n:acme/db\n").unwrap_err().problem, "the class name is empty");
    }
}
