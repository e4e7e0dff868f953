//! Where the third-party corpus keeps the true text of a file, and which files are ground truth rather than input.

use std::path::{Path, PathBuf};

/// The renderings of each cyrillic text (`NAME.VARIANT`, true text in `NAME.expected.txt`), in report order;
/// `eml-attachment` is the `.docx` attached to `NAME.eml`.
pub const CYRILLIC_VARIANTS: &[&str] = &[
    ".utf8.txt",
    ".cp1251.txt",
    ".koi8r.txt",
    ".utf16.txt",
    ".cp1251.html",
    ".docx",
    ".odt",
    ".rtf",
    ".doc",
    ".pdf",
    ".eml",
    "eml-attachment",
    ".scan.pdf",
];

/// The file holding the true text of `path`, when the corpus has one: `NAME.expected.txt` for a cyrillic rendering
/// `NAME.VARIANT`, `X.pdf.txt` for a pdfbox `X.pdf`. (extractous's `expected_result/` is Tika's own output, not
/// ground truth, and is not used.)
pub fn truth_file(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let in_folder = |folder: &str| path.components().any(|part| part.as_os_str() == folder);
    if in_folder("cyrillic") {
        // Longest suffix first: `.scan.pdf` before `.pdf`.
        let mut variants: Vec<&str> = CYRILLIC_VARIANTS.iter().copied().filter(|v| v.starts_with('.')).collect();
        variants.sort_by_key(|variant| std::cmp::Reverse(variant.len()));
        let base = variants.iter().find_map(|variant| name.strip_suffix(variant))?;
        let truth = path.with_file_name(format!("{base}.expected.txt"));
        return truth.is_file().then_some(truth);
    }
    if in_folder("pdfbox") && name.ends_with(".pdf") {
        let truth = path.with_file_name(format!("{name}.txt"));
        return truth.is_file().then_some(truth);
    }
    None
}

/// Whether `path` is a ground-truth or expected-output file of the corpus rather than a file to read.
pub fn is_truth_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".expected.txt")
        || name.ends_with(".pdf.txt")
        || name.ends_with(".pdf-sorted.txt")
        || path.components().any(|part| part.as_os_str() == "expected_result")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truth_files_by_corpus_layout() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cyrillic = dir.path().join("cyrillic");
        let pdfbox = dir.path().join("pdfbox");
        std::fs::create_dir_all(&cyrillic).expect("dir");
        std::fs::create_dir_all(&pdfbox).expect("dir");
        std::fs::write(cyrillic.join("ru-1.expected.txt"), "truth").expect("write");
        std::fs::write(pdfbox.join("a.pdf.txt"), "truth").expect("write");
        assert_eq!(truth_file(&cyrillic.join("ru-1.scan.pdf")), Some(cyrillic.join("ru-1.expected.txt")));
        assert_eq!(truth_file(&cyrillic.join("ru-1.cp1251.html")), Some(cyrillic.join("ru-1.expected.txt")));
        assert_eq!(truth_file(&cyrillic.join("ru-2.docx")), None, "no truth on disk");
        assert_eq!(truth_file(&pdfbox.join("a.pdf")), Some(pdfbox.join("a.pdf.txt")));
        assert_eq!(truth_file(&dir.path().join("other/a.pdf")), None);
        assert!(is_truth_file(&cyrillic.join("ru-1.expected.txt")));
        assert!(is_truth_file(Path::new("x/expected_result/simple.doc.txt")));
        assert!(!is_truth_file(&cyrillic.join("ru-1.utf8.txt")));
    }
}
