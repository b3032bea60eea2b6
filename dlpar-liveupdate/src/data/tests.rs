use super::*;

/// The layout of IBM's template, filled in.
const TEMPLATE: &str = "general:\n\tkext_check = yes\n\ndisks:\n\tnhdisk = hdisk1\n\tmhdisk = hdisk2\n\ttohdisk =\n\
    \ttshdisk =\n\nhmc:\n\tlpar_id = 3\n\tmanagement_console = hmc01\n\tuser = hscroot\n";

fn error(text: &str) -> (Option<usize>, String) {
    let err = LvupdateData::parse(text).unwrap_err();
    (err.line(), err.to_string())
}

#[test]
fn round_trips_are_byte_exact() {
    for text in [
        "",
        "\n",
        TEMPLATE,
        // Odd whitespace: spaces for tabs, none around '=', blanks after values and headers.
        "general :   \n  kext_check=no   \n\n\n   disks:\n\t\tnhdisk   =   hdisk1 , hdisk2\t\n",
        // CRLF line ends and no final line break.
        "general:\r\n\tkext_check = yes\r\n\r\nhmc:\r\n\tuser = root",
        // Comments before, between and inside stanzas; unknown stanzas and keys.
        "* lvupdate.data\n# second style\n\ngeneral:\n\t* note\n\tkext_check = yes\n\tfuture_key = 1\n\nacme:\n\tx.y-z = a=b\n",
        // Values with inner blanks and '=' kept literally.
        "hmc:\n\tuser = \"root user\"\n",
    ] {
        let data = LvupdateData::parse(text).unwrap();
        assert_eq!(data.to_string(), text, "{text:?}");
        assert_eq!(LvupdateData::parse(&data.to_string()).unwrap(), data);
    }
}

#[test]
fn values_are_trimmed_and_literal() {
    let data = LvupdateData::parse("general :   \n  kext_check=no   \nacme:\n\tx.y-z = a=b\n\tq = \"a b\"\n").unwrap();
    assert_eq!(data.stanzas().collect::<Vec<_>>(), ["general", "acme"]);
    assert_eq!(data.get("general", "kext_check"), Some("no"));
    assert_eq!(data.get("acme", "x.y-z"), Some("a=b"));
    assert_eq!(data.get("acme", "q"), Some("\"a b\""));
    assert_eq!(data.get("acme", "Q"), None, "keys are case-sensitive");
}

#[test]
fn template_values_are_typed() {
    let data = LvupdateData::parse(TEMPLATE).unwrap();
    assert_eq!(data.kext_check().unwrap(), Some(true));
    assert_eq!(data.disks(DiskRole::Surrogate), ["hdisk1"]);
    assert_eq!(data.disks(DiskRole::Mirror), ["hdisk2"]);
    assert!(data.disks(DiskRole::OriginalTemporary).is_empty());
    assert!(data.disks(DiskRole::SurrogateTemporary).is_empty());
    assert_eq!(data.lpar_id().unwrap(), Some(3));
    assert_eq!(data.management_console(), Some("hmc01"));
    assert_eq!(data.user(), Some("hscroot"));
    let empty = LvupdateData::new();
    assert_eq!((empty.kext_check().unwrap(), empty.lpar_id().unwrap(), empty.user()), (None, None, None));
}

#[test]
fn typed_errors_name_line_key_and_form() {
    let data = LvupdateData::parse("general:\n\tkext_check = y\nhmc:\n\tlpar_id = -1\n").unwrap();
    assert_eq!(
        data.kext_check().unwrap_err().to_string(),
        "line 2: general: kext_check = \"y\" is not valid: expected yes or no"
    );
    assert_eq!(
        data.lpar_id().unwrap_err().to_string(),
        "line 4: hmc: lpar_id = \"-1\" is not valid: expected a decimal partition number"
    );
    let data = LvupdateData::parse("hmc:\n\tlpar_id = 4294967296\n").unwrap();
    assert_eq!(data.lpar_id().unwrap_err().line(), Some(2));
    let data = LvupdateData::parse("general:\n\tkext_check =\n").unwrap();
    assert_eq!(data.kext_check().unwrap(), None, "an empty value means the default");
}

#[test]
fn syntax_errors_have_line_numbers() {
    assert_eq!(
        error("\tkext_check = no\n"),
        (Some(1), "line 1: \"kext_check\" is set before the first stanza header (such as `general:`)".into())
    );
    assert_eq!(
        error("general:\n\tkext_check no\n"),
        (Some(2), "line 2: expected a `name:` header, a `key = value` line, a comment or a blank line, found \"kext_check no\"".into())
    );
    assert_eq!(
        error("general:\n\t= no\n").1,
        "line 2: \"\" is not a valid stanza or key name: use letters, digits, _ . or -"
    );
    assert_eq!(error("general:\n\tkext check = no\n").0, Some(2));
    assert_eq!(error("gen eral:\n").0, Some(1));
    assert_eq!(error(":\n").0, Some(1));
    assert_eq!(error("general: x\n").0, Some(1));
    assert_eq!(error("hmc:\n\nx:\n\nhmc:\n"), (Some(5), "line 5: stanza hmc: appears again (first on line 1)".into()));
    assert_eq!(error("hmc:\n\tuser = a\r\n\tuser = b\r\n").1, "line 3: hmc: user is already set on line 2");
    // The same key in two stanzas is fine.
    assert!(LvupdateData::parse("a:\n\tk = 1\nb:\n\tk = 2\n").is_ok());
}

#[test]
fn edits_change_one_value_and_keep_everything_else() {
    let text = "* keep me\ngeneral:\r\n  kext_check   =   yes  \r\n\tother = 1\r\n\r\nhmc:\n\tuser = a\n";
    let mut data = LvupdateData::parse(text).unwrap();
    data.set_kext_check(false);
    data.set_lpar_id(9);
    data.set("general", "new_key", " spaced value ").unwrap();
    assert_eq!(
        data.to_string(),
        "* keep me\ngeneral:\r\n  kext_check   =   no  \r\n\tother = 1\r\n\tnew_key = spaced value\n\r\nhmc:\n\tuser = a\n\
         \tlpar_id = 9\n"
    );
    assert_eq!(data.remove("general", "other").as_deref(), Some("1"));
    assert_eq!(data.remove("nope", "other"), None);
    assert_eq!(data.entries("general").collect::<Vec<_>>(), [("kext_check", "no"), ("new_key", "spaced value")]);
}

#[test]
fn a_new_stanza_is_separated_by_one_blank_line_and_ends_the_file() {
    let mut data = LvupdateData::parse("general:\n\tkext_check = yes").unwrap();
    data.set_disks(DiskRole::Mirror, &["hdisk5"]).unwrap();
    assert_eq!(data.to_string(), "general:\n\tkext_check = yes\n\ndisks:\n\tmhdisk = hdisk5\n");
    let mut data = LvupdateData::parse("general:\n\tkext_check = yes\n\n").unwrap();
    data.set("hmc", "user", "u").unwrap();
    assert_eq!(data.to_string(), "general:\n\tkext_check = yes\n\nhmc:\n\tuser = u\n");
    let mut data = LvupdateData::parse("* only a comment\n").unwrap();
    data.set_kext_check(true);
    assert_eq!(data.to_string(), "* only a comment\ngeneral:\n\tkext_check = yes\n");
}

#[test]
fn read_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lvupdate.data");
    std::fs::write(&path, "general:\n\tkext_check = maybe\nbad line\n").unwrap();
    let err = LvupdateData::read(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3: expected a `name:` header, a `key = value` line, a comment or a blank line, found \"bad line\"",
            path.display()
        )
    );
    let missing = LvupdateData::read(dir.path().join("absent")).unwrap_err();
    assert!(matches!(missing.kind(), DataErrorKind::Io(e) if e.kind() == std::io::ErrorKind::NotFound), "{missing:?}");
}

#[test]
fn write_is_private_and_refuses_links() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lvupdate.data");
    let data = LvupdateData::parse(TEMPLATE).unwrap();
    data.write(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), TEMPLATE);
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    let link = dir.path().join("link.data");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    let err = data.write(&link).unwrap_err();
    assert_eq!(err.to_string(), format!("{} is a symbolic link; refusing to follow it", link.display()));
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    /// One line of a stanza file, with odd blanks and line ends.
    fn line() -> impl Strategy<Value = String> {
        let blank = "[ \t]{0,3}";
        let name = "[a-z_][a-z0-9_.-]{0,8}";
        prop_oneof![
            (blank, name, blank).prop_map(|(a, n, b)| format!("{a}{n}{b}:")),
            (blank, name, blank, blank, "[ -~]{0,12}", blank)
                .prop_map(|(a, k, b, c, v, d)| format!("{a}{k}{b}={c}{}{d}", v.trim())),
            (blank, "[*#][ -~]{0,12}").prop_map(|(a, c)| format!("{a}{c}")),
            Just(String::new()),
        ]
    }

    proptest! {
        #[test]
        fn well_formed_files_write_back_the_same_text(
            lines in prop::collection::vec(line(), 0..12),
            crlf in any::<bool>(),
            final_newline in any::<bool>(),
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("general:{end}{}", lines.join(end));
            if final_newline {
                text.push_str(end);
            }
            // Every generated line is well formed: only a repeated name can be refused.
            match LvupdateData::parse(&text) {
                Ok(data) => prop_assert_eq!(data.to_string(), text),
                Err(e) => prop_assert!(
                    matches!(e.kind(), DataErrorKind::DuplicateKey { .. } | DataErrorKind::DuplicateStanza { .. }),
                    "{}", e
                ),
            }
        }

        #[test]
        fn any_text_parses_or_names_a_line(text in "[ -~\t\n\r]{0,80}") {
            match LvupdateData::parse(&text) {
                Ok(data) => prop_assert_eq!(data.to_string(), text),
                Err(e) => prop_assert!(e.line().is_some_and(|l| l >= 1 && l <= text.split('\n').count())),
            }
        }
    }
}
