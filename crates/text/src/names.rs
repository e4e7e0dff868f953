//! File and member names stored as bytes of no declared charset: ZIP names without the UTF-8 flag, TAR and RAR
//! names, file names on disk.
//!
//! The names of one archive (or one folder) were written by one tool with one code page, so the charset is decided
//! once over all of them ([`NameCharset::detect`]): a single short name ("План.xls") is weak evidence, a hundred
//! names together are strong. The detection is the one the text readers use (`charset.rs`): UTF-8, then our
//! Cyrillic scorer and chardetng among the legacy charsets.
//!
//! A name must stay distinguishable from every other name, so nothing is merged into U+FFFD. The rendering: the
//! decoded text, in which every byte that could not be decoded is written `\xHH` (two upper-case hex digits), and
//! so is every backslash that stands before an `x` (`\x5C`), so that a literal `\x` never appears. Control
//! characters are kept as they are, like every other character: the name stays exact (the JSON output shows it
//! so), and each output for people escapes them where it shows the name (`dossier_catalog::escape_controls`). Reading `\xHH` back as the
//! byte HH and everything else as the charset's bytes gives the original name, so two different names never
//! render alike.

use encoding_rs::{
    BIG5, DecoderResult, EUC_JP, EUC_KR, Encoding, GB18030, GBK, SHIFT_JIS, UTF_8, WINDOWS_874, WINDOWS_1250,
    WINDOWS_1252, WINDOWS_1253, WINDOWS_1254, WINDOWS_1255, WINDOWS_1256, WINDOWS_1257, WINDOWS_1258,
};

use crate::charset;

/// At most this many bytes of names are weighed when detecting: far more than any real set of names needs, and a
/// bound on the work an archive of millions of names can cause.
const MAX_SAMPLE_BYTES: usize = 64 * 1024;

/// The Windows ANSI code pages other than Cyrillic: what Windows writes names in when not in UTF-16.
const WINDOWS_ANSI: [&Encoding; 9] = [
    WINDOWS_874,
    WINDOWS_1250,
    WINDOWS_1252,
    WINDOWS_1253,
    WINDOWS_1254,
    WINDOWS_1255,
    WINDOWS_1256,
    WINDOWS_1257,
    WINDOWS_1258,
];

/// A name turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedName {
    /// The name as text, rendered as the module documentation describes.
    pub text: String,
    /// The legacy charset the name was read in (WHATWG name: "IBM866", "windows-1251", "IBM437"...); `None` when
    /// it was read as UTF-8 (ASCII names included).
    pub encoding: Option<&'static str>,
    /// True when every byte was decoded; false when some were not valid in the charset and were escaped.
    pub exact: bool,
}

/// What to read names in when they are neither UTF-8 nor clearly of a script the detectors recognise (Cyrillic,
/// Chinese, Japanese, Korean), i.e. when the evidence only says "some Latin-script code page".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameFallback {
    /// The detector's guess (windows-1252 and the like): file names on disk, TAR names.
    Detected,
    /// IBM437, the code page the ZIP specification prescribes for names without the UTF-8 flag, which DOS and
    /// Windows archivers in Western Europe and America write.
    Cp437,
}

/// The charset a set of names is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameCharset(Charset);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    Utf8,
    Cp437,
    Legacy(&'static Encoding),
}

impl NameCharset {
    /// UTF-8, for names a format declares as UTF-8 (ZIP's flag, PAX headers): invalid bytes are still escaped.
    pub const UTF_8: NameCharset = NameCharset(Charset::Utf8);

    /// Decides the charset of a set of names that share one (the members of one archive, the entries of one
    /// folder). Names of ASCII alone carry no evidence and are skipped; if no name has a byte above 0x7F, or the
    /// ones that do are UTF-8, the answer is UTF-8.
    pub fn detect<I>(names: I, fallback: NameFallback) -> NameCharset
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        let mut sample = Vec::new();
        for name in names {
            let name = name.as_ref();
            if name.is_ascii() {
                continue;
            }
            let room = MAX_SAMPLE_BYTES.saturating_sub(sample.len());
            if name.len() >= room {
                // Whole names only, except when the very first is longer than the sample (a hostile one).
                if sample.is_empty() {
                    sample.extend_from_slice(&name[..room]);
                }
                break;
            }
            sample.extend_from_slice(name);
            sample.push(b'\n');
        }
        if sample.is_empty() {
            return NameCharset::UTF_8;
        }
        let encoding = charset::detect_names(&sample);
        if encoding == UTF_8 {
            return NameCharset::UTF_8;
        }
        if charset::is_cyrillic_single_byte(encoding) {
            return NameCharset(Charset::Legacy(encoding));
        }
        // A multi-byte guess is believed only when every name decodes in it, and into the script's own letters:
        // one short Latin name can be valid Shift_JIS ("Zürich" in IBM437 reads "Z〉ich").
        let east_asian = [GBK, GB18030, BIG5, SHIFT_JIS, EUC_JP, EUC_KR].contains(&encoding);
        if east_asian
            && let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(&sample)
            && reads_as_east_asian(&text)
        {
            return NameCharset(Charset::Legacy(encoding));
        }
        match fallback {
            NameFallback::Cp437 => NameCharset(Charset::Cp437),
            // Windows writes names in its ANSI code page; a guess among the ISO ones on a few names is noise.
            NameFallback::Detected if WINDOWS_ANSI.contains(&encoding) => NameCharset(Charset::Legacy(encoding)),
            NameFallback::Detected => NameCharset(Charset::Legacy(WINDOWS_1252)),
        }
    }

    /// The charset's WHATWG name ("UTF-8", "IBM866", "windows-1251", "IBM437"...).
    pub fn name(self) -> &'static str {
        match self.0 {
            Charset::Utf8 => "UTF-8",
            Charset::Cp437 => "IBM437",
            Charset::Legacy(encoding) => encoding.name(),
        }
    }

    /// True for UTF-8, false for a legacy code page.
    pub fn is_utf8(self) -> bool {
        self.0 == Charset::Utf8
    }

    /// Decodes one name in this charset.
    pub fn decode(self, bytes: &[u8]) -> DecodedName {
        let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
        let exact = match self.0 {
            Charset::Utf8 => decode_escaped(UTF_8, bytes, &mut text),
            Charset::Legacy(encoding) => decode_escaped(encoding, bytes, &mut text),
            Charset::Cp437 => {
                let decoded: String = bytes.iter().map(|byte| cp437_char(*byte)).collect();
                render(&decoded, &mut text);
                true
            }
        };
        let encoding = (!self.is_utf8() && !bytes.is_ascii()).then(|| self.name());
        DecodedName { text, encoding, exact }
    }
}

/// True when most non-ASCII characters are Chinese ideographs, kana or Hangul syllables, at least two of them.
fn reads_as_east_asian(text: &str) -> bool {
    let is_letter = |c: char| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}' | '\u{F900}'..='\u{FAFF}');
    let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
    let letters = text.chars().filter(|c| is_letter(*c)).count();
    letters >= 2 && letters * 10 >= non_ascii * 8
}

/// Decodes one name on its own evidence (prefer [`decode_names`] or [`NameCharset::detect`] when there are
/// several names of one origin).
pub fn decode_name(bytes: &[u8]) -> DecodedName {
    NameCharset::detect([bytes], NameFallback::Detected).decode(bytes)
}

/// A file name the file system gave as bytes that are not UTF-8, read as Cyrillic only when the bytes make that
/// case on their own: at least three bytes above 0x7F, a Cyrillic single-byte code page by the detector (what a
/// Russian or Ukrainian Windows tool writes: windows-1251, cp866, KOI8), every byte decoding, no backslash (which
/// the rendering may escape), and nine in ten of the other characters Cyrillic letters. `None` when the evidence is
/// weaker (`a\xFF.txt`): the caller shows the bytes escaped rather than guess.
pub fn cyrillic_file_name(bytes: &[u8]) -> Option<String> {
    if std::str::from_utf8(bytes).is_ok() || bytes.iter().filter(|byte| **byte >= 0x80).count() < 3 {
        return None;
    }
    let charset = NameCharset::detect([bytes], NameFallback::Detected);
    let NameCharset(Charset::Legacy(encoding)) = charset else { return None };
    if !charset::is_cyrillic_single_byte(encoding) {
        return None;
    }
    let decoded = charset.decode(bytes);
    let non_ascii = decoded.text.chars().filter(|c| !c.is_ascii()).count();
    let cyrillic = decoded.text.chars().filter(|c| matches!(c, '\u{0400}'..='\u{04FF}')).count();
    (decoded.exact && !decoded.text.contains('\\') && cyrillic * 10 >= non_ascii * 9).then_some(decoded.text)
}

/// Decodes a set of names that share one charset, deciding it over all of them.
pub fn decode_names<B: AsRef<[u8]>>(names: &[B]) -> Vec<DecodedName> {
    let charset = NameCharset::detect(names, NameFallback::Detected);
    names.iter().map(|name| charset.decode(name.as_ref())).collect()
}

/// Decodes `bytes` into `out`, escaping what does not decode; returns true when every byte decoded.
///
/// After a malformed sequence decoding restarts with a fresh decoder just after it, so every byte is either part
/// of a decoded character or escaped, exactly once.
fn decode_escaped(encoding: &'static Encoding, bytes: &[u8], out: &mut String) -> bool {
    let mut exact = true;
    let mut rest = bytes;
    while !rest.is_empty() {
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let capacity = decoder.max_utf8_buffer_length_without_replacement(rest.len()).unwrap_or(rest.len() * 4);
        let mut segment = String::with_capacity(capacity);
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut segment, true);
        // The decoded text stands for rest[..valid]; rest[valid..next] did not decode.
        let (valid, next) = match result {
            DecoderResult::InputEmpty => (read, read),
            // Cannot happen with the capacity asked for; escaping the rest keeps every byte visible regardless.
            DecoderResult::OutputFull => (read, rest.len()),
            DecoderResult::Malformed(length, consumed_after) => {
                let end = read.saturating_sub(usize::from(consumed_after));
                (end.saturating_sub(usize::from(length)), end.max(1))
            }
        };
        exact &= push_decoded(encoding, &rest[..valid], &segment, out);
        escape_bytes(&rest[valid..next], out);
        exact &= valid == next;
        rest = &rest[next..];
    }
    exact
}

/// Appends the text decoded from `bytes`. Single-byte charsets and UTF-8 decode distinct bytes to distinct text;
/// the East Asian ones map a few characters twice (NEC and IBM extensions of Shift_JIS, for instance), so their
/// text is kept only when it encodes back to the same bytes, and otherwise its non-ASCII bytes are escaped.
/// Returns false in that case.
fn push_decoded(encoding: &'static Encoding, bytes: &[u8], decoded: &str, out: &mut String) -> bool {
    if encoding == UTF_8 || encoding.is_single_byte() {
        render(decoded, out);
        return true;
    }
    let (encoded, _, had_errors) = encoding.encode(decoded);
    if !had_errors && encoded == bytes {
        render(decoded, out);
        return true;
    }
    for run in bytes.chunk_by(|a, b| a.is_ascii() == b.is_ascii()) {
        if run.is_ascii() {
            render(std::str::from_utf8(run).expect("ASCII is UTF-8"), out);
        } else {
            escape_bytes(run, out);
        }
    }
    false
}

fn escape_bytes(bytes: &[u8], out: &mut String) {
    for byte in bytes {
        out.push_str(&format!("\\x{byte:02X}"));
    }
}

/// Appends decoded text, escaping control characters and a backslash before `x`.
fn render(decoded: &str, out: &mut String) {
    let mut chars = decoded.chars().peekable();
    while let Some(c) = chars.next() {
        let escape = c == '\\' && chars.peek() == Some(&'x');
        if escape {
            out.push_str(&format!("\\x{:02X}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
}

/// The upper half of IBM437 (the lower half is ASCII): accented Latin letters, box drawing, Greek and math.
const CP437_UPPER: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', // 0x80
    'É', 'æ', 'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', '¢', '£', '¥', '₧', 'ƒ', // 0x90
    'á', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ª', 'º', '¿', '⌐', '¬', '½', '¼', '¡', '«', '»', // 0xA0
    '░', '▒', '▓', '│', '┤', '╡', '╢', '╖', '╕', '╣', '║', '╗', '╝', '╜', '╛', '┐', // 0xB0
    '└', '┴', '┬', '├', '─', '┼', '╞', '╟', '╚', '╔', '╩', '╦', '╠', '═', '╬', '╧', // 0xC0
    '╨', '╤', '╥', '╙', '╘', '╒', '╓', '╫', '╪', '┘', '┌', '█', '▄', '▌', '▐', '▀', // 0xD0
    'α', 'ß', 'Γ', 'π', 'Σ', 'σ', 'µ', 'τ', 'Φ', 'Θ', 'Ω', 'δ', '∞', 'φ', 'ε', '∩', // 0xE0
    '≡', '±', '≥', '≤', '⌠', '⌡', '÷', '≈', '°', '∙', '·', '√', 'ⁿ', '²', '■', '\u{A0}', // 0xF0
];

fn cp437_char(byte: u8) -> char {
    if byte < 0x80 { char::from(byte) } else { CP437_UPPER[usize::from(byte - 0x80)] }
}

#[cfg(test)]
mod tests;
