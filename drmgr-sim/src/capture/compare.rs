//! Holding the simulated records against the recorded ones, point by point.

use dlpar_capture::read::Run;
use dlpar_capture::record::{Fd, Invocation as Record, Step};
use dlpar_script::hook::{DrcType, HookAction, HookPhase};
use dlpar_script::state::DIR_VARIABLE;

use super::point::{Aspect, Point};
use super::rules::{Host, rule_for};
use super::simulate::{Log, running_as_root};

/// The variables compare gives drmgr-sim's scripts to run them as capture instances.
const SIMULATOR_VARIABLES: [&str; 2] = [dlpar_capture::FILE_VARIABLE, DIR_VARIABLE];

/// The hook variables of docs/protocol.md §10.
const HOOK_VARIABLES: [&str; 4] = [DrcType::VARIABLE, HookPhase::VARIABLE, HookAction::VARIABLE, "DRC_COUNT"];

/// `command resource name`, numbered `#2`, `#3` … from the second time the same
/// words occur in `runs`.
pub(crate) fn labels(runs: &[Run<'_>]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    runs.iter()
        .map(|run| {
            let inv = run.invocation;
            let words: Vec<&str> =
                [inv.command(), inv.resource(), Some(inv.installed_name.as_str())].into_iter().flatten().collect();
            let base = words.join(" ");
            let count = seen.iter().filter(|s| **s == base).count();
            seen.push(base.clone());
            if count == 0 { base } else { format!("{base} #{}", count + 1) }
        })
        .collect()
}

/// Compares one recorded operation with its simulation.
pub(crate) fn compare(host: Host, recorded: &[Run<'_>], simulated: &[Run<'_>], log: &Log) -> Vec<Point> {
    let (ours, theirs) = (labels(recorded), labels(simulated));
    let mut points = vec![Point::new(Aspect::Sequence, None, &ours.join(", "), &theirs.join(", "))];
    points.extend(whole_operation(recorded, simulated));
    for (i, label) in ours.iter().enumerate() {
        let Some(j) = theirs.iter().position(|l| l == label) else { continue };
        let (r, s) = (recorded[i].invocation, simulated[j].invocation);
        for (aspect, value) in INVOCATION_ASPECTS {
            points.push(Point::new(*aspect, Some(label), &value(r), &value(s)));
        }
        points.push(identity(label, r, s));
        points.push(other_descriptors(label, r, s));
        points.extend(experiments(label, (&recorded[i..], &ours[i..]), Some((&simulated[j..], &theirs[j..])), log));
    }
    // Experiments of invocations drmgr-sim never made still say what they expected.
    for (i, label) in ours.iter().enumerate() {
        if !theirs.contains(label) {
            points.extend(experiments(label, (&recorded[i..], &ours[i..]), None, log));
        }
    }
    points
        .into_iter()
        .map(|point| {
            let rule = rule_for(point.aspect, host);
            point.touching(rule)
        })
        .collect()
}

type Value = fn(&Record) -> String;

/// The aspects compared invocation by invocation, and how each is put in words.
const INVOCATION_ASPECTS: &[(Aspect, Value)] = &[
    (Aspect::Arguments, arguments),
    (Aspect::ProtocolVariables, protocol_variables),
    (Aspect::Path, path),
    (Aspect::OtherVariables, other_variables),
    (Aspect::WorkingDirectory, working_directory),
    (Aspect::SignalMask, signal_mask),
    (Aspect::SignalDispositions, signal_dispositions),
    (Aspect::StandardDescriptors, standard_descriptors),
    (Aspect::ProcessGroup, process_group),
];

fn words(list: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let list: Vec<String> = list.into_iter().map(|w| w.as_ref().to_owned()).collect();
    if list.is_empty() { "(none)".to_owned() } else { list.join(" ") }
}

fn arguments(r: &Record) -> String {
    words(r.argv.iter().skip(1))
}

fn name_of(entry: &str) -> &str {
    entry.split_once('=').map_or(entry, |(name, _)| name)
}

fn is_protocol(entry: &str) -> bool {
    let name = name_of(entry);
    name.starts_with("DR_") || HOOK_VARIABLES.contains(&name)
}

fn sorted<'a>(entries: impl Iterator<Item = &'a String>) -> Vec<&'a String> {
    let mut entries: Vec<&String> = entries.collect();
    entries.sort();
    entries
}

fn protocol_variables(r: &Record) -> String {
    words(sorted(r.env.iter().filter(|e| is_protocol(e))))
}

fn path(r: &Record) -> String {
    r.env_var("PATH").map_or_else(|| "(unset)".to_owned(), |p| format!("PATH={p}"))
}

fn other_variables(r: &Record) -> String {
    let other = |e: &&String| {
        let name = name_of(e);
        !is_protocol(e) && name != "PATH" && name != "LANG" && !SIMULATOR_VARIABLES.contains(&name)
    };
    words(sorted(r.env.iter().filter(other)))
}

fn working_directory(r: &Record) -> String {
    r.cwd.clone().unwrap_or_else(|| "(unreadable)".to_owned())
}

fn signal_mask(r: &Record) -> String {
    words(&r.signals.blocked)
}

fn signal_dispositions(r: &Record) -> String {
    format!("ignored: {}; caught: {}", words(&r.signals.ignored), words(&r.signals.caught))
}

fn descriptor(fd: &Fd) -> String {
    let kind = serde_json::to_value(fd.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    match fd.access.and_then(|a| serde_json::to_value(a).ok()).and_then(|v| v.as_str().map(str::to_owned)) {
        Some(access) => format!("{}: {kind} ({access})", fd.fd),
        None => format!("{}: {kind}", fd.fd),
    }
}

fn standard_descriptors(r: &Record) -> String {
    let mut text = r.stdio.iter().map(descriptor).collect::<Vec<_>>().join(", ");
    if let [_, out, err] = r.stdio.as_slice()
        && out.object.is_some()
        && out.object == err.object
    {
        text.push_str("; 1 and 2 are the same object");
    }
    text
}

/// The other open descriptors: a difference is not comparable, since the host
/// passes on what it inherited from whoever started it, which a capture cannot
/// tell from descriptors the host opened itself.
fn other_descriptors(label: &str, r: &Record, s: &Record) -> Point {
    let fds = |r: &Record| words(r.other_fds.iter().map(descriptor));
    let point = Point::new(Aspect::OtherDescriptors, Some(label), &fds(r), &fds(s));
    match point.agreement {
        super::Agreement::Mismatch => point.not_comparable(
            "a host passes on the descriptors it inherited from whoever started it, which a capture cannot tell \
             from those the host opened itself",
        ),
        _ => point,
    }
}

/// Whether the script leads a process group and a session of its own. Which group
/// it shares otherwise (its host's, from fork) depends on how the host itself was
/// started, which a capture does not hold.
fn process_group(r: &Record) -> String {
    let p = r.process;
    let group = if p.pgid == p.pid { "leads its own process group" } else { "shares its host's process group" };
    let session = if p.sid == p.pid { "leads its own session" } else { "shares its host's session" };
    format!("{group}; {session}")
}

fn ids(r: &Record) -> String {
    let i = &r.ids;
    format!(
        "uid {} euid {} gid {} egid {} groups {}",
        i.uid,
        i.euid,
        i.gid,
        i.egid,
        words(i.groups.iter().map(u32::to_string))
    )
}

/// The identity point: comparable when compare runs as root (drmgr-sim then runs
/// each script as its file's owner, as the host does); otherwise drmgr-sim runs
/// every script as the user who started it.
fn identity(label: &str, r: &Record, s: &Record) -> Point {
    let point = Point::new(Aspect::Identity, Some(label), &ids(r), &ids(s));
    match point.agreement {
        super::Agreement::Mismatch if !running_as_root() => point
            .not_comparable("compare does not run as root, so drmgr-sim runs every script as the user who started it"),
        _ => point,
    }
}

/// The points of the operation as a whole: values that drmgr-sim does not set, or
/// that differ on every run.
fn whole_operation(recorded: &[Run<'_>], simulated: &[Run<'_>]) -> Vec<Point> {
    let each = |runs: &[Run<'_>], value: fn(&Record) -> String| {
        let mut values: Vec<String> = Vec::new();
        for run in runs {
            let v = value(run.invocation);
            if !values.contains(&v) {
                values.push(v);
            }
        }
        words(values)
    };
    let umask = |r: &Record| format!("{:04o}", r.umask);
    let limits = |r: &Record| {
        let limit = |l: Option<u64>| l.map_or_else(|| "unlimited".to_owned(), |l| l.to_string());
        r.rlimits
            .iter()
            .map(|l| format!("{}={}/{}", l.name, limit(l.soft), limit(l.hard)))
            .collect::<Vec<_>>()
            .join(",")
    };
    let lang = |r: &Record| r.env_var("LANG").map_or_else(|| "(unset)".to_owned(), |l| format!("LANG={l}"));
    let ours = |r: &Record| {
        words(r.env.iter().filter(|e| SIMULATOR_VARIABLES.contains(&name_of(e))).map(|e| name_of(e).to_owned()))
    };
    let nature = |runs: &[Run<'_>]| {
        let hosts: Vec<&str> = runs.iter().filter_map(|r| r.invocation.hostname.as_deref()).collect();
        let host = hosts.first().copied().unwrap_or("(unknown)");
        format!("{} pids, host {host}", runs.len())
    };
    let not = |aspect, value: fn(&Record) -> String, reason: &str| {
        Point::new(aspect, None, &each(recorded, value), &each(simulated, value)).not_comparable(reason)
    };
    vec![
        not(
            Aspect::Lang,
            lang,
            "the host passes on the LANG of its own environment; compare gives drmgr-sim the recorded one",
        ),
        not(
            Aspect::SimulatorVariables,
            ours,
            "compare sets them so that drmgr-sim's capture instances record into a scratch file and keep phase \
             state in their temporary repository",
        ),
        not(Aspect::Umask, umask, "drmgr-sim does not set a umask: its scripts inherit compare's own"),
        not(Aspect::ResourceLimits, limits, "drmgr-sim sets no resource limit: its scripts inherit compare's own"),
        Point::new(Aspect::ByNature, None, &nature(recorded), &nature(simulated))
            .not_comparable("process ids, clocks and the host name differ on every run"),
    ]
}

/// The outcome of the experiment the invocation at the head of `recorded` ran,
/// against the same invocation under drmgr-sim (`None` when drmgr-sim never made it).
fn experiments(
    label: &str,
    (recorded, ours): (&[Run<'_>], &[String]),
    simulated: Option<(&[Run<'_>], &[String])>,
    log: &Log,
) -> Vec<Point> {
    let steps = &recorded[0].invocation.experiment;
    let never = "(drmgr-sim never made this invocation)";
    let mut points = Vec::new();
    if steps.iter().any(|s| matches!(s, Step::Sleep { .. })) {
        let theirs = simulated.map_or_else(|| never.to_owned(), |(s, _)| signals(&s[0]));
        let mut point = Point::new(Aspect::TimeLimit, Some(label), &signals(&recorded[0]), &theirs);
        if let Some((s, _)) = simulated
            && close_enough(&recorded[0], &s[0])
        {
            point.agreement = super::Agreement::Match;
        }
        points.push(point);
    }
    let answered =
        steps.iter().any(|s| matches!(s, Step::Exit { status } if *status != 0) | matches!(s, Step::Error { .. }));
    if answered {
        let after = |labels: &[String]| if labels.is_empty() { "(none)".to_owned() } else { labels.join(", ") };
        let theirs = simulated.map_or_else(|| never.to_owned(), |(_, labels)| after(&labels[1..]));
        points.push(Point::new(Aspect::AfterAnswer, Some(label), &after(&ours[1..]), &theirs));
    }
    let printed: Vec<&str> =
        steps.iter().filter_map(|s| if let Step::Print { line } = s { Some(line.as_str()) } else { None }).collect();
    if !printed.is_empty() {
        let theirs = simulated.map_or_else(|| never.to_owned(), |(s, _)| reported(&s[0], log));
        points.push(
            Point::new(Aspect::PrintedLines, Some(label), &format!("printed {printed:?}"), &theirs).not_comparable(
                "a capture holds what the script printed, not how the host reported it: look for it in drmgr's \
                 output or syslog",
            ),
        );
    }
    points
}

/// The signals a `sleep` experiment saw, in seconds since it started; the same
/// signal again within a tenth of a second counts once: a host that signals the
/// script and its group sends two, which arrive as one or two depending on
/// whether the first was still pending (standard signals do not queue).
fn arrivals<'c>(run: &Run<'c>) -> Vec<(&'c str, f64)> {
    let mut seen: Vec<(&'c str, f64)> = Vec::new();
    for s in &run.signals {
        let at = s.since_start_ns as f64 / 1e9;
        match seen.last() {
            Some((name, before)) if *name == s.signal && at - before < 0.1 => {}
            _ => seen.push((&s.signal, at)),
        }
    }
    seen
}

/// The signals a `sleep` experiment saw, and how it ended.
fn signals(run: &Run<'_>) -> String {
    let mut parts: Vec<String> = arrivals(run).iter().map(|(name, at)| format!("{name} after {at:.1} s")).collect();
    parts.push(match run.end {
        Some(end) => format!("then exit {}", end.exit_status),
        None => "then no end record (killed)".to_owned(),
    });
    parts.join(", ")
}

/// The same signals, in the same order, each within a second or a tenth of its
/// time, and the same ending.
fn close_enough(a: &Run<'_>, b: &Run<'_>) -> bool {
    let ending = |run: &Run<'_>| run.end.map(|e| e.exit_status);
    let (ours, theirs) = (arrivals(a), arrivals(b));
    ours.len() == theirs.len()
        && ending(a) == ending(b)
        && ours.iter().zip(&theirs).all(|((x, tx), (y, ty))| x == y && (tx - ty).abs() <= (tx * 0.1).max(1.0))
}

/// How drmgr-sim reported what the simulated invocation printed.
fn reported(run: &Run<'_>, log: &Log) -> String {
    let inv = run.invocation;
    let name = inv.installed_name.as_str();
    let command = inv.command().unwrap_or_default();
    match log {
        Log::Aix(trace) => trace
            .invocations
            .iter()
            .filter(|i| i.script == name && i.command.as_str() == command)
            .map(|i| words(i.warnings()))
            .next_back()
            .unwrap_or_else(|| "(not in the trace)".to_owned()),
        Log::Hook(trace) => trace
            .runs()
            .filter(|r| r.hook == name && r.phase.as_str() == command)
            .map(|r| format!("shown as the hook's output: stdout {:?}, stderr {:?}", r.stdout, r.stderr))
            .last()
            .unwrap_or_else(|| "(not in the trace)".to_owned()),
        Log::Install => "(an install command)".to_owned(),
    }
}
