use dlpar_script::prelude::*;

#[checkrelease(cpu)]
fn keep_cpu0(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[checkrelease(cpu)]
fn keep_cpu1(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[prerelease(cpu, mem)]
fn drain(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[prerelease(mem)]
fn shrink(_ev: &MemEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

// Handlers of the same name in different modules are still two handlers.
mod add {
    use dlpar_script::prelude::*;

    #[checkacquire(mem)]
    pub(crate) fn check(_ev: &MemEvent, _cx: &mut Context) -> Result<()> {
        Ok(())
    }
}

mod pool {
    use dlpar_script::prelude::*;

    #[checkacquire(mem)]
    pub(crate) fn check(_ev: &MemEvent, _cx: &mut Context) -> Result<()> {
        Ok(())
    }
}

// Different commands, or the same command for another resource, are fine.
#[postrelease(mem)]
fn resume(_ev: &MemEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme duplicates",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads", mem: "Acme pool" },
    handlers: [keep_cpu0, keep_cpu1, drain, shrink, resume, add::check, pool::check],
}
