use dlpar_script::prelude::*;

// One slip in an attribute's name: one error, on that name.
#[checkrelase(cpu)]
fn keep_cpu0(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[postrelease(cpu)]
fn log_removal(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme misspelt attribute",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads" },
    handlers: [keep_cpu0, log_removal],
}
