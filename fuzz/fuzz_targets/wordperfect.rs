//! WordPerfect 5.x and 6+ (.wpd): prefix packet, function codes, character sets, through `read_wordperfect`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    dossier_fuzz::read_as_file(data, "fuzz.wpd", dossier_wordperfect::read_wordperfect);
});
