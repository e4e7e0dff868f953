//! The golden file `test_data/link_persons.cases`: mentions in, people out.
//!
//! Each case is a `## title` line, the mentions (`lang text`, one a line, repeated to count more than once), a
//! `--` line, then the entities expected: `name <= value + value...` and an indented `why:` line per reason.

use std::collections::BTreeMap;
use std::path::PathBuf;

use dossier_lang::Lang;

use super::{Named, link};

fn entities(mentions: &[&str]) -> String {
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for line in mentions {
        let (lang, text) = line.split_once(' ').expect("lang text");
        let (value, key) = crate::name_forms(crate::PERSON, text, Lang::from_code(lang));
        *counts.entry((key, value)).or_default() += 1;
    }
    let rows: Vec<Named> = counts.into_iter().map(|((key, value), mentions)| Named { key, value, mentions }).collect();
    let mut out = String::new();
    for entity in link(crate::PERSON, &rows) {
        let values: Vec<&str> = entity.members.iter().map(|(_, value)| value.as_str()).collect();
        out.push_str(&format!("{} <= {}\n", entity.name, values.join(" + ")));
        for why in &entity.why {
            out.push_str(&format!("  why: {why}\n"));
        }
    }
    out
}

#[test]
fn people() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/link_persons.cases");
    let text = std::fs::read_to_string(&path).expect("the case file");
    let mut actual_file = String::new();
    let mut failures = Vec::new();
    for case in text.split("\n## ").filter(|case| !case.trim().is_empty()) {
        let case = case.trim_start_matches("## ");
        let (title, rest) = case.split_once('\n').expect("a title line");
        let (input, expected) = rest.split_once("--\n").expect("a -- line");
        let mentions: Vec<&str> = input.lines().filter(|line| !line.trim().is_empty()).collect();
        let actual = entities(&mentions);
        if actual.trim_end() != expected.trim_end() {
            failures.push(title.to_string());
        }
        actual_file.push_str(&format!("## {title}\n{input}--\n{actual}\n"));
    }
    assert!(failures.is_empty(), "failed: {failures:?}\n\nnow:\n{actual_file}");
}

#[test]
fn ids_are_short_ascii_and_do_not_depend_on_row_order() {
    let rows: Vec<Named> = ["Игорь Петрович Соколов", "И. П. Соколов", "Иван Соколов", "ООО Ромашка"]
        .iter()
        .map(|text| {
            let (value, key) = crate::name_forms(crate::PERSON, text, Some(Lang::Russian));
            Named { key, value, mentions: 1 }
        })
        .collect();
    let forward = link(crate::PERSON, &rows);
    let reversed: Vec<Named> = rows.iter().rev().cloned().collect();
    assert_eq!(forward, link(crate::PERSON, &reversed));
    for entity in &forward {
        assert_eq!(entity.id.len(), 13, "{entity:?}");
        assert!(entity.id.bytes().all(|b| b.is_ascii_alphanumeric()), "{entity:?}");
    }
    let ids: std::collections::BTreeSet<&str> = forward.iter().map(|entity| entity.id.as_str()).collect();
    assert_eq!(ids.len(), forward.len());
}
