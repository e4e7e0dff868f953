//! Folding of one word: the normal form both the index and the query use, so that case, ё/е, apostrophe variants
//! and stress marks never decide whether a word matches.

/// Folds one word for indexing and querying: lowercase, ё→е (and Ё), every apostrophe variant (' ’ ʼ ‘ ` ′) to one
/// canonical ASCII ', combining stress accents (U+0301) removed. Nothing else changes (і/ї/є/ґ stay).
///
/// Decomposed Cyrillic (as macOS file names and some PDFs have it) is composed where it matters for matching:
/// е + U+0308 folds like ё (to е), и + U+0306 becomes й, у + U+0306 ў, і + U+0308 ї.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// [`fold`] appending to a buffer the caller reuses, so the tokenizers do not allocate per word.
pub fn fold_into(word: &str, out: &mut String) {
    if is_folded(word) {
        out.push_str(word);
        return;
    }
    for ch in word.chars() {
        match ch {
            'A'..='Z' => out.push(ch.to_ascii_lowercase()),
            '\0'..='\u{7F}' if ch != '`' => out.push(ch),
            'ё' | 'Ё' => out.push('е'),
            '\u{0410}'..='\u{042F}' => out.push(shift(ch, 0x20)),
            '\u{0430}'..='\u{044F}' | 'і' | 'ї' | 'є' | 'ґ' | 'ў' => out.push(ch),
            '\u{0400}'..='\u{040F}' => out.push(shift(ch, 0x50)),
            'Ґ' => out.push('ґ'),
            '`' | '\u{2019}' | '\u{02BC}' | '\u{2018}' | '\u{2032}' => out.push('\''),
            '\u{0301}' => {}
            '\u{0308}' | '\u{0306}' => compose(out, ch),
            _ => {
                if ch.is_lowercase() || !ch.is_alphabetic() {
                    out.push(ch);
                } else {
                    out.extend(ch.to_lowercase());
                }
            }
        }
    }
}

/// Whether a word is already in folded form, checked on bytes: most words of running text are lowercase ASCII or
/// lowercase Cyrillic, and copying them whole is much cheaper than folding them character by character.
fn is_folded(word: &str) -> bool {
    let bytes = word.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte < 0x80 {
            if byte.is_ascii_uppercase() || byte == b'`' {
                return false;
            }
            index += 1;
            continue;
        }
        let Some(&second) = bytes.get(index + 1) else { return false };
        let lowercase_cyrillic = match byte {
            // а..п
            0xD0 => (0xB0..=0xBF).contains(&second),
            // р..я, є, і, ї, ў (not ё, D1 91)
            0xD1 => (0x80..=0x8F).contains(&second) || matches!(second, 0x94 | 0x96 | 0x97 | 0x9E),
            // ґ
            0xD2 => second == 0x91,
            _ => false,
        };
        if !lowercase_cyrillic {
            return false;
        }
        index += 2;
    }
    true
}

fn shift(ch: char, by: u32) -> char {
    char::from_u32(ch as u32 + by).unwrap_or(ch)
}

/// Combines a diaeresis or breve with the Cyrillic letter before it; any other base keeps the mark.
fn compose(out: &mut String, mark: char) {
    let composed = match (out.chars().next_back(), mark) {
        (Some('е'), '\u{0308}') => Some('е'),
        (Some('і'), '\u{0308}') => Some('ї'),
        (Some('и'), '\u{0306}') => Some('й'),
        (Some('у'), '\u{0306}') => Some('ў'),
        _ => None,
    };
    match composed {
        Some(letter) => {
            out.pop();
            out.push(letter);
        }
        None => out.push(mark),
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_yo_apostrophes_and_stress() {
        let cases = [
            ("Ёлка", "елка"),
            ("ЁЛКА", "елка"),
            ("М’ЯСО", "м'ясо"),
            ("мʼясо", "м'ясо"),
            ("м‘ясо", "м'ясо"),
            ("м`ясо", "м'ясо"),
            ("м′ясо", "м'ясо"),
            ("замо\u{301}к", "замок"),
            ("ЇЖАК", "їжак"),
            ("ҐАНОК", "ґанок"),
            ("ЄВРОПА", "європа"),
            ("ІВАН", "іван"),
            ("ЎЗБЕК", "ўзбек"),
            ("O'Brien", "o'brien"),
            ("STRASSE", "strasse"),
            ("Ärger", "ärger"),
            ("е\u{308}лка", "елка"),
            ("и\u{306}од", "йод"),
            ("i\u{308}", "i\u{308}"),
            ("", ""),
        ];
        for (word, expected) in cases {
            assert_eq!(fold(word), expected, "fold({word:?})");
        }
    }

    #[test]
    fn the_fast_path_agrees_with_the_slow_one() {
        for word in ["абвгдежзийклмнопрстуфхцчшщъыьэюя", "єіїґў", "abc123", "ё", "Я", "ʼ", "é", "\u{301}"]
        {
            let mut slow = String::new();
            for ch in word.chars() {
                super::fold_into(ch.encode_utf8(&mut [0; 4]), &mut slow);
            }
            assert_eq!(fold(word), slow, "{word}");
        }
        assert!(super::is_folded("абвгдежзийклмнопрстуфхцчшщъыьэюяєіїґў'abc123"));
        assert!(!super::is_folded("ё"));
    }

    #[test]
    fn folding_is_idempotent() {
        for word in ["Ёлка", "М’ЯСО", "Straße", "İstanbul", "ΣΟΦΙΑ"] {
            let once = fold(word);
            assert_eq!(fold(&once), once);
        }
    }
}
