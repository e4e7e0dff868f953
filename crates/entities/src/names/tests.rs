//! The golden files of `test_data`: people, and bodies and places.

use std::path::PathBuf;

use dossier_lang::Lang;

use super::name_forms;

fn test_data(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// Checks every `lang mention => value | key` line of a case file against `kind`; on failure prints the whole file
/// as it is now, so a reviewed change is a copy away.
fn check(file: &str, kind: &str) {
    let mut failures = Vec::new();
    let mut actual_file = String::new();
    for line in test_data(file).lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            actual_file.push_str(line);
            actual_file.push('\n');
            continue;
        }
        let (lang, rest) = line.split_once(' ').expect("a language code first");
        let (mention, expected) = rest.split_once(" => ").expect("mention => value | key");
        let (value, key) = expected.split_once(" | ").expect("value | key");
        let (actual_value, actual_key) = name_forms(kind, mention, Lang::from_code(lang));
        if (actual_value.as_str(), actual_key.as_str()) != (value, key) {
            failures.push(format!("{mention}: expected {value} | {key}, got {actual_value} | {actual_key}"));
        }
        actual_file.push_str(&format!("{lang} {mention} => {actual_value} | {actual_key}\n"));
    }
    assert!(failures.is_empty(), "{}\n\nnow:\n{actual_file}", failures.join("\n"));
}

#[test]
fn persons() {
    check("persons.cases", crate::PERSON);
}

#[test]
fn bodies() {
    check("bodies.cases", crate::ORGANIZATION);
}

#[test]
fn places() {
    check("places.cases", crate::LOCATION);
}

/// Whatever a model hands over, reading a name neither panics nor returns an empty key for a text with letters.
#[test]
fn odd_mentions_are_read_without_panic() {
    let odd = [
        "",
        " ",
        ".",
        "-",
        "«»",
        "И.",
        "И. П.",
        "И.П.",
        "- -",
        "Соколов-",
        "-Ветров",
        "Соколов--Ветров",
        "А",
        "ё",
        "ЁЁЁ Ёё",
        "O'Brien",
        "Д'Артаньян",
        "Мʼясник Ігор",
        "Иван Иванович Иванов Петров Сидоров",
        "(Соколов)",
        "Соколов (",
        "ООО",
        "ООО «»",
        "«Ромашка",
        "Романа Абрамовича",
        "ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ",
        "和泉 里美",
        "Ἀλέξανδρος",
        "е\u{308}ж и\u{306}од",
        "1990",
        "Соколов 2",
    ];
    for kind in [crate::PERSON, crate::ORGANIZATION, crate::LOCATION] {
        for lang in [Some(Lang::Russian), Some(Lang::Ukrainian), Some(Lang::English), None] {
            for text in odd {
                let (_, key) = name_forms(kind, text, lang);
                if text.chars().any(char::is_alphabetic) {
                    assert!(!key.trim().is_empty(), "{kind} {text:?}: empty key");
                }
            }
        }
    }
}
