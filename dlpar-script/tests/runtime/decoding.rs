//! Every `DR_*` variable of docs/protocol.md §6: decoded values, and each malformed one named.

use dlpar_script::prelude::*;
use insta::assert_snapshot;

use super::support::{Case, Mode, every_command, table};

#[test]
fn well_formed_variables_are_decoded() {
    let cases: [Case<'_>; 6] = [
        (&["prerelease", "cpu"], &[("DR_BCPUID", "7"), ("DR_LCPUID", " 14 ")]),
        (
            &["prerelease", "mem"],
            &[
                ("DR_FREE_FRAMES", "0x4000"),
                ("DR_PINNABLE_FRAMES", "30000"),
                ("DR_TOTAL_FRAMES", "0XFFFFFFFF"),
                ("DR_MEM_SIZE_REQUEST", "512"),
                ("DR_MEM_SIZE_COMPLETED", "0"),
            ],
        ),
        (&["prerelease", "capacity"], &[("DR_CPU_CAPACITY", "150"), ("DR_CPU_CAPACITY_DELTA", "-50")]),
        (&["preacquire", "var_weight"], &[("DR_VAR_WEIGHT", "128"), ("DR_VAR_WEIGHT_DELTA", "+64")]),
        (&["preacquire", "cpu"], &[]),
        (&["premigrate", "pmig"], &[("DR_ACME_FUTURE", "kept in the raw map")]),
    ];
    assert_snapshot!(table(&every_command(Mode::Fail), cases));
}

#[test]
fn each_malformed_variable_is_named_with_its_value() {
    let cases: [Case<'_>; 13] = [
        (&["checkrelease", "cpu"], &[("DR_BCPUID", "three")]),
        (&["checkrelease", "cpu"], &[("DR_BCPUID", "4294967296")]),
        (&["checkrelease", "cpu"], &[("DR_LCPUID", "-1")]),
        (&["checkrelease", "mem"], &[("DR_FREE_FRAMES", "0xZZ")]),
        (&["checkrelease", "mem"], &[("DR_PINNABLE_FRAMES", "")]),
        (&["checkrelease", "mem"], &[("DR_TOTAL_FRAMES", "0x")]),
        (&["checkrelease", "mem"], &[("DR_MEM_SIZE_REQUEST", "1.5")]),
        (&["checkrelease", "mem"], &[("DR_MEM_SIZE_COMPLETED", "0x10")]),
        (&["checkrelease", "capacity"], &[("DR_CPU_CAPACITY", "1,5")]),
        (&["checkrelease", "capacity"], &[("DR_CPU_CAPACITY_DELTA", "--5")]),
        (&["checkacquire", "var_weight"], &[("DR_VAR_WEIGHT", "heavy")]),
        (&["checkacquire", "var_weight"], &[("DR_VAR_WEIGHT_DELTA", "5-")]),
        (&["prerelease", "cpu"], &[("DR_BCPUID", "1\n2")]),
    ];
    assert_snapshot!(table(&every_command(Mode::Succeed), cases));
}

#[test]
fn knobs_never_veto_a_malformed_value_is_a_warning() {
    let cases: [Case<'_>; 4] = [
        (&["checkrelease", "cpu"], &[("DR_FORCE", "maybe")]),
        (&["checkrelease", "mem"], &[("DR_DETAIL_LEVEL", "high")]),
        (&["checkmigrate"], &[("DR_DETAIL_LEVEL", "-1"), ("DR_FORCE", "")]),
        (&["prerelease", "capacity"], &[("DR_DETAIL_LEVEL", "18446744073709551616")]),
    ];
    assert_snapshot!(table(&every_command(Mode::Succeed), cases), @r#"
    $ DR_FORCE="maybe" checkrelease cpu
    exit: 0
    DR_LOG_WARNING="DR_FORCE='maybe' is malformed: expected TRUE, FALSE, YES, NO, 1 or 0 (any case); reading it as not forced"

    $ DR_DETAIL_LEVEL="high" checkrelease mem
    exit: 0
    DR_LOG_WARNING="DR_DETAIL_LEVEL='high' is malformed: expected a decimal level from 0 to 5; using 0"

    $ DR_DETAIL_LEVEL="-1" DR_FORCE="" checkmigrate
    exit: 0
    DR_LOG_WARNING="DR_FORCE='' is malformed: expected TRUE, FALSE, YES, NO, 1 or 0 (any case); reading it as not forced"
    DR_LOG_WARNING="DR_DETAIL_LEVEL='-1' is malformed: expected a decimal level from 0 to 5; using 0"

    $ DR_DETAIL_LEVEL="18446744073709551616" prerelease capacity
    exit: 0
    DR_LOG_WARNING="DR_DETAIL_LEVEL='18446744073709551616' is malformed: expected a decimal level from 0 to 5; using 0"
    "#);
}

#[test]
fn knobs_are_read_as_given_or_conservatively() {
    let script = super::support::registering(&[Resource::Cpu]).on(
        Command::CheckRelease,
        Resource::Cpu,
        |_: &CpuEvent, cx: &mut Context| {
            let force = dlpar_script::event::Common::decode(cx.env()).force;
            Err(Error::refuse(format!("detail {} forced {force:?}", cx.detail_level())))
        },
    );
    let cases: [Case<'_>; 7] = [
        (&["checkrelease", "cpu"], &[("DR_DETAIL_LEVEL", "9"), ("DR_FORCE", "true")]),
        (&["checkrelease", "cpu"], &[("DR_DETAIL_LEVEL", " 2 "), ("DR_FORCE", "0")]),
        (&["checkrelease", "cpu"], &[("DR_FORCE", "Yes")]),
        (&["checkrelease", "cpu"], &[("DR_FORCE", "NO")]),
        (&["checkrelease", "cpu"], &[("DR_FORCE", "on")]),
        (&["checkrelease", "cpu"], &[("DR_DETAIL_LEVEL", "3.5")]),
        (&["checkrelease", "cpu"], &[]),
    ];
    assert_snapshot!(table(&script, cases), @r#"
    $ DR_DETAIL_LEVEL="9" DR_FORCE="true" checkrelease cpu
    exit: 1
    DR_LOG_WARNING="DR_DETAIL_LEVEL=9 is above 5; using 5"
    DR_ERROR="detail 5 forced Some(true)"

    $ DR_DETAIL_LEVEL=" 2 " DR_FORCE="0" checkrelease cpu
    exit: 1
    DR_ERROR="detail 2 forced Some(false)"

    $ DR_FORCE="Yes" checkrelease cpu
    exit: 1
    DR_ERROR="detail 0 forced Some(true)"

    $ DR_FORCE="NO" checkrelease cpu
    exit: 1
    DR_ERROR="detail 0 forced Some(false)"

    $ DR_FORCE="on" checkrelease cpu
    exit: 1
    DR_LOG_WARNING="DR_FORCE='on' is malformed: expected TRUE, FALSE, YES, NO, 1 or 0 (any case); reading it as not forced"
    DR_ERROR="detail 0 forced Some(false)"

    $ DR_DETAIL_LEVEL="3.5" checkrelease cpu
    exit: 1
    DR_LOG_WARNING="DR_DETAIL_LEVEL='3.5' is malformed: expected a decimal level from 0 to 5; using 0"
    DR_ERROR="detail 0 forced None"

    $ checkrelease cpu
    exit: 1
    DR_ERROR="detail 0 forced None"
    "#);
}

#[test]
fn non_utf8_values_are_malformed() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let answer = dlpar_script::testing::invoke_with_env(
        &every_command(Mode::Succeed),
        ["checkrelease", "cpu"],
        [(OsStr::new("DR_BCPUID"), OsStr::from_bytes(b"\xff1"))],
    );
    assert_snapshot!(answer, @r#"
    exit: 1
    DR_ERROR="DR_BCPUID='�1' is malformed: expected valid UTF-8 text"
    "#);
}
