//! [`Aix`]: the typed queries and actions, each one AIX command.

use std::time::Duration;

use super::lsclass::WlmScope;
use super::runner::{CommandRunner, runner_from_env};
use super::{
    AixCommand, AixError, BindCpu, CommandOutput, LSRSET_ARGS, PS_ARGS, Pid, Process, Rset, SharedSegment, WlmClass,
    ipcs, parse_available_processors, parse_lsclass, parse_lsrset, parse_ps,
};
use crate::Context;

/// The time limit of one command unless another is set.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(10);

/// The AIX commands that resolve DLPAR dependencies, as typed calls.
///
/// Each method runs one command through the runner, by absolute path, within the
/// time limit, and reads its output with the parser of that command. A non-zero exit
/// is [`AixError::Failed`] with the command's stderr; output in another format is
/// [`AixError::Parse`] quoting the line.
///
/// ```
/// use dlpar_script::aix::{Aix, BindCpu, Pid, ReplayRunner, RecordedOutput};
///
/// let runner = ReplayRunner::new()
///     .on(["/usr/sbin/bindprocessor", "-q"], RecordedOutput::stdout("The available processors are: 0 1\n"))
///     .on(["/usr/sbin/bindprocessor", "4242", "1"], RecordedOutput::ok());
/// let aix = Aix::new(&runner);
/// assert_eq!(aix.online_processors().unwrap(), [BindCpu(0), BindCpu(1)]);
/// aix.bind(Pid(4242), BindCpu(1)).unwrap();
/// assert_eq!(runner.calls()[1], ["/usr/sbin/bindprocessor", "4242", "1"]);
/// ```
#[derive(Debug)]
pub struct Aix<R = Box<dyn CommandRunner + Send + Sync>> {
    runner: R,
    limit: Duration,
}

impl Aix {
    /// The commands through the runner [`runner_from_env`] picks: the replaying fake
    /// when `DLPAR_AIX_REPLAY` is set, else the real commands.
    pub fn from_env() -> Result<Aix, AixError> {
        Ok(Aix::new(runner_from_env()?))
    }
}

impl<R: CommandRunner> Aix<R> {
    /// The commands through `runner`, with [`DEFAULT_TIME_LIMIT`] each.
    pub fn new(runner: R) -> Aix<R> {
        Aix { runner, limit: DEFAULT_TIME_LIMIT }
    }

    /// Sets the time limit of each command.
    pub fn time_limit(mut self, limit: Duration) -> Aix<R> {
        self.limit = limit;
        self
    }

    /// Lowers the time limit of each command to what is left of the handler's own
    /// limit (`DR_TIMEOUT`), so a slow command cannot make the script overrun it.
    pub fn within(self, cx: &Context) -> Aix<R> {
        let limit = cx.time_left().map_or(self.limit, |left| left.min(self.limit));
        self.time_limit(limit)
    }

    /// The runner.
    pub fn runner(&self) -> &R {
        &self.runner
    }

    fn run(&self, command: AixCommand, args: &[&str]) -> Result<CommandOutput, AixError> {
        let line = command.line(args.iter().copied());
        self.runner.run(&line, self.limit)?.check(&line)
    }

    /// Every process with its threads, bindings and flags (`ps -e -m -o THREAD`).
    pub fn processes(&self) -> Result<Vec<Process>, AixError> {
        Ok(parse_ps(&self.run(AixCommand::Ps, &PS_ARGS)?.stdout)?)
    }

    /// The processes bound, wholly or by some thread, to the processor `cpu`.
    pub fn bound_to(&self, cpu: BindCpu) -> Result<Vec<Process>, AixError> {
        Ok(self.processes()?.into_iter().filter(|p| p.is_bound_to(cpu)).collect())
    }

    /// The processes that called `plock`: their memory is pinned.
    pub fn plocked(&self) -> Result<Vec<Process>, AixError> {
        Ok(self.processes()?.into_iter().filter(Process::is_plocked).collect())
    }

    /// The bind CPU ids of the online processors (`bindprocessor -q`).
    pub fn online_processors(&self) -> Result<Vec<BindCpu>, AixError> {
        Ok(parse_available_processors(&self.run(AixCommand::Bindprocessor, &["-q"])?.stdout)?)
    }

    /// Binds every thread of `pid` to `cpu` (`bindprocessor PID CPU`).
    pub fn bind(&self, pid: Pid, cpu: BindCpu) -> Result<(), AixError> {
        self.run(AixCommand::Bindprocessor, &[&pid.to_string(), &cpu.to_string()]).map(drop)
    }

    /// Unbinds every thread of `pid` (`bindprocessor -u PID`).
    pub fn unbind(&self, pid: Pid) -> Result<(), AixError> {
        self.run(AixCommand::Bindprocessor, &["-u", &pid.to_string()]).map(drop)
    }

    /// Every shared-memory segment with its creator, last user and size
    /// (`ipcs -m -b -p`).
    pub fn shared_segments(&self) -> Result<Vec<SharedSegment>, AixError> {
        Ok(ipcs::parse(ipcs::COMMAND, &self.run(AixCommand::Ipcs, &ipcs::IPCS_ARGS)?.stdout)?)
    }

    /// The pinned shared-memory segments (`ipcs -m -b -p -P`; the `-P` flag is
    /// recalled, see [`IPCS_PINNED_ARGS`](super::IPCS_PINNED_ARGS)).
    pub fn pinned_segments(&self) -> Result<Vec<SharedSegment>, AixError> {
        let output = self.run(AixCommand::Ipcs, &ipcs::IPCS_PINNED_ARGS)?;
        Ok(ipcs::parse(ipcs::PINNED_COMMAND, &output.stdout)?)
    }

    /// The resource sets of the system registry with their CPUs (`lsrset -v -a`).
    pub fn rsets(&self) -> Result<Vec<Rset>, AixError> {
        Ok(parse_lsrset(&self.run(AixCommand::Lsrset, &LSRSET_ARGS)?.stdout)?)
    }

    /// The Workload Manager classes and subclasses with their resource sets
    /// (`lsclass -C -r`, with `-d ""` for the in-core classes).
    pub fn classes(&self, scope: WlmScope) -> Result<Vec<WlmClass>, AixError> {
        let args = [&["-C", "-r"], scope.args()].concat();
        Ok(parse_lsclass(&self.run(AixCommand::Lsclass, &args)?.stdout)?)
    }

    /// Confines the class `class` to the resource set `rset`
    /// (`chclass -a rset=RSET [-d ""] CLASS`).
    ///
    /// Both names are checked first: a class is `Super` or `Super.Sub`, each part 1 to
    /// 16 letters, digits or underscores (IBM `mkclass`); an rset is `namespace/name`
    /// of letters, digits, `_`, `.` and `-`, each part 1 to 255 characters.
    ///
    /// ```
    /// use dlpar_script::aix::{Aix, ReplayRunner, WlmScope};
    ///
    /// let aix = Aix::new(ReplayRunner::new());
    /// let err = aix.set_class_rset("db;rm", "sys/sys0", WlmScope::InCore).unwrap_err();
    /// assert_eq!(err.to_string(), "invalid WLM class \"db;rm\": \
    ///     expected Super or Super.Sub, each 1 to 16 letters, digits or underscores");
    /// ```
    pub fn set_class_rset(&self, class: &str, rset: &str, scope: WlmScope) -> Result<(), AixError> {
        check_class_name(class)?;
        check_rset_name(rset)?;
        let value = format!("rset={rset}");
        let args = [&["-a", value.as_str()], scope.args(), &[class]].concat();
        self.run(AixCommand::Chclass, &args).map(drop)
    }
}

fn check_class_name(name: &str) -> Result<(), AixError> {
    let part_ok =
        |part: &str| (1..=16).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() <= 2 && parts.iter().all(|p| part_ok(p)) {
        return Ok(());
    }
    Err(AixError::InvalidName {
        what: "WLM class",
        value: name.to_owned(),
        reason: "expected Super or Super.Sub, each 1 to 16 letters, digits or underscores",
    })
}

fn check_rset_name(name: &str) -> Result<(), AixError> {
    let part_ok = |part: &str| {
        (1..=255).contains(&part.len())
            && !part.starts_with('-')
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
    };
    match name.split_once('/') {
        Some((namespace, rsname)) if part_ok(namespace) && part_ok(rsname) => Ok(()),
        _ => Err(AixError::InvalidName {
            what: "resource set",
            value: name.to_owned(),
            reason: "expected namespace/name, each 1 to 255 letters, digits, _, . or - (not starting with -)",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aix::parse::fixture;
    use crate::aix::{ParseError, RecordedOutput, ReplayRunner};

    const PS: [&str; 5] = ["/usr/bin/ps", "-e", "-m", "-o", "THREAD"];

    fn replay(argv: &[&str], reply: RecordedOutput) -> ReplayRunner {
        ReplayRunner::new().on(argv.iter().copied(), reply)
    }

    #[test]
    fn every_query_runs_its_exact_argument_vector() {
        let runner = ReplayRunner::new()
            .on(PS, RecordedOutput::stdout(fixture(include_str!("fixtures/ps_normal.txt"))))
            .on(
                ["/usr/sbin/bindprocessor", "-q"],
                RecordedOutput::stdout(fixture(include_str!("fixtures/bindprocessor_normal.txt"))),
            )
            .on(
                ["/usr/bin/ipcs", "-m", "-b", "-p"],
                RecordedOutput::stdout(fixture(include_str!("fixtures/ipcs_normal.txt"))),
            )
            .on(
                ["/usr/bin/ipcs", "-m", "-b", "-p", "-P"],
                RecordedOutput::stdout(fixture(include_str!("fixtures/ipcs_empty.txt"))),
            )
            .on(
                ["/usr/bin/lsrset", "-v", "-a"],
                RecordedOutput::stdout(fixture(include_str!("fixtures/lsrset_normal.txt"))),
            )
            .on(
                ["/usr/sbin/lsclass", "-C", "-r"],
                RecordedOutput::stdout(fixture(include_str!("fixtures/lsclass_normal.txt"))),
            )
            .on(
                ["/usr/sbin/lsclass", "-C", "-r", "-d", ""],
                RecordedOutput::stdout(fixture(include_str!("fixtures/lsclass_empty.txt"))),
            );
        let aix = Aix::new(&runner);
        assert_eq!(aix.bound_to(BindCpu(3)).unwrap().iter().map(|p| p.pid).collect::<Vec<_>>(), [Pid(4242), Pid(6363)]);
        assert_eq!(aix.plocked().unwrap().iter().map(|p| p.pid).collect::<Vec<_>>(), [Pid(5150)]);
        assert_eq!(aix.online_processors().unwrap().len(), 8);
        assert_eq!(aix.shared_segments().unwrap().len(), 5);
        assert_eq!(aix.pinned_segments().unwrap(), []);
        assert_eq!(aix.rsets().unwrap().len(), 5);
        assert_eq!(aix.classes(WlmScope::Configuration).unwrap().len(), 7);
        assert_eq!(aix.classes(WlmScope::InCore).unwrap(), []);
        assert_eq!(
            runner.calls(),
            [
                PS.to_vec(),
                PS.to_vec(),
                vec!["/usr/sbin/bindprocessor", "-q"],
                vec!["/usr/bin/ipcs", "-m", "-b", "-p"],
                vec!["/usr/bin/ipcs", "-m", "-b", "-p", "-P"],
                vec!["/usr/bin/lsrset", "-v", "-a"],
                vec!["/usr/sbin/lsclass", "-C", "-r"],
                vec!["/usr/sbin/lsclass", "-C", "-r", "-d", ""],
            ]
        );
    }

    #[test]
    fn every_action_runs_its_exact_argument_vector() {
        let runner = ReplayRunner::new()
            .on(["/usr/sbin/bindprocessor", "4242", "3"], RecordedOutput::ok())
            .on(["/usr/sbin/bindprocessor", "-u", "4242"], RecordedOutput::ok())
            .on(["/usr/sbin/chclass", "-a", "rset=sys/sys0", "acme_db"], RecordedOutput::ok())
            .on(["/usr/sbin/chclass", "-a", "rset=acme/db-2", "-d", "", "acme_db.batch"], RecordedOutput::ok());
        let aix = Aix::new(&runner);
        aix.bind(Pid(4242), BindCpu(3)).unwrap();
        aix.unbind(Pid(4242)).unwrap();
        aix.set_class_rset("acme_db", "sys/sys0", WlmScope::Configuration).unwrap();
        aix.set_class_rset("acme_db.batch", "acme/db-2", WlmScope::InCore).unwrap();
        assert_eq!(
            runner.calls(),
            [
                vec!["/usr/sbin/bindprocessor", "4242", "3"],
                vec!["/usr/sbin/bindprocessor", "-u", "4242"],
                vec!["/usr/sbin/chclass", "-a", "rset=sys/sys0", "acme_db"],
                vec!["/usr/sbin/chclass", "-a", "rset=acme/db-2", "-d", "", "acme_db.batch"],
            ]
        );
    }

    #[test]
    fn a_failing_command_is_an_error_quoting_its_stderr() {
        let runner = replay(
            &["/usr/sbin/bindprocessor", "-u", "99"],
            RecordedOutput::failure(1, "1730-002: No such process: 99\n"),
        );
        let err = Aix::new(&runner).unbind(Pid(99)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/usr/sbin/bindprocessor -u 99 failed (exit status 1): 1730-002: No such process: 99"
        );
    }

    #[test]
    fn output_in_another_format_is_a_parse_error() {
        let runner = replay(&PS, RecordedOutput::stdout("PID TTY TIME CMD\n"));
        let err = Aix::new(&runner).processes().unwrap_err();
        assert!(matches!(err, AixError::Parse(ParseError { line: 1, .. })), "{err}");
    }

    #[test]
    fn the_time_limit_reaches_the_runner() {
        let runner = replay(&["/usr/sbin/bindprocessor", "-q"], RecordedOutput::timeout());
        let err = Aix::new(&runner).time_limit(Duration::from_millis(1500)).online_processors().unwrap_err();
        assert_eq!(err.to_string(), "/usr/sbin/bindprocessor -q did not finish within 1.5 s and was killed");
    }

    #[test]
    fn names_are_checked_before_chclass_runs() {
        let runner = ReplayRunner::new();
        let aix = Aix::new(&runner);
        for class in ["", "a.b.c", "seventeen_letters", "db;x", "-d"] {
            assert!(
                matches!(aix.set_class_rset(class, "sys/sys0", WlmScope::InCore), Err(AixError::InvalidName { .. })),
                "{class}"
            );
        }
        for rset in ["", "sys", "/sys0", "sys/", "sys/-x", "sys/a b", "a/b/c", "sys/sys0\n"] {
            let err = aix.set_class_rset("db", rset, WlmScope::InCore).unwrap_err();
            assert!(err.to_string().starts_with("invalid resource set"), "{rset:?}: {err}");
        }
        assert_eq!(runner.calls(), Vec::<Vec<String>>::new());
    }
}
