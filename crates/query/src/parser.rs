//! Recursive-descent parser from tokens to a normalised [`Query`]: precedence NOT > AND > OR, implicit AND,
//! field prefixes on words, phrases and groups, and errors that point at the offending character.

use crate::ast::{Field, ParseError, Query, Word};
use crate::date::parse_date_value;
use crate::lexer::{FieldName, RawChar, Token, TokenKind, tokenize};

/// How deeply parentheses may nest. Deeper input is surely not typed by a person, and the bound keeps the
/// recursion (and the tree the index builds from it) small on hostile input.
pub const MAX_NESTING: usize = 64;

/// How the parser treats words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Every word is treated as `translit:word` (names are also matched in other scripts and spellings).
    pub translit: bool,
}

/// Parses a query typed in the search box. An empty or blank query is [`Query::All`].
pub fn parse(input: &str, options: &ParseOptions) -> Result<Query, ParseError> {
    let chars: Vec<char> = input.chars().collect();
    let tokens = tokenize(&chars)?;
    if tokens.is_empty() {
        return Ok(Query::All);
    }
    let mut parser = Parser { tokens: &tokens, next: 0, input_length: chars.len(), options };
    let scope = Scope { field: Field::Text, translit: false, depth: 0 };
    let query = parser.parse_or(scope)?;
    match parser.peek() {
        None => Ok(query),
        Some(token) if token.kind == TokenKind::RightParen => Err(ParseError {
            position: token.start,
            message: format!(
                "unbalanced parenthesis: \")\" at position {} has no matching \"(\" before it",
                token.start
            ),
        }),
        // The AND level takes every token that can start a clause and the OR level every OR, so only a closing
        // parenthesis can be left over; this arm is a safety net, not a path.
        Some(token) => Err(ParseError { position: token.start, message: format!("unexpected {}", token.describe()) }),
    }
}

/// What the enclosing field prefixes and parentheses impose on the clauses inside them.
#[derive(Debug, Clone, Copy)]
struct Scope {
    field: Field,
    translit: bool,
    depth: usize,
}

/// A clause of an AND, before the negative ones are gathered into [`Query::AndNot`].
enum Clause {
    Positive(Query),
    Negative(Query),
}

struct Parser<'a> {
    tokens: &'a [Token],
    next: usize,
    input_length: usize,
    options: &'a ParseOptions,
}

fn starts_clause(kind: &TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Word(_)
            | TokenKind::Phrase { .. }
            | TokenKind::Field(_)
            | TokenKind::LeftParen
            | TokenKind::Not
            | TokenKind::Plus
            | TokenKind::Minus
    )
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.next)
    }

    fn advance(&mut self) -> Option<&'a Token> {
        let token = self.tokens.get(self.next);
        self.next += 1;
        token
    }

    /// Checks that the operator `operator` is followed by something it can apply to.
    fn expect_operand_after(&self, operator: &Token) -> Result<(), ParseError> {
        let name = operator.describe();
        let problem = match self.peek() {
            Some(token) if starts_clause(&token.kind) => return Ok(()),
            None => "has nothing after it".to_string(),
            Some(token) if token.kind == TokenKind::RightParen => "has nothing after it before \")\"".to_string(),
            Some(token) => format!("is followed by {}", token.describe()),
        };
        Err(ParseError {
            position: operator.start,
            message: format!(
                "{name} at position {} {problem}; it must be followed by a word, a \"phrase\" or a (group)",
                operator.start
            ),
        })
    }

    fn parse_or(&mut self, scope: Scope) -> Result<Query, ParseError> {
        let mut alternatives = vec![self.parse_and(scope)?];
        while let Some(operator) = self.peek().filter(|token| token.kind == TokenKind::Or) {
            self.advance();
            self.expect_operand_after(operator)?;
            alternatives.push(self.parse_and(scope)?);
        }
        Ok(build_or(alternatives))
    }

    fn parse_and(&mut self, scope: Scope) -> Result<Query, ParseError> {
        let mut clauses = vec![self.parse_unary(scope)?];
        while let Some(token) = self.peek() {
            if token.kind == TokenKind::And {
                self.advance();
                self.expect_operand_after(token)?;
            } else if !starts_clause(&token.kind) {
                break;
            }
            clauses.push(self.parse_unary(scope)?);
        }
        Ok(build_and(clauses))
    }

    /// A clause with its prefix operators (`NOT`, `!`, `-`, `+`), read in a loop so that a long chain of them
    /// does not recurse.
    fn parse_unary(&mut self, scope: Scope) -> Result<Clause, ParseError> {
        let mut negated = false;
        let mut last_operator = None;
        while let Some(token) = self.peek() {
            match token.kind {
                TokenKind::Not | TokenKind::Minus => negated = !negated,
                TokenKind::Plus => {}
                _ => break,
            }
            last_operator = Some(token);
            self.advance();
        }
        if let Some(operator) = last_operator {
            self.expect_operand_after(operator)?;
        }
        let query = self.parse_primary(scope)?;
        Ok(if negated { Clause::Negative(query) } else { Clause::Positive(query) })
    }

    fn parse_primary(&mut self, scope: Scope) -> Result<Query, ParseError> {
        let Some(token) = self.advance() else {
            return Err(ParseError {
                position: self.input_length,
                message: "the query ends where a word, a \"phrase\" or a (group) was expected".to_string(),
            });
        };
        match &token.kind {
            TokenKind::Word(raw) => self.word(raw, token.start, scope),
            TokenKind::Phrase { words, slop } => {
                Ok(Query::Phrase { field: scope.field, words: words.clone(), slop: *slop })
            }
            TokenKind::LeftParen => self.group(token, scope),
            TokenKind::Field(name) => self.field(token, *name, scope),
            TokenKind::RightParen => Err(ParseError {
                position: token.start,
                message: format!(
                    "unbalanced parenthesis: \")\" at position {} has no matching \"(\" before it",
                    token.start
                ),
            }),
            TokenKind::And | TokenKind::Or => Err(ParseError {
                position: token.start,
                message: format!(
                    "{} at position {} has nothing before it; it goes between two clauses, e.g. бюджет {} смета",
                    token.describe(),
                    token.start,
                    token.describe()
                ),
            }),
            // The unary level consumes these before calling here; a safety net, not a path.
            TokenKind::Not | TokenKind::Plus | TokenKind::Minus => {
                Err(ParseError { position: token.start, message: format!("unexpected {}", token.describe()) })
            }
        }
    }

    fn group(&mut self, open: &Token, scope: Scope) -> Result<Query, ParseError> {
        if scope.depth >= MAX_NESTING {
            return Err(ParseError {
                position: open.start,
                message: format!("parentheses nest too deeply (more than {MAX_NESTING} levels)"),
            });
        }
        if self.peek().is_some_and(|token| token.kind == TokenKind::RightParen) {
            return Err(ParseError {
                position: open.start,
                message: "empty parentheses: put something between \"(\" and \")\"".to_string(),
            });
        }
        let inner = self.parse_or(Scope { depth: scope.depth + 1, ..scope })?;
        match self.advance() {
            Some(token) if token.kind == TokenKind::RightParen => Ok(inner),
            _ => Err(ParseError {
                position: open.start,
                message: format!("unbalanced parenthesis: \"(\" at position {} is never closed", open.start),
            }),
        }
    }

    /// A chain of field prefixes (`title:`, `translit:`, `title:translit:`) and the value they apply to.
    fn field(&mut self, first: &Token, first_name: FieldName, scope: Scope) -> Result<Query, ParseError> {
        let mut field = None;
        let mut translit = false;
        let mut prefix = first;
        let mut name = first_name;
        loop {
            match name {
                FieldName::Translit if translit => {
                    return Err(ParseError {
                        position: prefix.start,
                        message: "\"translit:\" is given twice".to_string(),
                    });
                }
                FieldName::Translit => translit = true,
                FieldName::Date if field.is_some() || translit => {
                    return Err(ParseError {
                        position: prefix.start,
                        message: "\"date:\" cannot be combined with another field prefix".to_string(),
                    });
                }
                FieldName::Date => return self.date(prefix),
                FieldName::Field(_) if field.is_some() => {
                    return Err(ParseError {
                        position: prefix.start,
                        message: format!(
                            "{} follows another field prefix; a value belongs to one field \
                             (use a group for several: title:бюджет OR author:бюджет)",
                            prefix.describe()
                        ),
                    });
                }
                FieldName::Field(given) => field = Some(given),
            }
            match self.peek() {
                Some(token) => match token.kind {
                    TokenKind::Field(next_name) => {
                        self.advance();
                        prefix = token;
                        name = next_name;
                    }
                    _ => break,
                },
                None => break,
            }
        }
        let inner_scope = Scope { field: field.unwrap_or(scope.field), translit: scope.translit || translit, ..scope };
        match self.peek().map(|token| &token.kind) {
            Some(TokenKind::Word(_) | TokenKind::LeftParen) => self.parse_primary(inner_scope),
            Some(TokenKind::Phrase { .. }) if translit => Err(ParseError {
                position: first.start,
                message: "\"translit:\" applies to single words; a \"phrase\" is matched exactly as written"
                    .to_string(),
            }),
            Some(TokenKind::Phrase { .. }) => self.parse_primary(inner_scope),
            Some(TokenKind::Not | TokenKind::Minus | TokenKind::Plus) => Err(ParseError {
                position: first.start,
                message: format!(
                    "put the operator before the field, not after it: write -{}word, not {}-word",
                    first.describe().trim_matches('"'),
                    first.describe().trim_matches('"')
                ),
            }),
            _ => Err(ParseError {
                position: first.start,
                message: format!(
                    "empty field value: {} must be followed directly by a word, a \"phrase\" or a (group)",
                    first.describe()
                ),
            }),
        }
    }

    fn date(&mut self, prefix: &Token) -> Result<Query, ParseError> {
        match self.peek() {
            Some(Token { kind: TokenKind::Word(raw), start }) => {
                self.advance();
                let value: String = raw.iter().map(|c| c.ch).collect();
                parse_date_value(&value, *start)
            }
            _ => Err(ParseError {
                position: prefix.start,
                message: "\"date:\" must be followed directly by a date (2023-10-01, 2023-10, 2023), \
                          a range (2023-10-01..2023-10-31, 2023.., ..2023) or a comparison (>=2023-10-01, <2024)"
                    .to_string(),
            }),
        }
    }

    /// Interprets a bare word's trailing `*` (prefix) and `~`/`~N` (fuzzy); escaped ones are literal.
    fn word(&self, raw: &[RawChar], start: usize, scope: Scope) -> Result<Query, ParseError> {
        let mut chars = raw;
        let mut fuzzy = None;
        let tilde = chars.iter().rposition(|c| c.ch == '~' && !c.escaped);
        if let Some(tilde) = tilde {
            let digits = &chars[tilde + 1..];
            if digits.iter().all(|c| c.ch.is_ascii_digit() && !c.escaped) {
                let position = chars[tilde].position;
                if tilde == 0 {
                    return Err(ParseError {
                        position,
                        message: "\"~\" needs a word before it, e.g. Кривенко~ (one edit) or Кривенко~2".to_string(),
                    });
                }
                let digits: String = digits.iter().map(|c| c.ch).collect();
                fuzzy = Some(match digits.as_str() {
                    "" | "1" => 1,
                    "2" => 2,
                    _ => {
                        return Err(ParseError {
                            position,
                            message: format!(
                                "bad fuzzy distance {digits}: it must be 1 or 2 (word~ for one edit, word~2 for two)"
                            ),
                        });
                    }
                });
                chars = &chars[..tilde];
            }
        }
        let mut prefix = false;
        if let Some((last, rest)) = chars.split_last()
            && last.ch == '*'
            && !last.escaped
        {
            if fuzzy.is_some() {
                return Err(ParseError {
                    position: last.position,
                    message: "a word cannot be both a prefix (*) and fuzzy (~); choose one".to_string(),
                });
            }
            if rest.is_empty() {
                return Err(ParseError {
                    position: last.position,
                    message: "\"*\" needs at least one letter before it, e.g. министерств*".to_string(),
                });
            }
            prefix = true;
            chars = rest;
        }
        let text: String = chars.iter().map(|c| c.ch).collect();
        if text.is_empty() {
            // Only reachable through a lone escaped-nothing; kept as an error rather than an empty term.
            return Err(ParseError { position: start, message: "empty word".to_string() });
        }
        Ok(Query::Word {
            field: scope.field,
            word: Word { text, prefix, fuzzy, translit: scope.translit || self.options.translit },
        })
    }
}

/// Builds an AND from its clauses: nested ANDs are flattened, the negative clauses (and those of nested AND-NOTs)
/// are gathered into one [`Query::AndNot`], a query of negative clauses only gets [`Query::All`] as its base, and
/// an AND of one clause is that clause.
fn build_and(clauses: Vec<Clause>) -> Query {
    let mut positives = Vec::new();
    let mut negatives = Vec::new();
    fn add_positive(query: Query, positives: &mut Vec<Query>, negatives: &mut Vec<Query>) {
        match query {
            Query::All => {}
            Query::And(inner) => positives.extend(inner),
            Query::AndNot { positive, negative } => {
                add_positive(*positive, positives, negatives);
                negatives.extend(negative);
            }
            other => positives.push(other),
        }
    }
    for clause in clauses {
        match clause {
            Clause::Positive(query) => add_positive(query, &mut positives, &mut negatives),
            Clause::Negative(query) => negatives.push(query),
        }
    }
    let positive = match positives.len() {
        0 => Query::All,
        1 => positives.pop().unwrap_or(Query::All),
        _ => Query::And(positives),
    };
    if negatives.is_empty() { positive } else { Query::AndNot { positive: Box::new(positive), negative: negatives } }
}

/// Builds an OR: nested ORs are flattened and an OR of one alternative is that alternative.
fn build_or(alternatives: Vec<Query>) -> Query {
    let mut flat = Vec::with_capacity(alternatives.len());
    for alternative in alternatives {
        match alternative {
            Query::Or(inner) => flat.extend(inner),
            other => flat.push(other),
        }
    }
    if flat.len() == 1 { flat.pop().unwrap_or(Query::All) } else { Query::Or(flat) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::describe;

    fn check(input: &str, expected: &str) {
        let query = parse(input, &ParseOptions::default()).expect("parses");
        assert_eq!(describe(&query), expected, "for {input:?}");
    }

    fn check_error(input: &str, position: usize, message_part: &str) {
        let error = parse(input, &ParseOptions::default()).expect_err("is an error");
        assert_eq!(error.position, position, "for {input:?}: {}", error.message);
        assert!(error.message.contains(message_part), "for {input:?}: {}", error.message);
    }

    #[test]
    fn empty_and_blank_queries_match_everything() {
        check("", "(all)");
        check("  \t\n ", "(all)");
    }

    #[test]
    fn precedence_is_not_then_and_then_or() {
        check("a OR b c", "(or (word text \"a\") (and (word text \"b\") (word text \"c\")))");
        check("NOT a OR b", "(or (and-not (all) (word text \"a\")) (word text \"b\"))");
    }

    #[test]
    fn error_positions_count_characters_not_bytes() {
        check_error("министерство (обороны", 13, "\"(\" at position 13 is never closed");
        check_error("доклад \"без конца", 7, "unterminated quote");
    }

    #[test]
    fn global_translit_marks_words_but_not_phrases() {
        let options = ParseOptions { translit: true };
        let query = parse("Кривенко \"Иван Петров\"", &options).expect("parses");
        assert_eq!(describe(&query), "(and (word text \"Кривенко\" translit) (phrase text \"Иван Петров\" 0))");
    }

    #[test]
    fn lower_case_operators_are_words() {
        check("a or b", "(and (word text \"a\") (word text \"or\") (word text \"b\"))");
    }

    #[test]
    fn nesting_limit_points_at_the_parenthesis_past_it() {
        let input = format!("{}a{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        check_error(&input, MAX_NESTING, "nest too deeply");
    }
}
