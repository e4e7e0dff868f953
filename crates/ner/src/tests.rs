//! Tests of the streaming that need the real model (installed by `cargo xtask setup`) and real text.

use std::path::PathBuf;

use super::{BLOCK, Model};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn model() -> Model {
    let dir = workspace().join("target/models").join(crate::MODEL_FOLDER);
    assert!(dir.is_dir(), "the NER model is not installed at {}: run `cargo xtask setup`", dir.display());
    Model::load(&dir).unwrap_or_else(|error| panic!("{error}"))
}

/// A long real text: collection5's first texts one after another.
fn long_text() -> String {
    let dir = workspace().join("../shared/corpus/ner/collection5/collection5");
    assert!(dir.is_dir(), "the NER corpora are not at {}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("collection5")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    let mut text = String::new();
    for path in files.iter().take(15) {
        text.push_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
        text.push('\n');
    }
    text
}

#[test]
fn windows_give_the_entities_of_the_whole_text() {
    // natasha runs the network over the whole text at once; blocks with three tokens of context each side must give
    // exactly the same scores, so the same entities, however small the blocks.
    let model = model();
    let text = long_text();
    let whole = model.entities_in_blocks(&text, usize::MAX / 2);
    assert!(whole.len() > 200, "{} entities", whole.len());
    for block in [1, 7, BLOCK] {
        assert_eq!(model.entities_in_blocks(&text, block), whole, "blocks of {block} tokens");
    }
}

#[test]
fn the_model_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Model>();
}
