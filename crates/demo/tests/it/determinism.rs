//! The collection is byte-identical on every run, so tests and screenshots downstream can rely on it.

use crate::support::Collection;

#[test]
fn two_runs_write_identical_files() {
    let first = Collection::generate();
    let second = Collection::generate();
    let first_names: Vec<String> = first.paths.iter().map(|path| first.relative(path)).collect();
    let second_names: Vec<String> = second.paths.iter().map(|path| second.relative(path)).collect();
    assert_eq!(first_names, second_names);
    for name in &first_names {
        assert!(first.read(name) == second.read(name), "{name} differs between runs");
    }
}

#[test]
fn writing_again_into_the_same_folder_changes_nothing() {
    let collection = Collection::generate();
    let before: Vec<Vec<u8>> = collection.paths.iter().map(|path| std::fs::read(path).expect("written")).collect();
    let paths_again = dossier_demo::write_demo_collection(collection.dir.path()).expect("second write");
    assert_eq!(paths_again, collection.paths);
    for (path, bytes) in collection.paths.iter().zip(&before) {
        assert!(std::fs::read(path).expect("written") == *bytes, "{} changed", path.display());
    }
}

#[test]
fn collection_stays_small() {
    let collection = Collection::generate();
    let total_bytes: u64 = collection.paths.iter().map(|path| std::fs::metadata(path).expect("written").len()).sum();
    assert!((15..=20).contains(&collection.paths.len()), "{} files", collection.paths.len());
    assert!(total_bytes < 200 * 1024, "{total_bytes} bytes");
    let mut unique = collection.paths.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), collection.paths.len(), "a path is written twice");
}
