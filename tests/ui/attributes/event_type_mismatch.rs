use dlpar_script::prelude::*;

// One known resource: its typed event.
#[checkrelease(cpu)]
fn wrong_typed_event(_ev: &MemEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

// One known resource: not the general event either.
#[prerelease(cpu)]
fn general_for_one(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

// Several resources: the general event.
#[checkacquire(cpu, mem)]
fn typed_for_several(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

// A whole family: the general event.
#[premigrate]
fn typed_for_family(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme events",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads", mem: "Acme pool", pmig: "Acme pauses" },
    handlers: [wrong_typed_event, general_for_one, typed_for_several, typed_for_family],
}
