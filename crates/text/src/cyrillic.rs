//! Tells the Cyrillic single-byte charsets apart: windows-1251, KOI8-R/KOI8-U, IBM866, ISO-8859-5, x-mac-cyrillic.
//!
//! These charsets are permutations of the same 66 letters over the upper half of the byte range, so the wrong one
//! still yields "Cyrillic" text, only nonsense. Each candidate decoding is scored as Russian/Ukrainian prose:
//! the log-likelihood of its letters under the two languages' letter frequencies, penalties for case patterns
//! real words do not have (KOI8 read as windows-1251 swaps case: "оПХБЕР"), for words mixing scripts, and for
//! symbols that land inside words (IBM866 box-drawing characters, windows-1251 punctuation). A short word such as
//! "Привет" already separates the candidates by several nats, where statistical detectors built for web pages
//! often guess a Latin charset.

use encoding_rs::{Encoding, IBM866, ISO_8859_5, KOI8_R, KOI8_U, WINDOWS_1251, X_MAC_CYRILLIC};

/// The Cyrillic charsets considered, with a prior (in nats) for how common each is in Russian/Ukrainian leaks.
pub(crate) const CANDIDATES: [(&Encoding, f64); 5] =
    [(WINDOWS_1251, 0.0), (KOI8_U, -1.0), (IBM866, -1.5), (X_MAC_CYRILLIC, -3.0), (ISO_8859_5, -3.0)];

/// Per-mille letter frequencies: the larger of the Russian and the Ukrainian figure for each letter, so that
/// text in either language scores well. Letters missing here (Serbian, Macedonian, Belarusian) get `RARE`.
const LETTER_FREQUENCIES: [(char, f64); 37] = [
    ('о', 110.0),
    ('е', 85.0),
    ('а', 84.0),
    ('и', 74.0),
    ('н', 67.0),
    ('т', 63.0),
    ('і', 59.0),
    ('с', 55.0),
    ('в', 54.0),
    ('р', 47.0),
    ('л', 44.0),
    ('к', 36.0),
    ('у', 33.0),
    ('д', 32.0),
    ('м', 32.0),
    ('п', 29.0),
    ('я', 22.0),
    ('з', 22.0),
    ('ы', 19.0),
    ('ь', 17.0),
    ('г', 17.0),
    ('б', 17.0),
    ('ч', 14.0),
    ('й', 12.0),
    ('х', 11.0),
    ('ж', 9.4),
    ('ц', 9.0),
    ('ї', 8.0),
    ('ш', 8.0),
    ('ю', 7.0),
    ('є', 6.0),
    ('щ', 5.0),
    ('э', 3.2),
    ('ф', 3.0),
    ('ъ', 0.4),
    ('ё', 0.4),
    ('ґ', 0.2),
];

const RARE_PER_MILLE: f64 = 0.01;
/// Penalty (nats) for a word whose case pattern is not lower, Capitalised or UPPER.
const BAD_CASE_PENALTY: f64 = 4.0;
/// Penalty for a word mixing Cyrillic with other letters ("Rйsumй" is windows-1252 read as windows-1251).
const MIXED_SCRIPT_PENALTY: f64 = 4.0;
/// Penalty for a symbol that no prose puts there (box drawing, math, control characters), on top of the cost of a
/// rare character: every upper-half byte must cost something, or a decoding that turns letters into symbols
/// would win by having fewer letters to pay for.
const WEIRD_SYMBOL_PENALTY: f64 = 5.0;
/// Penalty for an ALL-CAPS word of five letters or more.
const ALL_CAPS_PENALTY: f64 = 1.5;
/// Penalty for five consonants in a row, which Russian and Ukrainian words practically never have.
const CONSONANT_RUN_PENALTY: f64 = 4.0;
/// Log-frequency of common non-ASCII punctuation («, —, …): rarer than any letter but far from absurd.
const COMMON_PUNCTUATION_LOG_FREQUENCY: f64 = -6.0;
/// Penalty for common punctuation glued between two letters ("Р“Р»" is UTF-8 read as windows-1251).
const SANDWICHED_PUNCTUATION_PENALTY: f64 = 3.0;

/// How well one decoding reads as Russian/Ukrainian prose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Score {
    /// Log-likelihood plus penalties plus prior: higher is better.
    pub total: f64,
    /// Cyrillic letters in well-formed, single-script words.
    pub good_letters: u32,
    /// Characters outside ASCII in the decoded text (what the upper-half bytes became).
    pub non_ascii_chars: u32,
    /// Average log-frequency per Cyrillic letter (around -3.2 for real prose, -4 and below for the wrong charset).
    pub mean_letter_log_frequency: f64,
}

/// The Cyrillic charsets file and member names are written in: Windows' ANSI and OEM code pages (ZIP tools write
/// the OEM one, IBM866) and KOI8 on Unix. Mac Cyrillic and ISO-8859-5 are left out: names in them are rare, and a
/// short name such as "Отчёт" in IBM866 reads as a plausible Mac Cyrillic word.
pub(crate) const NAME_CANDIDATES: [(&Encoding, f64); 3] = [(WINDOWS_1251, 0.0), (IBM866, -0.5), (KOI8_U, -1.0)];

/// The best Cyrillic decoding of `bytes` and its score.
pub(crate) fn best_cyrillic(bytes: &[u8]) -> (&'static Encoding, Score) {
    best_cyrillic_among(bytes, &CANDIDATES)
}

/// The best decoding of `bytes` among `candidates` (charsets with their priors) and its score.
pub(crate) fn best_cyrillic_among(bytes: &[u8], candidates: &[(&'static Encoding, f64)]) -> (&'static Encoding, Score) {
    let mut best: Option<(&'static Encoding, Score)> = None;
    for &(encoding, prior) in candidates {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        let mut score = score_text(&text);
        score.total += prior;
        if best.is_none_or(|(_, best_score)| score.total > best_score.total) {
            best = Some((encoding, score));
        }
    }
    let (encoding, score) = best.expect("the candidates are never empty");
    (refine_koi8(encoding, bytes), score)
}

/// The score of `bytes` decoded as `encoding` (with no prior).
pub(crate) fn score_bytes(encoding: &'static Encoding, bytes: &[u8]) -> Score {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    score_text(&text)
}

/// True when a decoding is convincingly Cyrillic prose rather than a Latin or other text forced into Cyrillic.
pub(crate) fn looks_cyrillic(score: &Score) -> bool {
    // Very short texts ("В", "Як") count when every upper-half byte became a letter of a well-formed word.
    let enough_letters =
        score.good_letters >= 3 || (score.good_letters >= 1 && score.good_letters == score.non_ascii_chars);
    enough_letters
        && f64::from(score.good_letters) >= 0.7 * f64::from(score.non_ascii_chars)
        && score.mean_letter_log_frequency >= -4.0
}

/// KOI8-R and KOI8-U differ only in eight byte values (box drawing in KOI8-R, Ukrainian letters in KOI8-U).
/// Text without those bytes reads the same in both and is called KOI8-R, the far more common one; with them,
/// KOI8-U is right when they sit among text rather than among other pseudographics.
fn refine_koi8(encoding: &'static Encoding, bytes: &[u8]) -> &'static Encoding {
    if encoding != KOI8_U {
        return encoding;
    }
    const UKRAINIAN_IN_KOI8_U: [u8; 8] = [0xA4, 0xA6, 0xA7, 0xAD, 0xB4, 0xB6, 0xB7, 0xBD];
    // Box drawing comes in runs of other pseudographics; Ukrainian letters sit next to letters or spaces.
    let is_pseudographic = |b: u8| (0x80..0xC0).contains(&b) && !UKRAINIAN_IN_KOI8_U.contains(&b);
    let mut beside_text = 0usize;
    let mut beside_graphics = 0usize;
    for (index, &byte) in bytes.iter().enumerate() {
        if !UKRAINIAN_IN_KOI8_U.contains(&byte) {
            continue;
        }
        let before = index.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(index + 1).copied();
        if before.is_some_and(is_pseudographic) || after.is_some_and(is_pseudographic) {
            beside_graphics += 1;
        } else {
            beside_text += 1;
        }
    }
    if beside_text > beside_graphics { KOI8_U } else { KOI8_R }
}

fn letter_log_frequency(lower: char) -> f64 {
    let per_mille = LETTER_FREQUENCIES
        .iter()
        .find(|(letter, _)| *letter == lower)
        .map_or(RARE_PER_MILLE, |(_, frequency)| *frequency);
    (per_mille / 1000.0).ln()
}

fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{4FF}').contains(&c)
}

/// How prose uses a non-ASCII non-letter character, which decides where it may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Punctuation {
    /// Quotes and apostrophes: glued to a word on one side («слово», „так“); between two letters only as an
    /// apostrophe (м’який).
    Quote,
    /// Dashes, ellipses, spaces: between words, never glued between two letters.
    Separator,
    /// Signs that follow digits or stand alone (°, №, §, €): not glued to letters.
    Sign,
    /// Anything else (box drawing, math, Latin-1 symbols): no prose puts it there.
    Weird,
}

fn classify_punctuation(c: char) -> Punctuation {
    match c {
        '«' | '»' | '„' | '“' | '”' | '‘' | '’' | '‚' => Punctuation::Quote,
        '—' | '–' | '…' | '\u{a0}' | '\u{feff}' | '•' | '·' => Punctuation::Separator,
        '№' | '°' | '§' | '©' | '®' | '™' | '€' | '±' => Punctuation::Sign,
        _ => Punctuation::Weird,
    }
}

/// The cost (a log-frequency, with penalties) of a non-ASCII non-letter character given its neighbours.
fn punctuation_cost(c: char, letter_before: bool, letter_after: bool) -> f64 {
    let rare = (RARE_PER_MILLE / 1000.0).ln();
    match classify_punctuation(c) {
        Punctuation::Weird => rare - WEIRD_SYMBOL_PENALTY,
        Punctuation::Quote if letter_before && letter_after && !matches!(c, '’' | '‘') => {
            COMMON_PUNCTUATION_LOG_FREQUENCY - SANDWICHED_PUNCTUATION_PENALTY
        }
        // A closing quote opening a word, or a low opening quote closing one, is a misread capital letter.
        Punctuation::Quote
            if (c == '”' && letter_after && !letter_before)
                || (matches!(c, '„' | '‚') && letter_before && !letter_after) =>
        {
            COMMON_PUNCTUATION_LOG_FREQUENCY - SANDWICHED_PUNCTUATION_PENALTY
        }
        Punctuation::Separator if letter_before && letter_after => {
            COMMON_PUNCTUATION_LOG_FREQUENCY - SANDWICHED_PUNCTUATION_PENALTY
        }
        Punctuation::Sign if letter_before || letter_after => {
            COMMON_PUNCTUATION_LOG_FREQUENCY - SANDWICHED_PUNCTUATION_PENALTY
        }
        _ => COMMON_PUNCTUATION_LOG_FREQUENCY,
    }
}

fn is_cyrillic_vowel(lower: char) -> bool {
    matches!(lower, 'а' | 'е' | 'ё' | 'и' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я' | 'і' | 'ї' | 'є')
}

/// The longest run of consonants in a word (soft and hard signs break no run and make none).
fn longest_consonant_run(word: &[char]) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for &letter in word {
        let lower = letter.to_lowercase().next().unwrap_or(letter);
        if is_cyrillic_vowel(lower) || !is_cyrillic(lower) {
            run = 0;
        } else if !matches!(lower, 'ь' | 'ъ') {
            run += 1;
            longest = longest.max(run);
        }
    }
    longest
}

pub(crate) fn score_text(text: &str) -> Score {
    let mut total = 0.0;
    let mut cyrillic_letters = 0u32;
    let mut good_letters = 0u32;
    let mut non_ascii_chars = 0u32;
    let mut letter_log_sum = 0.0;

    let chars: Vec<char> = text.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if !c.is_ascii() {
            non_ascii_chars += 1;
        }
        if c.is_alphabetic() {
            // A word: a maximal run of letters.
            let start = index;
            while index < chars.len() && chars[index].is_alphabetic() {
                index += 1;
            }
            let word = &chars[start..index];
            for &letter in word.iter().skip(1) {
                if !letter.is_ascii() {
                    non_ascii_chars += 1;
                }
            }
            let n_cyrillic = word.iter().filter(|&&l| is_cyrillic(l)).count() as u32;
            if n_cyrillic == 0 {
                // Latin words are neutral; other scripts' letters from upper-half bytes count as unlikely.
                let n_foreign = word.iter().filter(|l| !l.is_ascii()).count();
                total += n_foreign as f64 * (RARE_PER_MILLE / 1000.0).ln();
                continue;
            }
            cyrillic_letters += n_cyrillic;
            for &letter in word.iter().filter(|&&l| is_cyrillic(l)) {
                let lower = letter.to_lowercase().next().unwrap_or(letter);
                let log_frequency = letter_log_frequency(lower);
                letter_log_sum += log_frequency;
                total += log_frequency;
            }
            let single_script = n_cyrillic as usize == word.len();
            let good_case = has_plausible_case(word);
            if !single_script {
                total -= MIXED_SCRIPT_PENALTY;
            }
            if !good_case {
                total -= BAD_CASE_PENALTY;
            }
            // Long ALL-CAPS words are rarer than lower-case ones; this matters for single words, where KOI8
            // read as windows-1251 turns "нашел" into a plausible-looking "ОБЫЕМ".
            if word.len() >= 5 && word.iter().all(|l| !l.is_lowercase()) {
                total -= ALL_CAPS_PENALTY;
            }
            if longest_consonant_run(word) >= 5 {
                total -= CONSONANT_RUN_PENALTY;
            }
            if single_script && good_case {
                good_letters += n_cyrillic;
            }
            continue;
        }
        if !c.is_ascii() {
            let letter_before = index > 0 && chars[index - 1].is_alphabetic();
            let letter_after = chars.get(index + 1).is_some_and(|n| n.is_alphabetic());
            total += punctuation_cost(c, letter_before, letter_after);
        } else if c.is_control() && !c.is_ascii_whitespace() {
            total += (RARE_PER_MILLE / 1000.0).ln() - WEIRD_SYMBOL_PENALTY;
        }
        index += 1;
    }
    let mean_letter_log_frequency =
        if cyrillic_letters == 0 { f64::NEG_INFINITY } else { letter_log_sum / f64::from(cyrillic_letters) };
    Score { total, good_letters, non_ascii_chars, mean_letter_log_frequency }
}

/// lower, Capitalised, UPPER or CamelCase ("МегаФон": capitals each followed by a lower-case letter); a word
/// starting in lower case with a capital later ("пРИВЕТ", "оПХБЕР": the signature of KOI8 and windows-1251 read
/// as each other) is not.
fn has_plausible_case(word: &[char]) -> bool {
    let Some((first, rest)) = word.split_first() else {
        return true;
    };
    if rest.iter().all(|c| !c.is_uppercase()) {
        return true;
    }
    if !first.is_uppercase() {
        return false;
    }
    if rest.iter().all(|c| !c.is_lowercase()) {
        return true;
    }
    // Mixed: acceptable only as CamelCase, with no two capitals in a row.
    !word.windows(2).any(|pair| pair[0].is_uppercase() && pair[1].is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str, encoding: &'static Encoding) -> Vec<u8> {
        let (bytes, _, had_errors) = encoding.encode(text);
        assert!(!had_errors, "{text} is encodable in {}", encoding.name());
        bytes.into_owned()
    }

    #[test]
    fn a_single_short_word_is_enough() {
        for encoding in [WINDOWS_1251, KOI8_R, IBM866, ISO_8859_5, X_MAC_CYRILLIC] {
            let (detected, score) = best_cyrillic(&encode("Привет", encoding));
            assert_eq!(detected.name(), encoding.name());
            assert!(looks_cyrillic(&score), "{score:?}");
        }
    }

    #[test]
    fn ukrainian_letters_choose_koi8_u_over_koi8_r() {
        let bytes = encode("Їжачок і єнот ґрунтовно", KOI8_U);
        assert_eq!(best_cyrillic(&bytes).0, KOI8_U);
        let bytes = encode("Съешь же ещё этих мягких французских булок", KOI8_U);
        assert_eq!(best_cyrillic(&bytes).0, KOI8_R);
    }

    #[test]
    fn latin_text_forced_into_cyrillic_does_not_look_cyrillic() {
        let bytes = encoding_rs::WINDOWS_1252.encode("Résumé du café à Zürich, naïve façade").0;
        let (_, score) = best_cyrillic(&bytes);
        assert!(!looks_cyrillic(&score), "{score:?}");
    }

    #[test]
    fn case_patterns() {
        let word = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(has_plausible_case(&word("привет")));
        assert!(has_plausible_case(&word("Привет")));
        assert!(has_plausible_case(&word("ПРИВЕТ")));
        assert!(!has_plausible_case(&word("пРИВЕТ")));
        assert!(!has_plausible_case(&word("оПХБЕР")));
        assert!(has_plausible_case(&word("МегаФон")));
        assert!(!has_plausible_case(&word("ПРИвет")));
    }
}
