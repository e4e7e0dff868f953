//! RAR through Debian's unar: the generated fixtures, the corpus's RAR files, limits and passwords. Every test
//! first checks that `unar`/`lsar` are installed; without them it checks the install hint instead and says so.

use std::path::{Path, PathBuf};

use dossier_document::{Context, ExtractError, Extraction, Limits, MemorySink, Options, Source, golden};

pub(crate) fn unar_installed() -> bool {
    let Some(path) = std::env::var_os("PATH") else { return false };
    ["unar", "lsar"].iter().all(|tool| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/rar").join(name)
}

fn read(path: &Path, limits: &Limits, options: &Options) -> (Result<Extraction, ExtractError>, MemorySink) {
    let mut sink = MemorySink::new(limits, std::fs::metadata(path).map(|m| m.len()).unwrap_or(1));
    let result = {
        let mut ctx = Context { limits, options, sink: &mut sink };
        dossier_archive::read_rar(&Source { path, name: None }, &mut ctx)
    };
    (result, sink)
}

/// Without unar, a RAR is refused with the package to install; returns true when unar is there.
fn unar_or_install_hint() -> bool {
    if unar_installed() {
        return true;
    }
    eprintln!("unar/lsar not installed (apt-get install unar): checking the install hint only");
    let (result, _) = read(&fixture("0001_stored.rar"), &Limits::default(), &Options::default());
    let err = result.expect_err("no unar");
    assert!(err.to_string().contains("apt-get install unar"), "{err}");
    false
}

#[test]
fn rar_fixtures() {
    if unar_or_install_hint() {
        golden::check_dir(&fixture(""), dossier_archive::read_rar);
    }
}

#[test]
fn a_rar_listed_larger_than_the_budget_is_refused_before_extraction() {
    if !unar_or_install_hint() {
        return;
    }
    let limits = Limits { max_unpacked_bytes: 100, ..Limits::default() };
    let (result, sink) = read(&fixture("0001_stored.rar"), &limits, &Options::default());
    assert_eq!(result.expect_err("over budget").summary(), "limit exceeded: total unpacked bytes");
    assert!(sink.children.is_empty());
}

#[test]
fn a_wrong_password_leaves_encrypted_entries_encrypted() {
    if !unar_or_install_hint() {
        return;
    }
    let options = Options { passwords: vec!["wrong".to_string()], ..Options::default() };
    let (result, _) = read(&fixture("0002_all_encrypted.rar"), &Limits::default(), &options);
    let err = result.expect_err("still encrypted");
    assert_eq!(err.to_string(), "encrypted: every RAR entry (1) is encrypted and no password opened them");
}

#[test]
fn corpus_rar_files() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/formats/aleph/tests/fixtures");
    let documents = corpus.join("test-documents.rar");
    if !documents.is_file() {
        eprintln!("corpus not found at {}: corpus RAR files not checked", corpus.display());
        return;
    }
    if !unar_or_install_hint() {
        return;
    }
    let (result, sink) = read(&documents, &Limits::default(), &Options::default());
    let extraction = result.expect("test-documents.rar reads");
    assert!(extraction.diagnostics.is_empty(), "{:?}", extraction.diagnostics);
    let names: Vec<&str> = sink.children.iter().map(|child| child.meta.name.as_str()).collect();
    assert_eq!(names.len(), 9, "{names:?}");
    assert!(names.contains(&"test-documents/testPDF.pdf"), "{names:?}");

    // badrar.rar holds only a symbolic link to an absolute path: listed, never extracted or followed.
    let (result, sink) = read(&corpus.join("badrar.rar"), &Limits::default(), &Options::default());
    let extraction = result.expect("badrar.rar lists");
    assert!(sink.children.is_empty());
    assert!(extraction.text.contains("secret.txt -> /ingestors/tests/fixtures/secret.txt  (symbolic link)"));
}
