use dlpar_script::prelude::*;

#[checkrelease(cpu)]
struct Keep {
    floor: u32,
}

#[prerelease(mem)]
const FLOOR: u32 = 2;

fn main() {
    let _ = (Keep { floor: FLOOR }).floor;
}
