//! The processor-removal building block: unbind what is bound to the processor being
//! removed, remember it in phase state, rebind it when the removal is undone.
//!
//! `bindprocessor` attachments to the processor being removed make the removal fail
//! ("resource is busy"). [`CpuRelease::prerelease`] unbinds them and records each
//! process. The removal then either fails, and [`CpuRelease::undoprerelease`] binds
//! each process again to the same bind CPU id (it is online again), or succeeds, and
//! [`CpuRelease::postrelease`] applies an [`AfterRelease`] policy, the processor
//! being gone.
//!
//! Policy decisions, which this module documents and follows:
//! * A process whose threads were only partly bound is unbound whole (the command
//!   cannot unbind single threads) and is not bound again: `bindprocessor PID CPU`
//!   would bind all its threads, which it never asked for. It is reported.
//! * Undo binds to the recorded bind CPU id only if `bindprocessor -q` lists it;
//!   otherwise the process is left unbound and reported.
//! * After a successful removal the default is [`AfterRelease::LeaveUnbound`]: bind
//!   ids are not stable identities, and moving every displaced process onto the
//!   highest remaining processor can overload it. [`AfterRelease::BindToHighest`] is
//!   there for applications that must stay bound somewhere.
//! * A process that no longer exists cannot be bound again; it is reported, never an
//!   error for the other processes.

use serde::{Deserialize, Serialize};

use super::{Aix, AixError, BindCpu, Binding, CommandRunner, Pid};
use crate::state::State;
use crate::{Error, Result};

/// One process prerelease unbound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unbound {
    /// The process.
    pub pid: Pid,
    /// The bind CPU id it was bound to.
    pub cpu: BindCpu,
    /// Its command, for messages.
    pub command: String,
    /// Whether the whole process was bound (else only some threads).
    pub whole: bool,
}

/// What prerelease unbound: the phase-state record of this building block.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Released {
    /// The processes, in the order they were unbound.
    pub processes: Vec<Unbound>,
}

/// Where [`CpuRelease`] keeps its [`Released`] record between the prerelease process
/// and the postrelease or undoprerelease process: the script's phase state.
///
/// `Option<Released>` is an in-memory store, for tests.
pub trait ReleaseStore {
    /// Stores the record, replacing any previous one.
    fn save(&mut self, released: &Released) -> Result<()>;
    /// Removes and returns the record, if any.
    fn take(&mut self) -> Result<Option<Released>>;
}

/// The script's phase state: `CpuRelease::new(&aix).prerelease(cpu, &mut cx.state())`.
impl ReleaseStore for State<'_> {
    fn save(&mut self, released: &Released) -> Result<()> {
        State::save(self, released)
    }

    fn take(&mut self) -> Result<Option<Released>> {
        State::take(self)
    }
}

impl ReleaseStore for Option<Released> {
    fn save(&mut self, released: &Released) -> Result<()> {
        *self = Some(released.clone());
        Ok(())
    }

    fn take(&mut self) -> Result<Option<Released>> {
        Ok(Option::take(self))
    }
}

/// What to do, after a successful removal, with the processes that were bound to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AfterRelease {
    /// Leave them unbound (the default).
    #[default]
    LeaveUnbound,
    /// Bind the wholly bound ones to the highest bind CPU id still online.
    BindToHighest,
}

/// What postrelease or undoprerelease did with the recorded processes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rebound {
    /// Processes bound again, and where.
    pub bound: Vec<(Unbound, BindCpu)>,
    /// Processes left unbound, and why.
    pub left: Vec<(Unbound, String)>,
}

/// The building block, over the commands of `aix`.
///
/// ```
/// use dlpar_script::aix::{Aix, BindCpu, CpuRelease, Pid, Released, ReplayRunner, RecordedOutput};
///
/// let ps = "USER PID PPID TID ST CP PRI SC WCHAN F TT BND COMMAND\n\
///           acme 4242 1 - A 0 60 1 * 240001 - 3 worker\n";
/// let runner = ReplayRunner::new()
///     .on(["/usr/bin/ps", "-e", "-m", "-o", "THREAD"], RecordedOutput::stdout(ps))
///     .on(["/usr/sbin/bindprocessor", "-u", "4242"], RecordedOutput::ok())
///     .on(["/usr/sbin/bindprocessor", "-q"], RecordedOutput::stdout("The available processors are: 0 1 2 3\n"))
///     .on(["/usr/sbin/bindprocessor", "4242", "3"], RecordedOutput::ok());
/// let aix = Aix::new(&runner);
/// let mut state: Option<Released> = None;
///
/// // prerelease cpu, DR_BCPUID=3
/// CpuRelease::new(&aix).prerelease(BindCpu(3), &mut state)?;
/// // the removal fails: undoprerelease cpu
/// let rebound = CpuRelease::new(&aix).undoprerelease(&mut state)?;
/// assert_eq!(rebound.bound[0].1, BindCpu(3));
/// assert_eq!(state, None);
/// assert_eq!(runner.calls()[3], ["/usr/sbin/bindprocessor", "4242", "3"]);
/// # Ok::<(), dlpar_script::Error>(())
/// ```
#[derive(Debug)]
pub struct CpuRelease<'a, R> {
    aix: &'a Aix<R>,
}

impl<'a, R: CommandRunner> CpuRelease<'a, R> {
    /// The building block over `aix`.
    pub fn new(aix: &'a Aix<R>) -> CpuRelease<'a, R> {
        CpuRelease { aix }
    }

    /// Unbinds every process bound to `cpu` and records them in `store`, added to any
    /// record already there. If an unbind fails, the processes unbound so far are
    /// recorded before the error is returned, so nothing is forgotten.
    pub fn prerelease(&self, cpu: BindCpu, store: &mut impl ReleaseStore) -> Result<Released> {
        let mut released = store.take()?.unwrap_or_default();
        let outcome = self.unbind_all(cpu, &mut released);
        if !released.processes.is_empty() {
            store.save(&released)?;
        }
        outcome.map(|()| released)
    }

    fn unbind_all(&self, cpu: BindCpu, released: &mut Released) -> Result<()> {
        for process in self.aix.bound_to(cpu)? {
            self.aix.unbind(process.pid).map_err(|e| {
                Error::failed(format!(
                    "cannot unbind process {} ({}) from bind CPU {cpu}: {e}",
                    process.pid, process.command
                ))
            })?;
            let whole = process.binding() == Binding::Process(cpu);
            released.processes.push(Unbound { pid: process.pid, cpu, command: process.command, whole });
        }
        Ok(())
    }

    /// The removal failed: binds each recorded process again to its bind CPU id, and
    /// clears the record. If the online processors cannot be listed, the record is
    /// kept and the error returned.
    pub fn undoprerelease(&self, store: &mut impl ReleaseStore) -> Result<Rebound> {
        self.rebind(store, |process, online| {
            if online.contains(&process.cpu) {
                Ok(process.cpu)
            } else {
                Err(format!("bind CPU {} is not online", process.cpu))
            }
        })
    }

    /// The removal succeeded: applies `policy` to the recorded processes and clears
    /// the record.
    pub fn postrelease(&self, store: &mut impl ReleaseStore, policy: AfterRelease) -> Result<Rebound> {
        match policy {
            AfterRelease::LeaveUnbound => {
                let records = store.take()?.unwrap_or_default();
                let left = records.processes.into_iter().map(|p| {
                    let reason = format!("bind CPU {} was removed", p.cpu);
                    (p, reason)
                });
                Ok(Rebound { bound: Vec::new(), left: left.collect() })
            }
            AfterRelease::BindToHighest => self.rebind(store, |_, online| {
                online.iter().max().copied().ok_or_else(|| "no processor is online".to_owned())
            }),
        }
    }

    fn rebind(
        &self,
        store: &mut impl ReleaseStore,
        target: impl Fn(&Unbound, &[BindCpu]) -> std::result::Result<BindCpu, String>,
    ) -> Result<Rebound> {
        let Some(released) = store.take()? else { return Ok(Rebound::default()) };
        let online = match self.aix.online_processors() {
            Ok(online) => online,
            Err(e) => {
                store.save(&released)?;
                return Err(e.into());
            }
        };
        let mut report = Rebound::default();
        for process in released.processes {
            match self.bind_again(&process, &online, &target) {
                Ok(cpu) => report.bound.push((process, cpu)),
                Err(reason) => report.left.push((process, reason)),
            }
        }
        Ok(report)
    }

    fn bind_again(
        &self,
        process: &Unbound,
        online: &[BindCpu],
        target: &impl Fn(&Unbound, &[BindCpu]) -> std::result::Result<BindCpu, String>,
    ) -> std::result::Result<BindCpu, String> {
        if !process.whole {
            return Err("only some of its threads were bound; bindprocessor binds whole processes".to_owned());
        }
        let cpu = target(process, online)?;
        self.aix.bind(process.pid, cpu).map_err(|e: AixError| e.to_string())?;
        Ok(cpu)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aix::parse::fixture;
    use crate::aix::{RecordedOutput, ReplayRunner};

    const PS: [&str; 5] = ["/usr/bin/ps", "-e", "-m", "-o", "THREAD"];
    const ONLINE: [&str; 2] = ["/usr/sbin/bindprocessor", "-q"];

    fn unbound(pid: u32, command: &str, whole: bool) -> Unbound {
        Unbound { pid: Pid(pid), cpu: BindCpu(3), command: command.to_owned(), whole }
    }

    /// The normal ps fixture: 4242 wholly bound to CPU 3, 6363 with one thread on it.
    fn with_ps() -> ReplayRunner {
        ReplayRunner::new().on(PS, RecordedOutput::stdout(fixture(include_str!("fixtures/ps_normal.txt"))))
    }

    fn argv(call: &[&str]) -> Vec<String> {
        call.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn prerelease_unbinds_and_records_every_process_on_the_cpu() {
        let runner = with_ps()
            .on(["/usr/sbin/bindprocessor", "-u", "4242"], RecordedOutput::ok())
            .on(["/usr/sbin/bindprocessor", "-u", "6363"], RecordedOutput::ok());
        let mut state = None;
        let released = CpuRelease::new(&Aix::new(&runner)).prerelease(BindCpu(3), &mut state).unwrap();
        let expected = Released {
            processes: vec![unbound(4242, "/opt/acme/bin/worker -n 4", true), unbound(6363, "db2sysc 0", false)],
        };
        assert_eq!(released, expected);
        assert_eq!(state, Some(expected));
        assert_eq!(
            runner.calls()[1..],
            [argv(&["/usr/sbin/bindprocessor", "-u", "4242"]), argv(&["/usr/sbin/bindprocessor", "-u", "6363"])]
        );
    }

    #[test]
    fn nothing_bound_records_nothing() {
        let mut state = None;
        let runner = with_ps();
        let released = CpuRelease::new(&Aix::new(&runner)).prerelease(BindCpu(5), &mut state).unwrap();
        assert_eq!((released, state), (Released::default(), None));
    }

    #[test]
    fn a_failed_unbind_keeps_what_was_done() {
        let runner = with_ps()
            .on(["/usr/sbin/bindprocessor", "-u", "4242"], RecordedOutput::ok())
            .on(["/usr/sbin/bindprocessor", "-u", "6363"], RecordedOutput::failure(1, "1730-003 permission denied"));
        let mut state = None;
        let err = CpuRelease::new(&Aix::new(&runner)).prerelease(BindCpu(3), &mut state).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot unbind process 6363 (db2sysc 0) from bind CPU 3: \
             /usr/sbin/bindprocessor -u 6363 failed (exit status 1): 1730-003 permission denied"
        );
        assert_eq!(state, Some(Released { processes: vec![unbound(4242, "/opt/acme/bin/worker -n 4", true)] }));
    }

    #[test]
    fn undo_rebinds_whole_processes_to_their_cpu_and_reports_the_rest() {
        let runner = ReplayRunner::new()
            .on(ONLINE, RecordedOutput::stdout("The available processors are: 0 1 2 3\n"))
            .on(["/usr/sbin/bindprocessor", "4242", "3"], RecordedOutput::ok())
            .on(
                ["/usr/sbin/bindprocessor", "7000", "3"],
                RecordedOutput::failure(1, "1730-002: No such process: 7000"),
            );
        let mut state = Some(Released {
            processes: vec![
                unbound(4242, "worker", true),
                unbound(6363, "db2sysc 0", false),
                unbound(7000, "gone", true),
            ],
        });
        let report = CpuRelease::new(&Aix::new(&runner)).undoprerelease(&mut state).unwrap();
        assert_eq!(report.bound, [(unbound(4242, "worker", true), BindCpu(3))]);
        assert_eq!(
            report.left,
            [
                (
                    unbound(6363, "db2sysc 0", false),
                    "only some of its threads were bound; bindprocessor binds whole processes".into()
                ),
                (
                    unbound(7000, "gone", true),
                    "/usr/sbin/bindprocessor 7000 3 failed (exit status 1): 1730-002: No such process: 7000".into()
                ),
            ]
        );
        assert_eq!(state, None);
        assert_eq!(
            runner.calls(),
            [
                argv(&ONLINE),
                argv(&["/usr/sbin/bindprocessor", "4242", "3"]),
                argv(&["/usr/sbin/bindprocessor", "7000", "3"])
            ]
        );
    }

    #[test]
    fn undo_leaves_a_process_unbound_when_its_cpu_is_not_online() {
        let runner = ReplayRunner::new().on(ONLINE, RecordedOutput::stdout("The available processors are: 0 1 2\n"));
        let mut state = Some(Released { processes: vec![unbound(4242, "worker", true)] });
        let report = CpuRelease::new(&Aix::new(&runner)).undoprerelease(&mut state).unwrap();
        assert_eq!(report.left, [(unbound(4242, "worker", true), "bind CPU 3 is not online".to_owned())]);
        assert_eq!(runner.calls(), [argv(&ONLINE)]);
    }

    #[test]
    fn undo_without_a_record_runs_nothing() {
        let runner = ReplayRunner::new();
        let report = CpuRelease::new(&Aix::new(&runner)).undoprerelease(&mut None).unwrap();
        assert_eq!((report, runner.calls().len()), (Rebound::default(), 0));
    }

    #[test]
    fn undo_keeps_the_record_when_the_processors_cannot_be_listed() {
        let runner = ReplayRunner::new().on(ONLINE, RecordedOutput::timeout());
        let record = Released { processes: vec![unbound(4242, "worker", true)] };
        let mut state = Some(record.clone());
        let err = CpuRelease::new(&Aix::new(&runner)).undoprerelease(&mut state).unwrap_err();
        assert_eq!(err.to_string(), "/usr/sbin/bindprocessor -q did not finish within 10 s and was killed");
        assert_eq!(state, Some(record));
    }

    #[test]
    fn postrelease_policies() {
        let record = Released { processes: vec![unbound(4242, "worker", true), unbound(6363, "db2sysc 0", false)] };

        let runner = ReplayRunner::new();
        let mut state = Some(record.clone());
        let report = CpuRelease::new(&Aix::new(&runner)).postrelease(&mut state, AfterRelease::LeaveUnbound).unwrap();
        assert_eq!(
            report.left.iter().map(|(p, why)| (p.pid.0, why.as_str())).collect::<Vec<_>>(),
            [(4242, "bind CPU 3 was removed"), (6363, "bind CPU 3 was removed")]
        );
        assert_eq!((state, runner.calls().len()), (None, 0));

        let runner = ReplayRunner::new()
            .on(ONLINE, RecordedOutput::stdout("The available processors are: 0 1 2\n"))
            .on(["/usr/sbin/bindprocessor", "4242", "2"], RecordedOutput::ok());
        let mut state = Some(record);
        let report = CpuRelease::new(&Aix::new(&runner)).postrelease(&mut state, AfterRelease::BindToHighest).unwrap();
        assert_eq!(report.bound, [(unbound(4242, "worker", true), BindCpu(2))]);
        assert_eq!(report.left.len(), 1);
        assert_eq!(runner.calls(), [argv(&ONLINE), argv(&["/usr/sbin/bindprocessor", "4242", "2"])]);
    }

    #[test]
    fn a_second_prerelease_adds_to_the_record() {
        let runner = with_ps().on(["/usr/sbin/bindprocessor", "-u", "7070"], RecordedOutput::ok());
        let mut state = Some(Released { processes: vec![unbound(4242, "worker", true)] });
        CpuRelease::new(&Aix::new(&runner)).prerelease(BindCpu(1), &mut state).unwrap();
        let pids: Vec<_> = state.unwrap().processes.iter().map(|p| (p.pid.0, p.cpu.0)).collect();
        assert_eq!(pids, [(4242, 3), (7070, 1)]);
    }

    #[test]
    fn the_record_round_trips_through_json() {
        let record = Released { processes: vec![unbound(4242, "worker", true)] };
        let text = serde_json::to_string(&record).unwrap();
        assert_eq!(text, r#"{"processes":[{"pid":4242,"cpu":3,"command":"worker","whole":true}]}"#);
        assert_eq!(serde_json::from_str::<Released>(&text).unwrap(), record);
    }
}
