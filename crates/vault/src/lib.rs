//! A content-addressed store of original files.
//!
//! Layout: `<root>/blobs/<first two hex digits>/<next two>/<blake3 hex>`, plus `<root>/tmp/` for blobs being written.
//! Invariant: a file under `blobs/` is complete and its content hashes to its name; nothing ever modifies it.

mod error;

pub use error::VaultError;

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::Digest;

/// What the vault knows about one stored blob.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Blob {
    /// BLAKE3 of the content, lower-case hex: the blob's identity.
    pub blake3: String,
    /// SHA-256 of the content, lower-case hex: for exchange with other tools.
    pub sha256: String,
    pub size: u64,
}

/// The result of storing content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub blob: Blob,
    /// False when the vault already held this content (the new copy was discarded).
    pub newly_stored: bool,
}

/// What `verify` found wrong with one blob.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum Problem {
    Missing {
        blake3: String,
    },
    /// The content no longer hashes to its name (or its recorded SHA-256 or size differ).
    Mismatch {
        blake3: String,
        found_blake3: String,
        found_sha256: String,
        found_size: u64,
    },
    Unreadable {
        blake3: String,
        error: String,
    },
}

#[derive(Debug)]
pub struct Vault {
    root: PathBuf,
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Vault {
    /// Opens the vault at `root`, creating its folders if needed.
    pub fn open(root: &Path) -> Result<Vault, VaultError> {
        for dir in [root.join("blobs"), root.join("tmp")] {
            fs::create_dir_all(&dir).map_err(|source| VaultError::Io { path: dir.clone(), source })?;
        }
        Ok(Vault { root: root.to_path_buf() })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the blob with this BLAKE3 hash lives (whether or not it exists).
    pub fn path_of(&self, blake3: &str) -> PathBuf {
        let (a, b) = (&blake3[..2.min(blake3.len())], &blake3[2.min(blake3.len())..4.min(blake3.len())]);
        self.root.join("blobs").join(a).join(b).join(blake3)
    }

    pub fn contains(&self, blake3: &str) -> bool {
        self.path_of(blake3).is_file()
    }

    /// Stores a copy of the file at `path`, hashing it as it is copied, so the stored bytes are exactly the hashed ones
    /// even if the source changes meanwhile.
    pub fn store_file(&self, path: &Path) -> Result<Stored, VaultError> {
        let mut file = File::open(path).map_err(|source| VaultError::Io { path: path.to_path_buf(), source })?;
        self.store_reader(&mut file).map_err(|err| match err {
            VaultError::Read(source) => VaultError::Io { path: path.to_path_buf(), source },
            other => other,
        })
    }

    /// Stores content read from `reader`.
    pub fn store_reader(&self, reader: &mut dyn Read) -> Result<Stored, VaultError> {
        let tmp_path = self.root.join("tmp").join(format!(
            "{}-{}.part",
            std::process::id(),
            TMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let result = self.write_tmp_and_commit(reader, &tmp_path);
        if result.is_err() {
            let _ = fs::remove_file(&tmp_path);
        }
        result
    }

    fn write_tmp_and_commit(&self, reader: &mut dyn Read, tmp_path: &Path) -> Result<Stored, VaultError> {
        let io_err = |source| VaultError::Io { path: tmp_path.to_path_buf(), source };
        let mut tmp = File::create(tmp_path).map_err(io_err)?;
        let blob = copy_hashing(reader, &mut tmp).map_err(|err| match err {
            CopyError::Read(err) => VaultError::Read(err),
            CopyError::Write(err) => io_err(err),
        })?;
        let final_path = self.path_of(&blob.blake3);
        if final_path.is_file() {
            drop(tmp);
            fs::remove_file(tmp_path).map_err(io_err)?;
            return Ok(Stored { blob, newly_stored: false });
        }
        tmp.sync_all().map_err(io_err)?;
        let mut permissions = tmp.metadata().map_err(io_err)?.permissions();
        permissions.set_readonly(true);
        fs::set_permissions(tmp_path, permissions).map_err(io_err)?;
        drop(tmp);
        let parent = final_path.parent().expect("blob paths have a parent folder");
        fs::create_dir_all(parent).map_err(|source| VaultError::Io { path: parent.to_path_buf(), source })?;
        fs::rename(tmp_path, &final_path).map_err(|source| VaultError::Io { path: final_path.clone(), source })?;
        Ok(Stored { blob, newly_stored: true })
    }

    /// Re-hashes the blob and compares it with what was recorded when it was stored.
    pub fn verify_blob(&self, expected: &Blob) -> Option<Problem> {
        let path = self.path_of(&expected.blake3);
        let mut file = match File::open(&path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Some(Problem::Missing { blake3: expected.blake3.clone() });
            }
            Err(err) => {
                return Some(Problem::Unreadable { blake3: expected.blake3.clone(), error: err.to_string() });
            }
        };
        match hash_reader(&mut file) {
            Ok(found) if &found == expected => None,
            Ok(found) => Some(Problem::Mismatch {
                blake3: expected.blake3.clone(),
                found_blake3: found.blake3,
                found_sha256: found.sha256,
                found_size: found.size,
            }),
            Err(err) => Some(Problem::Unreadable { blake3: expected.blake3.clone(), error: err.to_string() }),
        }
    }

    /// Removes leftovers of writes that a crash interrupted.
    pub fn clean_tmp(&self) -> Result<(), VaultError> {
        let tmp = self.root.join("tmp");
        let entries = fs::read_dir(&tmp).map_err(|source| VaultError::Io { path: tmp.clone(), source })?;
        for entry in entries.flatten() {
            let _ = fs::remove_file(entry.path());
        }
        Ok(())
    }
}

/// Hashes content without storing it.
pub fn hash_reader(reader: &mut dyn Read) -> io::Result<Blob> {
    copy_hashing(reader, &mut io::sink()).map_err(|err| match err {
        CopyError::Read(err) | CopyError::Write(err) => err,
    })
}

enum CopyError {
    Read(io::Error),
    Write(io::Error),
}

/// Copies `reader` to `writer`, computing both hashes of what passed through.
fn copy_hashing(reader: &mut dyn Read, writer: &mut dyn Write) -> Result<Blob, CopyError> {
    let mut blake3 = blake3::Hasher::new();
    let mut sha256 = sha2::Sha256::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(CopyError::Read(err)),
        };
        blake3.update(&buf[..n]);
        sha256.update(&buf[..n]);
        writer.write_all(&buf[..n]).map_err(CopyError::Write)?;
        size += n as u64;
    }
    Ok(Blob { blake3: blake3.finalize().to_hex().to_string(), sha256: hex::encode(sha256.finalize()), size })
}

#[cfg(test)]
mod tests;
