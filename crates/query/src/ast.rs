//! The query tree the parser produces and the index translates. It knows nothing about tantivy.

use serde::Serialize;

/// A document field a query clause can be limited to with `field:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The whole text and the title (the default when no field is given).
    Text,
    Title,
    Author,
    /// A mail's sender.
    From,
    /// A mail's recipients (To, Cc and Bcc).
    To,
    /// The detected format, by short name (`pdf`, `docx`, `eml`...) or media type.
    Type,
    /// The detected language code (`ru`, `uk`, `be`, `en`).
    Lang,
    /// The collection's name.
    Collection,
    /// The source path of the file (or the path of an archive member / attachment).
    Path,
    /// The file extension of the name, without the dot.
    Ext,
    /// A person, organisation or place the text names (as found by the analysis, in dictionary form).
    Person,
    Org,
    Loc,
    /// A Russian taxpayer number, a phone (digits of E.164), an e-mail address found in the text.
    Inn,
    Phone,
    Email,
}

impl Field {
    /// The name a user types before the colon.
    pub fn name(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::Title => "title",
            Field::Author => "author",
            Field::From => "from",
            Field::To => "to",
            Field::Type => "type",
            Field::Lang => "lang",
            Field::Collection => "collection",
            Field::Path => "path",
            Field::Ext => "ext",
            Field::Person => "person",
            Field::Org => "org",
            Field::Loc => "loc",
            Field::Inn => "inn",
            Field::Phone => "phone",
            Field::Email => "email",
        }
    }
}

/// A calendar day, as typed in a date range (`2023-10-01`). Partial dates are expanded by the parser:
/// `date:2023-10` is 2023-10-01..2023-10-31 and `date:2023` the whole year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// One word as the user typed it, with what was attached to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word {
    /// The word without its operators (`министерств` for `министерств*`). Not lowercased: the index analyses it.
    pub text: String,
    /// `word*`: any word starting with `text`.
    pub prefix: bool,
    /// `word~` (one edit) or `word~2` (two edits; the most allowed): words within this many edits of `text`.
    pub fuzzy: Option<u8>,
    /// `translit:word` or the global transliteration flag: also match the name in other scripts and schemes.
    pub translit: bool,
}

/// A query tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Query {
    /// Matches every document (an empty query, or a query made only of negative clauses gets this as its base).
    All,
    /// A single word in a field. Unquoted words are matched by stem (morphology); see `Phrase` for exact words.
    Word { field: Field, word: Word },
    /// `"exact words"` (a single quoted word is a one-word phrase: matched exactly, without stemming) and
    /// `"a b"~5` (all words within `slop` positions of each other, in any order as tantivy's slop allows).
    Phrase { field: Field, words: Vec<String>, slop: u32 },
    /// `date:2023-10-01..2023-10-31`; either end may be open (`date:..2023-10-31`, `date:2023-10-01..`). Inclusive days.
    DateRange { from: Option<Day>, to: Option<Day> },
    /// Every clause must match (`a b`, `a AND b`, `+a`).
    And(Vec<Query>),
    /// At least one clause must match (`a OR b`).
    Or(Vec<Query>),
    /// `positive` must match and `negative` must not (`a -b`, `a AND NOT b`, `NOT b` alone = `All` minus `b`).
    AndNot { positive: Box<Query>, negative: Vec<Query> },
}

/// `query`, restricted to the collection named `name` (as `query AND collection:name`, without parsing the name).
pub fn within_collection(query: Query, name: &str) -> Query {
    let word = Word { text: name.to_string(), prefix: false, fuzzy: None, translit: false };
    Query::And(vec![query, Query::Word { field: Field::Collection, word }])
}

/// Why a query could not be parsed: the message and the character position (0-based, in chars, not bytes) it points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message} (at position {position})")]
pub struct ParseError {
    pub position: usize,
    pub message: String,
}
