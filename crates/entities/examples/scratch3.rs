fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("dir"));
    let model = dossier_ner::Model::load(
        &std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/models/ner-ru"),
    )
    .expect("model");
    let mut seen = std::collections::BTreeSet::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    for path in names.iter() {
        let text = std::fs::read_to_string(path).expect("text");
        for entity in model.entities(&text) {
            if entity.kind != dossier_ner::Kind::Person {
                continue;
            }
            let (value, key) = dossier_entities::name_forms("person", &entity.text, Some(dossier_lang::Lang::Russian));
            if seen.insert(entity.text.clone()) {
                println!("{:40} => {:40} | {key}", entity.text, value);
            }
        }
    }
}
