use dlpar_script::prelude::*;

#[checkrelease(cpu)]
async fn later(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[prerelease(cpu)]
unsafe fn risky(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme qualifiers",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads" },
    handlers: [later, risky],
}
