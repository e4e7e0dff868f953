//! Excel 97-2003 (.xls, and BIFF5 and older): records, shared strings, cells, formats, through `read_xls`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_fuzz::read_as_file(data, "fuzz.xls", dossier_legacy::read_xls);
});
