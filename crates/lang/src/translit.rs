//! Transliteration of names between Cyrillic and Latin, so that a search for "Kryvenko" finds "Кривенко" and the
//! other way round. Cyrillic → Latin applies the schemes that real documents use (passports, maps, libraries);
//! Latin → Cyrillic inverts them, trying every reading of ambiguous letters and keeping the most likely ones.

use crate::fold::fold_into;
use crate::{Script, fold, word_script};

/// At most this many spellings come back for one word (the query side ORs them all).
pub const MAX_VARIANTS: usize = 64;

/// Latin words longer than this (in letters) are not inverted: no name is that long, and the search is bounded.
const MAX_LATIN_LETTERS: usize = 40;

/// The folded spellings of a word (a name) in the other script under real transliteration schemes, plus the folded
/// word itself, deduplicated, at most [`MAX_VARIANTS`].
///
/// Cyrillic → Latin: Russian passports (ICAO 9303, 2013), BGN/PCGN Russian and Ukrainian, GOST 7.79-2000 system B,
/// Ukrainian KMU 2010 (with its word-initial rules, Є→Ye, Ї→Yi, Й→Y, Ю→Yu, Я→Ya, and zgh for зг). Russian-only
/// schemes are skipped for words with Ukrainian letters and the other way round.
/// Latin → Cyrillic: the Cyrillic spellings those schemes map back to, most likely first.
pub fn variants(word: &str) -> Vec<String> {
    let folded = fold(word);
    let mut out = vec![folded.clone()];
    match word_script(&folded) {
        Script::Cyrillic => cyrillic_to_latin(word, &mut out),
        Script::Latin => latin_to_cyrillic(&folded, &mut out),
        Script::Other => {}
    }
    out.truncate(MAX_VARIANTS);
    out
}

fn push_unique(out: &mut Vec<String>, candidate: String) {
    if !candidate.is_empty() && out.len() < MAX_VARIANTS && !out.contains(&candidate) {
        out.push(candidate);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Icao,
    BgnRussian,
    BgnUkrainian,
    GostRussian,
    GostUkrainian,
    Kmu2010,
}

fn cyrillic_to_latin(word: &str, out: &mut Vec<String>) {
    // Folding turns ё into е, but GOST writes ё as "yo": keep it for the romanisation.
    let mut lower = String::with_capacity(word.len());
    for ch in word.chars() {
        match ch {
            'ё' | 'Ё' => lower.push('ё'),
            _ => fold_into(ch.encode_utf8(&mut [0; 4]), &mut lower),
        }
    }
    let letters: Vec<char> = lower.chars().collect();
    // Only whole Cyrillic words (with apostrophes and digits) are transliterated; a mixed-script word is left alone.
    if letters.iter().any(|&ch| ch.is_alphabetic() && !crate::is_cyrillic_letter(ch)) {
        return;
    }
    let has_ukrainian = letters.iter().any(|ch| matches!(ch, 'і' | 'ї' | 'є' | 'ґ'));
    let has_russian = letters.iter().any(|ch| matches!(ch, 'ы' | 'э' | 'ъ' | 'ё'));
    let mut schemes = vec![Scheme::Icao];
    if !has_ukrainian {
        schemes.extend([Scheme::BgnRussian, Scheme::GostRussian]);
    }
    if !has_russian {
        schemes.extend([Scheme::Kmu2010, Scheme::BgnUkrainian, Scheme::GostUkrainian]);
    }
    for scheme in schemes {
        let mut latin = String::with_capacity(letters.len() * 2);
        for index in 0..letters.len() {
            latin.push_str(romanize(scheme, &letters, index));
        }
        let mut folded = String::with_capacity(latin.len());
        fold_into(&latin, &mut folded);
        push_unique(out, folded);
    }
}

fn is_cyrillic_vowel(ch: char) -> bool {
    matches!(ch, 'а' | 'е' | 'ё' | 'и' | 'о' | 'у' | 'ы' | 'э' | 'ю' | 'я' | 'і' | 'ї' | 'є')
}

/// The Latin spelling of `letters[index]` under `scheme`, given its neighbours.
fn romanize(scheme: Scheme, letters: &[char], index: usize) -> &'static str {
    let ch = letters[index];
    let previous = index.checked_sub(1).map(|before| letters[before]);
    let next = letters.get(index + 1).copied();
    let initial = previous.is_none_or(|before| !before.is_alphabetic());
    // BGN/PCGN writes е as "ye" where it is pronounced so: at the start, after a vowel, й, ъ or ь.
    let iotated =
        initial || previous.is_some_and(|before| is_cyrillic_vowel(before) || matches!(before, 'й' | 'ъ' | 'ь'));
    match ch {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'д' => "d",
        'з' => "z",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'ж' => "zh",
        'ч' => "ch",
        'ш' => "sh",
        'г' => match scheme {
            Scheme::Kmu2010 if previous == Some('з') => "gh",
            Scheme::Kmu2010 | Scheme::BgnUkrainian => "h",
            Scheme::GostUkrainian => "g'",
            _ => "g",
        },
        'ґ' => "g",
        'е' => match scheme {
            Scheme::BgnRussian if iotated => "ye",
            _ => "e",
        },
        'ё' => match scheme {
            Scheme::GostRussian | Scheme::GostUkrainian | Scheme::BgnUkrainian | Scheme::Kmu2010 => "yo",
            Scheme::BgnRussian if iotated => "ye",
            _ => "e",
        },
        'є' => match scheme {
            Scheme::Icao => "ie",
            Scheme::Kmu2010 if !initial => "ie",
            _ => "ye",
        },
        'и' => match scheme {
            Scheme::Kmu2010 | Scheme::BgnUkrainian => "y",
            Scheme::GostUkrainian => "y'",
            _ => "i",
        },
        'і' => "i",
        'ї' => match scheme {
            Scheme::Icao => "i",
            Scheme::Kmu2010 if !initial => "i",
            _ => "yi",
        },
        'й' => match scheme {
            Scheme::Icao => "i",
            Scheme::Kmu2010 if !initial => "i",
            Scheme::GostRussian | Scheme::GostUkrainian => "j",
            _ => "y",
        },
        'х' => match scheme {
            Scheme::GostRussian | Scheme::GostUkrainian => "x",
            _ => "kh",
        },
        'ц' => match scheme {
            // GOST writes c before the vowels that soften it, cz elsewhere.
            Scheme::GostRussian | Scheme::GostUkrainian
                if next.is_some_and(|after| matches!(after, 'е' | 'и' | 'ы' | 'й' | 'і' | 'є' | 'ї')) =>
            {
                "c"
            }
            Scheme::GostRussian | Scheme::GostUkrainian => "cz",
            _ => "ts",
        },
        'щ' => match scheme {
            Scheme::GostRussian | Scheme::GostUkrainian => "shh",
            _ => "shch",
        },
        'ъ' => match scheme {
            Scheme::Icao => "ie",
            _ => "",
        },
        'ы' => match scheme {
            Scheme::GostRussian | Scheme::GostUkrainian => "y'",
            _ => "y",
        },
        'ь' => "",
        'э' => match scheme {
            Scheme::GostRussian | Scheme::GostUkrainian => "e'",
            _ => "e",
        },
        'ю' => match scheme {
            Scheme::Icao => "iu",
            Scheme::Kmu2010 if !initial => "iu",
            _ => "yu",
        },
        'я' => match scheme {
            Scheme::Icao => "ia",
            Scheme::Kmu2010 if !initial => "ia",
            _ => "ya",
        },
        'ў' => match scheme {
            Scheme::BgnRussian | Scheme::BgnUkrainian => "w",
            Scheme::GostRussian | Scheme::GostUkrainian => "u'",
            _ => "u",
        },
        // The Ukrainian apostrophe is dropped by KMU 2010 and ICAO and all but dropped by the others.
        '\'' => "",
        '0' => "0",
        '1' => "1",
        '2' => "2",
        '3' => "3",
        '4' => "4",
        '5' => "5",
        '6' => "6",
        '7' => "7",
        '8' => "8",
        '9' => "9",
        _ => "",
    }
}

/// One Latin spelling that some scheme produces, with the Cyrillic it may stand for and how unlikely each reading is
/// (0: the usual reading).
struct Reading {
    latin: &'static str,
    cyrillic: &'static [(&'static str, u32)],
}

/// Every Latin sequence the schemes produce. Longer sequences are tried too when a shorter one also matches; using a
/// shorter one where a longer one fits costs one extra (kh is more likely х than кх).
const READINGS: &[Reading] = &[
    // The soft sign of the Ukrainian adjective ending -ський is never written: give the ending whole.
    Reading { latin: "skyi", cyrillic: &[("ський", 0), ("ский", 1)] },
    Reading { latin: "skyy", cyrillic: &[("ський", 0), ("ский", 1)] },
    Reading { latin: "skii", cyrillic: &[("ский", 0), ("ський", 1)] },
    Reading { latin: "skiy", cyrillic: &[("ский", 0), ("ський", 1)] },
    Reading { latin: "shch", cyrillic: &[("щ", 0)] },
    Reading { latin: "zgh", cyrillic: &[("зг", 0)] },
    Reading { latin: "shh", cyrillic: &[("щ", 0)] },
    Reading { latin: "sch", cyrillic: &[("щ", 1)] },
    Reading { latin: "zh", cyrillic: &[("ж", 0)] },
    Reading { latin: "kh", cyrillic: &[("х", 0)] },
    Reading { latin: "ts", cyrillic: &[("ц", 0)] },
    Reading { latin: "tz", cyrillic: &[("ц", 1)] },
    Reading { latin: "cz", cyrillic: &[("ц", 0)] },
    Reading { latin: "ch", cyrillic: &[("ч", 0)] },
    Reading { latin: "sh", cyrillic: &[("ш", 0)] },
    Reading { latin: "yu", cyrillic: &[("ю", 0)] },
    Reading { latin: "ya", cyrillic: &[("я", 0)] },
    Reading { latin: "ye", cyrillic: &[("е", 0), ("є", 1), ("ье", 2)] },
    Reading { latin: "yi", cyrillic: &[("ї", 0), ("ий", 1), ("ый", 1)] },
    Reading { latin: "yo", cyrillic: &[("е", 0), ("йо", 1), ("ьо", 1)] },
    Reading { latin: "iu", cyrillic: &[("ю", 0), ("иу", 2)] },
    Reading { latin: "ia", cyrillic: &[("я", 0), ("ия", 1)] },
    Reading { latin: "ie", cyrillic: &[("є", 0), ("ье", 1), ("ъе", 1), ("ие", 1)] },
    Reading { latin: "a", cyrillic: &[("а", 0)] },
    Reading { latin: "b", cyrillic: &[("б", 0)] },
    Reading { latin: "c", cyrillic: &[("ц", 0), ("к", 1)] },
    Reading { latin: "d", cyrillic: &[("д", 0)] },
    Reading { latin: "e", cyrillic: &[("е", 0), ("э", 1), ("є", 2)] },
    Reading { latin: "f", cyrillic: &[("ф", 0)] },
    Reading { latin: "g", cyrillic: &[("г", 0), ("ґ", 2)] },
    Reading { latin: "h", cyrillic: &[("г", 0), ("х", 1)] },
    Reading { latin: "i", cyrillic: &[("и", 0), ("і", 1), ("й", 2), ("ї", 2)] },
    Reading { latin: "j", cyrillic: &[("й", 0), ("дж", 1)] },
    Reading { latin: "k", cyrillic: &[("к", 0)] },
    Reading { latin: "l", cyrillic: &[("л", 0)] },
    Reading { latin: "m", cyrillic: &[("м", 0)] },
    Reading { latin: "n", cyrillic: &[("н", 0)] },
    Reading { latin: "o", cyrillic: &[("о", 0)] },
    Reading { latin: "p", cyrillic: &[("п", 0)] },
    Reading { latin: "q", cyrillic: &[("к", 0)] },
    Reading { latin: "r", cyrillic: &[("р", 0)] },
    Reading { latin: "s", cyrillic: &[("с", 0)] },
    Reading { latin: "t", cyrillic: &[("т", 0)] },
    Reading { latin: "u", cyrillic: &[("у", 0)] },
    Reading { latin: "v", cyrillic: &[("в", 0)] },
    Reading { latin: "w", cyrillic: &[("в", 0)] },
    Reading { latin: "x", cyrillic: &[("х", 0), ("кс", 1)] },
    Reading { latin: "y", cyrillic: &[("и", 0), ("ы", 1), ("й", 1)] },
    Reading { latin: "z", cyrillic: &[("з", 0)] },
    Reading { latin: "'", cyrillic: &[("ь", 0), ("'", 1)] },
];

fn is_latin_vowel(byte: u8) -> bool {
    matches!(byte, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The cost of reading `latin` (which starts at `start` of `word`) as `cyrillic`, adjusted by context.
fn reading_cost(word: &[u8], start: usize, latin: &str, cyrillic: &str, base: u32) -> u32 {
    let previous = start.checked_sub(1).map(|before| word[before]);
    let after_vowel = previous.is_some_and(is_latin_vowel);
    let at_end = start + latin.len() == word.len();
    match (latin, cyrillic) {
        // After a vowel, a lone y or i is й (Nikolay, Andrei): make that the usual reading there.
        ("y" | "i", "й") if after_vowel => 0,
        ("y" | "i", "и") if after_vowel => 1,
        // Word-initial e is as often э as е (Eduard, Elena).
        ("e", "э") if start == 0 => 0,
        // A final y after a consonant is -ый / -ий in Russian adjectives and surnames (Bely, Gorky).
        ("y", "ый") | ("y", "ий") if at_end && !after_vowel => 1,
        _ => base,
    }
}

/// Readings of a Latin word as Cyrillic: dynamic programming over positions of the word, each position keeping
/// the `MAX_VARIANTS` cheapest partial spellings, so the work is bounded by the word's length.
fn latin_to_cyrillic(folded: &str, out: &mut Vec<String>) {
    let word = folded.as_bytes();
    if word.is_empty()
        || word.len() > MAX_LATIN_LETTERS
        || !word.iter().all(|byte| byte.is_ascii_lowercase() || *byte == b'\'')
    {
        return;
    }
    let mut partials: Vec<Vec<(u32, String)>> = vec![Vec::new(); word.len() + 1];
    partials[0].push((0, String::new()));
    for start in 0..word.len() {
        let mut here = std::mem::take(&mut partials[start]);
        if here.is_empty() {
            continue;
        }
        // Stable sort keeps the order of equally likely readings (the table's order).
        here.sort_by_key(|(cost, _)| *cost);
        here.truncate(MAX_VARIANTS);
        let rest = &word[start..];
        let longest = READINGS
            .iter()
            .filter(|reading| rest.starts_with(reading.latin.as_bytes()))
            .map(|reading| reading.latin.len())
            .max()
            .unwrap_or(0);
        for reading in READINGS.iter().filter(|reading| rest.starts_with(reading.latin.as_bytes())) {
            let end = start + reading.latin.len();
            let split_penalty = u32::from(reading.latin.len() < longest);
            let mut cyrillic_readings: Vec<(&str, u32)> = reading.cyrillic.to_vec();
            // A soft sign is never written in these schemes: after l before a consonant or at the end it is likely
            // (Lviv, Olga, Igor'), so offer it there.
            if reading.latin == "l" && word.get(end).is_none_or(|after| !is_latin_vowel(*after)) {
                cyrillic_readings.push(("ль", 1));
            }
            if reading.latin == "y"
                && end == word.len()
                && !start.checked_sub(1).is_some_and(|before| is_latin_vowel(word[before]))
            {
                cyrillic_readings.extend([("ый", 1), ("ий", 1)]);
            }
            for (cyrillic, base) in cyrillic_readings {
                let cost = reading_cost(word, start, reading.latin, cyrillic, base) + split_penalty;
                for (partial_cost, partial) in &here {
                    let mut spelling = String::with_capacity(partial.len() + cyrillic.len());
                    spelling.push_str(partial);
                    spelling.push_str(cyrillic);
                    partials[end].push((partial_cost + cost, spelling));
                }
            }
        }
        // Bound the memory before the next positions multiply it further.
        for bucket in &mut partials[start + 1..] {
            if bucket.len() > MAX_VARIANTS * 4 {
                bucket.sort_by_key(|(cost, _)| *cost);
                bucket.truncate(MAX_VARIANTS);
            }
        }
    }
    let mut finished = std::mem::take(&mut partials[word.len()]);
    finished.sort_by_key(|(cost, _)| *cost);
    for (_, spelling) in finished {
        // An apostrophe kept at the very start or end would never be inside a token.
        if spelling.starts_with('\'') || spelling.ends_with('\'') {
            continue;
        }
        push_unique(out, spelling);
    }
}

#[cfg(test)]
mod tests {
    use super::variants;

    #[test]
    fn bounded_and_starting_with_the_word() {
        let long = "shchshchshchshchshchshchshchshchshchshch";
        let found = variants(long);
        assert!(found.len() <= super::MAX_VARIANTS);
        assert_eq!(found[0], long);
        assert_eq!(variants("2020"), vec!["2020".to_string()]);
    }
}
