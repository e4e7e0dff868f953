//! Splits a query string into tokens (words, phrases, field prefixes, operators, parentheses), keeping the
//! character position of each so that every later error can point at what the user typed.
//!
//! The lexer decides everything that depends on adjacency (`-word` versus `Ростов-на-Дону`, `title:` versus
//! `10:30`, `"a b"~5`), so the parser only deals with a flat token list.

use crate::ast::{Field, ParseError};

/// One character of a word, with whether it was escaped with a backslash (an escaped `*` is not a prefix marker,
/// an escaped `:` is not a field separator) and its character position in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawChar {
    pub ch: char,
    pub escaped: bool,
    pub position: usize,
}

/// What comes before a colon when it names something the parser understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldName {
    Field(Field),
    Date,
    Translit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A bare word; its `*`, `~N` and keyword meaning are decided by the parser.
    Word(Vec<RawChar>),
    /// `"a b"` or `"a b"~5`, already split at whitespace.
    Phrase {
        words: Vec<String>,
        slop: u32,
    },
    /// `title:`, `date:`, `translit:`; the value is the next token.
    Field(FieldName),
    LeftParen,
    RightParen,
    /// `AND` or `&&`.
    And,
    /// `OR` or `||`.
    Or,
    /// `NOT` or `!`.
    Not,
    /// `+` directly before a clause.
    Plus,
    /// `-` directly before a clause.
    Minus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    /// Character position of the token's first character.
    pub start: usize,
}

impl Token {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match &self.kind {
            TokenKind::Word(raw) => format!("\"{}\"", raw.iter().map(|c| c.ch).collect::<String>()),
            TokenKind::Phrase { .. } => "a phrase".to_string(),
            TokenKind::Field(FieldName::Field(field)) => format!("\"{}:\"", field.name()),
            TokenKind::Field(FieldName::Date) => "\"date:\"".to_string(),
            TokenKind::Field(FieldName::Translit) => "\"translit:\"".to_string(),
            TokenKind::LeftParen => "\"(\"".to_string(),
            TokenKind::RightParen => "\")\"".to_string(),
            TokenKind::And => "AND".to_string(),
            TokenKind::Or => "OR".to_string(),
            TokenKind::Not => "NOT".to_string(),
            TokenKind::Plus => "\"+\"".to_string(),
            TokenKind::Minus => "\"-\"".to_string(),
        }
    }
}

/// The names a user may type before a colon, in the order the help lists them.
pub(crate) const KNOWN_FIELDS: &[(&str, FieldName)] = &[
    ("text", FieldName::Field(Field::Text)),
    ("title", FieldName::Field(Field::Title)),
    ("author", FieldName::Field(Field::Author)),
    ("from", FieldName::Field(Field::From)),
    ("to", FieldName::Field(Field::To)),
    ("type", FieldName::Field(Field::Type)),
    ("lang", FieldName::Field(Field::Lang)),
    ("collection", FieldName::Field(Field::Collection)),
    ("path", FieldName::Field(Field::Path)),
    ("ext", FieldName::Field(Field::Ext)),
    ("person", FieldName::Field(Field::Person)),
    ("org", FieldName::Field(Field::Org)),
    ("loc", FieldName::Field(Field::Loc)),
    ("inn", FieldName::Field(Field::Inn)),
    ("phone", FieldName::Field(Field::Phone)),
    ("email", FieldName::Field(Field::Email)),
    ("date", FieldName::Date),
    ("translit", FieldName::Translit),
];

fn lookup_field(name: &str) -> Option<FieldName> {
    KNOWN_FIELDS.iter().find(|(known, _)| known.eq_ignore_ascii_case(name)).map(|(_, field)| *field)
}

fn known_field_list() -> String {
    KNOWN_FIELDS.iter().map(|(name, _)| format!("{name}:")).collect::<Vec<_>>().join(" ")
}

/// Characters a backslash escapes outside quotes. A backslash before anything else is kept as it is, so that
/// Windows paths (`C:\Users\ivan`) survive without doubling every backslash.
fn is_escapable(ch: char) -> bool {
    matches!(ch, '\\' | ':' | '"' | '(' | ')' | '*' | '~' | '!' | '-' | '+' | '&' | '|') || ch.is_whitespace()
}

pub(crate) fn tokenize(chars: &[char]) -> Result<Vec<Token>, ParseError> {
    let mut tokens = Vec::new();
    let mut index = 0;
    // True right after a field prefix: its value may contain colons (`title:foo:bar`), and only known names are
    // taken as another prefix there (`title:translit:x`).
    let mut after_field = false;
    while index < chars.len() {
        let ch = chars[index];
        let next = chars.get(index + 1).copied();
        let start = index;
        let was_after_field = after_field;
        after_field = false;
        if ch.is_whitespace() {
            index += 1;
            continue;
        }
        let simple = match (ch, next) {
            ('(', _) => Some((TokenKind::LeftParen, 1)),
            (')', _) => Some((TokenKind::RightParen, 1)),
            ('&', Some('&')) => Some((TokenKind::And, 2)),
            ('|', Some('|')) => Some((TokenKind::Or, 2)),
            ('!', _) => Some((TokenKind::Not, 1)),
            _ => None,
        };
        if let Some((kind, length)) = simple {
            tokens.push(Token { kind, start });
            index += length;
            continue;
        }
        if ch == '-' || ch == '+' {
            match next {
                Some(following) if !following.is_whitespace() && following != ')' => {
                    let kind = if ch == '-' { TokenKind::Minus } else { TokenKind::Plus };
                    tokens.push(Token { kind, start });
                    index += 1;
                    continue;
                }
                _ => {
                    let meaning = if ch == '-' { "exclude" } else { "require" };
                    return Err(ParseError {
                        position: start,
                        message: format!(
                            "\"{ch}\" must be directly followed by what to {meaning}, e.g. {ch}word; \
                             to search for the character itself write \\{ch} or put it in quotes"
                        ),
                    });
                }
            }
        }
        if ch == '"' {
            let (token, end) = lex_phrase(chars, start)?;
            tokens.push(token);
            index = end;
            continue;
        }
        let (token, end) = lex_word(chars, start, was_after_field)?;
        after_field = matches!(token.kind, TokenKind::Field(_));
        tokens.push(token);
        index = end;
    }
    Ok(tokens)
}

/// Lexes `"..."` with an optional `~N`, starting at the opening quote. Returns the token and the index after it.
fn lex_phrase(chars: &[char], start: usize) -> Result<(Token, usize), ParseError> {
    let mut content = String::new();
    let mut index = start + 1;
    loop {
        match chars.get(index) {
            None => {
                return Err(ParseError {
                    position: start,
                    message: format!("unterminated quote: the \" at position {start} is never closed"),
                });
            }
            Some('"') => {
                index += 1;
                break;
            }
            // Inside quotes only the quote and the backslash itself need escaping; any other backslash is
            // literal (paths).
            Some('\\') if matches!(chars.get(index + 1), Some('"' | '\\')) => {
                content.push(chars[index + 1]);
                index += 2;
            }
            Some(&ch) => {
                content.push(ch);
                index += 1;
            }
        }
    }
    let words: Vec<String> = content.split_whitespace().map(str::to_string).collect();
    if words.is_empty() {
        return Err(ParseError {
            position: start,
            message: "empty phrase: put at least one word between the quotes".to_string(),
        });
    }
    let mut slop = 0;
    if chars.get(index) == Some(&'~') {
        let tilde = index;
        index += 1;
        let digits_start = index;
        while chars.get(index).is_some_and(char::is_ascii_digit) {
            index += 1;
        }
        let digits: String = chars[digits_start..index].iter().collect();
        if digits.is_empty() {
            return Err(ParseError {
                position: tilde,
                message:
                    "a phrase's \"~\" needs the number of positions the words may be apart, e.g. \"бюджет смета\"~5"
                        .to_string(),
            });
        }
        slop = digits.parse::<u32>().map_err(|_| ParseError {
            position: digits_start,
            message: format!("phrase distance {digits} is too large"),
        })?;
    }
    if chars.get(index) == Some(&'*') {
        return Err(ParseError {
            position: index,
            message:
                "a phrase cannot end with \"*\": prefix search works on single words outside quotes, e.g. министерств*"
                    .to_string(),
        });
    }
    Ok((Token { kind: TokenKind::Phrase { words, slop }, start }, index))
}

/// Lexes a bare word starting at `start`, or a field prefix (`title:`) if the word so far is a field name followed
/// by a colon. Returns the token and the index after it.
fn lex_word(chars: &[char], start: usize, after_field: bool) -> Result<(Token, usize), ParseError> {
    let mut raw: Vec<RawChar> = Vec::new();
    let mut index = start;
    let mut colon_seen = false;
    while let Some(&ch) = chars.get(index) {
        let next = chars.get(index + 1).copied();
        if ch == '\\' {
            match next {
                Some(escaped) if is_escapable(escaped) => {
                    raw.push(RawChar { ch: escaped, escaped: true, position: index + 1 });
                    index += 2;
                }
                _ => {
                    raw.push(RawChar { ch, escaped: false, position: index });
                    index += 1;
                }
            }
            continue;
        }
        if ch.is_whitespace()
            || matches!(ch, '(' | ')' | '"')
            || matches!((ch, next), ('&', Some('&')) | ('|', Some('|')))
        {
            break;
        }
        if ch == ':' && !colon_seen {
            colon_seen = true;
            let plain_name = !raw.is_empty() && raw.iter().all(|c| !c.escaped && c.ch.is_ascii_alphabetic());
            if plain_name {
                let name: String = raw.iter().map(|c| c.ch).collect();
                let value_missing = next.is_none_or(|n| n.is_whitespace() || n == ')');
                match lookup_field(&name) {
                    Some(field) => {
                        if value_missing {
                            let (what, example) = match field {
                                FieldName::Date => ("a date or a range", "2023-10"),
                                FieldName::Translit => ("a word", "Кривенко"),
                                FieldName::Field(_) => ("a word, a \"phrase\" or a (group)", "бюджет"),
                            };
                            let name = name.to_lowercase();
                            return Err(ParseError {
                                position: start,
                                message: format!(
                                    "empty field value: \"{name}:\" must be followed directly (no space) by {what}, \
                                     e.g. {name}:{example}"
                                ),
                            });
                        }
                        return Ok((Token { kind: TokenKind::Field(field), start }, index + 1));
                    }
                    // `http://...`, `C:\...` and a colon ending a word (`Примечание:`) are text, not fields; inside
                    // a field's value (`title:foo:bar`) colons are text too.
                    None if !after_field && !value_missing && !matches!(next, Some('/' | '\\')) => {
                        return Err(ParseError {
                            position: start,
                            message: format!(
                                "unknown field \"{name}:\"; the fields are {}; to search for the text itself write \
                                 {name}\\:... or put it in quotes",
                                known_field_list()
                            ),
                        });
                    }
                    None => {}
                }
            }
        }
        raw.push(RawChar { ch, escaped: false, position: index });
        index += 1;
    }
    let text: String = raw.iter().map(|c| c.ch).collect();
    let kind = match text.as_str() {
        _ if raw.iter().any(|c| c.escaped) => TokenKind::Word(raw),
        "AND" => TokenKind::And,
        "OR" => TokenKind::Or,
        "NOT" => TokenKind::Not,
        // `\AND` searches for the word itself (a backslash before a letter is otherwise literal, for paths).
        "\\AND" | "\\OR" | "\\NOT" => {
            raw.remove(0);
            TokenKind::Word(raw)
        }
        _ => TokenKind::Word(raw),
    };
    Ok((Token { kind, start }, index))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<TokenKind> {
        let chars: Vec<char> = input.chars().collect();
        tokenize(&chars).expect("lexes").into_iter().map(|t| t.kind).collect()
    }

    fn word(text: &str) -> String {
        text.to_string()
    }

    #[test]
    fn hyphen_inside_a_word_is_part_of_it() {
        let tokens = kinds("Ростов-на-Дону");
        assert_eq!(tokens.len(), 1);
        let TokenKind::Word(raw) = &tokens[0] else { panic!("not a word: {tokens:?}") };
        assert_eq!(raw.iter().map(|c| c.ch).collect::<String>(), word("Ростов-на-Дону"));
    }

    #[test]
    fn operators_break_words() {
        assert_eq!(kinds("a&&b").len(), 3);
        assert_eq!(kinds("(a||b)").len(), 5);
        assert_eq!(kinds("AT&T").len(), 1);
    }

    #[test]
    fn escaped_keyword_is_a_word() {
        assert!(matches!(kinds("\\AND")[0], TokenKind::Word(_)));
        assert_eq!(kinds("AND")[0], TokenKind::And);
    }

    #[test]
    fn backslash_before_ordinary_character_is_kept() {
        let tokens = kinds("C:\\Users\\ivan");
        let TokenKind::Word(raw) = &tokens[0] else { panic!("not a word: {tokens:?}") };
        assert_eq!(raw.iter().map(|c| c.ch).collect::<String>(), "C:\\Users\\ivan");
    }

    #[test]
    fn positions_are_characters_not_bytes() {
        let chars: Vec<char> = "бюджет (смета".chars().collect();
        let tokens = tokenize(&chars).expect("lexes");
        assert_eq!(tokens[1].start, 7);
    }
}
