//! Integration tests of dossier-ner: one binary, a module per feature. The model tests need the model that
//! `cargo xtask setup` installs in target/models/ner-ru and the real corpora in ../shared/corpus/ner; both are there
//! on every development machine and in CI, so a missing one fails with a message saying so rather than skipping.

mod accuracy;
mod alloc_meter;
mod load;
mod memory;
mod names;

// The corpus readers of the comparison program, so that the tests score exactly as it reports.
#[path = "../../examples/compare/gold.rs"]
#[allow(dead_code)]
mod gold;

use std::path::PathBuf;
use std::sync::OnceLock;

use dossier_ner::Model;

#[global_allocator]
static ALLOCATOR: alloc_meter::Meter = alloc_meter::Meter;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The installed model folder: `$DOSSIER_MODELS/ner-ru`, else the workspace's target/models/ner-ru.
fn model_dir() -> PathBuf {
    let dir = std::env::var_os(dossier_ner::MODELS_ENV)
        .map(|models| PathBuf::from(models).join(dossier_ner::MODEL_FOLDER))
        .unwrap_or_else(|| workspace().join("target/models").join(dossier_ner::MODEL_FOLDER));
    assert!(
        dir.is_dir(),
        "the NER model is not installed at {}: run `cargo xtask setup` (it unpacks natasha's wheel from PyPI)",
        dir.display()
    );
    dir
}

/// The model, loaded once for all tests.
fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| Model::load(&model_dir()).unwrap_or_else(|error| panic!("{error}")))
}

/// ../shared/corpus/ner, the real Russian NER corpora (read in place, never copied into the repository).
fn corpus() -> PathBuf {
    let dir = workspace().join("../shared/corpus/ner");
    assert!(dir.is_dir(), "the NER corpora are not at {}: the tests read real texts from there", dir.display());
    dir
}
