//! The Latin skeleton of a name: one ASCII spelling that the Russian, the Ukrainian and the common Latin spellings
//! of a name share (`Ветров`, `Вєтров`, `Vetrov`, `Vyetrov` → `vetrov`; `Игорь`, `Ігор`, `Igor`, `Ihor` → `igor`).
//!
//! It is a key, not a transliteration to show: Cyrillic is first romanised letter by letter, then both scripts go
//! through the same reductions, each of which merges spellings that real schemes disagree on: h and g (Ukrainian г),
//! y, j and i (и, і, ы, й), a glide before a vowel (ye/ie/e, yu/iu/u), doubled letters (Ганна, Hanna), kh and x
//! (х), ts, tz and cz (ц). Different names may share a skeleton; linking checks more than the key.

/// The skeleton of one word (a hyphenated word keeps its hyphens); empty when the word has no letters of Latin or
/// Cyrillic.
pub(crate) fn skeleton(word: &str) -> String {
    let units = units(word);
    let mut out = String::with_capacity(units.len());
    for unit in units {
        out.push_str(spell(unit));
    }
    out
}

/// The first sound of a word's skeleton (`Юрий`, `Yuriy`, `Ю.` → `u`; `Шевченко` → `sh`): what an initial is
/// compared by.
pub(crate) fn initial(word: &str) -> String {
    units(word).into_iter().find(|unit| *unit != '-').map(spell).unwrap_or_default().to_string()
}

/// The first sounds a word may be abbreviated by: that of its skeleton, and for a word that starts with a vowel after
/// и, і or i (`Иосиф`, `Иоанн`, Latin `Iurii`) also `i`, which is what its initial `И.` or `I.` gives.
pub(crate) fn initials(word: &str) -> Vec<String> {
    let mut out = vec![initial(word)];
    let folded = dossier_lang::fold(word);
    let starts_with_i = folded.starts_with(['и', 'і', 'i']);
    if starts_with_i && !out.iter().any(|first| first == "i") {
        out.push("i".to_string());
    }
    out
}

/// Reduced sounds, one char each: lowercase ASCII letters, `-`, and `S` (ш, щ), `Z` (ж), `C` (ч), `X` (х).
fn units(word: &str) -> Vec<char> {
    let mut latin = String::with_capacity(word.len() * 2);
    for ch in dossier_lang::fold(word).chars() {
        latin.push_str(romanise(ch));
    }
    let bytes = latin.as_bytes();
    let mut reduced: Vec<char> = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let rest = &latin[index..];
        let (unit, used) = if rest.starts_with("shch") {
            ('S', 4)
        } else if rest.starts_with("shh") || rest.starts_with("sch") {
            ('S', 3)
        } else if rest.starts_with("sh") {
            ('S', 2)
        } else if rest.starts_with("zh") {
            ('Z', 2)
        } else if rest.starts_with("kh") {
            ('X', 2)
        } else if rest.starts_with("ch") {
            ('C', 2)
        } else if rest.starts_with("ts") || rest.starts_with("tz") || rest.starts_with("cz") {
            ('c', 2)
        } else if rest.starts_with("ck") {
            ('k', 2)
        } else if rest.starts_with("ph") {
            ('f', 2)
        } else {
            let unit = match bytes[index] {
                b'h' => 'g',
                b'y' | b'j' => 'i',
                b'w' => 'v',
                b'q' => 'k',
                b'x' => {
                    reduced.push('k');
                    's'
                }
                byte if byte.is_ascii_lowercase() || byte == b'-' => byte as char,
                _ => {
                    index += 1;
                    continue;
                }
            };
            (unit, 1)
        };
        reduced.push(unit);
        index += used;
    }
    // A glide before a vowel is written ye, ie, e (є, е), yu, iu (ю) or ya, ia (я) by different schemes: drop it.
    let mut glided: Vec<char> = Vec::with_capacity(reduced.len());
    for (position, &unit) in reduced.iter().enumerate() {
        let next = reduced.get(position + 1).copied();
        if unit == 'i' && next.is_some_and(|after| matches!(after, 'a' | 'e' | 'o' | 'u')) {
            continue;
        }
        glided.push(unit);
    }
    glided.dedup();
    glided
}

fn spell(unit: char) -> &'static str {
    match unit {
        'S' => "sh",
        'Z' => "zh",
        'C' => "ch",
        'X' => "kh",
        '-' => "-",
        _ => LETTERS.get((unit as usize).wrapping_sub('a' as usize)).copied().unwrap_or(""),
    }
}

const LETTERS: [&str; 26] = [
    "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w",
    "x", "y", "z",
];

/// One folded Cyrillic letter in Latin letters (Latin letters and hyphens stay, the rest is dropped).
fn romanise(ch: char) -> &'static str {
    match ch {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' => "g",
        'д' => "d",
        'е' | 'э' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' | 'ы' => "i",
        'ї' => "yi",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ю' => "yu",
        'я' => "ya",
        '-' => "-",
        'a'..='z' => LETTERS[(ch as usize) - ('a' as usize)],
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::{initial, skeleton};

    #[test]
    fn spellings_of_one_name_share_a_skeleton() {
        let groups: &[&[&str]] = &[
            &["Ветров", "Вєтров", "Vetrov", "Vyetrov", "Vietrov"],
            &["Игорь", "Ігор", "Igor", "Ihor"],
            &["Юрий", "Юрій", "Yuriy", "Yurii", "Iurii", "Jurij", "Yuri"],
            &["Сергей", "Sergey", "Sergei"],
            &["Сергій", "Serhiy", "Serhii"],
            &["Вишневский", "Вишневський", "Vyshnevskyi", "Vishnevsky", "Vishnevskiy"],
            &["Кривенко", "Kryvenko", "Krivenko"],
            &["Шевченко", "Shevchenko"],
            &["Ганна", "Hanna", "Gana"],
            &["Соколов-Ветров", "Sokolov-Vetrov"],
            &["Хмельницкий", "Khmelnitsky", "Khmelnytskyi"],
        ];
        for group in groups {
            let first = skeleton(group[0]);
            for word in &group[1..] {
                assert_eq!(skeleton(word), first, "{word} vs {}", group[0]);
            }
        }
        assert_eq!(skeleton("Соколов-Ветров"), "sokolov-vetrov");
        assert_ne!(skeleton("Иван"), skeleton("Игорь"));
    }

    #[test]
    fn initials_are_first_sounds() {
        assert_eq!(initial("Ю."), initial("Юрий"));
        assert_eq!(initial("Yu."), initial("Юрий"));
        assert_eq!(initial("І."), initial("Игорь"));
        assert_eq!(initial("Шевченко"), "sh");
        assert!(super::initials("Иосиф").contains(&initial("И.")));
        assert!(super::initials("Iurii").contains(&initial("Юрий")));
        assert_eq!(initial(""), "");
    }
}
