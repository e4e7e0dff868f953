//! RAR: the parts that are ours. RAR itself is unpacked by unar; what we parse is what unar's tools print (`lsar -j`
//! JSON listings, `unar` progress lines, dates, member paths), which a hostile archive's names and comments control.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_archive::fuzz_rar_tool_output(data);
});
