use dlpar_script::prelude::*;

#[checkrelease(cpu)]
fn one(_ev: &CpuEvent) -> Result<()> {
    Ok(())
}

#[prerelease(cpu)]
fn three(_ev: &CpuEvent, _cx: &mut Context, _extra: u32) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme parameters",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads" },
    handlers: [one, three],
}
