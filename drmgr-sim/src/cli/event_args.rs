//! The event options of `run remove|add`: the `DR_*` values of docs/protocol.md §6 in human units.

use dlpar_script::protocol::{Family, Resource};
use drmgr_sim::{EventVars, MemVars};

/// Event values; any not given takes the documented default of [`EventVars::default_for`].
#[derive(Debug, Default, clap::Args)]
pub(super) struct EventArgs {
    /// cpu: bind CPU id (DR_BCPUID) [default: 3]
    #[arg(long, value_name = "ID", help_heading = "Event (cpu)")]
    bcpuid: Option<u32>,
    /// cpu: logical CPU id (DR_LCPUID) [default: the bind CPU id]
    #[arg(long, value_name = "ID", help_heading = "Event (cpu)")]
    lcpuid: Option<u32>,
    /// mem: size of the request in MB (DR_MEM_SIZE_REQUEST) [default: 256]
    #[arg(long, value_name = "MB", help_heading = "Event (mem)")]
    mem_mb: Option<u64>,
    /// mem: MB completed so far, before the kernel step (DR_MEM_SIZE_COMPLETED) [default: 0]
    #[arg(long, value_name = "MB", help_heading = "Event (mem)")]
    completed_mb: Option<u64>,
    /// mem: free 4 KB frames, 0x… hex or decimal (DR_FREE_FRAMES) [default: 0x40000]
    #[arg(long, value_name = "FRAMES", value_parser = frames, help_heading = "Event (mem)")]
    free_frames: Option<u64>,
    /// mem: pinnable frames, 0x… hex or decimal (DR_PINNABLE_FRAMES) [default: 0xc0000]
    #[arg(long, value_name = "FRAMES", value_parser = frames, help_heading = "Event (mem)")]
    pinnable_frames: Option<u64>,
    /// mem: total frames, 0x… hex or decimal (DR_TOTAL_FRAMES) [default: 0x100000]
    #[arg(long, value_name = "FRAMES", value_parser = frames, help_heading = "Event (mem)")]
    total_frames: Option<u64>,
    /// capacity: entitled capacity in hundredths of a processor (DR_CPU_CAPACITY) [default: 200]
    #[arg(long, value_name = "N", help_heading = "Event (capacity, var_weight)")]
    capacity: Option<u64>,
    /// var_weight: uncapped variable weight (DR_VAR_WEIGHT) [default: 128]
    #[arg(long, value_name = "N", help_heading = "Event (capacity, var_weight)")]
    weight: Option<u64>,
    /// capacity, var_weight: signed change (DR_CPU_CAPACITY_DELTA or DR_VAR_WEIGHT_DELTA)
    /// [default: -50/+50 for capacity, -32/+32 for var_weight, by direction]
    #[arg(long, value_name = "N", allow_negative_numbers = true, help_heading = "Event (capacity, var_weight)")]
    delta: Option<i64>,
}

/// A frame count: `0x…` is hex, anything else decimal.
fn frames(text: &str) -> Result<u64, String> {
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.map_err(|_| format!("{text:?} is not a frame count (0x… hex or decimal)"))
}

impl EventArgs {
    /// The event values for `resource`; an option for another resource is an error.
    pub(super) fn to_vars(&self, family: Family, resource: &Resource) -> Result<EventVars, String> {
        let mut vars = EventVars::default_for(family, resource);
        let given = self.given();
        let foreign: Vec<&str> =
            given.iter().filter(|(_, applies)| !applies.contains(&resource.as_str())).map(|(name, _)| *name).collect();
        if !foreign.is_empty() {
            let verb = if foreign.len() == 1 { "does" } else { "do" };
            return Err(format!("{} {verb} not apply to {resource}", foreign.join(", ")));
        }
        match &mut vars {
            EventVars::Cpu { bcpuid, lcpuid } => {
                *bcpuid = self.bcpuid.unwrap_or(*bcpuid);
                *lcpuid = self.lcpuid.or(self.bcpuid).unwrap_or(*lcpuid);
            }
            EventVars::Mem(mem) => {
                let d = MemVars::default();
                *mem = MemVars {
                    request_mb: self.mem_mb.unwrap_or(d.request_mb),
                    completed_mb: self.completed_mb.unwrap_or(d.completed_mb),
                    free_frames: self.free_frames.unwrap_or(d.free_frames),
                    pinnable_frames: self.pinnable_frames.unwrap_or(d.pinnable_frames),
                    total_frames: self.total_frames.unwrap_or(d.total_frames),
                };
            }
            EventVars::Capacity { capacity: value, delta } | EventVars::VarWeight { weight: value, delta } => {
                *value = self.capacity.or(self.weight).unwrap_or(*value);
                *delta = self.delta.unwrap_or(*delta);
            }
            EventVars::None => {}
        }
        Ok(vars)
    }

    /// The options given, each with the resources it applies to.
    fn given(&self) -> Vec<(&'static str, &'static [&'static str])> {
        const CPU: &[&str] = &["cpu"];
        const MEM: &[&str] = &["mem"];
        let options: [(&str, &[&str], bool); 10] = [
            ("--bcpuid", CPU, self.bcpuid.is_some()),
            ("--lcpuid", CPU, self.lcpuid.is_some()),
            ("--mem-mb", MEM, self.mem_mb.is_some()),
            ("--completed-mb", MEM, self.completed_mb.is_some()),
            ("--free-frames", MEM, self.free_frames.is_some()),
            ("--pinnable-frames", MEM, self.pinnable_frames.is_some()),
            ("--total-frames", MEM, self.total_frames.is_some()),
            ("--capacity", &["capacity"], self.capacity.is_some()),
            ("--weight", &["var_weight"], self.weight.is_some()),
            ("--delta", &["capacity", "var_weight"], self.delta.is_some()),
        ];
        options.into_iter().filter(|(_, _, given)| *given).map(|(name, applies, _)| (name, applies)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_fill_in_over_the_defaults() {
        let args = EventArgs { bcpuid: Some(1), ..EventArgs::default() };
        assert_eq!(args.to_vars(Family::Remove, &Resource::Cpu), Ok(EventVars::Cpu { bcpuid: 1, lcpuid: 1 }));
        let args = EventArgs { weight: Some(7), delta: Some(-3), ..EventArgs::default() };
        assert_eq!(args.to_vars(Family::Add, &Resource::VarWeight), Ok(EventVars::VarWeight { weight: 7, delta: -3 }));
    }

    #[test]
    fn options_for_another_resource_are_refused() {
        let args = EventArgs { mem_mb: Some(1), weight: Some(2), ..EventArgs::default() };
        assert_eq!(args.to_vars(Family::Add, &Resource::Cpu), Err("--mem-mb, --weight do not apply to cpu".into()));
    }

    #[test]
    fn frames_are_hex_with_0x_and_decimal_without() {
        assert_eq!(frames("0x4000"), Ok(0x4000));
        assert_eq!(frames("0X10"), Ok(16));
        assert_eq!(frames("4000"), Ok(4000));
        assert!(frames("0xZZ").unwrap_err().contains("not a frame count"));
    }
}
