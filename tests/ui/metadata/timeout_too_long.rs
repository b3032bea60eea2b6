use dlpar_script::prelude::*;

#[checkrelease(cpu)]
fn keep(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme guards processors",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads" },
    handlers: [keep],
    timeout: 86_401,
}
