#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dlpar_script_fuzz::capture(data));
