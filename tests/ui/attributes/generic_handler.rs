use dlpar_script::prelude::*;

#[checkrelease(cpu)]
fn any_event<E>(_ev: &E, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[prerelease(cpu)]
fn with_lifetime<'a>(_ev: &'a CpuEvent, _cx: &'a mut Context) -> Result<()> {
    Ok(())
}

#[postrelease(cpu)]
fn with_where(_ev: &CpuEvent, _cx: &mut Context) -> Result<()>
where
    CpuEvent: Clone,
{
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme generics",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads" },
    handlers: [any_event, with_lifetime, with_where],
}
