//! The JSON document and the human trace, snapshotted: their shape is a contract.

use dlpar_script::protocol::Resource;
use drmgr_sim::{Operation, Timings};

use crate::sim::support::Sim;

/// A forced removal where one script fails prerelease with stderr and a log line, one
/// answers "not supported", and the kernel step fails: every field has content.
fn eventful_trace() -> drmgr_sim::Trace {
    let sim = Sim::new();
    sim.install("probe.sh", "a_probe");
    sim.install("bad.sh", "bad_exit10");
    sim.install("bad.sh", "bad_noise");
    sim.install("perl_guard.pl", "perl_guard");
    let runner = sim.with_env("PROBE_FAIL", "a_probe:prerelease");
    Operation::remove(Resource::Cpu).force(true).fail_kernel(true).detail(3).run(&sim.repo, &runner).unwrap()
}

#[test]
fn json_schema() {
    let trace = eventful_trace();
    insta::assert_json_snapshot!("trace_json", trace.to_json(Timings::Hidden));
}

#[test]
fn human_trace() {
    insta::assert_snapshot!("trace_text", eventful_trace().render_snapshot());
}
