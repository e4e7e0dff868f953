//! Judges whether a page's text layer can be trusted or the page must be recognised (OCR) instead.
//!
//! Scans come with no text at all, or with a text layer that is worse than none: glyphs without a Unicode
//! mapping (U+FFFD), fonts that map their glyphs to private-use code points, Cyrillic fonts whose glyphs are
//! mapped to Latin look-alikes ("Пpивeт" with a Latin p and e), or Cyrillic bytes read as Latin-1 ("Ïðèâåò").
//! Every test here is a ratio over the page's own characters with a minimum sample size, so one stray symbol in
//! a good page never sends it to OCR (the thresholds were checked on the corpus: no page of the pdfbox and
//! cyrillic text PDFs is flagged, see README.md).

/// What [`assess_text_layer`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextLayer {
    /// Usable as it is.
    Good,
    /// No visible character at all.
    Missing,
    /// Present but unusable; the string says why, for the diagnostic.
    Garbage(String),
}

/// Below this many non-space characters a ratio says nothing, and the page is judged on other grounds.
const MIN_CHARACTERS_FOR_RATIOS: usize = 20;
/// Share of U+FFFD, private-use and control characters past which the text layer is garbage.
const MAX_UNREADABLE_SHARE: f64 = 0.3;
/// Words with letters, at least, before the share of mixed-script words counts.
const MIN_WORDS_FOR_SCRIPT_TESTS: usize = 5;
/// Share of words mixing Latin and Cyrillic letters past which the page is garbage. Real text has almost none
/// (a mixed word is itself a sign of a bad font mapping), so a fifth is already far from normal.
const MAX_MIXED_WORD_SHARE: f64 = 0.2;
/// Share of Latin letters that are Latin-1 accented letters (À..ÿ) past which the page is Cyrillic read as
/// Latin-1. French or German text stays below a tenth.
const MAX_LATIN1_ACCENTED_SHARE: f64 = 0.4;
/// Share of pure-Latin words made only of Cyrillic look-alike letters past which, on a page that also has
/// Cyrillic words, the "Latin" words are Cyrillic in disguise.
const MAX_LOOKALIKE_WORD_SHARE: f64 = 0.5;

/// Judges a page's extracted text.
pub fn assess_text_layer(text: &str) -> TextLayer {
    let visible: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    if visible.is_empty() {
        return TextLayer::Missing;
    }
    if visible.len() >= MIN_CHARACTERS_FOR_RATIOS {
        let unreadable = visible.iter().filter(|&&c| is_unreadable(c)).count();
        if share(unreadable, visible.len()) > MAX_UNREADABLE_SHARE {
            return TextLayer::Garbage(format!(
                "{unreadable} of {} characters are unmapped (U+FFFD), private-use or control characters",
                visible.len()
            ));
        }
    }
    let stats = ScriptStats::of(text);
    if stats.words_with_letters >= MIN_WORDS_FOR_SCRIPT_TESTS
        && share(stats.mixed_words, stats.words_with_letters) > MAX_MIXED_WORD_SHARE
    {
        return TextLayer::Garbage(format!(
            "{} of {} words mix Latin and Cyrillic letters (a font mapping Cyrillic glyphs to Latin look-alikes)",
            stats.mixed_words, stats.words_with_letters
        ));
    }
    if stats.latin_letters >= MIN_CHARACTERS_FOR_RATIOS
        && share(stats.latin1_accented_letters, stats.latin_letters) > MAX_LATIN1_ACCENTED_SHARE
    {
        return TextLayer::Garbage(format!(
            "{} of {} Latin letters are accented Latin-1 letters (Cyrillic text decoded with the wrong encoding)",
            stats.latin1_accented_letters, stats.latin_letters
        ));
    }
    if stats.cyrillic_words >= 1
        && stats.latin_words >= MIN_WORDS_FOR_SCRIPT_TESTS
        && share(stats.lookalike_latin_words, stats.latin_words) > MAX_LOOKALIKE_WORD_SHARE
    {
        return TextLayer::Garbage(format!(
            "{} of {} Latin words on a Cyrillic page are spelt only with letters that look Cyrillic",
            stats.lookalike_latin_words, stats.latin_words
        ));
    }
    TextLayer::Good
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

fn is_unreadable(c: char) -> bool {
    c == char::REPLACEMENT_CHARACTER || ('\u{E000}'..='\u{F8FF}').contains(&c) || c.is_control()
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{052F}').contains(&c)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{00C0}'..='\u{024F}').contains(&c) && c.is_alphabetic())
}

/// À..ÿ without × and ÷: where the Windows-1251 bytes of Cyrillic letters land when read as Latin-1.
fn is_latin1_accented(c: char) -> bool {
    ('\u{00C0}'..='\u{00FF}').contains(&c) && c != '×' && c != '÷'
}

/// Latin letters drawn like Cyrillic ones (a/а, c/с, e/е, o/о, p/р, x/х, y/у, i/і and the capitals).
fn is_cyrillic_lookalike(c: char) -> bool {
    matches!(c, 'a' | 'c' | 'e' | 'o' | 'p' | 'x' | 'y' | 'i' | 'A' | 'B' | 'C' | 'E' | 'H' | 'I' | 'K' | 'M')
        || matches!(c, 'O' | 'P' | 'T' | 'X' | 'Y')
}

#[derive(Debug, Default)]
struct ScriptStats {
    words_with_letters: usize,
    mixed_words: usize,
    cyrillic_words: usize,
    /// Pure-Latin words of three letters or more.
    latin_words: usize,
    lookalike_latin_words: usize,
    latin_letters: usize,
    latin1_accented_letters: usize,
}

impl ScriptStats {
    fn of(text: &str) -> ScriptStats {
        let mut stats = ScriptStats::default();
        for word in text.split(|c: char| !c.is_alphabetic()) {
            let (mut latin, mut cyrillic, mut lookalike) = (0usize, 0usize, 0usize);
            for c in word.chars() {
                if is_cyrillic(c) {
                    cyrillic += 1;
                } else if is_latin(c) {
                    latin += 1;
                    stats.latin_letters += 1;
                    if is_latin1_accented(c) {
                        stats.latin1_accented_letters += 1;
                    }
                    if is_cyrillic_lookalike(c) {
                        lookalike += 1;
                    }
                }
            }
            if latin + cyrillic == 0 {
                continue;
            }
            stats.words_with_letters += 1;
            if latin > 0 && cyrillic > 0 {
                stats.mixed_words += 1;
            } else if cyrillic > 0 {
                stats.cyrillic_words += 1;
            } else if latin >= 3 {
                stats.latin_words += 1;
                if lookalike == latin {
                    stats.lookalike_latin_words += 1;
                }
            }
        }
        stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_garbage(text: &str) -> bool {
        matches!(assess_text_layer(text), TextLayer::Garbage(_))
    }

    #[test]
    fn empty_and_whitespace_pages_have_no_text_layer() {
        assert_eq!(assess_text_layer(""), TextLayer::Missing);
        assert_eq!(assess_text_layer(" \n\t\u{c}\n"), TextLayer::Missing);
    }

    #[test]
    fn ordinary_russian_ukrainian_and_english_text_is_good() {
        for text in [
            "Договор поставки № 17 от 3 марта 2021 года между ООО «Ромашка» и ТОВ «Київ-Експорт».",
            "Quarterly report. Payments to offshore accounts (draft), signed by the director.",
            "Платёж через SWIFT в Raiffeisen Bank International AG, IBAN UA21 3223 1300 0002 6007 2335 6600 1.",
            "Hôtel Crémieux, 12 rue de la Paix, Zürich Straße, façade rénovée: été 2020.",
            "Page 3",
        ] {
            assert_eq!(assess_text_layer(text), TextLayer::Good, "{text}");
        }
    }

    #[test]
    fn mostly_unmapped_or_private_use_characters_are_garbage() {
        assert!(is_garbage(&"\u{FFFD}".repeat(40)));
        assert!(is_garbage(
            "\u{E001}\u{E002}\u{E003}\u{E004} \u{E005}\u{E006}\u{E007} \u{E008}\u{E009}\u{E00A}\u{E00B}\u{E00C} ab \u{E00D}\u{E00E}\u{E00F}\u{E010}\u{E011}\u{E012}"
        ));
        // A few unmapped glyphs in a long good page are not enough.
        let text = format!("{} \u{FFFD}\u{FFFD}", "Обычный текст страницы договора. ".repeat(5));
        assert!(!is_garbage(&text));
    }

    #[test]
    fn latin_lookalikes_inside_cyrillic_words_are_garbage() {
        // "Привет мир, договор поставки товаров" with Latin p, e, o, a, c, x put in place of Cyrillic ones.
        let text = "Пpивeт миp, дoгoвop пocтaвки тoвapoв и ycлyг для клиeнтoв";
        assert!(is_garbage(text), "{:?}", assess_text_layer(text));
        // One mixed word among many clean ones is a typo, not a bad font.
        let text = "Договор поставки товаров и услуг для клиентов компании, пoдписан директором в Москве";
        assert!(!is_garbage(text));
    }

    #[test]
    fn cyrillic_read_as_latin1_is_garbage() {
        // "Договор поставки товаров" in Windows-1251 bytes, decoded as Latin-1.
        let text = "Äîãîâîð ïîñòàâêè òîâàðîâ è óñëóã";
        assert!(is_garbage(text), "{:?}", assess_text_layer(text));
    }

    #[test]
    fn latin_words_spelt_only_with_lookalikes_on_a_cyrillic_page_are_garbage() {
        let text = "Пункт 1. CEKPET OXPAHA copy pace eye apex TAKCA";
        assert!(is_garbage(text), "{:?}", assess_text_layer(text));
        // The same words on a page without any Cyrillic are just words.
        assert!(!is_garbage("Item 1. CEKPET OXPAHA copy pace eye apex TAKCA"));
        // English names on a Russian page are not look-alikes.
        assert!(!is_garbage("Директор Smith подписал договор с Acme Holdings Limited и Barclays Bank"));
    }
}
