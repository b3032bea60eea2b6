use dlpar_script::prelude::*;

// A typo of a word drmgr sends must not become a custom resource.
#[checkrelease(memory)]
fn keep_pool(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[prerelease(cpus, weight)]
fn two_slips(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

// With a typed event: one error, on the word (the event type waits for a resource).
#[prerelease(memory)]
fn shrink(_ev: &MemEvent, _cx: &mut Context) -> Result<()> {
    Ok(())
}

// A custom resource written bare: it goes in quotes.
#[preaccevent(acme_gpu)]
fn gpu(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

dlpar_script::main! {
    vendor: "Acme",
    info: "Acme pool",
    version: 1,
    date: "22112026",
    usage: { mem: "Acme pool", acme_fpga: "Acme FPGA" },
    handlers: [keep_pool, two_slips, shrink, gpu],
}
