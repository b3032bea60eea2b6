use dlpar_script::prelude::*;

#[checkrelease(cpu)]
fn wrong_context(_ev: &CpuEvent, _cx: &mut String) -> Result<()> {
    Ok(())
}

#[prerelease(cpu)]
fn wrong_return(_ev: &CpuEvent, _cx: &mut Context) -> std::result::Result<(), String> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme types",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads" },
    handlers: [wrong_context, wrong_return],
}
