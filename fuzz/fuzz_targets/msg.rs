//! Outlook items (.msg): the property streams, recipients, attachments, nested messages, bodies, through `read_msg`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_fuzz::read_as_file(data, "fuzz.msg", dossier_outlook::read_msg);
});
