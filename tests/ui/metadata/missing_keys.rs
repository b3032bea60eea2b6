use dlpar_script::prelude::*;

#[checkrelease(cpu)]
fn keep(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    usage: { cpu: "Acme threads" },
    handlers: [keep],
}
