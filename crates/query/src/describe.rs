//! A compact S-expression dump of a query tree, for golden tests and `dossier search --explain`:
//! `(and (word text "a") (phrase title "b c" 0))`.

use std::fmt::Write as _;

use crate::ast::{Query, Word};
use crate::date::format_day;

/// Describes `query` as an S-expression. Words are `(word FIELD "text" [prefix] [fuzzy N] [translit])`, phrases
/// `(phrase FIELD "w1 w2" SLOP)`, date ranges `(date FROM TO)` with `..` for an open end, and
/// `(and-not POSITIVE NEGATIVE...)` lists the clause that must match first, then those that must not.
pub fn describe(query: &Query) -> String {
    let mut out = String::new();
    write_query(&mut out, query);
    out
}

fn write_query(out: &mut String, query: &Query) {
    match query {
        Query::All => out.push_str("(all)"),
        Query::Word { field, word } => {
            let Word { text, prefix, fuzzy, translit } = word;
            let _ = write!(out, "(word {} ", field.name());
            write_string(out, text);
            if *prefix {
                out.push_str(" prefix");
            }
            if let Some(distance) = fuzzy {
                let _ = write!(out, " fuzzy {distance}");
            }
            if *translit {
                out.push_str(" translit");
            }
            out.push(')');
        }
        Query::Phrase { field, words, slop } => {
            let _ = write!(out, "(phrase {} ", field.name());
            write_string(out, &words.join(" "));
            let _ = write!(out, " {slop})");
        }
        Query::DateRange { from, to } => {
            let end = |day: &Option<_>| day.map(format_day).unwrap_or_else(|| "..".to_string());
            let _ = write!(out, "(date {} {})", end(from), end(to));
        }
        Query::And(clauses) => write_list(out, "and", clauses.iter()),
        Query::Or(clauses) => write_list(out, "or", clauses.iter()),
        Query::AndNot { positive, negative } => {
            write_list(out, "and-not", std::iter::once(positive.as_ref()).chain(negative.iter()))
        }
    }
}

fn write_list<'a>(out: &mut String, name: &str, clauses: impl Iterator<Item = &'a Query>) {
    out.push('(');
    out.push_str(name);
    for clause in clauses {
        out.push(' ');
        write_query(out, clause);
    }
    out.push(')');
}

/// Writes `text` in double quotes, escaping the quote and the backslash.
fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for ch in text.chars() {
        if ch == '"' || ch == '\\' {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('"');
}
