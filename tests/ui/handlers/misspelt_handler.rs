use dlpar_script::prelude::*;

#[postrelease(cpu)]
fn cpu_gone(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

// A slip in the list: the error names the handler meant, and no internal path.
dlpar_script::main! {
    vendor: "Acme",
    info: "Acme misspelt handler",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads" },
    handlers: [cpu_gon],
}
