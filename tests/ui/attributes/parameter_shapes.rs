use dlpar_script::prelude::*;

#[checkrelease(cpu)]
fn by_value(_ev: CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[prerelease(cpu)]
fn mutable_event(_ev: &mut CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[postrelease(cpu)]
fn shared_context(_ev: &CpuEvent, _cx: &Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme parameters",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads" },
    handlers: [by_value, mutable_event, shared_context],
}
