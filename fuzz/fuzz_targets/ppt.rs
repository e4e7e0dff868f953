//! PowerPoint 97-2003 (.ppt): the record tree, text atoms, embedded objects, through `read_ppt`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_fuzz::read_as_file(data, "fuzz.ppt", dossier_legacy::read_ppt);
});
