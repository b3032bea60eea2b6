use dlpar_script::prelude::*;

#[premigrate]
fn pause(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[premigrate]
fn flush(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

// A handler for the named word beside the family-wide one is fine: it is preferred.
#[premigrate(pmig)]
fn named(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme duplicates",
    version: 1,
    date: "22112026",
    usage: { pmig: "Acme pauses" },
    handlers: [pause, flush, named],
}
