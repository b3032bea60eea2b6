//! Properties of the encoder: whatever a handler says, the reply stays well formed.

use dlpar_script::prelude::*;
use dlpar_script::testing::invoke;
use dlpar_script::wire::{Key, LogLevel, MAX_VALUE_BYTES, Reply, neutralise, parse_reply};
use proptest::prelude::*;

fn any_text() -> impl Strategy<Value = String> {
    // Mostly awkward characters: controls, quotes, separators, multibyte, '='.
    let awkward = prop_oneof![
        Just('\n'),
        Just('\r'),
        Just('"'),
        Just('='),
        Just('\u{2028}'),
        Just('\u{85}'),
        Just('\0'),
        Just('é'),
        Just('語'),
        any::<char>(),
    ];
    // Repeating a short piece reaches past the value limit without generating
    // thousands of characters one by one.
    (prop::collection::vec(awkward, 0..120), 1..12_usize)
        .prop_map(|(cs, times)| cs.into_iter().collect::<String>().repeat(times))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn one_line_per_value_and_round_trip(messages in prop::collection::vec(any_text(), 1..4)) {
        let mut reply = Reply::new();
        for (i, message) in messages.iter().enumerate() {
            match i % 3 {
                0 => reply.error(message),
                1 => reply.log(LogLevel::ALL[i % 5], message),
                _ => reply.token(&Key::RESOURCE, message),
            }
        }
        let bytes = reply.as_bytes();
        let text = std::str::from_utf8(bytes).expect("the encoder writes UTF-8");
        let lines: Vec<&str> = text.strip_suffix('\n').expect("ends with a newline").split('\n').collect();
        prop_assert_eq!(lines.len(), messages.len());
        for line in &lines {
            prop_assert!(line.starts_with("DR_"), "{:?}", line);
        }
        let parsed = parse_reply(bytes);
        prop_assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        for (pair, message) in parsed.pairs.iter().zip(&messages) {
            let expected = neutralise(message);
            prop_assert_eq!(&pair.value, &*expected);
            prop_assert!(pair.value.len() <= MAX_VALUE_BYTES);
        }
    }

    #[test]
    fn a_handler_error_is_always_one_dr_error_line(message in any_text()) {
        let script = Script::new("Acme", "property test").version(1).date("22112026")
            .resource(Resource::Cpu, "threads")
            .on(Command::CheckRelease, Resource::Cpu, move |_: &CpuEvent, _: &mut Context| {
                Err(Error::refuse(&message))
            });
        let answer = invoke(&script, ["checkrelease", "cpu"]);
        prop_assert_eq!(answer.exit, 1);
        prop_assert_eq!(answer.stdout.matches('\n').count(), 1);
        prop_assert!(answer.stdout.starts_with("DR_ERROR=\""));
        prop_assert_eq!(answer.reply.pairs.len(), 1);
    }
}
