use dlpar_script::prelude::*;

struct Daemon;

impl Daemon {
    #[checkrelease(cpu)]
    fn keep(&self, _ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
        Ok(())
    }
}

fn main() {}
