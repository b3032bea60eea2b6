use dlpar_script::prelude::*;

#[checkrelease(cpu)]
fn keep_cpu0(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[postrelease(cpu)]
fn forgotten(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme guard",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme guard keeps CPU 0" },
    handlers: [keep_cpu0],
}
