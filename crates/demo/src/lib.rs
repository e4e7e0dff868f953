//! dossier's bundled example leak: a small, clearly fictional collection of letters, a spreadsheet, e-mails, an
//! archive and notes that `dossier demo` ingests and shows.
//!
//! Everything is generated in memory from the texts in `story.rs`, one module per kind of file, and is
//! byte-identical on every run: no clock, no randomness, fixed timestamps inside every container. The collection
//! is small (about 15 files, well under 200 KB) and deliberately full of the things real leaks hold: legacy code
//! pages, encoded mail headers, nested archives, hidden sheets, near-duplicates and metadata that contradict text.

mod archive;
mod error;
mod letters;
mod mail;
mod notes;
mod ooxml;
mod spreadsheet;
mod story;
mod timestamp;

use std::path::{Path, PathBuf};

pub use error::DemoError;
pub use story::DISCLAIMER;

/// One file of the collection, before it is written.
pub(crate) struct GeneratedFile {
    /// `/`-separated path inside the collection.
    pub relative_path: String,
    pub bytes: Vec<u8>,
}

/// Writes the demo collection into `dir`, creating sub-folders as needed, and returns the paths written.
///
/// Existing files of the same names are overwritten; nothing else in `dir` is touched.
pub fn write_demo_collection(dir: &Path) -> Result<Vec<PathBuf>, DemoError> {
    let files = generate_collection()?;
    let mut written = Vec::with_capacity(files.len());
    for file in files {
        let path = file.relative_path.split('/').fold(dir.to_path_buf(), |path, component| path.join(component));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| DemoError::Io { path: parent.to_path_buf(), source })?;
        }
        std::fs::write(&path, &file.bytes).map_err(|source| DemoError::Io { path: path.clone(), source })?;
        written.push(path);
    }
    Ok(written)
}

/// Builds every file in memory. Order matters: mails and the archive copy bytes of letters and the report, so the
/// same document reaches the collection several times with identical bytes, as it does in real leaks.
fn generate_collection() -> Result<Vec<GeneratedFile>, DemoError> {
    let mut files = Vec::new();
    for letter in story::STANDALONE_LETTERS {
        files.push(GeneratedFile {
            relative_path: letter.relative_path.to_owned(),
            bytes: letters::render_docx(letter)?,
        });
    }
    files.push(GeneratedFile {
        relative_path: story::WEEKLY_REPORT.relative_path.to_owned(),
        bytes: spreadsheet::render_xlsx(&story::WEEKLY_REPORT)?,
    });
    for mail in story::MAILS {
        let bytes = mail::render_eml(mail, &files)?;
        files.push(GeneratedFile { relative_path: mail.relative_path.to_owned(), bytes });
    }
    let archive_bytes = archive::render_zip(&story::LEAKED_ARCHIVE, &files)?;
    files.push(GeneratedFile { relative_path: story::LEAKED_ARCHIVE.relative_path.to_owned(), bytes: archive_bytes });
    for text_file in story::TEXT_FILES {
        files.push(GeneratedFile {
            relative_path: text_file.relative_path.to_owned(),
            bytes: notes::render_text(text_file)?,
        });
    }
    Ok(files)
}
