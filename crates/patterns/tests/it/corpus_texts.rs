//! The real texts of the shared corpus (`../shared/corpus` beside the repository, or `DOSSIER_CORPUS`): every `.txt`
//! under `ner/` and every `.txt` member of the zips under `text/`. Read in place, never copied. Shared by the corpus
//! test and the `patterns_measure` example.

use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The corpus folder, if it is there.
pub fn corpus_root() -> Option<PathBuf> {
    let root = std::env::var_os("DOSSIER_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    root.is_dir().then_some(root)
}

fn files_under(folder: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, extension, out);
        } else if path.extension().is_some_and(|found| found == extension) {
            out.push(path);
        }
    }
}

/// (name, text) of every real text, in a stable order.
pub fn corpus_texts(root: &Path) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    let mut plain = Vec::new();
    files_under(&root.join("ner"), "txt", &mut plain);
    plain.sort();
    for path in plain {
        let bytes = std::fs::read(&path).expect("corpus file is readable");
        texts.push((path.display().to_string(), String::from_utf8_lossy(&bytes).into_owned()));
    }
    let mut zips = Vec::new();
    files_under(&root.join("text"), "zip", &mut zips);
    zips.sort();
    for path in zips {
        let file = std::fs::File::open(&path).expect("corpus zip is readable");
        let mut archive = zip::ZipArchive::new(file).expect("corpus zip opens");
        for index in 0..archive.len() {
            let mut member = archive.by_index(index).expect("zip member");
            if !member.name().ends_with(".txt") {
                continue;
            }
            let name = format!("{}:{}", path.display(), member.name());
            let mut bytes = Vec::new();
            member.read_to_end(&mut bytes).expect("zip member reads");
            texts.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    texts
}
