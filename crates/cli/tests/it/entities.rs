//! Names and identifiers end to end: found as files are read, stored, listed, searched, exported, and analysed again
//! from the stored texts by `dossier reanalyse`.

use serde_json::Value;

use crate::util::{Env, write_demo};

const LETTER: &str = "МИНИСТЕРСТВО ОБОРОНЫ\n\
    Исх. № 14-07/2298 от 12.03.2023\n\
    Заместитель министра И. П. Соколов-Ветров поручил администрации Тверской области представить сведения.\n\
    Исполнитель: Перепёлкина Л. С., тел. +7 (495) 123-45-67, ИНН 7707083893.\n\
    Контрагент ООО «Ромашка», ИНН 7707083894.\n";

fn letter_env(extra: &[&str]) -> Env {
    let env = Env::new();
    let input = env.input("letters");
    std::fs::write(input.join("letter.txt"), LETTER).expect("write");
    std::fs::write(input.join("copy.txt"), LETTER.replace("12.03.2023", "13.03.2023")).expect("write");
    let mut args = vec!["--no-ocr"];
    args.extend(extra);
    env.ingest(&input, "letters", &args);
    env
}

fn find<'a>(entities: &'a Value, kind: &str, name_part: &str) -> Option<&'a Value> {
    entities
        .as_array()
        .expect("a list")
        .iter()
        .find(|e| e["kind"] == kind && e["name"].as_str().is_some_and(|n| n.contains(name_part)))
}

#[test]
fn extract_json_gives_each_texts_entities_with_char_offsets_into_it() {
    let env = Env::new();
    let input = env.input("one");
    let file = input.join("letter.txt");
    std::fs::write(&file, LETTER).expect("write");
    let node = env.run_json(&["extract", file.to_str().expect("UTF-8"), "--json"]);
    let text = node["text"].as_str().expect("text");
    let entities = node["entities"].as_array().expect("entities");
    assert!(node["analyser"].as_str().expect("analyser").contains("ner-ru/natasha-1.6.0"), "{node}");
    for entity in entities {
        let (start, end) = (entity["start"].as_u64().expect("start"), entity["end"].as_u64().expect("end"));
        let slice: String = text.chars().skip(start as usize).take((end - start) as usize).collect();
        assert_eq!(slice, entity["text"].as_str().expect("text"), "{entity}");
        for key in ["kind", "text", "start", "end", "value"] {
            assert!(entity.get(key).is_some(), "an entity lacks {key}: {entity}");
        }
    }
    let inns: Vec<(&str, &str)> = entities
        .iter()
        .filter(|e| e["kind"] == "inn")
        .map(|e| (e["value"].as_str().expect("value"), e["checksum"].as_str().expect("checksum")))
        .collect();
    assert_eq!(inns, [("7707083893", "valid"), ("7707083894", "invalid")]);
    assert!(entities.iter().any(|e| e["kind"] == "person" && e["text"] == "И. П. Соколов-Ветров"), "{node}");
    assert!(entities.iter().any(|e| e["kind"] == "phone" && e["value"] == "+74951234567"), "{node}");

    let bare = env.run_json(&["extract", file.to_str().expect("UTF-8"), "--json", "--no-entities"]);
    assert!(bare.get("entities").is_none(), "--no-entities leaves them out: {bare}");
}

#[test]
fn a_collections_entities_are_listed_linked_across_documents_searched_and_exported() {
    let env = letter_env(&[]);
    let entities = env.run_json(&["entities", "-c", "letters", "--json"]);
    let inn = find(&entities, "inn", "7707083893").expect("the valid INN");
    assert_eq!((inn["mentions"].as_u64(), inn["documents"].as_u64()), (Some(2), Some(2)), "{inn}");
    let bad = find(&entities, "inn", "7707083894").expect("the invalid INN");
    assert_eq!(bad["checksum"], "invalid");
    let person = find(&entities, "person", "Соколов-Ветров").expect("the deputy minister");
    assert_eq!(person["documents"].as_u64(), Some(2), "{person}");
    let number = find(&entities, "document_number", "14-07/2298").expect("the letter's number");

    // Co-occurrence: both documents name both.
    let both = format!("inn:{}", inn["id"].as_str().expect("id"));
    let other = format!("document_number:{}", number["id"].as_str().expect("id"));
    let docs = env.run_json(&["entities", "-c", "letters", "--both", &both, &other, "--json"]);
    assert_eq!(docs.as_array().expect("documents").len(), 2, "{docs}");

    // The search fields.
    for (query, n) in
        [("inn:7707083893", 2), ("inn:7707083895", 0), ("phone:74951234567", 2), ("loc:тверская", 2), ("loc:москва", 0)]
    {
        let results = env.run_json(&["search", query, "--json"]);
        assert_eq!(results["total"].as_u64(), Some(n), "{query}: {results}");
    }
    let people = env.run_json(&["search", "person:Соколов-Ветров", "--json"]);
    assert_eq!(people["total"].as_u64(), Some(2), "{people}");

    // CSV with a header and FollowTheMoney lines that name their schema.
    let csv = env.run(&["entities", "-c", "letters", "--csv"]);
    assert!(csv.starts_with("kind,id,name,mentions,documents,checksum,forms\r\n"), "{csv}");
    assert!(
        csv.lines().any(|row| row.starts_with("inn,") && row.ends_with(",7707083894,2,2,invalid,7707083894")),
        "{csv}"
    );
    let ftm = env.run(&["entities", "-c", "letters", "--ftm"]);
    let lines: Vec<Value> = ftm.lines().map(|line| serde_json::from_str(line).expect("a JSON line")).collect();
    for schema in ["Person", "Organization", "Address", "Document", "Mention"] {
        assert!(lines.iter().any(|e| e["schema"] == schema), "no {schema} in {ftm}");
    }
    let mention = lines.iter().find(|e| e["schema"] == "Mention").expect("a mention");
    assert!(mention["properties"]["document"][0].as_str().expect("document").starts_with("dossier-document-"));
}

#[test]
fn reanalyse_analyses_what_was_ingested_without_entities_from_the_stored_texts() {
    let env = letter_env(&["--no-entities"]);
    let other = env.input("other");
    std::fs::write(other.join("note.txt"), "ИНН 7707083893").expect("write");
    env.ingest(&other, "other", &["--no-ocr", "--no-entities"]);
    assert_eq!(env.run_json(&["entities", "-c", "letters", "--json"]), serde_json::json!([]));
    assert_eq!(env.run_json(&["search", "inn:7707083893", "--json"])["total"].as_u64(), Some(0));
    let summary = env.run_json(&["reanalyse", "-c", "letters", "--json"]);
    assert_eq!(summary["documents_analysed"].as_u64(), Some(2), "only the collection asked for: {summary}");
    let rest = env.run_json(&["reanalyse", "--json"]);
    assert_eq!(rest["documents_analysed"].as_u64(), Some(1), "then the other one: {rest}");
    assert!(summary["version"].as_str().expect("version").contains("natasha"), "{summary}");
    assert_eq!(env.run_json(&["search", "inn:7707083893", "--json"])["total"].as_u64(), Some(3));
    // The same version again: nothing is due.
    let again = env.run_json(&["reanalyse", "--json"]);
    assert_eq!(again["documents_analysed"].as_u64(), Some(0), "{again}");
    let entities = env.run_json(&["entities", "-c", "letters", "--json"]);
    assert!(find(&entities, "inn", "7707083893").is_some(), "{entities}");
}

#[test]
fn the_demo_collections_people_bodies_identifiers_and_numbers_are_found() {
    let env = Env::new();
    let input = env.input("leak");
    write_demo(&input);
    env.ingest(&input, "demo", &["--no-ocr"]);
    let entities = env.run_json(&["entities", "-c", "demo", "--json"]);
    for (kind, part) in [
        ("person", "Соколов-Ветров"),
        ("person", "Перепёлкин"),
        ("organization", "Мостострой-Север"),
        ("organization", "Министерство дорожного хозяйства"),
        ("location", "Северо-Озёрск"),
        ("inn", "0001004329"),
        ("ogrn", "1050001000114"),
        ("document_number", "14-07/2298"),
        ("amount", "48750000 RUB"),
    ] {
        assert!(find(&entities, kind, part).is_some(), "no {kind} {part}");
    }
    // The deputy minister signs as `И. П. Соколов-Ветров` and is written to as `Игорь Соколов-Ветров`: one person.
    let minister: Vec<&Value> = entities
        .as_array()
        .expect("a list")
        .iter()
        .filter(|e| e["kind"] == "person" && e["name"].as_str().is_some_and(|n| n.contains("Соколов-Ветров")))
        .collect();
    assert_eq!(minister.len(), 1, "{minister:#?}");
    let forms = minister[0]["members"].to_string();
    assert!(forms.contains("И. П.") && forms.contains("Игорь"), "{forms}");
}

#[test]
fn without_the_name_model_identifiers_are_still_found_and_the_run_says_what_was_not_looked_for() {
    let env = Env::new();
    let input = env.input("letters");
    std::fs::write(input.join("letter.txt"), LETTER).expect("write");
    let missing_models = env.dir.path().join("no-models");
    let output = env
        .command()
        .env("DOSSIER_MODELS", &missing_models)
        .args(["ingest", input.to_str().expect("UTF-8"), "-c", "letters", "--json", "--no-ocr"])
        .output()
        .expect("dossier runs");
    crate::util::assert_success(&output, &["ingest"]);
    let summary: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let not_looked_for = summary["not_looked_for"].to_string();
    assert!(not_looked_for.contains("Russian names") && not_looked_for.contains("no-models"), "{summary}");
    let entities = env.run_json(&["entities", "-c", "letters", "--json"]);
    assert!(find(&entities, "inn", "7707083893").is_some(), "{entities}");
    assert!(entities.as_array().expect("a list").iter().all(|e| e["kind"] != "person"), "{entities}");
    // With the model back, reanalyse finds what was not looked for.
    let summary = env.run_json(&["reanalyse", "--json"]);
    assert_eq!(summary["documents_analysed"].as_u64(), Some(1), "{summary}");
    let entities = env.run_json(&["entities", "-c", "letters", "--json"]);
    assert!(find(&entities, "person", "Соколов-Ветров").is_some(), "{entities}");
}

/// Regression: `cargo xtask demo` over a data folder where an older dossier had built the demo showed no entities,
/// since its finished documents were not read again.
#[test]
fn the_demo_over_a_folder_built_without_entities_finds_them() {
    let env = Env::new();
    env.run(&["demo", "--no-serve", "--no-ocr", "--no-entities"]);
    assert_eq!(env.run_json(&["entities", "-c", "demo", "--json"]), serde_json::json!([]));
    let out = env.run(&["demo", "--no-serve", "--no-ocr"]);
    assert!(out.contains("documents analysed again with entities/"), "{out}");
    let entities = env.run_json(&["entities", "-c", "demo", "--kind", "inn", "--json"]);
    assert!(find(&entities, "inn", "0001004329").is_some(), "{entities}");
}
