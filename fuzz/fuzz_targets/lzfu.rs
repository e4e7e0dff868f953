//! Outlook's compressed RTF (LZFu, MS-OXRTFCP): the decompressor over any stream, bounded by the caller's maximum,
//! and the round trip through our compressor for short inputs (it is slow by design: it only writes fixtures).
#![no_main]

use dossier_outlook::lzfu;

/// The most output the decompressor may produce for one input.
const MAX_OUTPUT: usize = 1 << 20;
/// Inputs up to this length are also compressed and expanded again.
const MAX_ROUND_TRIP: usize = 512;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(decompressed) = lzfu::decompress(data, MAX_OUTPUT) {
        assert!(decompressed.rtf.len() <= MAX_OUTPUT, "{} bytes past the maximum", decompressed.rtf.len());
    }
    if data.len() <= MAX_ROUND_TRIP {
        let expanded = lzfu::decompress(&lzfu::compress(data), MAX_OUTPUT).expect("our own stream has a header");
        assert_eq!(expanded.rtf, data, "compress then decompress changed the bytes");
        assert!(expanded.problems.is_empty(), "our own stream has problems: {:?}", expanded.problems);
    }
});
