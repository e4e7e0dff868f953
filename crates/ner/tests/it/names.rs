//! Names in real news texts, with their kinds and char offsets.

use dossier_ner::{Entity, Kind};

fn read(path: &str) -> String {
    let path = crate::corpus().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn has(entities: &[Entity], kind: Kind, start: usize, end: usize, text: &str) -> bool {
    entities.iter().any(|e| e.kind == kind && e.start == start && e.end == end && e.text == text)
}

#[test]
fn names_in_a_news_report_are_found() {
    let text = read("factRuEval-2016/devset/book_100.txt");
    let entities = crate::model().entities(&text);
    assert!(has(&entities, Kind::Location, 37, 43, "Москвы"), "{entities:?}");
    assert!(has(&entities, Kind::Location, 47, 63, "Тверской площади"), "{entities:?}");
    assert!(has(&entities, Kind::Person, 313, 325, "Юрия Лужкова"), "{entities:?}");
    assert!(has(&entities, Kind::Organization, 562, 572, "Мосгордумы"), "{entities:?}");
}

#[test]
fn offsets_count_characters_not_bytes() {
    // Cyrillic letters are two bytes each in UTF-8: byte offsets would be about twice these.
    let text = read("collection5/collection5/001.txt");
    let entities = crate::model().entities(&text);
    assert!(has(&entities, Kind::Location, 83, 89, "МОСКВА"), "{entities:?}");
    assert!(has(&entities, Kind::Organization, 99, 110, "РИА Новости"), "{entities:?}");
    let chars: Vec<char> = text.chars().collect();
    for entity in &entities {
        assert_eq!(chars[entity.start..entity.end].iter().collect::<String>(), entity.text);
    }
}

#[test]
fn entities_are_ordered_and_never_overlap() {
    let text = read("collection5/collection5/002.txt");
    let entities = crate::model().entities(&text);
    assert!(!entities.is_empty());
    for pair in entities.windows(2) {
        assert!(pair[0].end <= pair[1].start, "{pair:?}");
    }
}

#[test]
fn blank_text_has_no_names() {
    assert_eq!(crate::model().entities(""), []);
    assert_eq!(crate::model().entities(" \n\t "), []);
}
