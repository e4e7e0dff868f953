//! Loading: a missing or corrupt model is an error naming the file, never a panic or a model that misreads.

use std::path::Path;

use dossier_ner::{Model, NerError};

/// A copy of the installed model to damage.
fn copy_model() -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&crate::model_dir(), copy.path());
    copy
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("the model folder") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            std::fs::create_dir(&target).expect("a folder");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}

fn load_error(dir: &Path) -> NerError {
    match Model::load(dir) {
        Ok(_) => panic!("a damaged model loaded"),
        Err(error) => error,
    }
}

#[test]
fn a_missing_model_folder_is_named() {
    let error = load_error(Path::new("/nonexistent/models/ner-ru"));
    assert!(matches!(error, NerError::NotFound { .. }), "{error:?}");
    assert!(error.to_string().contains("/nonexistent/models/ner-ru"), "{error}");
    assert!(error.to_string().contains("cargo xtask setup"), "{error}");
}

#[test]
fn a_missing_file_is_named() {
    let model = copy_model();
    std::fs::remove_file(model.path().join("navec/pq.bin")).expect("remove");
    let error = load_error(model.path());
    assert!(matches!(error, NerError::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("navec/pq.bin"), "{error}");
}

#[test]
fn a_truncated_weight_array_is_refused_naming_its_file() {
    let model = copy_model();
    let array = model.path().join("slovnet/arrays/1.bin");
    let bytes = std::fs::read(&array).expect("read");
    std::fs::write(&array, &bytes[..bytes.len() - 4]).expect("write");
    let error = load_error(model.path());
    assert!(matches!(error, NerError::Corrupt { .. }), "{error:?}");
    assert!(error.to_string().contains("arrays/1.bin"), "{error}");
}

#[test]
fn a_truncated_vector_file_is_refused() {
    let model = copy_model();
    let pq = model.path().join("navec/pq.bin");
    let bytes = std::fs::read(&pq).expect("read");
    std::fs::write(&pq, &bytes[..bytes.len() / 2]).expect("write");
    let error = load_error(model.path());
    assert!(error.to_string().contains("pq.bin"), "{error}");
}

#[test]
fn vectors_of_another_embedding_are_refused() {
    let model = copy_model();
    let meta = model.path().join("navec/meta.json");
    std::fs::write(&meta, r#"{"id": "news_v2_other", "protocol": 1}"#).expect("write");
    let error = load_error(model.path());
    assert!(error.to_string().contains("news_v2_other"), "{error}");
}

#[test]
fn a_vocabulary_that_is_not_gzip_is_refused() {
    let model = copy_model();
    std::fs::write(model.path().join("navec/vocab.bin"), b"not gzip").expect("write");
    let error = load_error(model.path());
    assert!(error.to_string().contains("vocab.bin"), "{error}");
}

#[test]
fn a_shape_vocabulary_without_a_needed_shape_is_refused() {
    let model = copy_model();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, b"<pad>\nRU_X").expect("compress");
    std::fs::write(model.path().join("slovnet/vocabs/shape.gz"), encoder.finish().expect("compress")).expect("write");
    let error = load_error(model.path());
    assert!(error.to_string().contains("shape.gz"), "{error}");
}
