//! Word 97-2003 (.doc): the OLE2 container, the piece table, fields, embedded objects, through `read_doc`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_fuzz::read_as_file(data, "fuzz.doc", dossier_legacy::read_doc);
});
