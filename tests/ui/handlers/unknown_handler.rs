use dlpar_script::prelude::*;

#[checkrelease(cpu)]
fn keep_cpu0(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme typo",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads" },
    handlers: [keep_cpu0, keep_cpu1],
}
