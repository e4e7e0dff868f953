//! A person's name read into its parts (surname, first name, patronymic, initials) in their dictionary form, from
//! any common order and any case of Russian and Ukrainian, or from a Latin transliteration.
//!
//! The parts are told apart by what each word is: a first name from `data/given_names.txt` in any case, a
//! patronymic by its suffix (`-ович`, `-івна`...), a surname by elimination and by its suffix (`-ов`, `-ський`,
//! `-енко`, `-ук`). The case and gender of the first name and patronymic then say which case the surname is in
//! (`Игоря Соколова` is a genitive, so the surname is `Соколов`); without them only the surname's own unambiguous
//! endings are undone (`Соколовым`, `Вишневской`), and `Соколова И. П.` keeps its gender open.

use crate::given_names;
use crate::skeleton::{initial, skeleton};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Gender {
    Male,
    Female,
}

/// A set of grammatical cases, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cases(u8);

impl Cases {
    pub const NOM: Cases = Cases(1);
    pub const GEN: Cases = Cases(2);
    pub const DAT: Cases = Cases(4);
    pub const ACC: Cases = Cases(8);
    pub const INS: Cases = Cases(16);
    pub const LOC: Cases = Cases(32);
    pub const ANY: Cases = Cases(63);

    pub const fn with(self, other: Cases) -> Cases {
        Cases(self.0 | other.0)
    }

    fn meets(self, other: Cases) -> bool {
        self.0 & other.0 != 0
    }

    fn and(self, other: Cases) -> Cases {
        Cases(self.0 & other.0)
    }
}

/// A person's name in parts, each in its dictionary form as shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct PersonName {
    /// As shown (`Соколов-Ветров`, `Соколова`, `Sokolov-Vetrov`).
    pub surname: Option<String>,
    /// The masculine form of the surname, which Russian and Ukrainian feminine and inflected forms share
    /// (`Соколова`, `Соколовой` → `Соколов`; `Вишневська` → `Вишневський`): the linking key's surname.
    pub surname_masculine: Option<String>,
    /// The first name as shown, in the nominative (`Игорь`, `Ірина`).
    pub given: Option<String>,
    /// The first name's line in the dictionary, when it is there.
    pub given_name: Option<usize>,
    /// A second first name, as written.
    pub middle: Option<String>,
    pub patronymic: Option<String>,
    /// Initials as written, without their dots (`И`, `П`), where the full names are not.
    pub given_initial: Option<String>,
    pub patronymic_initial: Option<String>,
    pub gender: Option<Gender>,
}

/// Reads a person mention; `None` when it does not look like a person's name (no word with a letter, or more words
/// than a name has), for which the caller falls back to the generic rules.
pub(crate) fn parse(text: &str, ukrainian: bool) -> Option<PersonName> {
    read(text, ukrainian, None)
}

/// Reads a value made by [`PersonName::value`] (surname first, when `has_surname`), whose order is known: a name
/// that the dictionary does not know (`Smith John`) is not taken for a first name by its place.
pub(crate) fn parse_value(value: &str, has_surname: bool) -> Option<PersonName> {
    read(value, has_ukrainian_letters(value), Some(has_surname))
}

fn read(text: &str, ukrainian: bool, canonical: Option<bool>) -> Option<PersonName> {
    // `Овечкин, Фёдоров` is two people: no one name to read.
    if text.contains([',', ';']) {
        return None;
    }
    // `Джошуа Вольф (Joshua Wolf)`: the name before the brackets is the one read.
    let text = match text.split_once('(') {
        Some((before, _)) if before.chars().any(char::is_alphabetic) => before,
        _ => text,
    };
    let tokens = tokens(text, canonical == Some(true));
    let words: Vec<&Token> = tokens.iter().filter(|token| !token.initial).collect();
    let initials: Vec<&Token> = tokens.iter().filter(|token| token.initial).collect();
    if words.is_empty() && initials.is_empty() || words.len() > 4 || initials.len() > 2 {
        return None;
    }
    // Digits, or a script the skeleton does not know (Greek, Chinese), are not read as a person's name.
    if tokens.iter().any(|token| skeleton(&token.text).is_empty() || token.text.chars().any(|c| c.is_ascii_digit())) {
        return None;
    }
    let readings: Vec<Reading> =
        words.iter().map(|token| read_word(&token.text, ukrainian || has_ukrainian_letters(&token.text))).collect();
    let roles = match canonical {
        None => assign_roles(&readings, !initials.is_empty())?,
        Some(has_surname) => {
            // Surname, first name, then a patronymic or a second first name.
            let mut roles = Vec::with_capacity(words.len());
            for (index, reading) in readings.iter().enumerate() {
                let position = if has_surname { index } else { index + 1 };
                roles.push(match position {
                    0 => Role::Surname,
                    1 => Role::Given,
                    _ if reading.patronymic.is_some() && !roles.contains(&Role::Patronymic) => Role::Patronymic,
                    _ if !roles.contains(&Role::Middle) && !roles.contains(&Role::Patronymic) => Role::Middle,
                    _ => return None,
                });
            }
            roles
        }
    };
    let mut name = PersonName::default();
    let mut cases = Cases::ANY;
    let mut gender: Option<Gender> = None;
    let mut surname_word: Option<&str> = None;
    let mut unknown_given_cases: Option<Cases> = None;
    let surname_at = roles.iter().position(|role| *role == Role::Surname);
    let patronymic_at = roles.iter().position(|role| *role == Role::Patronymic);
    for (index, role) in roles.iter().enumerate() {
        let reading = &readings[index];
        let word = words[index].text.as_str();
        match role {
            Role::Given => {
                let surname = surname_at.map(|at| words[at].text.as_str());
                let patronymic = patronymic_at.and_then(|at| readings[at].patronymic.as_ref());
                let chosen = choose_given(&reading.given_all, surname, patronymic, ukrainian);
                let agreed = match (chosen, patronymic) {
                    (Some(_), _) => None,
                    (None, Some(patronymic)) => unknown_given_by_patronymic(word, patronymic),
                    (None, None) => agree_unknown_given(word, surname),
                };
                if let Some(found) = chosen {
                    let entry = &given_names::names().names[found.name];
                    // A Latin name is shown as written; a Cyrillic one in the dictionary spelling it matched.
                    name.given =
                        Some(if word.is_ascii() { title(word) } else { entry.spellings[found.spelling].to_string() });
                    name.given_name = Some(found.name);
                    cases = cases.and(found.cases);
                    gender = Some(entry.gender);
                } else if let Some((lemma, agreed_cases)) = agreed {
                    name.given = Some(restore_case(word, &lemma));
                    unknown_given_cases = Some(agreed_cases);
                    gender = Some(patronymic.map_or(Gender::Male, |patronymic| patronymic.gender));
                } else {
                    name.given = Some(title(word));
                }
            }
            Role::Patronymic => {
                if let Some(patronymic) = &reading.patronymic {
                    name.patronymic = Some(restore_case(word, &patronymic.lemma));
                    if cases.meets(patronymic.cases) {
                        cases = cases.and(patronymic.cases);
                    }
                    gender.get_or_insert(patronymic.gender);
                }
            }
            Role::Middle => name.middle = Some(word.to_string()),
            Role::Surname => surname_word = Some(word),
        }
    }
    match initials.as_slice() {
        [] => {}
        [one] if name.given.is_some() => name.patronymic_initial = Some(one.text.clone()),
        [one] => name.given_initial = Some(one.text.clone()),
        [first, second, ..] => {
            name.given_initial = Some(first.text.clone());
            name.patronymic_initial = Some(second.text.clone());
        }
    }
    if let Some(word) = surname_word {
        // Evidence of case exists only when a first name or patronymic was read in a case.
        let evidence =
            (name.given_name.is_some() || name.patronymic.is_some()).then_some(cases).or(unknown_given_cases);
        let surname = lemmatize_surname(word, gender, evidence, ukrainian);
        if gender.is_none() {
            gender = surname.gender;
        }
        name.surname = Some(surname.shown);
        name.surname_masculine = Some(surname.masculine);
    }
    name.gender = gender;
    Some(name)
}

impl PersonName {
    /// The canonical form shown: surname, then first name and patronymic, or their initials
    /// (`Соколов-Ветров Игорь Петрович`, `Соколов-Ветров И. П.`).
    pub fn value(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(self.surname.clone());
        match (&self.given, &self.given_initial) {
            (Some(given), _) => parts.push(given.clone()),
            (None, Some(letter)) => parts.push(format!("{letter}.")),
            (None, None) => {}
        }
        parts.extend(self.middle.clone());
        match (&self.patronymic, &self.patronymic_initial) {
            (Some(patronymic), _) => parts.push(patronymic.clone()),
            (None, Some(letter)) => parts.push(format!("{letter}.")),
            (None, None) => {}
        }
        parts.join(" ")
    }

    /// The linking key: the skeleton of the masculine surname and the first sound of the first name
    /// (`sokolov-vetrov i`), with `/f` when the mention shows a woman; without a surname, `- ` and the first name's
    /// skeleton (`- igor`).
    pub fn key(&self) -> String {
        let first = self.given_identity_initial();
        let mut key = match &self.surname_masculine {
            Some(surname) => {
                let mut key = skeleton(surname);
                if let Some(first) = first {
                    key.push(' ');
                    key.push_str(&first);
                }
                key
            }
            None => {
                let given = match (self.given_name, &self.given, &self.given_initial) {
                    (Some(name), _, _) => skeleton(given_names::names().names[name].identity()),
                    (None, Some(given), _) => skeleton(given),
                    (None, None, Some(letter)) => initial(letter),
                    (None, None, None) => String::new(),
                };
                format!("- {given}")
            }
        };
        if self.gender == Some(Gender::Female) {
            key.push_str("/f");
        }
        key
    }

    /// The first sound of the first name by which keys meet: that of the name's identity when the dictionary knows
    /// it (`Олександр` → `a`, like `Александр`), else of the word or initial written.
    fn given_identity_initial(&self) -> Option<String> {
        match (self.given_name, &self.given, &self.given_initial) {
            (Some(name), _, _) => Some(initial(given_names::names().names[name].identity())),
            (None, Some(given), _) => Some(initial(given)),
            (None, None, Some(letter)) => Some(initial(letter)),
            (None, None, None) => None,
        }
    }
}

/// What a [`PersonName`] says about who it is, in terms that compare across languages and scripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    /// The skeleton of the masculine surname.
    pub surname: Option<String>,
    /// The first name's identity: its Russian spelling when the dictionary knows it, else its skeleton.
    pub given: Option<String>,
    /// The first sounds the first name can be written with (`Олександр`: `a`, `o`); of the initial when only it is
    /// known.
    pub given_initials: Vec<String>,
    /// The patronymic's identity (the first name it is made from, or its skeleton).
    pub patronymic: Option<String>,
    pub patronymic_initial: Option<String>,
    pub gender: Option<Gender>,
}

impl PersonName {
    pub fn identity(&self) -> Identity {
        let names = given_names::names();
        let given = match (self.given_name, &self.given) {
            (Some(name), _) => Some(names.names[name].identity().to_string()),
            (None, Some(given)) => Some(unknown_given_identity(given)),
            (None, None) => None,
        };
        let given_initials = match (self.given_name, &self.given, &self.given_initial) {
            (Some(name), _, _) => names.names[name].initials.clone(),
            (None, Some(given), _) => crate::skeleton::initials(given),
            (None, None, Some(letter)) => vec![initial(letter)],
            (None, None, None) => Vec::new(),
        };
        let patronymic = self.patronymic.as_deref().map(patronymic_identity);
        let patronymic_initial = self.patronymic.as_deref().or(self.patronymic_initial.as_deref()).map(initial);
        Identity {
            surname: self.surname_masculine.as_deref().map(skeleton),
            given,
            given_initials,
            patronymic,
            patronymic_initial,
            gender: self.gender,
        }
    }
}

/// A first name the dictionary does not know is compared by its skeleton without a case ending, so that the forms
/// the rules could not bring to the nominative still meet (`Чарльза`, `Чарльзу`, `Чарльз` → `charlz`).
fn unknown_given_identity(given: &str) -> String {
    let skeleton = skeleton(given);
    for ending in ["om", "em", "oi", "ou", "a", "u", "e", "i"] {
        if let Some(stem) = skeleton.strip_suffix(ending) {
            if stem.chars().count() >= 2 {
                return stem.to_string();
            }
        }
    }
    skeleton
}

/// `Петрович`, `Петрівна`, `Petrovich` → `Пётр`: the first name a patronymic is made from, which Russian,
/// Ukrainian and Latin spellings share; the skeleton of the word when the dictionary does not know it.
fn patronymic_identity(patronymic: &str) -> String {
    let folded = dossier_lang::fold(patronymic);
    let names = given_names::names();
    for suffix in ["ович", "евич", "євич", "ьич", "ич", "овна", "евна", "івна", "ївна", "ична"]
    {
        if let Some(base) = folded.strip_suffix(suffix) {
            if let Some(name) = given_names::base_of_patronymic(base) {
                return names.names[name].identity().to_string();
            }
        }
    }
    let skeleton = skeleton(&folded);
    for suffix in ["ovich", "evich", "ovna", "evna", "ivna", "iovich"] {
        if let Some(base) = skeleton.strip_suffix(suffix) {
            if let Some(found) = given_names::find(base, false) {
                return names.names[found.name].identity().to_string();
            }
        }
    }
    skeleton
}

struct Token {
    text: String,
    initial: bool,
}

/// Words and initials: `И.П.Соколов` is three tokens; an initial is one or two letters with a dot (`Ю.`, `Дж.`), or
/// a lone capital.
/// `surname_first`: the text is a value made here, whose first word may be a capitalised particle (`Ле Пен Марин`).
fn tokens(text: &str, surname_first: bool) -> Vec<Token> {
    let mut tokens = Vec::new();
    for chunk in text.split(|c: char| c.is_whitespace() || c == ',') {
        let mut rest = chunk.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '-' && c != '\'');
        while !rest.is_empty() {
            let (piece, after) = match rest.find('.') {
                Some(dot) => (&rest[..dot], &rest[dot + 1..]),
                None => (rest, ""),
            };
            let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
            let letters = piece.chars().count();
            let dotted = rest.len() > piece.len() && rest.as_bytes().get(piece.len()) == Some(&b'.');
            let starts_upper = piece.chars().next().is_some_and(char::is_uppercase);
            if !piece.is_empty() {
                let initial = starts_upper && (letters == 1 || (letters == 2 && dotted && !piece.ends_with('-')));
                tokens.push(Token { text: piece.to_string(), initial });
            }
            rest = after;
        }
    }
    // A particle (`де`, `фон`, `ибн`) belongs to the word after it: `де Голль` is one surname. Other lowercase
    // words are not part of a name (`об Игоре Соколове`).
    let mut joined: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut particle: Option<String> = None;
    let count = tokens.len();
    for (index, mut token) in tokens.into_iter().enumerate() {
        // A capitalised particle (`Массимо Де Сантис`, `Марин Ле Пен`) is one when a word follows it.
        let capitalised_particle = (index > 0 || surname_first)
            && index + 1 < count
            && PARTICLES.contains(&token.text.to_lowercase().as_str());
        if !token.initial && (token.text.chars().all(char::is_lowercase) || capitalised_particle) {
            if PARTICLES.contains(&token.text.to_lowercase().as_str()) {
                particle = Some(match particle {
                    Some(before) => format!("{before} {}", token.text),
                    None => token.text,
                });
            }
            continue;
        }
        if let Some(before) = particle.take() {
            if !token.initial {
                token.text = format!("{before} {}", token.text);
            }
        }
        joined.push(token);
    }
    joined
}

const PARTICLES: &[&str] = &[
    "де", "ди", "да", "дю", "ле", "ла", "фон", "ван", "дер", "ибн", "бен", "бин", "аль", "эль", "de", "di", "da", "du",
    "le", "la", "von", "van", "der", "bin", "ibn", "al",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Surname,
    Given,
    /// A second first name (`Реджеп Тайип Эрдоган`, `Хуан Пабло Монтойя`): shown, not compared.
    Middle,
    Patronymic,
}

struct Patronymic {
    lemma: String,
    gender: Gender,
    cases: Cases,
    /// Made from a first name the dictionary knows.
    credible: bool,
}

struct Reading {
    given: Option<given_names::Found>,
    /// Every first name the word can be, `given` first.
    given_all: Vec<given_names::Found>,
    patronymic: Option<Patronymic>,
    /// Ends like a surname (`-ов`, `-ський`, `-енко`...) in some case.
    surname_like: bool,
    /// Carries a particle (`Ле Пен`, `де Голль`): only a surname does.
    particle: bool,
}

fn read_word(word: &str, ukrainian: bool) -> Reading {
    let particle = word.contains(' ');
    let given_all = if particle { Vec::new() } else { given_names::find_all(word, ukrainian) };
    Reading {
        particle,
        given: given_all.first().copied(),
        given_all,
        patronymic: patronymic(word),
        surname_like: surname_like(word),
    }
}

/// Of the first names a word can be, the one the rest of the mention agrees with: the patronymic's gender and case,
/// then a surname that has a form in that gender and case (`Александра Брода` is the genitive of Александр: Брода is
/// no woman's nominative). Ties go to the likeliest reading.
fn choose_given(
    candidates: &[given_names::Found],
    surname: Option<&str>,
    patronymic: Option<&Patronymic>,
    ukrainian: bool,
) -> Option<given_names::Found> {
    let names = given_names::names();
    let score = |found: &given_names::Found| {
        let gender = names.names[found.name].gender;
        let mut score = 0;
        if let Some(patronymic) = patronymic {
            if patronymic.gender == gender && patronymic.cases.meets(found.cases) {
                score += 4;
            }
        }
        if let Some(surname) = surname {
            if surname_fits(surname, gender, found.cases, ukrainian) {
                score += 2;
            }
        }
        score
    };
    let mut best: Option<(i32, given_names::Found)> = None;
    for found in candidates {
        let here = score(found);
        if best.is_none_or(|(best_score, _)| here > best_score) {
            best = Some((here, *found));
        }
    }
    best.map(|(_, found)| found)
}

/// Whether a surname word has a declined reading (not merely "as written") in this gender and case.
fn surname_fits(word: &str, gender: Gender, cases: Cases, ukrainian: bool) -> bool {
    let lower = word.to_lowercase();
    if lower.is_ascii() {
        return cases.meets(Cases::NOM);
    }
    lower.split('-').all(|part| {
        surname_analyses(part, ukrainian || has_ukrainian_letters(part)).iter().any(|analysis| {
            analysis.class != Class::Plain
                && analysis.gender.is_none_or(|has| has == gender)
                && analysis.cases.meets(cases)
        })
    })
}

/// A first name the dictionary does not know, in the same oblique ending as its surname (`Исаака Ньютона`,
/// `Оливеру Кану`, `Леманом`): both are read as a man's name in that case, and the first name's nominative is
/// returned with the case. Possessive surnames (`-ова`) are left alone: `Гульнара Каримова` is a woman.
fn agree_unknown_given(given: &str, surname: Option<&str>) -> Option<(String, Cases)> {
    let surname = surname?.to_lowercase();
    let lower = given.to_lowercase();
    if lower.is_ascii() || surname.is_ascii() || surname.chars().count() < 4 {
        return None;
    }
    let possessive = surname_analyses(&surname, false).iter().any(|analysis| analysis.class == Class::Possessive);
    const PAIRS: &[(&[&str], &[&str], &str, Cases)] = &[
        (&["а"], &["а", "я"], "", Cases::GEN.with(Cases::ACC)),
        (&["я"], &["а", "я"], "ь", Cases::GEN.with(Cases::ACC)),
        (&["у"], &["у", "ю"], "", Cases::DAT),
        (&["ю"], &["у", "ю"], "ь", Cases::DAT),
        (&["ом"], &["ом", "ем", "ым", "им"], "", Cases::INS),
        (&["ем"], &["ом", "ем", "ым", "им"], "ь", Cases::INS),
    ];
    let consonant = |stem: &str| stem.chars().last().is_some_and(|ch| !"аеёиоуыэюяіїєьй".contains(ch));
    for (given_endings, surname_endings, replacement, cases) in PAIRS {
        // With a possessive surname `-а` and `-у` could as well be a woman's nominative and accusative
        // (`Гульнара Каримова`, `Гульнару Каримову`); only the instrumental is a man's for sure.
        if possessive && *cases != Cases::INS {
            continue;
        }
        let Some(stem) = given_endings.iter().find_map(|ending| lower.strip_suffix(ending)) else { continue };
        if stem.chars().count() < 2 || !consonant(stem) {
            continue;
        }
        if surname_endings.iter().any(|ending| surname.strip_suffix(ending).is_some_and(&consonant)) {
            return Some((format!("{stem}{replacement}"), *cases));
        }
    }
    None
}

/// A first name the dictionary does not know, brought to the nominative by the case and gender of its patronymic
/// (`Наине Иосифовне` → `Наина`).
fn unknown_given_by_patronymic(given: &str, patronymic: &Patronymic) -> Option<(String, Cases)> {
    let lower = given.to_lowercase();
    if lower.is_ascii() || patronymic.cases.meets(Cases::NOM) {
        return None;
    }
    let endings: &[(&str, &str)] = match patronymic.gender {
        Gender::Female => &[("ой", "а"), ("ою", "а"), ("ы", "а"), ("и", "а"), ("е", "а"), ("і", "а"), ("у", "а")],
        Gender::Male => &[("ом", ""), ("ем", "ь"), ("а", ""), ("я", "ь"), ("у", ""), ("ю", "ь"), ("е", "")],
    };
    let (stem, replacement) =
        endings.iter().find_map(|(ending, replacement)| Some((lower.strip_suffix(ending)?, *replacement)))?;
    (stem.chars().count() >= 2).then(|| (format!("{stem}{replacement}"), patronymic.cases))
}

/// The roles of the words, by the best score over every assignment (at most 3 words: 15 assignments).
fn assign_roles(readings: &[Reading], has_initials: bool) -> Option<Vec<Role>> {
    let options = [Role::Surname, Role::Given, Role::Patronymic, Role::Middle];
    let mut best: Option<(i32, Vec<Role>)> = None;
    let mut roles = vec![Role::Surname; readings.len()];
    let total = options.len().pow(readings.len() as u32);
    for code in 0..total {
        let mut rest = code;
        for role in roles.iter_mut() {
            *role = options[rest % options.len()];
            rest /= options.len();
        }
        let Some(score) = score(readings, &roles, has_initials) else { continue };
        if best.as_ref().is_none_or(|(best_score, _)| score > *best_score) {
            best = Some((score, roles.clone()));
        }
    }
    best.map(|(_, roles)| roles)
}

fn score(readings: &[Reading], roles: &[Role], has_initials: bool) -> Option<i32> {
    let count = |wanted: Role| roles.iter().filter(|role| **role == wanted).count();
    if count(Role::Surname) > 1 || count(Role::Given) > 1 || count(Role::Patronymic) > 1 || count(Role::Middle) > 1 {
        return None;
    }
    // Initials stand for the first name and patronymic: with them, the only word is the surname.
    if has_initials && roles.len() == 1 && roles[0] != Role::Surname {
        return None;
    }
    let mut score = 0;
    for (reading, role) in readings.iter().zip(roles) {
        if reading.particle && *role != Role::Surname {
            return None;
        }
        score += match role {
            Role::Given if reading.given.is_some() => 4,
            Role::Given => -2,
            Role::Middle if reading.given.is_some() => 1,
            Role::Middle => -1,
            Role::Patronymic => match &reading.patronymic {
                Some(patronymic) if patronymic.credible => 5,
                Some(_) => 2,
                None => return None,
            },
            Role::Surname => {
                let mut points = if reading.surname_like { 2 } else { 0 };
                if reading.given.is_some() {
                    points -= 1;
                }
                if reading.patronymic.as_ref().is_some_and(|patronymic| patronymic.credible) {
                    points -= 3;
                }
                points
            }
        };
    }
    // A patronymic follows its first name (and a second first name follows the first).
    if let Some(at) = roles.iter().position(|role| *role == Role::Middle) {
        if at == 0 || roles[at - 1] != Role::Given {
            return None;
        }
    }
    if let Some(at) = roles.iter().position(|role| *role == Role::Patronymic) {
        if at == 0 || !matches!(roles[at - 1], Role::Given | Role::Middle) {
            return None;
        }
    }
    // The usual orders: `Игорь Соколов`, `Игорь Петрович Соколов`, `Соколов Игорь Петрович`.
    let order_bonus = match roles {
        [Role::Given, Role::Surname] | [Role::Given, Role::Patronymic, Role::Surname] => 1,
        [Role::Given, Role::Middle, Role::Surname] => 1,
        [Role::Surname, Role::Given, Role::Patronymic] => 1,
        [Role::Surname] => 1,
        _ => 0,
    };
    Some(score * 2 + order_bonus)
}

/// A patronymic in any case: `Петровича` → `Петрович`, `Ивановной` → `Ивановна`, `Сергіївні` → `Сергіївна`;
/// Latin `Petrovich`, `Petrovna` as they are.
fn patronymic(word: &str) -> Option<Patronymic> {
    let lower = word.to_lowercase();
    if lower.is_ascii() {
        for (suffix, gender) in
            [("ovich", Gender::Male), ("evich", Gender::Male), ("ovna", Gender::Female), ("evna", Gender::Female)]
        {
            if lower.ends_with(suffix) && lower.len() > suffix.len() + 2 {
                return Some(Patronymic { lemma: lower, gender, cases: Cases::NOM, credible: true });
            }
        }
        return None;
    }
    const MALE: &[(&str, Cases)] = &[
        ("", Cases::NOM),
        ("а", Cases::GEN.with(Cases::ACC)),
        ("у", Cases::DAT),
        ("еві", Cases::DAT.with(Cases::LOC)),
        ("ем", Cases::INS),
        ("е", Cases::LOC),
        ("і", Cases::LOC),
    ];
    const FEMALE: &[(&str, Cases)] = &[
        ("а", Cases::NOM),
        ("ы", Cases::GEN),
        ("и", Cases::GEN),
        ("е", Cases::DAT.with(Cases::LOC)),
        ("і", Cases::DAT.with(Cases::LOC)),
        ("у", Cases::ACC),
        ("ой", Cases::INS),
        ("ою", Cases::INS),
    ];
    let folded = dossier_lang::fold(word);
    for (ending, cases) in MALE {
        let Some(stem) = folded.strip_suffix(ending) else { continue };
        for suffix in ["ович", "евич", "євич", "ьич", "ич"] {
            let Some(base) = stem.strip_suffix(suffix) else { continue };
            if base.chars().count() < 2 {
                continue;
            }
            let known = given_names::base_of_patronymic(base).is_some();
            // `-ич` alone ends many surnames (Кузьмич, Рабинович): only a known first name makes it a patronymic.
            if !known && !matches!(suffix, "ович" | "евич" | "євич") {
                continue;
            }
            return Some(Patronymic { lemma: stem.to_string(), gender: Gender::Male, cases: *cases, credible: known });
        }
    }
    for (ending, cases) in FEMALE {
        let Some(stem) = folded.strip_suffix(ending) else { continue };
        for suffix in ["овн", "евн", "івн", "ївн", "ичн"] {
            let Some(base) = stem.strip_suffix(suffix) else { continue };
            if base.chars().count() < 2 {
                continue;
            }
            let known = given_names::base_of_patronymic(base).is_some();
            if !known && suffix == "ичн" {
                continue;
            }
            return Some(Patronymic {
                lemma: format!("{stem}а"),
                gender: Gender::Female,
                cases: *cases,
                credible: known,
            });
        }
    }
    None
}

/// Masculine surname suffixes whose words inflect in known ways.
const POSSESSIVE: &[&str] = &["ов", "ев", "ёв", "єв", "ин", "ын", "їн"];

fn surname_like(word: &str) -> bool {
    let lower = word.to_lowercase();
    if lower.is_ascii() {
        return ["ov", "ev", "in", "ova", "eva", "ina", "sky", "ski", "skyi", "skiy", "skaya", "ska", "enko", "uk"]
            .iter()
            .any(|suffix| lower.ends_with(suffix));
    }
    lower.split('-').any(|part| {
        surname_analyses(part, false).iter().any(|analysis| analysis.class != Class::Plain && !analysis.needs_evidence)
            || ["енко", "ук", "юк", "ич", "швили", "дзе", "ян"].iter().any(|suffix| part.ends_with(suffix))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// `-ов`, `-ин`: Russian possessive surnames.
    Possessive,
    /// `-ский`, `-цкий`, `-ський`: adjectives.
    Adjective,
    /// `-енко`: indeclinable in Russian, declined in Ukrainian.
    Enko,
    /// Masculine ending in a consonant (`Мельник`, `Ковальчук`): declined for men, not for women.
    Consonant,
    /// `-а` for either gender (Обама).
    FirstDeclension,
    /// As written.
    Plain,
}

#[derive(Debug, Clone)]
struct Analysis {
    class: Class,
    /// Lowercase, `ё` kept.
    masculine: String,
    feminine: String,
    /// `None`: either (the form is both a masculine and a feminine one).
    gender: Option<Gender>,
    cases: Cases,
    /// The form needs case evidence to be believed (a consonant stem of no typical suffix).
    needs_evidence: bool,
}

/// Every reading of one lowercase surname word (no hyphen).
fn surname_analyses(lower: &str, ukrainian: bool) -> Vec<Analysis> {
    let mut out = Vec::new();
    let mut push = |class, masculine: String, feminine: String, gender, cases, needs_evidence| {
        out.push(Analysis { class, masculine, feminine, gender, cases, needs_evidence });
    };
    use Gender::{Female as F, Male as M};
    for (ending, gender, cases) in [
        ("енко", None, Cases::ANY),
        ("енка", Some(M), Cases::GEN.with(Cases::ACC)),
        ("енку", Some(M), Cases::DAT.with(Cases::ACC)),
        ("енкові", Some(M), Cases::DAT.with(Cases::LOC)),
        ("енком", Some(M), Cases::INS),
    ] {
        if let Some(stem) = lower.strip_suffix(ending).filter(|stem| stem.chars().count() >= 2) {
            let lemma = format!("{stem}енко");
            push(Class::Enko, lemma.clone(), lemma, gender, cases, false);
        }
    }
    for suffix in POSSESSIVE {
        // The stem up to and including the suffix, then the ending.
        for (ending, gender, cases) in [
            ("", Some(M), Cases::NOM),
            ("а", None, Cases::GEN.with(Cases::ACC).with(Cases::NOM)),
            ("у", None, Cases::DAT.with(Cases::ACC)),
            ("ым", Some(M), Cases::INS),
            ("им", Some(M), Cases::INS),
            ("е", Some(M), Cases::LOC),
            ("ові", Some(M), Cases::DAT.with(Cases::LOC)),
            ("і", Some(M), Cases::LOC),
            ("ой", Some(F), Cases::GEN.with(Cases::DAT).with(Cases::INS).with(Cases::LOC)),
            ("ої", Some(F), Cases::GEN),
            ("ій", Some(F), Cases::DAT.with(Cases::LOC)),
            ("ою", Some(F), Cases::INS),
        ] {
            let Some(stem) = lower.strip_suffix(ending) else { continue };
            if stem.ends_with(suffix) && stem.chars().count() > suffix.chars().count() + 1 {
                push(Class::Possessive, stem.to_string(), format!("{stem}а"), gender, cases, false);
            }
        }
    }
    for suffix in ["ск", "цк", "ськ", "цьк"] {
        for (ending, gender, cases) in [
            ("ий", Some(M), Cases::NOM),
            ("ой", Some(F), Cases::GEN.with(Cases::DAT).with(Cases::INS).with(Cases::LOC)),
            ("ого", Some(M), Cases::GEN.with(Cases::ACC)),
            ("ому", Some(M), Cases::DAT.with(Cases::LOC)),
            ("им", Some(M), Cases::INS),
            ("ом", Some(M), Cases::LOC),
            ("ім", Some(M), Cases::LOC),
            ("ая", Some(F), Cases::NOM),
            ("а", Some(F), Cases::NOM),
            ("ую", Some(F), Cases::ACC),
            ("у", Some(F), Cases::ACC),
            ("ої", Some(F), Cases::GEN),
            ("ій", Some(F), Cases::DAT.with(Cases::LOC)),
            ("ою", Some(F), Cases::INS),
        ] {
            let Some(stem) = lower.strip_suffix(ending) else { continue };
            if !stem.ends_with(suffix) || stem.chars().count() <= suffix.chars().count() + 1 {
                continue;
            }
            let soft = stem.ends_with('ь') || ukrainian;
            let masculine = format!("{stem}ий");
            let feminine = if soft { format!("{stem}а") } else { format!("{stem}ая") };
            // `-ской` is a man's nominative (Трубецкой) or a woman's oblique case (Вишневской): the feminine is far
            // more common.
            push(Class::Adjective, masculine, feminine, gender, cases, false);
        }
    }
    // Other adjectival surnames (Белый, Горький) are believed only when the first name says the case: `-ого`
    // ends Russian genitives of nouns too. The masculine of `-ой` ones (Толстой) cannot be told from `-ый`.
    for (ending, cases) in [
        ("ого", Cases::GEN.with(Cases::ACC)),
        ("ому", Cases::DAT.with(Cases::LOC)),
        ("ым", Cases::INS),
        ("им", Cases::INS),
    ] {
        let Some(stem) = lower.strip_suffix(ending) else { continue };
        if stem.chars().count() < 3 || POSSESSIVE.iter().any(|s| stem.ends_with(s)) {
            continue;
        }
        let soft = ukrainian || stem.ends_with(['г', 'к', 'х', 'ж', 'ш', 'ч', 'щ', 'н']) && ending == "им";
        let masculine =
            if soft || stem.ends_with(['г', 'к', 'х']) { format!("{stem}ий") } else { format!("{stem}ый") };
        push(Class::Adjective, masculine, format!("{stem}ая"), Some(M), cases, true);
    }
    let consonant_end = |stem: &str| stem.chars().last().is_some_and(|ch| !"аеёиоуыэюяіїєьй-'".contains(ch));
    let typical = |stem: &str| ["ук", "юк", "ич", "ник", "чик", "як", "ян"].iter().any(|s| stem.ends_with(s));
    for (ending, cases) in [
        ("а", Cases::GEN.with(Cases::ACC)),
        ("у", Cases::DAT),
        ("ові", Cases::DAT.with(Cases::LOC)),
        ("ом", Cases::INS),
        ("ем", Cases::INS),
        ("е", Cases::LOC),
    ] {
        let Some(stem) = lower.strip_suffix(ending) else { continue };
        if stem.chars().count() >= 2 && consonant_end(stem) && !POSSESSIVE.iter().any(|s| stem.ends_with(s)) {
            push(Class::Consonant, stem.to_string(), stem.to_string(), Some(M), cases, !typical(stem));
        }
    }
    // Surnames of the first declension (Обама, Глинка), whatever the gender: believed only with case evidence.
    for (ending, replacement, cases) in [
        ("ы", "а", Cases::GEN),
        // `и` for `ы` only after г, к, х and the hushing consonants (Глинки); `Саакашвили` is no genitive.
        ("ги", "га", Cases::GEN),
        ("ки", "ка", Cases::GEN),
        ("хи", "ха", Cases::GEN),
        ("жи", "жа", Cases::GEN),
        ("ши", "ша", Cases::GEN),
        ("чи", "ча", Cases::GEN),
        ("щи", "ща", Cases::GEN),
        ("е", "а", Cases::DAT.with(Cases::LOC)),
        ("у", "а", Cases::ACC),
        ("ой", "а", Cases::INS),
        ("ою", "а", Cases::INS),
    ] {
        let Some(stem) = lower.strip_suffix(ending) else { continue };
        if stem.chars().count() >= 2 && stem.chars().last().is_some_and(|ch| !"аеёиоуыэюяіїєьй".contains(ch))
        {
            let lemma = format!("{stem}{replacement}");
            push(Class::FirstDeclension, lemma.clone(), lemma, None, cases, true);
        }
    }
    push(Class::Plain, lower.to_string(), lower.to_string(), None, Cases::NOM, false);
    out
}

struct Surname {
    shown: String,
    masculine: String,
    gender: Option<Gender>,
}

/// The dictionary form of a surname given what the rest of the mention says of its gender and case.
fn lemmatize_surname(word: &str, gender: Option<Gender>, cases: Option<Cases>, ukrainian: bool) -> Surname {
    let ukrainian = ukrainian || has_ukrainian_letters(word);
    if word.is_ascii() {
        return latin_surname(word, gender);
    }
    let lower = word.to_lowercase();
    let mut shown_parts = Vec::new();
    let mut masculine_parts = Vec::new();
    let mut found_gender = gender;
    for part in lower.split('-') {
        let analyses = surname_analyses(part, ukrainian);
        let fits = |analysis: &&Analysis| {
            let gender_fits = match (gender, analysis.gender) {
                (Some(wanted), Some(has)) => wanted == has,
                _ => true,
            };
            let case_fits = match cases {
                Some(cases) => cases.meets(analysis.cases),
                None => !analysis.needs_evidence,
            };
            gender_fits && case_fits
        };
        // Analyses come most specific first; the plain reading is last and always there.
        let chosen = analyses.iter().find(fits).or(analyses.last()).expect("the plain reading is always there");
        let gender_here = gender.or(chosen.gender);
        if found_gender.is_none() {
            found_gender = chosen.gender;
        }
        let shown = match gender_here {
            Some(Gender::Female) if chosen.class != Class::Consonant => chosen.feminine.clone(),
            Some(Gender::Female) => part.to_string(),
            Some(Gender::Male) => chosen.masculine.clone(),
            // Open: as written when it is a nominative of either gender (`Соколова`), else the masculine.
            None if chosen.cases.meets(Cases::NOM) => part.to_string(),
            None => chosen.masculine.clone(),
        };
        let masculine = match (gender_here, chosen.class) {
            // A woman's surname of a consonant stem is not declined and is its own masculine.
            (Some(Gender::Female), Class::Consonant | Class::Plain) => part.to_string(),
            _ => chosen.masculine.clone(),
        };
        shown_parts.push(restore_case(word_part(word, shown_parts.len()), &shown));
        masculine_parts.push(masculine);
    }
    Surname { shown: shown_parts.join("-"), masculine: masculine_parts.join("-"), gender: found_gender }
}

fn word_part(word: &str, index: usize) -> &str {
    word.split('-').nth(index).unwrap_or(word)
}

/// A Latin surname is not inflected; `-ova`, `-eva`, `-ina`, `-skaya` are a woman's, whose masculine links.
fn latin_surname(word: &str, gender: Option<Gender>) -> Surname {
    let mut masculine_parts = Vec::new();
    let mut female = false;
    for part in word.split('-') {
        let lower = part.to_ascii_lowercase();
        let masculine = if let Some(stem) = ["skaya", "skaia", "ska"].iter().find_map(|s| lower.strip_suffix(s)) {
            female = true;
            format!("{stem}sky")
        } else if ["ova", "eva", "ina", "yna"].iter().any(|s| lower.ends_with(s)) && gender != Some(Gender::Male) {
            female = true;
            lower[..lower.len() - 1].to_string()
        } else {
            lower
        };
        masculine_parts.push(masculine);
    }
    Surname {
        shown: word.to_string(),
        masculine: masculine_parts.join("-"),
        gender: gender.or(female.then_some(Gender::Female)),
    }
}

/// `lemma` (lowercase) with the capitals of `written`: title case for an all-caps or all-lowercase word, else the
/// written word's capitals letter by letter (`Соколовой` → `Соколова`, `McCain` stays).
fn restore_case(written: &str, lemma: &str) -> String {
    let all_upper = written.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    let all_lower = written.chars().filter(|c| c.is_alphabetic()).all(char::is_lowercase);
    if all_upper || all_lower {
        return title(lemma);
    }
    let mut out = String::with_capacity(lemma.len());
    let mut written_chars = written.chars();
    for ch in lemma.chars() {
        match written_chars.next() {
            Some(w) if w.is_uppercase() => out.extend(ch.to_uppercase()),
            _ => out.push(ch),
        }
    }
    out
}

/// Capital first letter of each hyphen-separated part, the rest lowercase.
fn title(word: &str) -> String {
    word.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join("-")
}

fn has_ukrainian_letters(word: &str) -> bool {
    word.chars().any(|c| matches!(c, 'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ'))
}
