//! Tests with the real models (installed by `cargo xtask setup`).

use std::path::PathBuf;

use super::*;

fn analyser() -> Analyser {
    let models = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/models");
    let analyser = Analyser::load(Some(&models));
    assert!(analyser.missing().is_empty(), "models missing: {:?}; run `cargo xtask setup`", analyser.missing());
    analyser
}

fn found(mentions: &[Mention], kind: &str) -> Vec<String> {
    mentions.iter().filter(|m| m.kind == kind).map(|m| m.text.clone()).collect()
}

#[test]
fn a_letter_gives_its_people_bodies_places_and_identifiers_with_offsets() {
    let text = "Исх. № 14-07/2298 от 12 марта 2023 г.\n\
                Заместитель министра обороны Российской Федерации И. П. Соколов-Ветров поручил \
                администрации Тверской области представить сведения. ИНН 7707083893, тел. +7 (495) 123-45-67.\n";
    let mentions = analyser().analyse(text);
    assert!(found(&mentions, PERSON).contains(&"И. П. Соколов-Ветров".to_string()), "{mentions:#?}");
    assert!(found(&mentions, LOCATION).iter().any(|l| l.contains("Тверской")), "{mentions:#?}");
    let number = mentions.iter().find(|m| m.kind == "document_number").expect("the letter's number");
    assert_eq!((number.value.as_str(), number.label.as_deref()), ("14-07/2298", Some("Исх.")));
    let inn = mentions.iter().find(|m| m.kind == "inn").expect("the INN");
    assert_eq!((inn.value.as_str(), inn.checksum.as_deref()), ("7707083893", Some("valid")));
    let phone = mentions.iter().find(|m| m.kind == "phone").expect("the phone");
    assert_eq!(phone.value, "+74951234567");
    for mention in &mentions {
        let slice: String = text.chars().skip(mention.start).take(mention.end - mention.start).collect();
        assert_eq!(slice, mention.text, "offsets of {mention:?}");
    }
    assert!(mentions.windows(2).all(|pair| (pair[0].start, pair[0].end) <= (pair[1].start, pair[1].end)));
}

#[test]
fn figures_are_not_entities() {
    let mentions = Analyser::patterns_only().analyse("Набрано 41 человек, 12,5% от плана, 5 млн.");
    assert_eq!(mentions, [], "counts, percentages and bare numbers belong to figures");
}

#[test]
fn the_version_names_the_models_loaded_and_those_missing() {
    assert!(analyser().version().contains("ner-ru/natasha-1.6.0"));
    let bare = Analyser::load(Some(std::path::Path::new("/nonexistent-models")));
    assert!(bare.version().contains("ner-ru/none"), "{}", bare.version());
    assert!(bare.missing()[0].contains("/nonexistent-models/ner-ru"), "{:?}", bare.missing());
    assert!(!bare.analyse("ИНН 7707083893").is_empty(), "patterns run without the models");
}

#[test]
fn inflected_forms_of_a_body_share_a_key() {
    let ru = Some(dossier_lang::Lang::Russian);
    assert_eq!(name_key(ORGANIZATION, "Министерства обороны", ru), name_key(ORGANIZATION, "Министерство обороны", ru));
}

#[test]
fn an_analysis_past_its_deadline_says_where_it_stopped() {
    let text = "ИНН 7707083893.\n".repeat(40_000);
    let done = Analyser::patterns_only().analysis_until(&text, Some(std::time::Instant::now()));
    assert!(done.mentions.is_empty());
    assert!(done.missing.iter().any(|m| m.contains("after character 0 of 640000")), "{:?}", done.missing);
    let whole = Analyser::patterns_only().analysis_until(&text, None);
    assert_eq!(whole.mentions.len(), 40_000, "every run is read when there is time");
    assert!(whole.mentions.windows(2).all(|pair| pair[0].start < pair[1].start));
    assert_eq!((whole.mentions[39_999].start, whole.mentions[39_999].text.as_str()), (39_999 * 16 + 4, "7707083893"));
}

#[test]
fn ukrainian_paragraphs_are_read_by_the_ukrainian_model() {
    let text = "Минулого тижня голова Житомирської обласної ради Олена Гнатюк зустрілася в Коростені з \
                представниками Київського університету. Про це повідомив її заступник Петро Мельничук.\n";
    let analyser = analyser();
    assert!(analyser.version().contains("ner-uk/tagger-"), "{}", analyser.version());
    let mentions = analyser.analyse(text);
    let people = found(&mentions, PERSON);
    assert!(people.contains(&"Олена Гнатюк".to_string()), "{mentions:#?}");
    assert!(people.contains(&"Петро Мельничук".to_string()), "{mentions:#?}");
    assert!(found(&mentions, LOCATION).contains(&"Коростені".to_string()), "{mentions:#?}");
    for mention in mentions.iter().filter(|m| m.lang.is_some()) {
        assert_eq!(mention.lang.as_deref(), Some("uk"), "{mention:?}");
        let slice: String = text.chars().skip(mention.start).take(mention.end - mention.start).collect();
        assert_eq!(slice, mention.text, "offsets of {mention:?}");
    }
}

#[test]
fn without_the_ukrainian_model_ukrainian_names_are_read_by_the_russian_one() {
    let models = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/models");
    let only_russian = tempfile::tempdir().expect("a temporary folder");
    for folder in [dossier_ner::MODEL_FOLDER, dossier_tagger::english::ENGLISH_FOLDER] {
        let installed = models.join(folder).canonicalize().expect("the model is installed");
        std::os::unix::fs::symlink(installed, only_russian.path().join(folder)).expect("symlink");
    }
    let analyser = Analyser::load(Some(only_russian.path()));
    assert_eq!(analyser.missing().len(), 1, "{:?}", analyser.missing());
    assert!(analyser.missing()[0].starts_with("Ukrainian names"), "{:?}", analyser.missing());
    assert!(analyser.version().contains("ner-ru/natasha-1.6.0 ner-uk/none ner-en/rules-"), "{}", analyser.version());
    let mentions = analyser.analyse("Учора до Києва приїхав Тарас Шевченко, відомий поет з Черкащини.\n");
    assert!(found(&mentions, PERSON).contains(&"Тарас Шевченко".to_string()), "{mentions:#?}");
}

#[test]
fn english_paragraphs_are_read_by_the_english_rules() {
    let text = "Наш лист від 12.03.2023 лежить у папці.\n\
                Dear Mr Whitfield, the transfer from Harlow Shipping Ltd reached the Bank of Cyprus in Limassol \
                on Friday, as Anna Kowalczyk confirmed.\n";
    let mentions = analyser().analyse(text);
    assert_eq!(found(&mentions, PERSON), ["Whitfield", "Anna Kowalczyk"], "{mentions:#?}");
    assert_eq!(found(&mentions, ORGANIZATION), ["Harlow Shipping Ltd", "Bank of Cyprus"], "{mentions:#?}");
    assert_eq!(found(&mentions, LOCATION), ["Limassol"], "{mentions:#?}");
    for mention in mentions.iter().filter(|m| m.lang.is_some()) {
        assert_eq!(mention.lang.as_deref(), Some("en"), "{mention:?}");
        let slice: String = text.chars().skip(mention.start).take(mention.end - mention.start).collect();
        assert_eq!(slice, mention.text, "offsets of {mention:?}");
    }
}
