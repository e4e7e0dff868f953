//! What a morphological dictionary says of a word form: whether it can be a first name, a surname, a patronymic or
//! an abbreviation, whether it is also an ordinary word, and which parts of speech it can be. The model folder keeps
//! it as `words.fst`, a finite-state map from every lowercase form of pymorphy3-dicts-uk (GPL-3.0) to its classes,
//! about 3.7 million forms in a few megabytes, looked up without unpacking. `cargo xtask train-ner-uk` writes the
//! dictionary's forms as text (`form<TAB>codes` a line: N first name, S surname, P patronymic, A abbreviation, C an
//! ordinary word, then parts of speech as in [`PARTS_OF_SPEECH`]) and the trainer compiles that text into the map.

use std::path::Path;

use crate::error::TaggerError;

/// A first name (Андрій, Марії).
pub const FIRST_NAME: u16 = 1;
/// A surname (Шевченка).
pub const SURNAME: u16 = 2;
/// A patronymic (Івановича).
pub const PATRONYMIC: u16 = 4;
/// An abbreviation (ОУН).
pub const ABBREVIATION: u16 = 8;
/// The form is an ordinary word (києві is a first name's form and a town's).
pub const ORDINARY: u16 = 16;
/// The name classes above; the parts of speech are the bits from [`POS_SHIFT`] on.
pub const NAME_CLASSES: u16 = 31;

/// The parts of speech a form can be, one bit each from bit [`POS_SHIFT`]: noun, adjective, verb, adverbial
/// participle, adverb, preposition, conjunction, particle, numeral, pronoun.
pub const PARTS_OF_SPEECH: &str = "navgdpcrmo";
pub const POS_SHIFT: u32 = 5;

const CODES: [(char, u16); 5] =
    [('N', FIRST_NAME), ('S', SURNAME), ('P', PATRONYMIC), ('A', ABBREVIATION), ('C', ORDINARY)];

fn code(c: char) -> Option<u16> {
    CODES
        .iter()
        .find(|(code, _)| *code == c)
        .map(|(_, class)| *class)
        .or_else(|| PARTS_OF_SPEECH.chars().position(|pos| pos == c).map(|index| 1 << (POS_SHIFT + index as u32)))
}

/// Lowercase word forms and their classes.
pub struct Names {
    forms: fst::Map<Vec<u8>>,
}

impl std::fmt::Debug for Names {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Names({} forms)", self.len())
    }
}

impl Default for Names {
    fn default() -> Names {
        Names::parse("").expect("an empty list")
    }
}

impl Names {
    /// Reads a compiled map (`words.fst`).
    pub fn load(path: &Path) -> Result<Names, TaggerError> {
        let bytes = std::fs::read(path).map_err(|source| TaggerError::Io { path: path.to_path_buf(), source })?;
        Names::from_bytes(bytes).map_err(|reason| TaggerError::Format { path: path.to_path_buf(), reason })
    }

    /// A compiled map's bytes, as [`Names::as_bytes`] gives them.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Names, String> {
        let forms = fst::Map::new(bytes).map_err(|error| error.to_string())?;
        Ok(Names { forms })
    }

    /// Compiles the text form (`form<TAB>codes` lines, any order; codes of a repeated form add up); the reason of
    /// the first bad line is the error.
    pub fn parse(text: &str) -> Result<Names, String> {
        let mut entries: Vec<(&str, u16)> = Vec::new();
        for (number, line) in text.lines().enumerate() {
            if line.is_empty() {
                continue;
            }
            let (form, codes) =
                line.split_once('\t').ok_or_else(|| format!("line {}: no tab in {line:?}", number + 1))?;
            let mut classes = 0;
            for c in codes.chars() {
                classes |= code(c).ok_or_else(|| format!("line {}: unknown class {c:?}", number + 1))?;
            }
            entries.push((form, classes));
        }
        entries.sort_unstable();
        let mut builder = fst::MapBuilder::memory();
        let mut index = 0;
        while index < entries.len() {
            let (form, mut classes) = entries[index];
            index += 1;
            while index < entries.len() && entries[index].0 == form {
                classes |= entries[index].1;
                index += 1;
            }
            builder.insert(form, u64::from(classes)).map_err(|error| format!("{form:?}: {error}"))?;
        }
        Names::from_bytes(builder.into_inner().map_err(|error| error.to_string())?)
    }

    /// The compiled map, as `words.fst` keeps it.
    pub fn as_bytes(&self) -> &[u8] {
        self.forms.as_fst().as_bytes()
    }

    /// The classes of a lowercase form; 0 for a form the dictionary does not know.
    pub fn classes(&self, lower: &str) -> u16 {
        self.forms.get(lower).map_or(0, |classes| classes as u16)
    }

    pub fn len(&self) -> usize {
        self.forms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }
}
