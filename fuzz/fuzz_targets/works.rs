//! Microsoft Works word-processor documents (.wps), through `read_works`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_fuzz::read_as_file(data, "fuzz.wps", dossier_legacy::read_works);
});
