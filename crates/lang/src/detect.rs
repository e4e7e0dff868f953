//! Which language a text is in. Letters decide first, because one letter often settles it for certain: і ї є ґ are
//! Ukrainian (і also Belarusian), ы э ъ ё are Russian (ы э ё also Belarusian), ў is Belarusian, and Belarusian has
//! no и. Only Cyrillic texts the letters leave open (short ones, in practice) go to the `lingua` n-gram detector.

use std::sync::LazyLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

use crate::Lang;

/// How much of a long text detection reads: a few windows spread over it, so a 100 MB text costs the same as a
/// 256 KB one and a document whose first pages are a cover letter in another language is still judged by its body.
const SAMPLE_WINDOW_BYTES: usize = 64 * 1024;
const SAMPLE_WINDOWS: usize = 4;

/// How much text the n-gram detector sees: it only runs when letters did not decide, which means a short text, and
/// its cost grows with the input.
const LINGUA_MAX_BYTES: usize = 4 * 1024;

/// Expected share of the decisive letters among Cyrillic letters in running text: і+ї+є+ґ in Ukrainian, ы+э+ъ+ё
/// in Russian. Dividing the counts by them puts a Ukrainian and a Russian signal on the same scale, so a Russian
/// text that names Київ once is still Russian.
const UKRAINIAN_DECISIVE_SHARE: f64 = 0.07;
const RUSSIAN_DECISIVE_SHARE: f64 = 0.023;

static DETECTOR: LazyLock<LanguageDetector> = LazyLock::new(|| {
    LanguageDetectorBuilder::from_languages(&[
        Language::Russian,
        Language::Ukrainian,
        Language::Belarusian,
        Language::English,
    ])
    .build()
});

/// Counts of the letters that tell the supported languages apart.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct LetterCounts {
    pub cyrillic: u32,
    pub latin: u32,
    /// ї є ґ: Ukrainian only.
    pub ukrainian_only: u32,
    /// і: Ukrainian and Belarusian.
    pub dotted_i: u32,
    /// ы э ъ ё: Russian (all but ъ also Belarusian).
    pub russian_only: u32,
    /// ў: Belarusian only.
    pub short_u: u32,
    /// и: Russian and Ukrainian, never Belarusian.
    pub cyrillic_i: u32,
}

impl LetterCounts {
    pub fn of(text: &str) -> LetterCounts {
        let mut counts = LetterCounts::default();
        counts.add(text);
        counts
    }

    /// Counts the letters of `text`. Works on bytes: the Cyrillic block is two-byte UTF-8 with lead bytes D0-D3, so
    /// the decisive letters are fixed byte pairs, and this runs over every paragraph of every document.
    pub fn add(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut index = 0;
        while index < bytes.len() {
            let byte = bytes[index];
            if byte < 0x80 {
                self.latin += u32::from(byte.is_ascii_alphabetic());
                index += 1;
                continue;
            }
            let Some(&second) = bytes.get(index + 1) else { break };
            match byte {
                0xD0..=0xD3 => {
                    self.cyrillic += 1;
                    match (byte, second) {
                        (0xD1, 0x96) | (0xD0, 0x86) => self.dotted_i += 1,
                        (0xD1, 0x97) | (0xD0, 0x87) | (0xD1, 0x94) | (0xD0, 0x84) | (0xD2, 0x91) | (0xD2, 0x90) => {
                            self.ukrainian_only += 1
                        }
                        (0xD1, 0x8B)
                        | (0xD0, 0xAB)
                        | (0xD1, 0x8D)
                        | (0xD0, 0xAD)
                        | (0xD1, 0x8A)
                        | (0xD0, 0xAA)
                        | (0xD1, 0x91)
                        | (0xD0, 0x81) => self.russian_only += 1,
                        (0xD1, 0x9E) | (0xD0, 0x8E) => self.short_u += 1,
                        (0xD0, 0xB8) | (0xD0, 0x98) => self.cyrillic_i += 1,
                        _ => {}
                    }
                    index += 2;
                }
                // U+00C0..U+024F (Latin-1 letters, Latin Extended-A/B) but not × and ÷.
                0xC3..=0xC9 => {
                    self.latin += u32::from(!matches!((byte, second), (0xC3, 0x97) | (0xC3, 0xB7)));
                    index += 2;
                }
                _ => index += 1,
            }
        }
    }

    /// The Cyrillic language the letters show, if they show one. `margin` is how many times stronger the winning
    /// signal must be than the other (1.0: any majority), so a line can demand clearer evidence than a document.
    pub fn decide_cyrillic(&self, margin: f64) -> Option<Lang> {
        if self.cyrillic == 0 {
            return None;
        }
        // ў is Belarusian only; one quoted Belarusian word in a Ukrainian or Russian text comes with many и.
        if self.short_u > 0 && self.short_u * 4 >= self.cyrillic_i {
            return Some(Lang::Belarusian);
        }
        // і together with ы/э and no и at all is Belarusian too (a text without ў must be long enough to trust that).
        if self.cyrillic_i == 0 && self.dotted_i >= 2 && self.russian_only >= 2 && self.cyrillic >= 30 {
            return Some(Lang::Belarusian);
        }
        let ukrainian = f64::from(self.ukrainian_only + self.dotted_i) / UKRAINIAN_DECISIVE_SHARE;
        let russian = f64::from(self.russian_only) / RUSSIAN_DECISIVE_SHARE;
        if ukrainian > 0.0 && ukrainian >= russian * margin && ukrainian > russian {
            Some(Lang::Ukrainian)
        } else if russian > 0.0 && russian >= ukrainian * margin && russian > ukrainian {
            Some(Lang::Russian)
        } else {
            None
        }
    }
}

/// The main language of a whole document. Reads at most a few hundred KB however long the text is. `None` when
/// the text has no letters of a supported script, or is Cyrillic and too short or ambiguous to tell.
pub fn detect_language(text: &str) -> Option<Lang> {
    analyse_document(text).lang
}

/// What the tokenizer needs to know about a whole document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocumentLanguage {
    pub lang: Option<Lang>,
    /// The Cyrillic language for Cyrillic words when nothing closer decides: the document's language if it is
    /// Cyrillic, else what the document's Cyrillic letters show (a Ukrainian name in an English text), else Russian.
    pub cyrillic: Lang,
    /// The letters of more than one Cyrillic language occur more than in passing: the document mixes languages, so
    /// each paragraph (and line) must be judged on its own.
    pub mixed: bool,
    /// The letters of the whole text were counted (it is no longer than the sample).
    pub complete: bool,
}

/// Below this many decisive letters of each kind a document is not "mixed": one quoted name is not a language.
const MIXED_MIN_LETTERS: u32 = 2;

pub(crate) fn analyse_document(text: &str) -> DocumentLanguage {
    let mut counts = LetterCounts::default();
    for window in sample_windows(text) {
        counts.add(window);
    }
    let signals = [counts.russian_only, counts.ukrainian_only + counts.dotted_i, counts.short_u];
    let mixed = signals.iter().filter(|&&count| count >= MIXED_MIN_LETTERS).count() > 1;
    let cyrillic_by_letters = counts.decide_cyrillic(1.0);
    let lang = if counts.latin > counts.cyrillic {
        Some(Lang::English)
    } else if counts.cyrillic == 0 {
        None
    } else {
        cyrillic_by_letters.or_else(|| detect_with_lingua(text))
    };
    let cyrillic = lang.filter(|lang| lang.is_cyrillic()).or(cyrillic_by_letters).unwrap_or(Lang::Russian);
    DocumentLanguage { lang, cyrillic, mixed, complete: text.len() <= SAMPLE_WINDOW_BYTES * SAMPLE_WINDOWS }
}

/// The n-gram detector's verdict on the start of a text, among the supported languages.
pub(crate) fn detect_with_lingua(text: &str) -> Option<Lang> {
    let sample = &text[..floor_char_boundary(text, LINGUA_MAX_BYTES)];
    match DETECTOR.detect_language_of(sample)? {
        Language::Russian => Some(Lang::Russian),
        Language::Ukrainian => Some(Lang::Ukrainian),
        Language::Belarusian => Some(Lang::Belarusian),
        Language::English => Some(Lang::English),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// The n-gram detector's most likely Cyrillic language for a text and its confidence (0..1).
pub(crate) fn cyrillic_confidence(text: &str) -> Option<(Lang, f64)> {
    let sample = &text[..floor_char_boundary(text, LINGUA_MAX_BYTES)];
    let (language, confidence) = DETECTOR.compute_language_confidence_values(sample).into_iter().next()?;
    let lang = match language {
        Language::Russian => Lang::Russian,
        Language::Ukrainian => Lang::Ukrainian,
        Language::Belarusian => Lang::Belarusian,
        _ => return None,
    };
    Some((lang, confidence))
}

/// The whole text when it is short, else `SAMPLE_WINDOWS` windows spread evenly from its start to its end.
fn sample_windows(text: &str) -> Vec<&str> {
    if text.len() <= SAMPLE_WINDOW_BYTES * SAMPLE_WINDOWS {
        return vec![text];
    }
    let last_start = text.len() - SAMPLE_WINDOW_BYTES;
    (0..SAMPLE_WINDOWS)
        .map(|index| {
            let start = floor_char_boundary(text, last_start * index / (SAMPLE_WINDOWS - 1));
            let end = floor_char_boundary(text, start + SAMPLE_WINDOW_BYTES);
            &text[start..end]
        })
        .collect()
}

/// The largest char boundary at or below `index` (clamped to the text's length).
pub(crate) fn floor_char_boundary(text: &str, index: usize) -> usize {
    if index >= text.len() {
        return text.len();
    }
    let mut index = index;
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_decide() {
        assert_eq!(detect_language("Київ"), Some(Lang::Ukrainian));
        assert_eq!(detect_language("Вы"), Some(Lang::Russian));
        assert_eq!(detect_language("Беларусь — краіна ў Еўропе"), Some(Lang::Belarusian));
        assert_eq!(detect_language("The ministry said"), Some(Lang::English));
        assert_eq!(detect_language("12345 — 678"), None);
        assert_eq!(detect_language(""), None);
    }

    #[test]
    fn a_russian_text_naming_kyiv_stays_russian() {
        let text = "Вчера в Киеве (по-украински Київ) прошли переговоры, которые мы обсуждали.";
        assert_eq!(detect_language(text), Some(Lang::Russian));
    }

    #[test]
    fn counts_letters_by_bytes() {
        let counts = LetterCounts::of("ІіЇїЄєҐґ ЫыЭэЪъЁё Ўў Ии Ab é × 12");
        assert_eq!(counts.dotted_i, 2);
        assert_eq!(counts.ukrainian_only, 6);
        assert_eq!(counts.russian_only, 8);
        assert_eq!(counts.short_u, 2);
        assert_eq!(counts.cyrillic_i, 2);
        assert_eq!(counts.cyrillic, 20);
        assert_eq!(counts.latin, 3);
    }

    #[test]
    fn windows_of_a_long_text_are_bounded_and_on_char_boundaries() {
        let text = "ы".repeat(1_000_000);
        let windows = sample_windows(&text);
        assert_eq!(windows.len(), SAMPLE_WINDOWS);
        assert!(windows.iter().all(|window| window.len() <= SAMPLE_WINDOW_BYTES));
        assert_eq!(detect_language(&text), Some(Lang::Russian));
    }
}
