//! Character classes shared by the fingerprint, the diff and the scanner: which script a letter belongs to, which
//! letters of Latin, Cyrillic and Greek look alike, and which characters take no visible space (zero-width and format
//! characters, bidi controls, variation selectors) or are spaces other than the ordinary one.
//!
//! The tables are ours and deliberately small: they cover the letters that OCR, careless typing and deliberate
//! watermarking mix up in Russian, Ukrainian and English text, not the whole of Unicode's confusables list.

use serde::Serialize;

/// The script of a letter, as far as versions and homoglyphs care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    Latin,
    Cyrillic,
    Greek,
    /// A letter of another script (Arabic, Han, …).
    Other,
    /// Not a letter: digits, punctuation, spaces, marks.
    Common,
}

impl Script {
    /// The English name, as reports print it.
    pub fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Cyrillic => "Cyrillic",
            Script::Greek => "Greek",
            Script::Other => "other",
            Script::Common => "common",
        }
    }
}

/// The script of one character.
pub fn script_of(ch: char) -> Script {
    match ch {
        'a'..='z' | 'A'..='Z' => Script::Latin,
        '\0'..='\u{7F}' => Script::Common,
        '\u{0400}'..='\u{0482}' | '\u{048A}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{A640}'..='\u{A66E}' => {
            Script::Cyrillic
        }
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' if ch.is_alphabetic() => Script::Greek,
        '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}'
            if ch.is_alphabetic() =>
        {
            Script::Latin
        }
        '\u{0250}'..='\u{02AF}' => Script::Latin,
        _ if ch.is_alphabetic() => Script::Other,
        _ => Script::Common,
    }
}

/// One family of letters that look the same in common fonts: its member in each script (where there is one) and the
/// official Unicode names, which reports show so that nobody has to trust their own eyes.
struct Lookalike {
    latin: Option<(char, &'static str)>,
    cyrillic: Option<(char, &'static str)>,
    greek: Option<(char, &'static str)>,
}

const fn family(
    latin: Option<(char, &'static str)>,
    cyrillic: Option<(char, &'static str)>,
    greek: Option<(char, &'static str)>,
) -> Lookalike {
    Lookalike { latin, cyrillic, greek }
}

/// The families. Upper case and lower case are separate families: Latin `B` and Cyrillic `В` look alike, `b` and `в`
/// do not. Cyrillic `У` counts as Latin `Y` (OCR and typists use them for each other) although Unicode's own
/// confusables pair `Y` with `Ү`; `Ү` maps to `Y` as well.
const FAMILIES: &[Lookalike] = &[
    family(
        Some(('A', "LATIN CAPITAL LETTER A")),
        Some(('А', "CYRILLIC CAPITAL LETTER A")),
        Some(('Α', "GREEK CAPITAL LETTER ALPHA")),
    ),
    family(
        Some(('B', "LATIN CAPITAL LETTER B")),
        Some(('В', "CYRILLIC CAPITAL LETTER VE")),
        Some(('Β', "GREEK CAPITAL LETTER BETA")),
    ),
    family(Some(('C', "LATIN CAPITAL LETTER C")), Some(('С', "CYRILLIC CAPITAL LETTER ES")), None),
    family(
        Some(('E', "LATIN CAPITAL LETTER E")),
        Some(('Е', "CYRILLIC CAPITAL LETTER IE")),
        Some(('Ε', "GREEK CAPITAL LETTER EPSILON")),
    ),
    family(
        Some(('H', "LATIN CAPITAL LETTER H")),
        Some(('Н', "CYRILLIC CAPITAL LETTER EN")),
        Some(('Η', "GREEK CAPITAL LETTER ETA")),
    ),
    family(
        Some(('I', "LATIN CAPITAL LETTER I")),
        Some(('І', "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I")),
        Some(('Ι', "GREEK CAPITAL LETTER IOTA")),
    ),
    family(Some(('J', "LATIN CAPITAL LETTER J")), Some(('Ј', "CYRILLIC CAPITAL LETTER JE")), None),
    family(
        Some(('K', "LATIN CAPITAL LETTER K")),
        Some(('К', "CYRILLIC CAPITAL LETTER KA")),
        Some(('Κ', "GREEK CAPITAL LETTER KAPPA")),
    ),
    family(
        Some(('M', "LATIN CAPITAL LETTER M")),
        Some(('М', "CYRILLIC CAPITAL LETTER EM")),
        Some(('Μ', "GREEK CAPITAL LETTER MU")),
    ),
    family(Some(('N', "LATIN CAPITAL LETTER N")), None, Some(('Ν', "GREEK CAPITAL LETTER NU"))),
    family(
        Some(('O', "LATIN CAPITAL LETTER O")),
        Some(('О', "CYRILLIC CAPITAL LETTER O")),
        Some(('Ο', "GREEK CAPITAL LETTER OMICRON")),
    ),
    family(
        Some(('P', "LATIN CAPITAL LETTER P")),
        Some(('Р', "CYRILLIC CAPITAL LETTER ER")),
        Some(('Ρ', "GREEK CAPITAL LETTER RHO")),
    ),
    family(Some(('S', "LATIN CAPITAL LETTER S")), Some(('Ѕ', "CYRILLIC CAPITAL LETTER DZE")), None),
    family(
        Some(('T', "LATIN CAPITAL LETTER T")),
        Some(('Т', "CYRILLIC CAPITAL LETTER TE")),
        Some(('Τ', "GREEK CAPITAL LETTER TAU")),
    ),
    family(
        Some(('X', "LATIN CAPITAL LETTER X")),
        Some(('Х', "CYRILLIC CAPITAL LETTER HA")),
        Some(('Χ', "GREEK CAPITAL LETTER CHI")),
    ),
    family(
        Some(('Y', "LATIN CAPITAL LETTER Y")),
        Some(('У', "CYRILLIC CAPITAL LETTER U")),
        Some(('Υ', "GREEK CAPITAL LETTER UPSILON")),
    ),
    family(Some(('Z', "LATIN CAPITAL LETTER Z")), None, Some(('Ζ', "GREEK CAPITAL LETTER ZETA"))),
    family(
        Some(('a', "LATIN SMALL LETTER A")),
        Some(('а', "CYRILLIC SMALL LETTER A")),
        Some(('α', "GREEK SMALL LETTER ALPHA")),
    ),
    family(
        Some(('c', "LATIN SMALL LETTER C")),
        Some(('с', "CYRILLIC SMALL LETTER ES")),
        Some(('ϲ', "GREEK LUNATE SIGMA SYMBOL")),
    ),
    family(Some(('d', "LATIN SMALL LETTER D")), Some(('ԁ', "CYRILLIC SMALL LETTER KOMI DE")), None),
    family(Some(('e', "LATIN SMALL LETTER E")), Some(('е', "CYRILLIC SMALL LETTER IE")), None),
    family(Some(('h', "LATIN SMALL LETTER H")), Some(('һ', "CYRILLIC SMALL LETTER SHHA")), None),
    family(
        Some(('i', "LATIN SMALL LETTER I")),
        Some(('і', "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I")),
        Some(('ι', "GREEK SMALL LETTER IOTA")),
    ),
    family(
        Some(('j', "LATIN SMALL LETTER J")),
        Some(('ј', "CYRILLIC SMALL LETTER JE")),
        Some(('ϳ', "GREEK LETTER YOT")),
    ),
    family(
        Some(('o', "LATIN SMALL LETTER O")),
        Some(('о', "CYRILLIC SMALL LETTER O")),
        Some(('ο', "GREEK SMALL LETTER OMICRON")),
    ),
    family(
        Some(('p', "LATIN SMALL LETTER P")),
        Some(('р', "CYRILLIC SMALL LETTER ER")),
        Some(('ρ', "GREEK SMALL LETTER RHO")),
    ),
    family(Some(('q', "LATIN SMALL LETTER Q")), Some(('ԛ', "CYRILLIC SMALL LETTER QA")), None),
    family(Some(('s', "LATIN SMALL LETTER S")), Some(('ѕ', "CYRILLIC SMALL LETTER DZE")), None),
    family(Some(('v', "LATIN SMALL LETTER V")), None, Some(('ν', "GREEK SMALL LETTER NU"))),
    family(Some(('w', "LATIN SMALL LETTER W")), Some(('ԝ', "CYRILLIC SMALL LETTER WE")), None),
    family(
        Some(('x', "LATIN SMALL LETTER X")),
        Some(('х', "CYRILLIC SMALL LETTER HA")),
        Some(('χ', "GREEK SMALL LETTER CHI")),
    ),
    family(
        Some(('y', "LATIN SMALL LETTER Y")),
        Some(('у', "CYRILLIC SMALL LETTER U")),
        Some(('γ', "GREEK SMALL LETTER GAMMA")),
    ),
    family(None, Some(('к', "CYRILLIC SMALL LETTER KA")), Some(('κ', "GREEK SMALL LETTER KAPPA"))),
    family(None, Some(('п', "CYRILLIC SMALL LETTER PE")), Some(('π', "GREEK SMALL LETTER PI"))),
    family(None, Some(('т', "CYRILLIC SMALL LETTER TE")), Some(('τ', "GREEK SMALL LETTER TAU"))),
    family(Some(('Y', "LATIN CAPITAL LETTER Y")), Some(('Ү', "CYRILLIC CAPITAL LETTER STRAIGHT U")), None),
    family(Some(('y', "LATIN SMALL LETTER Y")), Some(('ү', "CYRILLIC SMALL LETTER STRAIGHT U")), None),
];

fn family_of(ch: char) -> Option<&'static Lookalike> {
    let index = usize::try_from(u32::from(ch)).ok()?.checked_sub(TABLE_START)?;
    let family = *family_table().get(index)?;
    FAMILIES.get(usize::from(family.checked_sub(1)?))
}

/// The first code point the lookup table covers ('A'); it ends after the Cyrillic Supplement block.
const TABLE_START: usize = 0x41;
const TABLE_END: usize = 0x530;

/// Family index + 1 (0: none) for every code point from 'A' to the end of the Cyrillic Supplement, built once: every
/// letter of running text is looked up here while fingerprinting, so this must not scan the family list.
fn family_table() -> &'static [u8; TABLE_END - TABLE_START] {
    static TABLE: std::sync::OnceLock<[u8; TABLE_END - TABLE_START]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0u8; TABLE_END - TABLE_START];
        for (index, family) in FAMILIES.iter().enumerate() {
            for (c, _) in [family.latin, family.cyrillic, family.greek].into_iter().flatten() {
                let slot = usize::try_from(u32::from(c)).expect("u32 fits usize") - TABLE_START;
                // A letter in two families (Latin Y: with У and with Ү) keeps the first, which names its main twin.
                if table[slot] == 0 {
                    table[slot] = u8::try_from(index + 1).expect("fewer than 255 families");
                }
            }
        }
        table
    })
}

/// Whether a letter has a twin in another script that looks the same.
pub fn is_confusable(ch: char) -> bool {
    family_of(ch).is_some()
}

/// The letter of `script` that `ch` looks like (`ch` itself if it already is of that script), or `None` when that
/// script has no such letter.
pub fn lookalike_in(ch: char, script: Script) -> Option<char> {
    let family = family_of(ch)?;
    let member = match script {
        Script::Latin => family.latin,
        Script::Cyrillic => family.cyrillic,
        Script::Greek => family.greek,
        Script::Other | Script::Common => None,
    };
    member.map(|(c, _)| c)
}

/// The official Unicode name of a character the tables know (lookalike letters, invisible characters, spaces), or
/// `None`.
pub fn name_of(ch: char) -> Option<&'static str> {
    if let Some(family) = family_of(ch) {
        for (c, name) in [family.latin, family.cyrillic, family.greek].into_iter().flatten() {
            if c == ch {
                return Some(name);
            }
        }
    }
    INVISIBLE_NAMES.iter().chain(SPACE_NAMES).chain(PUNCTUATION_NAMES).find(|(c, _)| *c == ch).map(|(_, name)| *name)
}

/// `U+043E` and, where known, ` CYRILLIC SMALL LETTER O`: how reports show a character nobody can see or tell apart.
pub fn describe(ch: char) -> String {
    match name_of(ch) {
        Some(name) => format!("U+{:04X} {name}", u32::from(ch)),
        None => format!("U+{:04X}", u32::from(ch)),
    }
}

/// What kind of invisible character something is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvisibleKind {
    /// Zero-width space, joiners, word joiner, byte-order mark, invisible operators.
    ZeroWidth,
    /// Soft hyphen: invisible unless the line breaks there.
    SoftHyphen,
    /// Left-to-right / right-to-left marks, embeddings, overrides and isolates: they reorder what is displayed.
    Bidi,
    /// Variation selectors: they pick a glyph variant of the character before them.
    VariationSelector,
    /// Any other format character (Unicode category Cf) or tag character.
    Format,
}

const INVISIBLE_NAMES: &[(char, &str)] = &[
    ('\u{00AD}', "SOFT HYPHEN"),
    ('\u{034F}', "COMBINING GRAPHEME JOINER"),
    ('\u{061C}', "ARABIC LETTER MARK"),
    ('\u{115F}', "HANGUL CHOSEONG FILLER"),
    ('\u{1160}', "HANGUL JUNGSEONG FILLER"),
    ('\u{180E}', "MONGOLIAN VOWEL SEPARATOR"),
    ('\u{200B}', "ZERO WIDTH SPACE"),
    ('\u{200C}', "ZERO WIDTH NON-JOINER"),
    ('\u{200D}', "ZERO WIDTH JOINER"),
    ('\u{200E}', "LEFT-TO-RIGHT MARK"),
    ('\u{200F}', "RIGHT-TO-LEFT MARK"),
    ('\u{202A}', "LEFT-TO-RIGHT EMBEDDING"),
    ('\u{202B}', "RIGHT-TO-LEFT EMBEDDING"),
    ('\u{202C}', "POP DIRECTIONAL FORMATTING"),
    ('\u{202D}', "LEFT-TO-RIGHT OVERRIDE"),
    ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2060}', "WORD JOINER"),
    ('\u{2061}', "FUNCTION APPLICATION"),
    ('\u{2062}', "INVISIBLE TIMES"),
    ('\u{2063}', "INVISIBLE SEPARATOR"),
    ('\u{2064}', "INVISIBLE PLUS"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
    ('\u{2068}', "FIRST STRONG ISOLATE"),
    ('\u{2069}', "POP DIRECTIONAL ISOLATE"),
    ('\u{3164}', "HANGUL FILLER"),
    ('\u{FEFF}', "ZERO WIDTH NO-BREAK SPACE (BYTE ORDER MARK)"),
    ('\u{FFA0}', "HALFWIDTH HANGUL FILLER"),
];

/// Whether `ch` is displayed as nothing (and if so, which kind of nothing). Ordinary control characters (tab, line
/// feed) are not counted: they are whitespace.
pub fn invisible_kind(ch: char) -> Option<InvisibleKind> {
    match ch {
        '\u{0000}'..='\u{00AC}' | '\u{00AE}'..='\u{033F}' => None,
        '\u{00AD}' => Some(InvisibleKind::SoftHyphen),
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            Some(InvisibleKind::Bidi)
        }
        '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' | '\u{180B}'..='\u{180D}' | '\u{180F}' => {
            Some(InvisibleKind::VariationSelector)
        }
        '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{034F}' | '\u{180E}' => {
            Some(InvisibleKind::ZeroWidth)
        }
        // Hangul fillers render as blank space of no width in most fonts and are a known way to hide text.
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => Some(InvisibleKind::ZeroWidth),
        '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}' | '\u{08E2}' | '\u{110BD}' | '\u{110CD}' => {
            Some(InvisibleKind::Format)
        }
        '\u{2065}' | '\u{206A}'..='\u{206F}' | '\u{FFF9}'..='\u{FFFB}' | '\u{E0001}' | '\u{E0020}'..='\u{E007F}' => {
            Some(InvisibleKind::Format)
        }
        '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' => Some(InvisibleKind::Format),
        _ => None,
    }
}

const SPACE_NAMES: &[(char, &str)] = &[
    ('\u{0009}', "CHARACTER TABULATION"),
    ('\u{000A}', "LINE FEED"),
    ('\u{000B}', "LINE TABULATION"),
    ('\u{000C}', "FORM FEED"),
    ('\u{000D}', "CARRIAGE RETURN"),
    ('\u{0020}', "SPACE"),
    ('\u{0085}', "NEXT LINE"),
    ('\u{00A0}', "NO-BREAK SPACE"),
    ('\u{1680}', "OGHAM SPACE MARK"),
    ('\u{2000}', "EN QUAD"),
    ('\u{2001}', "EM QUAD"),
    ('\u{2002}', "EN SPACE"),
    ('\u{2003}', "EM SPACE"),
    ('\u{2004}', "THREE-PER-EM SPACE"),
    ('\u{2005}', "FOUR-PER-EM SPACE"),
    ('\u{2006}', "SIX-PER-EM SPACE"),
    ('\u{2007}', "FIGURE SPACE"),
    ('\u{2008}', "PUNCTUATION SPACE"),
    ('\u{2009}', "THIN SPACE"),
    ('\u{200A}', "HAIR SPACE"),
    ('\u{2028}', "LINE SEPARATOR"),
    ('\u{2029}', "PARAGRAPH SEPARATOR"),
    ('\u{202F}', "NARROW NO-BREAK SPACE"),
    ('\u{205F}', "MEDIUM MATHEMATICAL SPACE"),
    ('\u{3000}', "IDEOGRAPHIC SPACE"),
];

/// Whether `ch` is whitespace other than the ordinary space, tab and line breaks (CR, LF): no-break, thin, em and
/// the like, which look like a space (or like nothing) but are a different character.
pub fn is_unusual_space(ch: char) -> bool {
    ch.is_whitespace() && !matches!(ch, ' ' | '\t' | '\n' | '\r')
}

const PUNCTUATION_NAMES: &[(char, &str)] = &[
    ('"', "QUOTATION MARK"),
    ('\'', "APOSTROPHE"),
    ('-', "HYPHEN-MINUS"),
    ('«', "LEFT-POINTING DOUBLE ANGLE QUOTATION MARK"),
    ('»', "RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK"),
    ('‹', "SINGLE LEFT-POINTING ANGLE QUOTATION MARK"),
    ('›', "SINGLE RIGHT-POINTING ANGLE QUOTATION MARK"),
    ('“', "LEFT DOUBLE QUOTATION MARK"),
    ('”', "RIGHT DOUBLE QUOTATION MARK"),
    ('„', "DOUBLE LOW-9 QUOTATION MARK"),
    ('‟', "DOUBLE HIGH-REVERSED-9 QUOTATION MARK"),
    ('‘', "LEFT SINGLE QUOTATION MARK"),
    ('’', "RIGHT SINGLE QUOTATION MARK"),
    ('‚', "SINGLE LOW-9 QUOTATION MARK"),
    ('‛', "SINGLE HIGH-REVERSED-9 QUOTATION MARK"),
    ('`', "GRAVE ACCENT"),
    ('´', "ACUTE ACCENT"),
    ('ʼ', "MODIFIER LETTER APOSTROPHE"),
    ('ʹ', "MODIFIER LETTER PRIME"),
    ('′', "PRIME"),
    ('‐', "HYPHEN"),
    ('‑', "NON-BREAKING HYPHEN"),
    ('‒', "FIGURE DASH"),
    ('–', "EN DASH"),
    ('—', "EM DASH"),
    ('―', "HORIZONTAL BAR"),
    ('−', "MINUS SIGN"),
    ('⁃', "HYPHEN BULLET"),
    ('…', "HORIZONTAL ELLIPSIS"),
];

/// The character a punctuation mark is a variant of, for telling "a different mark" from "the same mark drawn
/// differently": every quotation mark is `"`, every apostrophe `'`, every hyphen and dash `-`, the ellipsis `...`
/// is left alone (it is one character against three, which the diff reports as a variant by its folded text).
pub fn punctuation_class(ch: char) -> char {
    match ch {
        '"' | '«' | '»' | '“' | '”' | '„' | '‟' | '〝' | '〞' | '＂' | '‹' | '›' => '"',
        '\'' | '‘' | '’' | '‚' | '‛' | '`' | '´' | 'ʼ' | 'ʹ' | '′' | '＇' => '\'',
        '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '⁃' | '﹘' | '﹣' | '－' => '-',
        _ => ch,
    }
}

/// Whether `ch` joins the letters on either side of it into one word when it stands between them: hyphens (a
/// compound, or a word broken at a line end) and apostrophes (Ukrainian м'ясо, English don't).
pub fn is_word_joiner(ch: char) -> bool {
    matches!(ch, '-' | '‐' | '‑' | '\'' | '’' | 'ʼ' | '`' | '′' | '‘')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_member_belongs_to_the_script_it_is_filed_under() {
        for family in FAMILIES {
            if let Some((c, _)) = family.latin {
                assert_eq!(script_of(c), Script::Latin, "{c}");
            }
            if let Some((c, _)) = family.cyrillic {
                assert_eq!(script_of(c), Script::Cyrillic, "{c}");
            }
            if let Some((c, _)) = family.greek {
                assert_eq!(script_of(c), Script::Greek, "{c}");
            }
        }
    }

    #[test]
    fn a_latin_o_looks_like_a_cyrillic_o_and_back() {
        assert_eq!(lookalike_in('o', Script::Cyrillic), Some('о'));
        assert_eq!(lookalike_in('о', Script::Latin), Some('o'));
        assert_eq!(lookalike_in('B', Script::Cyrillic), Some('В'));
        assert_eq!(lookalike_in('b', Script::Cyrillic), None);
        assert_eq!(describe('\u{043E}'), "U+043E CYRILLIC SMALL LETTER O");
        assert_eq!(describe('\u{200B}'), "U+200B ZERO WIDTH SPACE");
    }

    #[test]
    fn ordinary_text_has_no_invisible_characters() {
        for ch in "Привіт, world! 1 2 3\t\n—«»".chars() {
            assert_eq!(invisible_kind(ch), None, "{ch:?}");
        }
        assert_eq!(invisible_kind('\u{202E}'), Some(InvisibleKind::Bidi));
        assert_eq!(invisible_kind('\u{FE0F}'), Some(InvisibleKind::VariationSelector));
        assert_eq!(invisible_kind('\u{00AD}'), Some(InvisibleKind::SoftHyphen));
    }
}
