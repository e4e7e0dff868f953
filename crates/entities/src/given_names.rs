//! The first names dossier knows (`data/given_names.txt`): their gender, their spellings in Russian, Ukrainian and
//! Latin, and the rules that bring an inflected first name (`Игоря`, `Ірині`, `Павлом`) back to its nominative.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::person::{Cases, Gender};

const DATA: &str = include_str!("../data/given_names.txt");

/// One first name: the spellings of one line of the data file.
#[derive(Debug)]
pub(crate) struct GivenName {
    pub gender: Gender,
    /// Spellings as written in the file, the Russian one first.
    pub spellings: Vec<&'static str>,
    /// The first sound of each spelling ([`crate::skeleton::initial`]), deduplicated: the initials this name may be
    /// written with (`Олександр` is `А.` in Russian and `О.` in Ukrainian).
    pub initials: Vec<String>,
}

impl GivenName {
    /// The name's identity across languages: its Russian spelling.
    pub fn identity(&self) -> &'static str {
        self.spellings[0]
    }
}

pub(crate) struct Names {
    pub names: Vec<GivenName>,
    /// Folded Cyrillic spelling → (name, spelling).
    by_folded: HashMap<String, (usize, usize)>,
    /// Skeleton of every spelling → (name, spelling): how Latin words are looked up.
    by_skeleton: HashMap<String, (usize, usize)>,
}

pub(crate) fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(load)
}

fn load() -> Names {
    let mut names = Vec::new();
    let mut by_folded = HashMap::new();
    let mut by_skeleton = HashMap::new();
    for line in DATA.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#')) {
        let mut fields = line.split_whitespace();
        let gender = match fields.next() {
            Some("f") => Gender::Female,
            _ => Gender::Male,
        };
        let spellings: Vec<&'static str> = fields.collect();
        if spellings.is_empty() {
            continue;
        }
        let index = names.len();
        let mut initials: Vec<String> = Vec::new();
        for (spelling_index, spelling) in spellings.iter().enumerate() {
            let folded = dossier_lang::fold(spelling);
            if !folded.is_ascii() {
                by_folded.entry(folded).or_insert((index, spelling_index));
            }
            by_skeleton.entry(crate::skeleton::skeleton(spelling)).or_insert((index, spelling_index));
            for first in crate::skeleton::initials(spelling) {
                if !initials.contains(&first) {
                    initials.push(first);
                }
            }
        }
        names.push(GivenName { gender, spellings, initials });
    }
    Names { names, by_folded, by_skeleton }
}

/// A first name found in a word.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    pub name: usize,
    /// Which spelling matched: the one shown.
    pub spelling: usize,
    pub cases: Cases,
}

/// Endings of inflected first names: the ending, what replaces it in the nominative, and the cases it marks.
/// Every candidate is checked against the dictionary, so the table may offer more than one replacement.
const ENDINGS: &[(&str, &[&str], Cases)] = &[
    ("ові", &["", "о"], Cases::DAT.with(Cases::LOC)),
    ("еві", &["ь", "й", ""], Cases::DAT.with(Cases::LOC)),
    ("єві", &["й"], Cases::DAT.with(Cases::LOC)),
    ("ью", &["ь"], Cases::INS),
    ("ом", &["", "о"], Cases::INS),
    ("ем", &["ь", "й", ""], Cases::INS),
    ("єм", &["й"], Cases::INS),
    ("ой", &["а"], Cases::INS),
    ("ей", &["я", "а"], Cases::INS),
    ("ою", &["а"], Cases::INS),
    ("ею", &["я", "а"], Cases::INS),
    ("єю", &["я"], Cases::INS),
    ("зі", &["га"], Cases::DAT.with(Cases::LOC)),
    ("ці", &["ка"], Cases::DAT.with(Cases::LOC)),
    ("а", &["", "о"], Cases::GEN.with(Cases::ACC)),
    ("я", &["ь", "й", ""], Cases::GEN.with(Cases::ACC)),
    // `-у`, `-ю` are a man's dative (Ивану, Игорю) but the accusative of an `-а`, `-я` name (Ирину, Марию).
    ("у", &["", "о"], Cases::DAT),
    ("у", &["а"], Cases::ACC),
    ("ю", &["ь", "й", ""], Cases::DAT),
    ("ю", &["я"], Cases::ACC),
    ("ы", &["а"], Cases::GEN),
    ("и", &["а", "я", "й", "ь"], Cases::GEN.with(Cases::DAT).with(Cases::LOC)),
    ("ї", &["я"], Cases::GEN.with(Cases::DAT).with(Cases::LOC)),
    ("е", &["", "ь", "й", "о"], Cases::LOC),
    ("е", &["а", "я"], Cases::DAT.with(Cases::LOC)),
    ("і", &["а", "я", "", "о"], Cases::DAT.with(Cases::LOC)),
];

/// The first name a word is, in any case, or `None`. Latin words are looked up by skeleton and are nominative.
/// Where an inflected form fits spellings of more than one language (`Павла`: Павел or Павло), `ukrainian` says
/// which to prefer.
pub(crate) fn find(word: &str, ukrainian: bool) -> Option<Found> {
    find_all(word, ukrainian).into_iter().next()
}

/// Every first name a word can be, the likeliest first: `Александра` is the woman's name in the nominative or the
/// man's in the genitive, which only the rest of the mention decides.
pub(crate) fn find_all(word: &str, ukrainian: bool) -> Vec<Found> {
    let names = names();
    let folded = dossier_lang::fold(word);
    let mut found = Vec::new();
    if folded.chars().count() < 2 {
        return found;
    }
    if folded.is_ascii() {
        if let Some(&(name, spelling)) = names.by_skeleton.get(&crate::skeleton::skeleton(&folded)) {
            found.push(Found { name, spelling, cases: Cases::NOM });
        }
        return found;
    }
    if let Some(&(name, spelling)) = names.by_folded.get(&folded) {
        found.push(Found { name, spelling, cases: Cases::NOM });
    }
    for (ending, replacements, cases) in ENDINGS {
        let Some(stem) = folded.strip_suffix(ending) else { continue };
        if stem.chars().count() < 2 {
            continue;
        }
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for replacement in *replacements {
            let candidate = format!("{stem}{replacement}");
            for candidate in [Some(candidate.clone()), fleeting_vowel(&candidate)].into_iter().flatten() {
                if let Some(&hit) = names.by_folded.get(&candidate) {
                    hits.push(hit);
                }
            }
        }
        let preferred = hits.iter().find(|(_, spelling)| (*spelling > 0) == ukrainian).or(hits.first());
        if let Some(&(name, spelling)) = preferred {
            if !found.iter().any(|other| other.name == name) {
                found.push(Found { name, spelling, cases: *cases });
            }
        }
    }
    found
}

/// The nominative with the vowel that inflection drops (`Павл-а` → `Павел`, `Льв-а` → `Лев`), when the stem ends in
/// two consonants.
fn fleeting_vowel(stem: &str) -> Option<String> {
    let chars: Vec<char> = stem.chars().collect();
    let [.., before, last] = chars[..] else { return None };
    let is_consonant = |ch: char| ch.is_alphabetic() && !"аеёиоуыэюяіїєь".contains(ch);
    if !is_consonant(last) {
        return None;
    }
    let head: String = chars[..chars.len() - 2].iter().collect();
    if before == 'ь' {
        return Some(format!("{head}е{last}"));
    }
    is_consonant(before).then(|| format!("{head}{before}е{last}"))
}

/// The first name a patronymic is made from (`Петрович` → Пётр, `Сергіївна` → Сергій), for the patronymic's
/// credibility: `Абрамович` could be either.
pub(crate) fn base_of_patronymic(stem: &str) -> Option<usize> {
    let names = names();
    for replacement in ["", "й", "ь", "ий", "я", "а"] {
        let base = stem.strip_suffix('ь').filter(|_| replacement == "ий").unwrap_or(stem);
        if let Some(&(name, _)) = names.by_folded.get(&format!("{base}{replacement}")) {
            return Some(name);
        }
    }
    None
}
