//! Tests of the segmentation the tagger reads and, with the trained model (made by `cargo xtask setup` or
//! `cargo xtask train-ner-uk`), of what it finds.

use std::path::PathBuf;

use super::*;

fn check_pieces(text: &str, expected: &[&[&str]]) {
    let pieces: Vec<Vec<&str>> =
        pieces(text).map(|piece| piece.into_iter().map(|range| &text[range]).collect()).collect();
    assert_eq!(pieces, expected, "{text:?}");
}

#[test]
fn pieces_are_sentences_of_razdel_tokens() {
    check_pieces("Іван прийшов. Марія ні!", &[&["Іван", "прийшов", "."], &["Марія", "ні", "!"]]);
}

#[test]
fn words_with_an_apostrophe_stay_whole() {
    check_pieces("Мар'яна з'їла м’ясо", &[&["Мар'яна", "з'їла", "м’ясо"]]);
    check_pieces("сімʼя 'так' й ' ні", &[&["сімʼя", "'", "так", "'", "й", "'", "ні"]]);
}

#[test]
fn a_long_sentence_is_cut_into_pieces() {
    let text = "слово ".repeat(MAX_TOKENS * 2 + 10);
    let lengths: Vec<usize> = pieces(&text).map(|piece| piece.len()).collect();
    assert_eq!(lengths, [MAX_TOKENS, MAX_TOKENS, 10]);
}

#[test]
fn tags_become_spans_and_an_inside_tag_continues_only_its_own_kind() {
    use dossier_ner::Kind::{Location, Person};
    use tags::{OUTSIDE, begin, inside};
    let sequence = [begin(Person), inside(Person), OUTSIDE, begin(Location), begin(Location), inside(Location)];
    assert_eq!(tags::spans(&sequence), [(Person, 0..2), (Location, 3..4), (Location, 4..6)]);
    assert!(!tags::allowed(None, inside(Person)));
    assert!(!tags::allowed(Some(OUTSIDE), inside(Person)));
    assert!(!tags::allowed(Some(begin(Location)), inside(Person)));
    assert!(tags::allowed(Some(inside(Person)), inside(Person)));
    assert_eq!(tags::name(inside(Location)), "I-LOC");
}

#[test]
fn weights_survive_their_file_and_a_damaged_file_is_named() {
    let mut weights = Weights::default();
    weights.start[1] = 0.5;
    weights.transitions[1][2] = 2.25;
    weights.rows.insert(42, [1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 3.5]);
    let bytes = weights.to_bytes();
    let path = Path::new("weights.bin");
    let read = Weights::from_bytes(&bytes, path).expect("its own file");
    assert_eq!(read.to_bytes(), bytes);
    assert_eq!(read.emissions(&[42, 7]), [1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 3.5]);
    let error = Weights::from_bytes(&bytes[..bytes.len() - 1], path).expect_err("one byte short");
    assert!(error.to_string().contains("weights.bin"), "{error}");
}

#[test]
fn dictionary_forms_are_compiled_and_a_bad_line_is_refused() {
    let names = Names::parse("києві\tNCn\nандрій\tNn\nкиєві\tv\n").expect("three lines");
    let noun = 1 << names::POS_SHIFT;
    let verb = 1 << (names::POS_SHIFT + 2);
    assert_eq!(names.classes("андрій"), names::FIRST_NAME | noun);
    assert_eq!(names.classes("києві"), names::FIRST_NAME | names::ORDINARY | noun | verb, "repeated forms add up");
    assert_eq!(names.classes("стіл"), 0);
    let reread = Names::from_bytes(names.as_bytes().to_vec()).expect("its own bytes");
    assert_eq!(reread.classes("андрій"), names.classes("андрій"));
    assert!(Names::parse("андрій N").expect_err("no tab").contains("line 1"));
    assert!(Names::parse("андрій\tZ").expect_err("no such class").contains("'Z'"));
}

fn model() -> Model {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/models").join(MODEL_FOLDER);
    assert!(
        dir.join(WEIGHTS_FILE).is_file(),
        "the Ukrainian NER model is not at {}: run `cargo xtask setup`",
        dir.display()
    );
    Model::load(&dir).unwrap_or_else(|error| panic!("{error}"))
}

/// Checks the names found in `text` (kind code and text, in order); offsets must give back each name's text.
fn check(model: &Model, text: &str, expected: &[(&str, &str)]) {
    let entities = model.entities(text);
    for entity in &entities {
        let slice: String = text.chars().skip(entity.start).take(entity.end - entity.start).collect();
        assert_eq!(slice, entity.text, "offsets of {entity:?}");
    }
    let found: Vec<(&str, &str)> = entities.iter().map(|e| (e.kind.code(), e.text.as_str())).collect();
    assert_eq!(found, expected, "{text:?}");
}

#[test]
fn the_model_finds_people_places_and_bodies() {
    let model = model();
    check(
        &model,
        "У понеділок Марія Ковальчук поїхала з Полтави до Львова.",
        &[("PER", "Марія Ковальчук"), ("LOC", "Полтави"), ("LOC", "Львова")],
    );
    check(
        &model,
        "Про це повідомив Тарас Мельник, речник Міністерства охорони здоров'я України.",
        &[("PER", "Тарас Мельник"), ("ORG", "Міністерства охорони здоров'я України")],
    );
    check(&model, "", &[]);
}

#[test]
fn the_model_is_named_by_its_weights() {
    let model = model();
    assert!(model.name().starts_with(&format!("tagger-{}-", features::FEATURES_VERSION)), "{}", model.name());
    assert!(model.names().len() > 100_000, "{} name forms", model.names().len());
}

#[test]
fn the_model_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Model>();
}

#[test]
fn the_context_remembers_how_the_text_writes_a_word() {
    let mut context = Context::default();
    context.add(&["Вчора", "Дніпро", "вийшов", "з", "берегів"]);
    context.add(&["Береги", "Дніпра", "мілкі"]);
    assert_eq!(context.flags("вчора"), 0, "a sentence's first word says nothing");
    assert_eq!(context.flags("дніпро"), features::SEEN_CAPITALISED);
    assert_eq!(context.flags("береги"), 0);
    assert_eq!(context.flags("берегів"), features::SEEN_LOWER);
}

#[test]
fn a_text_longer_than_one_context_is_tagged_whole() {
    let model = model();
    let sentence = "У понеділок Марія Ковальчук поїхала з Полтави до Львова. ";
    let one = model.entities(sentence).len();
    let repeats = CONTEXT_BYTES * 3 / 2 / sentence.len() + 1;
    let text = sentence.repeat(repeats);
    let entities = model.entities(&text);
    assert_eq!(entities.len(), one * repeats);
    let last = entities.last().expect("names");
    let chars = text.chars().count();
    assert_eq!((last.text.as_str(), last.end), ("Львова", chars - 2));
}
