use dlpar_script::prelude::*;

// A slip in the resource of a handler with a typed event: one error, on the word.
#[prerelease(memory)]
fn shrink(_ev: &MemEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme pool",
    version: 1,
    date: "22112026",
    usage: { mem: "Acme pool" },
    handlers: [shrink],
}
