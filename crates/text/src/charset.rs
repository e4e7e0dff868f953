//! Turns bytes of unknown or doubtful charset into text.
//!
//! The order of trust: a byte-order mark; then a declared charset, except where declarations are known to lie
//! (mail and web pages labelled "us-ascii" or "iso-8859-1" that hold windows-1251, legacy labels on UTF-8 bytes,
//! one Cyrillic charset labelled as another); then valid UTF-8; then UTF-16 without a mark; then detection among
//! single-byte charsets, where chardetng chooses among the Latin and other families and our own scorer
//! ([`crate::cyrillic`]) chooses among the Cyrillic ones, and overrules chardetng when the text is plainly Cyrillic.

use encoding_rs::{
    Encoding, IBM866, ISO_8859_5, KOI8_R, KOI8_U, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1251, WINDOWS_1252, X_MAC_CYRILLIC,
};

use crate::Decoded;
use crate::cyrillic;

/// How much worse (in nats per non-ASCII character) a declared Cyrillic charset must read than the best one
/// before the declaration is overruled. Large on purpose: a declaration is evidence, and short texts are noisy.
const DECLARED_CYRILLIC_OVERRULE_MARGIN_PER_CHAR: f64 = 0.3;

pub(crate) fn decode(bytes: &[u8], declared_charset: Option<&str>) -> Decoded {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        return decode_with(encoding, &bytes[bom_length..]);
    }
    if let Some(encoding) = declared_charset.and_then(known_label) {
        return decode_declared(encoding, bytes);
    }
    decode_with(detect(bytes), bytes)
}

/// The encoding a label names, ignoring labels encoding_rs maps to its "replacement" encoding (ISO-2022-KR and
/// the like), which would turn the whole text into one U+FFFD.
fn known_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(['"', '\'']);
    Encoding::for_label(label.as_bytes()).filter(|encoding| *encoding != encoding_rs::REPLACEMENT)
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded { text: text.into_owned(), charset: encoding.name(), had_errors }
}

pub(crate) fn is_cyrillic_single_byte(encoding: &'static Encoding) -> bool {
    [WINDOWS_1251, KOI8_R, KOI8_U, IBM866, ISO_8859_5, X_MAC_CYRILLIC].contains(&encoding)
}

fn decode_declared(declared: &'static Encoding, bytes: &[u8]) -> Decoded {
    if declared == UTF_16LE || declared == UTF_16BE {
        // "charset=unicode" in a meta tag that was itself readable as ASCII cannot be right (browsers read such
        // pages as UTF-8); trust a UTF-16 label only when the bytes look like UTF-16.
        return match detect_utf16_without_bom(bytes) {
            Some(encoding) => decode_with(encoding, bytes),
            None => decode_with(detect(bytes), bytes),
        };
    }
    if !bytes.iter().any(|b| *b >= 0x80) {
        return decode_with(declared, bytes);
    }
    if declared == UTF_8 {
        let utf8 = decode_with(UTF_8, bytes);
        // A stray bad byte in real UTF-8 is kept as UTF-8; mostly-invalid "UTF-8" is a legacy charset mislabelled.
        if !utf8.had_errors || mostly_valid_utf8(bytes) {
            return utf8;
        }
        return decode_with(detect_single_byte(bytes), bytes);
    }
    // A legacy label on bytes that are valid UTF-8 with non-ASCII characters: the label is stale (mail clients
    // and editors convert the text but keep the header). Legacy text is practically never valid UTF-8 by chance.
    if declared.is_single_byte() && std::str::from_utf8(bytes).is_ok() {
        return decode_with(UTF_8, bytes);
    }
    // "us-ascii" and "iso-8859-1" both mean windows-1252 to browsers and both are what clients write when they
    // did not know; if the upper-half bytes read as Cyrillic prose, they were Cyrillic.
    if declared == WINDOWS_1252 {
        let (cyrillic_encoding, score) = cyrillic::best_cyrillic(bytes);
        if cyrillic::looks_cyrillic(&score) {
            return decode_with(cyrillic_encoding, bytes);
        }
        return decode_with(WINDOWS_1252, bytes);
    }
    if is_cyrillic_single_byte(declared) {
        let (best_encoding, best_score) = cyrillic::best_cyrillic(bytes);
        if !same_text_family(best_encoding, declared) && cyrillic::looks_cyrillic(&best_score) {
            let declared_score = cyrillic::score_bytes(declared, bytes);
            let advantage_per_char =
                (best_score.total - declared_score.total) / f64::from(best_score.non_ascii_chars.max(1));
            let declared_is_implausible = !cyrillic::looks_cyrillic(&declared_score);
            if declared_is_implausible && advantage_per_char >= DECLARED_CYRILLIC_OVERRULE_MARGIN_PER_CHAR {
                return decode_with(best_encoding, bytes);
            }
        }
    }
    decode_with(declared, bytes)
}

/// KOI8-R and KOI8-U read Russian text identically: a KOI8-R label on KOI8-U text is not a lie to correct.
fn same_text_family(a: &'static Encoding, b: &'static Encoding) -> bool {
    a == b || ([KOI8_R, KOI8_U].contains(&a) && [KOI8_R, KOI8_U].contains(&b))
}

/// True when UTF-8 with a few damaged bytes is likelier than a legacy charset: at least four valid non-ASCII
/// characters for each invalid sequence (legacy Cyrillic text forms valid UTF-8 sequences only by rare chance).
fn mostly_valid_utf8(bytes: &[u8]) -> bool {
    let mut valid_non_ascii = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        valid_non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    valid_non_ascii > 0 && invalid * 4 <= valid_non_ascii
}

/// The charset of undeclared bytes with no byte-order mark.
pub(crate) fn detect(bytes: &[u8]) -> &'static Encoding {
    if let Some(encoding) = detect_utf16_without_bom(bytes) {
        return encoding;
    }
    if std::str::from_utf8(bytes).is_ok() || mostly_valid_utf8(bytes) {
        return UTF_8;
    }
    detect_single_byte(bytes)
}

/// The charset of a sample of names joined by newlines: [`detect`] without the UTF-16 check (names never hold
/// UTF-16, and a set of short names with control bytes could look like it).
pub(crate) fn detect_names(sample: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(sample).is_ok() || mostly_valid_utf8(sample) {
        return UTF_8;
    }
    detect_single_byte_among(sample, &cyrillic::NAME_CANDIDATES)
}

/// UTF-16 without a mark shows as one byte position of each pair holding very few distinct values (0x00 for
/// Latin text, 0x04 for Cyrillic) while the other varies. Checked only on a sample, and confirmed by decoding.
fn detect_utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(64 * 1024) & !1];
    if sample.len() < 8 {
        return None;
    }
    // Without control bytes in the sample this cannot be UTF-16 of any alphabetic script below U+2000.
    let n_control = sample.iter().filter(|b| **b < 0x09 || (0x0E..0x20).contains(*b)).count();
    if n_control * 5 < sample.len() {
        return None;
    }
    let even_concentration = top_two_share(sample.iter().step_by(2));
    let odd_concentration = top_two_share(sample.iter().skip(1).step_by(2));
    let encoding = if odd_concentration >= 0.9 && even_concentration < 0.7 {
        UTF_16LE
    } else if even_concentration >= 0.9 && odd_concentration < 0.7 {
        UTF_16BE
    } else {
        return None;
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(sample);
    let n_chars = text.chars().count().max(1);
    let n_controls = text.chars().filter(|c| c.is_control() && !c.is_whitespace()).count();
    // The sample may end in the middle of a surrogate pair, so errors are tolerated only at its very end.
    let errors_inside = had_errors && text.trim_end_matches('\u{FFFD}').contains('\u{FFFD}');
    (!errors_inside && n_controls * 20 < n_chars).then_some(encoding)
}

/// The share of the two most frequent byte values.
fn top_two_share<'a>(bytes: impl Iterator<Item = &'a u8>) -> f64 {
    let mut counts = [0usize; 256];
    let mut total = 0usize;
    for byte in bytes {
        counts[usize::from(*byte)] += 1;
        total += 1;
    }
    counts.sort_unstable_by(|a, b| b.cmp(a));
    (counts[0] + counts[1]) as f64 / total.max(1) as f64
}

/// Chooses among single-byte (and legacy multi-byte) charsets for bytes that are not UTF-8.
fn detect_single_byte(bytes: &[u8]) -> &'static Encoding {
    detect_single_byte_among(bytes, &cyrillic::CANDIDATES)
}

/// [`detect_single_byte`] with the Cyrillic charsets limited to `cyrillic_candidates` (with their priors).
fn detect_single_byte_among(bytes: &[u8], cyrillic_candidates: &[(&'static Encoding, f64)]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, false);
    let (cyrillic_encoding, score) = cyrillic::best_cyrillic_among(bytes, cyrillic_candidates);
    if is_cyrillic_single_byte(guess) || cyrillic::looks_cyrillic(&score) {
        return cyrillic_encoding;
    }
    guess
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
        let (bytes, _, had_errors) = encoding.encode(text);
        assert!(!had_errors);
        bytes.into_owned()
    }

    fn check(bytes: &[u8], declared: Option<&str>, text: &str, charset: &str) {
        let decoded = decode(bytes, declared);
        assert_eq!((decoded.text.as_str(), decoded.charset), (text, charset), "declared {declared:?}");
    }

    #[test]
    fn short_cyrillic_words_in_every_legacy_charset() {
        check(&encode("Привет", WINDOWS_1251), None, "Привет", "windows-1251");
        check(&encode("Привет", KOI8_R), None, "Привет", "KOI8-R");
        check(&encode("Привет", IBM866), None, "Привет", "IBM866");
    }

    #[test]
    fn koi8_r_and_cp866_sentences() {
        let sentence = "Съешь же ещё этих мягких французских булок, да выпей чаю.";
        check(&encode(sentence, KOI8_R), None, sentence, "KOI8-R");
        check(&encode(sentence, IBM866), None, sentence, "IBM866");
        check(&encode(sentence, ISO_8859_5), None, sentence, "ISO-8859-5");
        check(&encode(sentence, X_MAC_CYRILLIC), None, sentence, "x-mac-cyrillic");
        let ukrainian = "Чуєш їх, доцю, га? Кумедна ж ти, прощайся без ґольфів!";
        check(&encode(ukrainian, KOI8_U), None, ukrainian, "KOI8-U");
        check(&encode(ukrainian, WINDOWS_1251), None, ukrainian, "windows-1251");
    }

    #[test]
    fn byte_order_marks_win_over_declarations() {
        // encoding_rs cannot encode into UTF-16, so build it by hand.
        let utf16: Vec<u8> = "Київ".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut bytes_with_bom = vec![0xFF, 0xFE];
        bytes_with_bom.extend(&utf16);
        check(&bytes_with_bom, Some("koi8-r"), "Київ", "UTF-16LE");
        check("\u{feff}Київ".as_bytes(), Some("windows-1251"), "Київ", "UTF-8");
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = "Россия рассчитывает на конструктивное воздействие";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        check(&le, None, text, "UTF-16LE");
        check(&be, None, text, "UTF-16BE");
        let latin: Vec<u8> = "Hello, world of text".encode_utf16().flat_map(u16::to_le_bytes).collect();
        check(&latin, None, "Hello, world of text", "UTF-16LE");
    }

    #[test]
    fn lying_declarations_are_overruled() {
        let bytes = encode("Добрый день, коллеги", WINDOWS_1251);
        check(&bytes, Some("us-ascii"), "Добрый день, коллеги", "windows-1251");
        check(&bytes, Some("iso-8859-1"), "Добрый день, коллеги", "windows-1251");
        check(&bytes, Some("koi8-r"), "Добрый день, коллеги", "windows-1251");
        check("Добрый день".as_bytes(), Some("windows-1251"), "Добрый день", "UTF-8");
        check(&bytes, Some("utf-8"), "Добрый день, коллеги", "windows-1251");
    }

    #[test]
    fn a_utf16_label_on_single_byte_text_is_ignored() {
        check(b"plain <b>text</b>", Some("unicode"), "plain <b>text</b>", "UTF-8");
        let utf16: Vec<u8> = "Київ і Харків".encode_utf16().flat_map(u16::to_be_bytes).collect();
        check(&utf16, Some("utf-16"), "Київ і Харків", "UTF-16BE");
    }

    #[test]
    fn utf8_with_a_stray_byte_stays_utf8() {
        let mut bytes = "Счёт оплачен. ".as_bytes().to_vec();
        bytes.push(0xFF);
        bytes.extend("Акт не подписан.".as_bytes());
        let decoded = decode(&bytes, None);
        assert_eq!(decoded.text, "Счёт оплачен. \u{FFFD}Акт не подписан.");
        assert_eq!((decoded.charset, decoded.had_errors), ("UTF-8", true));
        // Legacy text that happens to contain one valid UTF-8 pair is still legacy.
        check(&encode("Рё и ещё", WINDOWS_1251), None, "Рё и ещё", "windows-1251");
    }

    #[test]
    fn honest_declarations_are_kept() {
        check(b"caf\xe9", Some("iso-8859-1"), "café", "windows-1252");
        check(&encode("Привет", KOI8_R), Some("koi8-r"), "Привет", "KOI8-R");
        check(b"plain", Some("no-such-charset"), "plain", "UTF-8");
        check(b"caf\xc3\xa9", None, "café", "UTF-8");
    }

    #[test]
    fn latin_legacy_text_is_not_taken_for_cyrillic() {
        let text = "Le café de la gare, où l'on mange très bien à Noël.";
        check(&encode(text, WINDOWS_1252), None, text, "windows-1252");
    }
}
