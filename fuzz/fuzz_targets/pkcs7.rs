//! PKCS#7/CMS signed files: base64 and PEM unwrapping, our BER parser, SignedData, through `read_pkcs7`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_fuzz::read_as_file(data, "fuzz.p7m", dossier_archive::read_pkcs7);
});
