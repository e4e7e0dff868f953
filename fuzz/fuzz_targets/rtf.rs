//! RTF: our own parser (groups, control words, code pages, embedded objects, pictures), through `read_rtf`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_fuzz::read_as_file(data, "fuzz.rtf", dossier_rtf::read_rtf);
});
