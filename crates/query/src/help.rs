//! The syntax help shown by `dossier search --help`, the README and the web UI.

/// Plain text, about 30 lines, with examples in Russian, Ukrainian and English.
pub const SYNTAX_HELP: &str = r#"Search syntax
  министерство обороны        both words (any form: министерства, министерству...)
  бюджет OR смета             either word; AND is the default between words
  бюджет -проект              without "проект" (also: бюджет AND NOT проект, бюджет !проект)
  (бюджет OR смета) AND 2023  parentheses group; NOT binds tighter than AND, AND tighter than OR
  +контракт                   must contain (same as a plain word)
  "Міністерство оборони"      exact phrase, no word-form matching; "слово" matches that exact form
  "sanctions evasion"~5       the words at most 5 positions apart
  министерств*                words starting with "министерств"
  Кривенко~  Krivenko~2       similar spelling: 1 edit (~) or 2 edits (~2)
  translit:Кривенко           also Kryvenko, Krivenko (the name in other scripts and schemes)
Fields (put the field right before a word, a "phrase" or a (group), no space after the colon)
  title:бюджет  author:Петренко  from:ivanov@mail.ru  to:"Іван Петренко"
  type:pdf  lang:uk  collection:leak2023  path:"C:\Users\ivan"  ext:xlsx
  person:Соколов  org:"Министерство обороны"  loc:Тверская  inn:7707083893  phone:74951234567  email:a@b.ru
                              names and identifiers the analysis found (dictionary form; phone: E.164 digits)
  title:(звіт OR report)      the field applies to the whole group
  text:word                   the body and the title (the default)
Dates (inclusive; a month or a year means all its days)
  date:2023-10-01  date:2023-10  date:2023  date:01.10.2023
  date:2023-10-01..2023-10-31  date:2023-10..  date:..2023
  date:>=2023-10-01  date:>2023  date:<2024-03  date:<=2024
Operators are upper case: "and", "or", "not" in lower case are ordinary words.
A hyphen inside a word belongs to it: Ростов-на-Дону, Franco-German.
To search for a special character, escape it or quote it: foo\:bar  "10:30"  \-5  \(1\)
Examples
  from:ivanov@mail.ru date:2023-10 (контракт OR договор) -черновик
  title:"звіт про використання" lang:uk date:2022..
  "shell company" AND (Cyprus OR Кипр) type:eml"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ParseOptions, parse};

    #[test]
    fn help_is_about_thirty_lines() {
        let lines = SYNTAX_HELP.lines().count();
        assert!((25..=36).contains(&lines), "{lines} lines");
    }

    #[test]
    fn every_example_in_the_help_parses() {
        let examples = SYNTAX_HELP.split_once("\nExamples\n").expect("an Examples section").1;
        for example in examples.lines() {
            assert!(parse(example, &ParseOptions::default()).is_ok(), "{example:?}");
        }
        for example in ["date:2023-10-01..2023-10-31  date:2023-10..  date:..2023", "title:(звіт OR report)"] {
            assert!(parse(example, &ParseOptions::default()).is_ok(), "{example:?}");
        }
    }
}
