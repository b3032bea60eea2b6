//! Keeping the class's resource set equal to the online processors.
//!
//! The online processors are those of the system resource set [`SYSTEM_RSET`], read
//! with `lsrset -v -a`. AIX has no command that changes a resource set, so the
//! script's own set is removed (`rmrset`) and made again (`mkrset -c CPUs`), then
//! the class is confined to it again in the running WLM (`chclass -a rset=… -d ""`),
//! which makes the kernel pick up the new processors.
//!
//! `mkrset` and `rmrset` are not among the `dlpar_script::aix` helpers; they run
//! through the same [`CommandRunner`], by absolute path, so the replay runner
//! answers them in tests. Their flags follow IBM's `mkrset` page
//! (`mkrset -c CPUlist rsetname`) [R: recalled, to be confirmed on a partition].

use std::time::Duration;

use dlpar_script::aix::{Aix, CommandLine, CommandRunner, DEFAULT_TIME_LIMIT, LogicalCpu, WlmScope};
use dlpar_script::{Context, Error, Result};

use crate::config::Config;

/// The system resource set: every online processor and all memory.
pub(crate) const SYSTEM_RSET: &str = "sys/sys0";
/// Makes a resource set.
const MKRSET: &str = "/usr/bin/mkrset";
/// Removes a resource set.
const RMRSET: &str = "/usr/bin/rmrset";

/// The processors as they are now.
#[derive(Debug)]
pub(crate) struct Processors {
    /// The online processors, from [`SYSTEM_RSET`].
    pub(crate) online: Vec<LogicalCpu>,
    /// The processors of the class's resource set, `None` when it does not exist.
    pub(crate) class_set: Option<Vec<LogicalCpu>>,
}

/// The class of the configuration, and the AIX commands to follow the processors.
#[derive(Debug)]
pub(crate) struct Follower {
    aix: Aix,
    config: Config,
    limit: Duration,
}

impl Follower {
    /// Reads the configuration and sets up the AIX commands within the handler's
    /// time limit.
    pub(crate) fn new(cx: &Context) -> Result<Follower> {
        let config = Config::load().map_err(Error::other)?;
        let limit = cx.time_left().map_or(DEFAULT_TIME_LIMIT, |left| left.min(DEFAULT_TIME_LIMIT));
        Ok(Follower { aix: Aix::from_env()?.time_limit(limit), config, limit })
    }

    /// The class's name.
    pub(crate) fn class(&self) -> &str {
        &self.config.class
    }

    /// Whether the class is defined in the running WLM (`lsclass -C -r -d ""`).
    pub(crate) fn class_exists(&self) -> Result<bool> {
        Ok(self.aix.classes(WlmScope::InCore)?.iter().any(|class| class.name == self.config.class))
    }

    /// The online processors and those of the class's set (`lsrset -v -a`).
    pub(crate) fn processors(&self) -> Result<Processors> {
        let rsets = self.aix.rsets()?;
        let cpus_of = |name: &str| rsets.iter().find(|rset| rset.name == name).map(|rset| rset.cpus.clone());
        let online = cpus_of(SYSTEM_RSET).ok_or_else(|| {
            Error::failed(format!("lsrset -v -a does not list the system resource set {SYSTEM_RSET}"))
        })?;
        Ok(Processors { online, class_set: cpus_of(&self.config.rset) })
    }

    /// Makes the class's set hold exactly `cpus` and confines the class to it;
    /// does nothing when it already does.
    pub(crate) fn confine(&self, now: &Processors, cpus: &[LogicalCpu]) -> Result<()> {
        let (class, rset) = (&self.config.class, &self.config.rset);
        if cpus.is_empty() {
            return Err(Error::failed(format!("WLM class {class} would be left without a processor")));
        }
        if now.class_set.as_deref() == Some(cpus) {
            log::info!("WLM class {class} already runs on logical CPUs {} ({rset})", cpu_list(cpus));
            return Ok(());
        }
        if now.class_set.is_some() {
            self.run(RMRSET, &[rset])?;
        }
        self.run(MKRSET, &["-c", &cpu_list(cpus), rset]).map_err(|e| match now.class_set {
            Some(_) => {
                Error::failed(format!("{e}; resource set {rset} was removed and WLM class {class} has none now"))
            }
            None => e,
        })?;
        self.aix.set_class_rset(class, rset, WlmScope::InCore)?;
        log::info!("WLM class {class} now runs on logical CPUs {} ({rset})", cpu_list(cpus));
        Ok(())
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<()> {
        let line = CommandLine::new(program, args)?;
        self.aix.runner().run(&line, self.limit)?.check(&line)?;
        Ok(())
    }
}

/// `cpus` without `cpu`.
pub(crate) fn without(cpus: &[LogicalCpu], cpu: LogicalCpu) -> Vec<LogicalCpu> {
    cpus.iter().copied().filter(|&c| c != cpu).collect()
}

/// `cpus` with `cpu` added, sorted, each once.
pub(crate) fn with(cpus: &[LogicalCpu], cpu: LogicalCpu) -> Vec<LogicalCpu> {
    let mut all = cpus.to_vec();
    all.push(cpu);
    all.sort_unstable();
    all.dedup();
    all
}

/// Logical CPUs as `mkrset -c` takes them: ranges joined by commas (`0-2,5`).
pub(crate) fn cpu_list(cpus: &[LogicalCpu]) -> String {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for LogicalCpu(cpu) in cpus.iter().copied() {
        match ranges.last_mut() {
            Some((_, last)) if *last + 1 == cpu => *last = cpu,
            _ => ranges.push((cpu, cpu)),
        }
    }
    let text: Vec<String> =
        ranges.iter().map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
    text.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpus(ids: &[u32]) -> Vec<LogicalCpu> {
        ids.iter().copied().map(LogicalCpu).collect()
    }

    #[test]
    fn cpu_lists_are_compressed_to_ranges() {
        assert_eq!(cpu_list(&cpus(&[0, 1, 2, 5, 7, 8])), "0-2,5,7-8");
        assert_eq!(cpu_list(&cpus(&[3])), "3");
        assert_eq!(cpu_list(&[]), "");
    }

    #[test]
    fn a_processor_is_added_or_taken_once() {
        assert_eq!(with(&cpus(&[0, 2]), LogicalCpu(1)), cpus(&[0, 1, 2]));
        assert_eq!(with(&cpus(&[0, 1]), LogicalCpu(1)), cpus(&[0, 1]));
        assert_eq!(without(&cpus(&[0, 1, 2]), LogicalCpu(1)), cpus(&[0, 2]));
    }
}
