//! dBASE/FoxPro tables (.dbf): header, field descriptors, records, code page, through `read_dbf`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_fuzz::read_as_file(data, "fuzz.dbf", dossier_records::read_dbf);
});
