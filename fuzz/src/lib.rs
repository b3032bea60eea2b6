//! The properties behind the fuzz targets of dlpar-script, one function a target.
//!
//! Each function takes the fuzzer's bytes, drives one parser or encoder with them,
//! and panics when a property does not hold. `fuzz_targets/*.rs` (nightly,
//! `cargo fuzz run --features libfuzzer TARGET`) call them with generated input;
//! `tests/corpus.rs` (stable, `cargo test`) calls them with every file of
//! `corpus/TARGET/`, so the properties are checked on every commit.

use std::borrow::Cow;

use dlpar_script::ScriptInfo;
use dlpar_script::aix::{ParseError, parse_available_processors, parse_ipcs, parse_lsclass, parse_lsrset, parse_ps};
use dlpar_script::event::{CapacityEvent, Common, CpuEvent, DrEnv, Event, MemEvent, WeightEvent};
use dlpar_liveupdate::{FileSystem, KextPath, LvupdateData};
use dlpar_script::protocol::{Command, Invocation, Resource};
use dlpar_script::wire::{Key, LogLevel, Reply, neutralise, parse_reply};

/// A target's property: panics on the input that breaks it.
pub type Property = fn(&[u8]);

/// The names of the targets, as `fuzz_targets/` and `corpus/` name them, with their
/// property.
pub const TARGETS: [(&str, Property); 7] = [
    ("reply", reply),
    ("event_argv", event_argv),
    ("encode_parse", encode_parse),
    ("lvupdate_data", lvupdate_data),
    ("kext_path", kext_path),
    ("aix_parsers", aix_parsers),
    ("capture", capture),
];

/// The host's reply parser and the install's `scriptinfo` decoding: any bytes
/// parse; every pair has a `DR_*` name and a one-line value, one pair per line in
/// order; a decoded `scriptinfo` holds exactly what the reply said, validated.
pub fn reply(data: &[u8]) {
    let parsed = parse_reply(data);
    let lines = data.split(|&b| b == b'\n').count();
    let mut previous = 0;
    for pair in &parsed.pairs {
        assert!(pair.line > previous && pair.line <= lines, "pair on line {} after line {previous}", pair.line);
        previous = pair.line;
        assert!(Key::new(&pair.name).is_ok(), "{:?} kept as a pair name", pair.name);
        assert!(!pair.value.contains('\n'), "a value spans lines: {:?}", pair.value);
    }
    assert_eq!(parsed.error().is_some(), parsed.first("DR_ERROR").is_some());
    assert_eq!(parsed.logs().count(), parsed.pairs.iter().filter(|p| LogLevel::from_name(&p.name).is_some()).count());
    for word in parsed.all("DR_RESOURCE") {
        if let Ok(resource) = word.trim().parse::<Resource>() {
            assert_eq!(resource.as_str(), word.trim());
        }
    }
    if let Ok(info) = ScriptInfo::from_reply(&parsed) {
        assert_eq!(Some(info.version), parsed.first("DR_VERSION").and_then(|v| v.trim().parse().ok()));
        assert_eq!(Some(info.date.as_str()), parsed.first("DR_DATE"));
        assert!(info.date.len() == 8 && info.date.bytes().all(|b| b.is_ascii_digit()), "date {:?}", info.date);
        for (field, name) in [(&info.info, "DR_SCRIPTINFO"), (&info.vendor, "DR_VENDOR")] {
            assert_eq!(Some(field.as_str()), parsed.first(name));
            assert!(!field.trim().is_empty() && !field.chars().any(char::is_control), "{name} {field:?} accepted");
        }
        assert_ne!(info.timeout, Some(0));
    }
}

/// `DR_*` event decoding and argv parsing. The first line is the argument vector
/// (words separated by spaces), every other line a `NAME=value` variable. A
/// decoded command is the word given (or its alias); an error exits 10 exactly when the command
/// word is unknown. A decoded value written back in its canonical form decodes to
/// the same value; a refused value is named with its variable.
pub fn event_argv(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let argv: Vec<&str> = lines.next().unwrap_or_default().split(' ').filter(|w| !w.is_empty()).collect();
    match Invocation::parse(&argv) {
        Ok(invocation) => {
            // The word given, or its alias; the canonical word reads back the same.
            assert_eq!(argv[0].parse::<Command>().ok(), Some(invocation.command));
            assert_eq!(invocation.command.as_str().parse::<Command>().ok(), Some(invocation.command));
            if let Some(resource) = &invocation.resource {
                assert_eq!(Some(resource.as_str()), argv.get(1).copied());
            }
        }
        Err(error) => {
            let unknown = argv.first().is_some_and(|word| word.parse::<Command>().is_err());
            assert_eq!(error.exit_code() == 10, unknown, "{error}");
            assert!(matches!(error.exit_code(), 1 | 10));
        }
    }

    let pairs: Vec<(&str, &str)> = lines.filter_map(|line| line.split_once('=')).collect();
    let env = DrEnv::from_pairs(pairs.iter().copied());
    assert!(env.names().all(|name| name.starts_with("DR_")));
    for resource in
        [None, Some(Resource::Cpu), Some(Resource::Mem), Some(Resource::Capacity), Some(Resource::VarWeight)]
    {
        let _ = Event::decode(resource.as_ref(), &env);
    }
    let _ = (CpuEvent::decode(&env), MemEvent::decode(&env), CapacityEvent::decode(&env), WeightEvent::decode(&env));
    for name in EVENT_VARIABLES {
        let raw = env.get(name);
        same_after_rewrite(name, raw, |env| env.decimal(name), |v| v.to_string());
        same_after_rewrite(name, raw, |env| env.id(name), |v| v.to_string());
        same_after_rewrite(name, raw, |env| env.signed(name), |v| format!("{v:+}"));
        same_after_rewrite(name, raw, |env| env.hex(name), |v| format!("{v:#x}"));
        same_after_rewrite(name, raw, |env| env.flag(name), |v| if *v { "TRUE" } else { "FALSE" }.into());
    }
}

/// The event variables drmgr sets (docs/protocol.md §6), each tried with every decoder.
const EVENT_VARIABLES: [&str; 15] = [
    CpuEvent::BCPUID,
    CpuEvent::LCPUID,
    MemEvent::SIZE_REQUEST,
    MemEvent::SIZE_COMPLETED,
    MemEvent::FREE_FRAMES,
    MemEvent::PINNABLE_FRAMES,
    MemEvent::TOTAL_FRAMES,
    CapacityEvent::CAPACITY,
    CapacityEvent::DELTA,
    WeightEvent::WEIGHT,
    WeightEvent::DELTA,
    Common::FORCE,
    Common::DETAIL_LEVEL,
    "DR_TIMEOUT",
    "DR_POST_ERROR",
];

/// Decodes `name` from the variable's text `raw`, then from its canonical form, and
/// checks both give the same value; an error names the variable and its text.
fn same_after_rewrite<T: PartialEq + std::fmt::Debug>(
    name: &'static str,
    raw: Option<&str>,
    decode: impl Fn(&DrEnv) -> Result<Option<T>, dlpar_script::event::DecodeError>,
    canonical: impl Fn(&T) -> String,
) {
    let Some(raw) = raw else { return };
    match decode(&DrEnv::from_pairs([(name, raw)])) {
        Ok(Some(value)) => {
            let again = decode(&DrEnv::from_pairs([(name, canonical(&value))]));
            assert_eq!(again, Ok(Some(value)), "{name}={raw:?} and its canonical form decode differently");
        }
        Ok(None) => panic!("{name} is set but decoded as absent"),
        Err(error) => assert_eq!((error.variable(), error.value()), (name, raw)),
    }
}

/// The encoder → parser round trip: every value written with [`Reply`] comes back
/// as one line with its `DR_*` name and the neutralised value, with no warning.
/// Values are the input split at byte `0xFE` (which UTF-8 never uses), each taken
/// lossily; the keys cycle through the text and token names.
pub fn encode_parse(data: &[u8]) {
    const TEXT: [Key; 5] = [Key::ERROR, Key::USAGE, Key::SCRIPTINFO, Key::VENDOR, Key::from_static("DR_LOG_INFO")];
    const TOKENS: [Key; 4] = [Key::RESOURCE, Key::VERSION, Key::DATE, Key::TIMEOUT];
    let values: Vec<Cow<'_, str>> = data.split(|&b| b == 0xFE).map(String::from_utf8_lossy).collect();
    let mut reply = Reply::new();
    let mut expected = Vec::new();
    for (n, value) in values.iter().enumerate() {
        let key = if n % 2 == 0 { &TEXT[n / 2 % TEXT.len()] } else { &TOKENS[n / 2 % TOKENS.len()] };
        if n % 2 == 0 {
            reply.text(key, value);
        } else {
            reply.token(key, value);
        }
        expected.push((key.as_str().to_owned(), neutralise(value).into_owned()));
    }
    let bytes = reply.as_bytes();
    assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), values.len(), "not one line per value");
    let parsed = parse_reply(bytes);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let got: Vec<(String, String)> = parsed.pairs.into_iter().map(|p| (p.name, p.value)).collect();
    assert_eq!(got, expected);
}

/// `lvupdate.data`: a file that parses is written back byte for byte, and what is
/// written parses to the same document.
pub fn lvupdate_data(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = LvupdateData::parse(text) else { return };
    let written = doc.to_string();
    assert_eq!(written, text, "not a byte-exact round trip");
    assert_eq!(LvupdateData::parse(&written).ok(), Some(doc));
}

/// `KextPath`: an accepted path is kept as given, is absolute, and lies in the file
/// system it names (through `/bin` or `/lib` for `/usr`); parsing and the
/// constructor agree.
pub fn kext_path(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let made = KextPath::new(text);
    assert_eq!(made.as_ref().ok(), text.parse::<KextPath>().as_ref().ok());
    let Ok(path) = made else { return };
    assert_eq!(path.as_str(), text);
    assert!(text.starts_with('/'), "{text:?} accepted without a leading /");
    if let Some(fs) = path.file_system() {
        let mount = fs.mount_point();
        let under = |dir: &str| text == dir || text.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'));
        // `/bin` and `/lib` are symbolic links into `/usr` on AIX.
        let inside = mount == "/" || under(mount) || (fs == FileSystem::Usr && (under("/bin") || under("/lib")));
        assert!(inside, "{text:?} said to be in {mount}");
    }
    let _ = path.warning();
}

/// Every AIX command parser (`ps`, `bindprocessor -q`, `ipcs`, `lsrset`,
/// `lsclass`) reads any text without panicking, and an error names a line of the
/// text (or 0 for the output as a whole) and quotes it as printed.
pub fn aix_parsers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    // The parsers number the lines of the output without its trailing blanks.
    let lines: Vec<&str> = text.trim_end_matches(['\n', '\r', ' ', '\t']).lines().collect();
    let check = |result: Result<usize, ParseError>| {
        let Err(error) = result else { return };
        if error.line == 0 {
            return;
        }
        let line = lines.get(error.line - 1).unwrap_or_else(|| panic!("{error}: no line {}", error.line));
        assert_eq!(error.quoted, line.trim_end_matches('\r'), "{error}");
    };
    check(parse_ps(&text).map(|p| p.len()));
    check(parse_available_processors(&text).map(|p| p.len()));
    check(parse_ipcs(&text).map(|s| s.len()));
    check(parse_lsrset(&text).map(|r| r.len()));
    check(parse_lsclass(&text).map(|c| c.len()));
}

/// The capture reader (`drmgr-sim compare` and `replay` read files sent from
/// partitions): any bytes are read or refused without a panic; a refusal names a
/// line of the input (0 for the whole file) and the source; a capture read holds
/// only `dlpar-capture/1` lines, each of which writes back and reads again the
/// same, and its runs are its invocation records, in order.
pub fn capture(data: &[u8]) {
    use dlpar_capture::read::Capture;
    use dlpar_capture::record::{Line, Record, SCHEMA};

    let text = String::from_utf8_lossy(data);
    match Capture::parse("fuzz.jsonl", &text) {
        Err(error) => {
            assert!(error.line <= text.split('\n').count(), "line {} of {}", error.line, text.split('\n').count());
            assert!(error.to_string().starts_with("fuzz.jsonl"), "{error}");
        }
        Ok(capture) => {
            assert!(!capture.lines.is_empty());
            for line in &capture.lines {
                assert_eq!(line.schema, SCHEMA);
                let again: Line = serde_json::from_str(&serde_json::to_string(line).unwrap()).unwrap();
                assert_eq!(&again, line);
            }
            let invocations = capture.lines.iter().filter(|l| matches!(l.record, Record::Invocation(_))).count();
            assert_eq!(capture.runs().len(), invocations);
        }
    }
}
