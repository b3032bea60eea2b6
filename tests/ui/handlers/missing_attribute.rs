use dlpar_script::prelude::*;

#[checkrelease(cpu)]
fn keep(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

fn forgot_the_attribute(_ev: &CpuEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

mod pools {
    pub(crate) fn also_plain(_ev: &dlpar_script::event::Event, _cx: &mut dlpar_script::Context) -> dlpar_script::Result<()> {
        Ok(())
    }
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme attributes",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads" },
    handlers: [keep, forgot_the_attribute, pools::also_plain],
}
