//! Organisations and places: the nominative of their head noun where cheap rules can tell it
//! (`Министерства обороны` → `Министерство обороны`, `Тверской области` → `Тверская область`, `Москве` → `Москва`),
//! and their legal form read apart from their name (`ООО «Ромашка»` and `ТОВ "Ромашка"` are both a limited
//! company named Ромашка).
//!
//! The rules are conservative: a word is changed only when it is a head noun this module knows (`министерство`,
//! `область`, `рада`...) or an adjective agreeing with one, or a one-word place from `data/places.txt`. Everything
//! else stays as written, and the key (folded stems) still meets its other cases.

use std::collections::HashMap;
use std::sync::OnceLock;

use dossier_lang::Lang;

/// A body or place read into its legal form and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Body {
    /// The legal form as written (`ООО`, `ТОВ`, `LLC`), and its kind, the same across languages (`llc`).
    pub form: Option<(String, &'static str)>,
    /// The name's words in their nominative where the rules tell it.
    pub words: Vec<String>,
    /// The words without their punctuation: what the key is made of.
    pub cores: Vec<String>,
    /// Whether the form closes the name (`Romashka LLC`) rather than opening it.
    pub form_last: bool,
    /// Whether the name was quoted (`«Ромашка»`): shown quoted again.
    pub quoted: bool,
}

impl Body {
    pub fn value(&self) -> String {
        let name = self.words.join(" ");
        let name = if self.quoted { format!("«{name}»") } else { name };
        match &self.form {
            Some((written, _)) if name.is_empty() => written.clone(),
            Some((written, _)) if self.form_last => format!("{name} {written}"),
            Some((written, _)) => format!("{written} {name}"),
            None => name,
        }
    }

    /// Folded stems of the name's words, then `#` and the kind of legal form when there is one
    /// (`ромашк #llc`).
    pub fn key(&self, lang: Option<Lang>) -> String {
        let mut key = self.cores.iter().map(|word| stem_word(lang, word)).collect::<Vec<String>>().join(" ");
        if let Some((_, kind)) = &self.form {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push('#');
            key.push_str(kind);
        }
        key
    }
}

fn stem_word(lang: Option<Lang>, word: &str) -> String {
    let folded = dossier_lang::fold(word);
    // A Latin word in a Cyrillic paragraph is stemmed as English, like the index does.
    let lang = match dossier_lang::word_script(&folded) {
        dossier_lang::Script::Latin => Some(Lang::English),
        _ => lang,
    };
    dossier_lang::stem(lang, &folded)
}

/// Legal forms: the abbreviation as written and its kind.
const FORMS: &[(&str, &str)] = &[
    ("ООО", "llc"),
    ("ТОВ", "llc"),
    ("ТзОВ", "llc"),
    ("LLC", "llc"),
    ("Ltd", "llc"),
    ("GmbH", "llc"),
    ("АО", "jsc"),
    ("АТ", "jsc"),
    ("JSC", "jsc"),
    ("ОАО", "pjsc"),
    ("ПАО", "pjsc"),
    ("ПАТ", "pjsc"),
    ("ВАТ", "pjsc"),
    ("OJSC", "pjsc"),
    ("PJSC", "pjsc"),
    ("ЗАО", "cjsc"),
    ("НАО", "cjsc"),
    ("ПрАТ", "cjsc"),
    ("ПРАТ", "cjsc"),
    ("ЗАТ", "cjsc"),
    ("CJSC", "cjsc"),
    ("ИП", "sole"),
    ("ФОП", "sole"),
    ("ГУП", "unitary"),
    ("ФГУП", "unitary"),
    ("МУП", "unitary"),
    ("Inc", "inc"),
];

/// Legal forms written out, as the stems of their words.
const SPELLED_FORMS: &[(&[&str], &str)] = &[
    (&["обществ", "с", "ограничен", "ответствен"], "llc"),
    (&["товариств", "з", "обмежен", "відповідальн"], "llc"),
    (&["акционерн", "обществ"], "jsc"),
    (&["акціонерн", "товариств"], "jsc"),
    (&["публичн", "акционерн", "обществ"], "pjsc"),
    (&["открыт", "акционерн", "обществ"], "pjsc"),
    (&["закрыт", "акционерн", "обществ"], "cjsc"),
    (&["публічн", "акціонерн", "товариств"], "pjsc"),
    (&["приватн", "акціонерн", "товариств"], "cjsc"),
];

/// Reads an organisation or place mention.
pub(crate) fn parse(text: &str, lang: Option<Lang>) -> Body {
    let quoted = text.contains(['«', '»', '"', '“', '”', '„']);
    let mut words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '«' | '»' | '"' | '“' | '”' | '„'))
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '-'))
        .map(|word| word.trim_end_matches('.'))
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect();
    let mut form = None;
    let mut form_last = false;
    if let Some(at) = words.iter().position(|word| FORMS.iter().any(|(abbreviation, _)| abbreviation == word)) {
        let kind = FORMS.iter().find(|(abbreviation, _)| *abbreviation == words[at]).map(|(_, kind)| *kind);
        // A form leads the name (`ООО Ромашка`) or closes it (`Romashka LLC`), never sits inside it.
        if at == 0 || at + 1 == words.len() {
            form_last = at > 0;
            let written = words.remove(at);
            form = kind.map(|kind| (written, kind));
        }
    }
    if form.is_none() {
        let stems: Vec<String> = words.iter().map(|word| stem_word(lang, word)).collect();
        // The longest spelled-out form that opens the name.
        let spelled = SPELLED_FORMS
            .iter()
            .filter(|(form_stems, _)| {
                form_stems.len() < stems.len() && form_stems.iter().zip(&stems).all(|(a, b)| a == b)
            })
            .max_by_key(|(form_stems, _)| form_stems.len());
        if let Some((form_stems, kind)) = spelled {
            let written: Vec<String> = words.drain(..form_stems.len()).collect();
            form = Some((nominative_phrase(&written).join(" "), *kind));
        }
    }
    if form.is_some() {
        // The name of a company is a proper name: it stays as written, quoted again when it was.
        return Body { form, words: words.clone(), cores: words, form_last, quoted };
    }
    // Without a legal form, the words keep their punctuation (`им.`, `(СКС)`, `«Голоса`); the head noun and its
    // adjectives before any quote or bracket go to the nominative.
    let tokens: Vec<(&str, &str, &str)> = text.split_whitespace().filter_map(split_punctuation).collect();
    let plain = tokens.iter().take_while(|(prefix, _, _)| prefix.is_empty()).count();
    let cores: Vec<String> = tokens.iter().map(|(_, core, _)| core.to_string()).collect();
    let mut shown = nominative_phrase(&cores[..plain]);
    shown.extend(cores[plain..].iter().cloned());
    let words =
        tokens.iter().zip(&shown).map(|((prefix, _, suffix), core)| format!("{prefix}{core}{suffix}")).collect();
    // The key is made of the words in the nominative, so that the cases the rules undid meet.
    let cores = shown.into_iter().filter(|core| !core.is_empty()).collect();
    Body { form: None, words, cores, form_last: false, quoted: false }
}

/// A whitespace-separated token as (punctuation before, the word, punctuation after); `None` for punctuation alone.
fn split_punctuation(token: &str) -> Option<(&str, &str, &str)> {
    let start = token.find(|c: char| c.is_alphanumeric())?;
    let end = token
        .rfind(|c: char| c.is_alphanumeric())
        .map(|at| at + token[at..].chars().next().map_or(1, char::len_utf8))?;
    Some((&token[..start], &token[start..end], &token[end..]))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gender {
    Masculine,
    Feminine,
    Neuter,
}

/// Head nouns of bodies and places in the nominative, Russian and Ukrainian, separated by spaces.
const HEADS: &str = "\
    министерство міністерство ведомство відомство правительство агентство агенція управление управління \
    общество товариство посольство консульство командование командування объединение об'єднання \
    учреждение предприятие підприємство комитет комітет департамент суд совет банк фонд университет \
    університет институт інститут центр союз штаб завод концерн холдинг клуб округ район край город \
    місто село служба прокуратура дума рада партия партія администрация адміністрація компания компанія \
    корпорация корпорація организация організація федерация федерація республика республіка палата \
    область полиция поліція академия академія комиссия комісія инспекция інспекція миссия місія группа \
    група ассоциация асоціація армия армія гвардия гвардія мэрия бригада дивизия дивізія флот церковь \
    церква епархия биржа біржа больница лікарня школа гимназия фабрика станция губерния волость площадь \
    площа улица вулиця проспект море озеро река річка остров полуостров півострів страна країна \
    государство держава королевство отдел відділ театр музей библиотека бібліотека бюро трибунал \
    парламент сенат конгресс кабинет кабінет управа префектура генпрокуратура ";

fn head_gender(lemma: &str) -> Gender {
    match lemma.chars().last() {
        Some('о' | 'е') => Gender::Neuter,
        Some('я') if lemma.ends_with("ння") || lemma.ends_with("ття") => Gender::Neuter,
        Some('а' | 'я' | 'ь') if lemma != "рубль" => Gender::Feminine,
        _ => Gender::Masculine,
    }
}

/// Endings of nouns in oblique cases and what replaces them in the nominative; candidates are checked against a
/// closed list, so the table may offer several.
const NOUN_ENDINGS: &[(&str, &[&str])] = &[
    ("ией", &["ия"]),
    ("ією", &["ія"]),
    ("ии", &["ия", "ие"]),
    ("ії", &["ія"]),
    ("ию", &["ия", "ие"]),
    ("ію", &["ія"]),
    ("ием", &["ие"]),
    ("ові", &["", "о"]),
    ("ом", &["о", "", "е"]),
    ("ем", &["е", "", "й", "ь"]),
    ("ой", &["а"]),
    ("ою", &["а"]),
    ("ей", &["я", "а", "ь"]),
    ("ью", &["ь"]),
    ("ю", &["ь", "й", "я", "е"]),
    ("ям", &["я"]),
    ("а", &["о", "", "е"]),
    ("я", &["е", "ь", "й", ""]),
    ("у", &["о", "", "а"]),
    ("ы", &["а"]),
    ("и", &["а", "я", "ь", "е"]),
    ("е", &["о", "", "а", "я", "е"]),
    ("і", &["а", "о", "ь", "", "я"]),
];

fn heads() -> &'static HashMap<String, ()> {
    static HEADS_SET: OnceLock<HashMap<String, ()>> = OnceLock::new();
    HEADS_SET.get_or_init(|| HEADS.split_whitespace().map(|head| (head.to_string(), ())).collect())
}

fn places() -> &'static HashMap<String, &'static str> {
    static PLACES: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    PLACES.get_or_init(|| {
        include_str!("../data/places.txt")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|place| (dossier_lang::fold(place), place))
            .collect()
    })
}

/// The nominative of a word in some case, when it is one of `known` (a folded lemma), with the lemma.
fn noun_lemma(word: &str, known: impl Fn(&str) -> bool) -> Option<String> {
    let folded = dossier_lang::fold(word);
    if known(&folded) {
        return Some(folded);
    }
    for (ending, replacements) in NOUN_ENDINGS {
        let Some(stem) = folded.strip_suffix(ending) else { continue };
        if stem.chars().count() < 2 {
            continue;
        }
        for replacement in *replacements {
            let candidate = format!("{stem}{replacement}");
            if known(&candidate) {
                return Some(candidate);
            }
            // Ukrainian о, е and є become і and ї in a closed last syllable: Києва → Київ, Львова → Львів.
            if let Some(closed) = ikavism(&candidate).filter(|closed| known(closed)) {
                return Some(closed);
            }
        }
    }
    None
}

fn ikavism(word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    let [.., vowel, last] = chars[..] else { return None };
    let replacement = match vowel {
        'о' | 'е' => 'і',
        'є' => 'ї',
        _ => return None,
    };
    if "аеиоуіїєюяь".contains(last) {
        return None;
    }
    let mut out: String = chars[..chars.len() - 2].iter().collect();
    out.push(replacement);
    out.push(last);
    Some(out)
}

/// The words with their head noun and the adjectives before it in the nominative; words after the head (its
/// genitive complements: `обороны`, `Российской Федерации`) stay as written.
fn nominative_phrase(words: &[String]) -> Vec<String> {
    let mut out: Vec<String> = words.to_vec();
    let head = words.iter().enumerate().find_map(|(index, word)| {
        let lemma = noun_lemma(word, |candidate| heads().contains_key(candidate))?;
        Some((index, lemma))
    });
    if let Some((index, lemma)) = head {
        let gender = head_gender(&lemma);
        // Only adjectives may come before the head (`Тверской области`); a plural one (`Курильские острова`) or a
        // noun (`Отдела по ... Церкви`) means the head is not what was found: nothing changes.
        let plural = |word: &String| {
            let lower = word.to_lowercase();
            ["ые", "ие", "ых", "их", "ыми", "ими", "і"].iter().any(|ending| lower.ends_with(ending))
        };
        if words[..index].iter().any(|word| plural(word) || nominative_adjective(word, gender).is_none()) {
            return out;
        }
        out[index] = restore_case(&words[index], &lemma);
        for before in 0..index {
            if let Some(adjective) = nominative_adjective(&words[before], gender) {
                out[before] = restore_case(&words[before], &adjective);
            }
        }
        return out;
    }
    if let [word] = words {
        if let Some(lemma) = noun_lemma(word, |candidate| places().contains_key(candidate)) {
            let shown = places()[&lemma];
            return vec![shown.to_string()];
        }
        let folded = dossier_lang::fold(word);
        // `-ии` ends no one-word name in the nominative but is the oblique case of every `-ия` (России, Германии).
        if let Some(stem) = folded.strip_suffix("ии").filter(|stem| stem.chars().count() >= 3) {
            return vec![restore_case(word, &format!("{stem}ия"))];
        }
    }
    out
}

/// An adjective in an oblique case brought to the nominative of `gender`: `Тверской` → `тверская` (feminine),
/// `Государственного` → `государственный`, Ukrainian `Київської` → `київська`. `None` when the word does not end
/// like an adjective.
fn nominative_adjective(word: &str, gender: Gender) -> Option<String> {
    let lower = word.to_lowercase();
    let ukrainian = lower.contains(['і', 'ї', 'є', 'ґ']) || lower.ends_with("ої") || lower.ends_with("ою");
    let soft_stem = |stem: &str| stem.ends_with(['г', 'к', 'х', 'ж', 'ш', 'ч', 'щ']);
    let endings: &[&str] = &[
        "ого", "его", "ому", "ему", "ой", "ей", "ую", "юю", "ым", "им", "ом", "ем", "ої", "ій", "ою", "ая", "яя", "ый",
        "ий", "ое", "ее", "а", "е",
    ];
    let (stem, ending) = endings.iter().find_map(|ending| Some((lower.strip_suffix(ending)?, *ending)))?;
    if stem.chars().count() < 3 {
        return None;
    }
    // `-ей`, `-ем`, `-его`, `-ему` are soft adjectives (Верхней → Верхняя).
    let soft = matches!(ending, "ей" | "его" | "ему" | "юю" | "яя" | "ее") && !soft_stem(stem);
    let nominative = match (gender, ukrainian) {
        (Gender::Feminine, true) => format!("{stem}а"),
        (Gender::Feminine, false) if soft => format!("{stem}яя"),
        (Gender::Feminine, false) => format!("{stem}ая"),
        (Gender::Masculine, true) => format!("{stem}ий"),
        (Gender::Masculine, false) if soft || soft_stem(stem) => format!("{stem}ий"),
        (Gender::Masculine, false) => format!("{stem}ый"),
        (Gender::Neuter, true) => format!("{stem}е"),
        (Gender::Neuter, false) if soft => format!("{stem}ее"),
        (Gender::Neuter, false) => format!("{stem}ое"),
    };
    // A short Ukrainian `-а`/`-е` word or a Russian one that is not an adjective (`Москва`) has no adjective ending
    // to undo: only the long endings are trusted in Russian.
    if !ukrainian && matches!(ending, "а" | "е") {
        return None;
    }
    Some(nominative)
}

/// `lemma` (lowercase) with the capitals of `written`: a capitalised word stays capitalised, an all-caps one
/// all-caps.
fn restore_case(written: &str, lemma: &str) -> String {
    let letters: Vec<char> = written.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return lemma.to_uppercase();
    }
    let mut written_chars = written.chars();
    let mut out = String::with_capacity(lemma.len());
    for ch in lemma.chars() {
        match written_chars.next() {
            Some(w) if w.is_uppercase() => out.extend(ch.to_uppercase()),
            _ => out.push(ch),
        }
    }
    out
}
