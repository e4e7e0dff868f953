//! Character classes exactly as Python 3.11 sees them, because razdel and slovnet decide token boundaries and word
//! shapes with Python regular expressions (`\w`, `\d`, `\s`, `[а-яё]` under `re.IGNORECASE`) and `str` methods
//! (`isalpha`, `isdigit`, `isupper`, `islower`). Rust's `char` methods follow derived Unicode properties that differ
//! from these on hundreds of characters (combining marks are "alphabetic" in Rust, not in Python; U+001C–U+001F are
//! spaces in Python, not in Rust), and a different class moves a token boundary.
//!
//! Checked against CPython 3.11 (Unicode 14) over every code point by `examples/compare.rs --chars`; the only
//! differences left are characters assigned after Unicode 14.

use unicode_general_category::{GeneralCategory, get_general_category};

/// `\s` and `str.isspace()`: Unicode white space plus the four ASCII information separators, which Python counts
/// as spaces (their bidirectional class is B or S).
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `\d` and `str.isdecimal()`: general category Nd.
pub(crate) fn is_decimal(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && get_general_category(c) == GeneralCategory::DecimalNumber)
}

/// `str.isalpha()`: general category L*.
pub(crate) fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(c),
        GeneralCategory::UppercaseLetter
            | GeneralCategory::LowercaseLetter
            | GeneralCategory::TitlecaseLetter
            | GeneralCategory::ModifierLetter
            | GeneralCategory::OtherLetter
    )
}

/// `\w`: letters, anything with a numeric value, and the underscore.
pub(crate) fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    is_alpha(c)
        || matches!(
            get_general_category(c),
            GeneralCategory::DecimalNumber | GeneralCategory::LetterNumber | GeneralCategory::OtherNumber
        )
}

/// Characters with a digit value that are not decimal digits (superscripts, circled digits...): Python's
/// `str.isdigit()` accepts them, `\d` does not. Generated from CPython 3.11's `unicodedata`.
const DIGIT_NOT_DECIMAL: &[(u32, u32)] = &[
    (0xB2, 0xB3),
    (0xB9, 0xB9),
    (0x1369, 0x1371),
    (0x19DA, 0x19DA),
    (0x2070, 0x2070),
    (0x2074, 0x2079),
    (0x2080, 0x2089),
    (0x2460, 0x2468),
    (0x2474, 0x247C),
    (0x2488, 0x2490),
    (0x24EA, 0x24EA),
    (0x24F5, 0x24FD),
    (0x24FF, 0x24FF),
    (0x2776, 0x277E),
    (0x2780, 0x2788),
    (0x278A, 0x2792),
    (0x10A40, 0x10A43),
    (0x10E60, 0x10E68),
    (0x11052, 0x1105A),
    (0x1F100, 0x1F10A),
];

/// `str.isdigit()` of one character.
pub(crate) fn is_digit(c: char) -> bool {
    is_decimal(c) || {
        let code = u32::from(c);
        DIGIT_NOT_DECIMAL.iter().any(|&(low, high)| (low..=high).contains(&code))
    }
}

/// Python's `isupper()` of one character: the derived Uppercase property, as Rust's.
pub(crate) fn is_upper(c: char) -> bool {
    c.is_uppercase()
}

/// Python's `islower()` of one character: the derived Lowercase property, as Rust's.
pub(crate) fn is_lower(c: char) -> bool {
    c.is_lowercase()
}

/// Titlecase letters (general category Lt): Python's `isupper()`/`islower()` of a string fail on them.
pub(crate) fn is_title(c: char) -> bool {
    !c.is_ascii() && get_general_category(c) == GeneralCategory::TitlecaseLetter
}

/// `[а-яё]` under `re.IGNORECASE`: the Russian alphabet in both cases, and the old-orthography variants of в д о с т ъ
/// (U+1C80–U+1C86) that Python's case-insensitive matching folds onto them.
pub(crate) fn is_russian_letter(c: char) -> bool {
    matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' | '\u{1c80}'..='\u{1c86}')
}

/// `[a-z]` under `re.IGNORECASE`: ASCII letters, and the four characters Python folds onto them (İ ı ſ and the
/// Kelvin sign).
pub(crate) fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{130}' | '\u{131}' | '\u{17f}' | '\u{212a}')
}

/// `str.isalpha()`: at least one character, all letters.
pub(crate) fn str_is_alpha(text: &str) -> bool {
    !text.is_empty() && text.chars().all(is_alpha)
}

/// `str.isdigit()`: at least one character, all digits.
pub(crate) fn str_is_digit(text: &str) -> bool {
    !text.is_empty() && text.chars().all(is_digit)
}

/// `str.isupper()`: no lowercase or titlecase character, and at least one uppercase one.
pub(crate) fn str_is_upper(text: &str) -> bool {
    let mut cased = false;
    for c in text.chars() {
        if is_lower(c) || is_title(c) {
            return false;
        }
        cased |= is_upper(c);
    }
    cased
}

/// `str.islower()`: no uppercase or titlecase character, and at least one lowercase one.
pub(crate) fn str_is_lower(text: &str) -> bool {
    let mut cased = false;
    for c in text.chars() {
        if is_upper(c) || is_title(c) {
            return false;
        }
        cased |= is_lower(c);
    }
    cased
}

/// Every class above for one character, as the `--chars` check of `examples/compare.rs` prints them beside Python's.
#[doc(hidden)]
pub fn python_classes(c: char) -> Vec<&'static str> {
    let mut classes = Vec::new();
    type Check = (&'static str, fn(char) -> bool);
    let checks: [Check; 10] = [
        ("ru", is_russian_letter),
        ("lat", is_latin_letter),
        ("d", is_decimal),
        ("w", is_word),
        ("s", is_space),
        ("alpha", is_alpha),
        ("digit", is_digit),
        ("upper", is_upper),
        ("lower", is_lower),
        ("title", is_title),
    ];
    for (name, check) in checks {
        if check(c) {
            classes.push(name);
        }
    }
    classes
}
