use dlpar_script::prelude::*;

#[checkrelease(Cpu)]
fn upper(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[prerelease("acme-gpu")]
fn dashed(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[postrelease("acme_graphics_processing_unit_number_1")]
fn long(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

#[undoprerelease(acme - gpu, 42)]
fn not_names(_ev: &Event, _cx: &mut Context) -> Result<()> {
    Ok(())
}

fn main() {}
