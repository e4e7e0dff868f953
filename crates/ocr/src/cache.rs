//! The on-disk cache of recognised text: `<cache_dir>/<ab>/<key>.txt`, written atomically.
//!
//! The key covers everything that changes Tesseract's answer (image bytes, languages, engine options), so a cached
//! text is never served for a different question. Writes go to a temporary file in the same folder and are renamed
//! into place, so a crash or a concurrent worker never leaves a half-written entry that would be read later.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The BLAKE3 hash of a file's bytes, streamed (scans can be large).
pub(crate) fn hash_file(path: &Path) -> io::Result<blake3::Hash> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = blake3::Hasher::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hasher.finalize())
}

/// The cache key: a hex BLAKE3 hash of the image hash, the languages and the engine options.
pub(crate) fn key(image_hash: &blake3::Hash, languages: &str, engine_options: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(image_hash.as_bytes());
    hasher.update(b"\0");
    hasher.update(languages.as_bytes());
    hasher.update(b"\0");
    hasher.update(engine_options.as_bytes());
    hasher.finalize().to_hex().to_string()
}

fn entry_path(dir: &Path, key: &str) -> PathBuf {
    dir.join(&key[..2]).join(format!("{key}.txt"))
}

/// The cached text for `key`, if there is a readable, valid UTF-8 entry.
pub(crate) fn load(dir: &Path, key: &str) -> Option<String> {
    std::fs::read_to_string(entry_path(dir, key)).ok()
}

pub(crate) fn store(dir: &Path, key: &str, text: &str) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let path = entry_path(dir, key);
    let folder = path.parent().expect("an entry path always has a folder");
    std::fs::create_dir_all(folder)?;
    let temporary =
        folder.join(format!(".{key}.{}.{}.tmp", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temporary, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_languages_and_options() {
        let hash = blake3::hash(b"image");
        let base = key(&hash, "rus+eng", "psm=3");
        assert_ne!(base, key(&hash, "eng", "psm=3"));
        assert_ne!(base, key(&hash, "rus+eng", "psm=3 dpi=300"));
        assert_ne!(base, key(&blake3::hash(b"other"), "rus+eng", "psm=3"));
        assert_eq!(base.len(), 64);
    }

    #[test]
    fn stores_and_loads_under_a_two_letter_folder() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let key = key(&blake3::hash(b"image"), "eng", "psm=3");
        assert_eq!(load(dir.path(), &key), None);
        store(dir.path(), &key, "Привет\u{c}world").expect("store");
        assert_eq!(load(dir.path(), &key).as_deref(), Some("Привет\u{c}world"));
        assert!(dir.path().join(&key[..2]).join(format!("{key}.txt")).is_file());
        let leftovers = std::fs::read_dir(dir.path().join(&key[..2])).expect("folder").count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }
}
