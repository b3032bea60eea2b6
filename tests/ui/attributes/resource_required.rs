use dlpar_script::prelude::*;

#[checkrelease]
fn keep(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[preacquire()]
fn prepare(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme resources",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads" },
    handlers: [keep, prepare],
}
