//! Writes a query tree back as query text, so that a program (the web UI adding a filter, `--explain`) can show
//! or edit a query it did not get from a person. For every tree [`crate::parse`] returns,
//! `parse(&render(&tree), &ParseOptions::default()) == Ok(tree)`.

use crate::ast::{Field, Query, Word};
use crate::date::format_day;

/// Renders `query` as query text. Field groups come out distributed (`title:a OR title:b`), transliteration as
/// explicit `translit:` prefixes, and [`Query::All`] as the empty query. Trees the parser would not produce (an
/// `And` nested directly in an `And`, an `All` inside an `Or`, a phrase without words) render as their closest
/// text and may not parse back to the same tree.
pub fn render(query: &Query) -> String {
    let mut out = String::new();
    if *query != Query::All {
        write_or_level(&mut out, query);
    }
    out
}

/// Writes a query where an OR needs no parentheses (the top level, inside a group).
fn write_or_level(out: &mut String, query: &Query) {
    match query {
        Query::Or(alternatives) => {
            for (index, alternative) in alternatives.iter().enumerate() {
                if index > 0 {
                    out.push_str(" OR ");
                }
                write_and_level(out, alternative);
            }
        }
        other => write_and_level(out, other),
    }
}

/// Writes a query as one operand of an OR: an AND and an AND-NOT need no parentheses there.
fn write_and_level(out: &mut String, query: &Query) {
    match query {
        Query::And(clauses) => write_clauses(out, clauses),
        Query::AndNot { positive, negative } => {
            let start = out.len();
            match positive.as_ref() {
                Query::All => {}
                Query::And(clauses) => write_clauses(out, clauses),
                other => write_primary(out, other),
            }
            for excluded in negative {
                // Separated from what this clause wrote before it (the positive part or an earlier exclusion).
                if out.len() > start {
                    out.push(' ');
                }
                out.push('-');
                write_primary(out, excluded);
            }
        }
        other => write_primary(out, other),
    }
}

fn write_clauses(out: &mut String, clauses: &[Query]) {
    for (index, clause) in clauses.iter().enumerate() {
        if index > 0 {
            out.push(' ');
        }
        write_primary(out, clause);
    }
}

/// Writes a query as something a prefix operator or an implicit AND can take: compound queries get parentheses.
fn write_primary(out: &mut String, query: &Query) {
    match query {
        Query::All => out.push_str("()"),
        Query::Word { field, word } => write_word(out, *field, word),
        Query::Phrase { field, words, slop } => {
            write_field(out, *field);
            out.push('"');
            for (index, word) in words.iter().enumerate() {
                if index > 0 {
                    out.push(' ');
                }
                for ch in word.chars() {
                    if ch == '"' || ch == '\\' {
                        out.push('\\');
                    }
                    out.push(ch);
                }
            }
            out.push('"');
            if *slop > 0 {
                out.push('~');
                out.push_str(&slop.to_string());
            }
        }
        Query::DateRange { from, to } => {
            out.push_str("date:");
            match (from, to) {
                (Some(from), Some(to)) if from == to => out.push_str(&format_day(*from)),
                _ => {
                    if let Some(from) = from {
                        out.push_str(&format_day(*from));
                    }
                    out.push_str("..");
                    if let Some(to) = to {
                        out.push_str(&format_day(*to));
                    }
                }
            }
        }
        Query::And(_) | Query::Or(_) | Query::AndNot { .. } => {
            out.push('(');
            write_or_level(out, query);
            out.push(')');
        }
    }
}

fn write_field(out: &mut String, field: Field) {
    if field != Field::Text {
        out.push_str(field.name());
        out.push(':');
    }
}

fn write_word(out: &mut String, field: Field, word: &Word) {
    write_field(out, field);
    if word.translit {
        out.push_str("translit:");
    }
    let suffixed = word.prefix || word.fuzzy.is_some();
    if matches!(word.text.as_str(), "AND" | "OR" | "NOT") && !suffixed {
        // A keyword as a word: the lexer takes `\AND` as the word. With a suffix (`OR*`, `AND~`) the token is no
        // keyword, and a backslash in front would be taken literally.
        out.push('\\');
        out.push_str(&word.text);
    } else {
        for (index, ch) in word.text.chars().enumerate() {
            let special_anywhere =
                matches!(ch, '\\' | ':' | '"' | '(' | ')' | '*' | '~' | '&' | '|') || ch.is_whitespace();
            let special_at_start = index == 0 && matches!(ch, '-' | '+' | '!');
            if special_anywhere || special_at_start {
                out.push('\\');
            }
            out.push(ch);
        }
    }
    if word.prefix {
        out.push('*');
    }
    match word.fuzzy {
        Some(1) => out.push('~'),
        Some(distance) => {
            out.push('~');
            out.push_str(&distance.to_string());
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ParseOptions, parse};

    fn rendered(input: &str) -> String {
        render(&parse(input, &ParseOptions::default()).expect("parses"))
    }

    #[test]
    fn field_groups_come_out_distributed() {
        assert_eq!(rendered("title:(бюджет OR смета) -черновик"), "(title:бюджет OR title:смета) -черновик");
    }

    #[test]
    fn special_characters_are_escaped() {
        assert_eq!(rendered("foo\\:bar \\-5 \\AND Ростов-на-Дону"), "foo\\:bar \\-5 \\AND Ростов-на-Дону");
        assert_eq!(rendered("\"он сказал \\\"нет\\\"\"~2"), "\"он сказал \\\"нет\\\"\"~2");
    }

    /// `OR*` is a prefix search for the word "OR", never the operator; rendered as `\OR*`, it parsed back as a
    /// search for the word "\OR" (a backslash before a letter is literal). Found by the fuzz target `query`.
    #[test]
    fn a_keyword_searched_by_prefix_or_fuzzily_renders_back_to_itself() {
        for input in ["OR*", "AND~", "NOT~2", "title:OR*", "\\OR", "\\AND*"] {
            let tree = parse(input, &ParseOptions::default()).expect("parses");
            let text = render(&tree);
            assert_eq!(parse(&text, &ParseOptions::default()), Ok(tree), "{input:?} rendered as {text:?}");
        }
        assert_eq!(rendered("OR* \\NOT"), "OR* \\NOT");
    }

    #[test]
    fn exclusion_after_word_ending_in_escaped_parenthesis_keeps_its_space() {
        assert_eq!(rendered("a\\( -b"), "a\\( -b");
        assert_eq!(rendered("(-a) OR -b"), "-a OR -b");
    }

    #[test]
    fn dates_and_word_operators_are_kept() {
        assert_eq!(
            rendered("date:2023-10 date:>=2024-01-05 translit:Кривенко~2 министерств*"),
            "date:2023-10-01..2023-10-31 date:2024-01-05.. translit:Кривенко~2 министерств*"
        );
        assert_eq!(rendered("date:2023-10-01"), "date:2023-10-01");
    }
}
