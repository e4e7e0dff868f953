//! Word forms that can be names, from a morphological dictionary: `names.tsv` in the model folder, one
//! `form<TAB>classes` a line (lowercase forms; classes N first name, S surname, P patronymic, A abbreviation, C also an
//! ordinary word). `cargo xtask train-ner-uk` writes it from pymorphy3-dicts-uk (GPL-3.0); this crate only reads it.

use std::collections::HashMap;
use std::path::Path;

use crate::error::TaggerError;

/// A first name (Андрій, Марії).
pub const FIRST_NAME: u8 = 1;
/// A surname (Шевченка).
pub const SURNAME: u8 = 2;
/// A patronymic (Івановича).
pub const PATRONYMIC: u8 = 4;
/// An abbreviation (ОУН).
pub const ABBREVIATION: u8 = 8;
/// The form is also an ordinary word (києві is a first name's form and a town's).
pub const ORDINARY: u8 = 16;

const CODES: [(char, u8); 5] =
    [('N', FIRST_NAME), ('S', SURNAME), ('P', PATRONYMIC), ('A', ABBREVIATION), ('C', ORDINARY)];

/// Lowercase word forms and their classes.
#[derive(Debug, Default)]
pub struct Names {
    forms: HashMap<String, u8>,
}

impl Names {
    /// Reads `names.tsv`.
    pub fn load(path: &Path) -> Result<Names, TaggerError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| TaggerError::Io { path: path.to_path_buf(), source })?;
        Names::parse(&text).map_err(|reason| TaggerError::Format { path: path.to_path_buf(), reason })
    }

    /// Parses the lines of `names.tsv`; the reason of the first bad line is the error.
    pub fn parse(text: &str) -> Result<Names, String> {
        let mut forms = HashMap::new();
        for (number, line) in text.lines().enumerate() {
            if line.is_empty() {
                continue;
            }
            let (form, codes) =
                line.split_once('\t').ok_or_else(|| format!("line {}: no tab in {line:?}", number + 1))?;
            let mut classes = 0;
            for code in codes.chars() {
                let (_, class) = CODES
                    .iter()
                    .find(|(c, _)| *c == code)
                    .ok_or_else(|| format!("line {}: unknown class {code:?}", number + 1))?;
                classes |= class;
            }
            forms.insert(form.to_string(), classes);
        }
        Ok(Names { forms })
    }

    /// The classes of a lowercase form; 0 for a form the dictionary does not know as a name.
    pub fn classes(&self, lower: &str) -> u8 {
        self.forms.get(lower).copied().unwrap_or(0)
    }

    pub fn len(&self) -> usize {
        self.forms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }
}
