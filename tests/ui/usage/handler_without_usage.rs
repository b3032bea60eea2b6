use dlpar_script::prelude::*;

#[checkrelease(cpu)]
fn keep(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[prerelease(cpu, "acme_gpu")]
fn drain(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[premigrate]
fn pause(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme guards processors",
    version: 1,
    date: "22112026",
    usage: {},
    handlers: [keep, drain, pause],
}
