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
    /// False when the vault already held this content, verified (the new copy was discarded).
    pub newly_stored: bool,
    /// Set when a blob of this name was there but did not verify: what was found, now replaced by the new copy.
    pub repaired: Option<Problem>,
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
        // A blob of this name is only trusted after it verifies: a damaged one is replaced by the new, verified copy
        // (atomically: the rename below swaps the whole file), and the caller records the repair.
        let repaired = if final_path.is_file() {
            match self.verify_blob(&blob) {
                None => {
                    drop(tmp);
                    fs::remove_file(tmp_path).map_err(io_err)?;
                    return Ok(Stored { blob, newly_stored: false, repaired: None });
                }
                Some(problem) => Some(problem),
            }
        } else {
            None
        };
        tmp.sync_all().map_err(io_err)?;
        let mut permissions = tmp.metadata().map_err(io_err)?.permissions();
        permissions.set_readonly(true);
        fs::set_permissions(tmp_path, permissions).map_err(io_err)?;
        drop(tmp);
        let parent = final_path.parent().expect("blob paths have a parent folder");
        fs::create_dir_all(parent).map_err(|source| VaultError::Io { path: parent.to_path_buf(), source })?;
        fs::rename(tmp_path, &final_path).map_err(|source| VaultError::Io { path: final_path.clone(), source })?;
        Ok(Stored { blob, newly_stored: true, repaired })
    }

    /// Opens a blob for reading, checked against `expected` as it is read (see [`VerifiedReader`]). A blob whose size
    /// already differs from the record is refused at once.
    pub fn open_verified(&self, expected: &Blob) -> Result<VerifiedReader, Problem> {
        let path = self.path_of(&expected.blake3);
        let unreadable =
            |err: io::Error| Problem::Unreadable { blake3: expected.blake3.clone(), error: err.to_string() };
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                return Err(Problem::Missing { blake3: expected.blake3.clone() });
            }
            Err(err) => return Err(unreadable(err)),
        };
        let size = file.metadata().map_err(unreadable)?.len();
        if size != expected.size {
            // The size alone shows the damage; hash it all so that the report says what is there instead.
            return Err(self.verify_blob(expected).unwrap_or(Problem::Mismatch {
                blake3: expected.blake3.clone(),
                found_blake3: String::new(),
                found_sha256: String::new(),
                found_size: size,
            }));
        }
        Ok(VerifiedReader {
            file,
            verifier: Some(Verifier::new(expected)),
            ready: Vec::new(),
            ready_pos: 0,
            held: Vec::new(),
            done: false,
        })
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

/// Checks content against a recorded blob as it passes: feed it every byte in order, then ask [`Verifier::finish`].
/// The same check serves a synchronous reader ([`VerifiedReader`]) and the server's asynchronous downloads.
pub struct Verifier {
    expected: Blob,
    blake3: blake3::Hasher,
    sha256: sha2::Sha256,
    size: u64,
}

impl Verifier {
    pub fn new(expected: &Blob) -> Verifier {
        Verifier { expected: expected.clone(), blake3: blake3::Hasher::new(), sha256: sha2::Sha256::new(), size: 0 }
    }

    /// Adds the next bytes; fails as soon as there are more bytes than the recorded size (a file that grows while it
    /// is read), without hashes, since the rest was not read.
    pub fn update(&mut self, bytes: &[u8]) -> Result<(), Problem> {
        self.blake3.update(bytes);
        self.sha256.update(bytes);
        self.size += bytes.len() as u64;
        if self.size > self.expected.size {
            return Err(Problem::Mismatch {
                blake3: self.expected.blake3.clone(),
                found_blake3: String::new(),
                found_sha256: String::new(),
                found_size: self.size,
            });
        }
        Ok(())
    }

    /// Whether everything fed so far is exactly the recorded content.
    pub fn finish(self) -> Result<(), Problem> {
        let found = Blob {
            blake3: self.blake3.finalize().to_hex().to_string(),
            sha256: hex::encode(self.sha256.finalize()),
            size: self.size,
        };
        if found == self.expected {
            return Ok(());
        }
        Err(Problem::Mismatch {
            blake3: self.expected.blake3,
            found_blake3: found.blake3,
            found_sha256: found.sha256,
            found_size: found.size,
        })
    }
}

/// Reads a blob and checks it against its record as it goes. The last chunk is held back until the whole content
/// has verified, so a reader of a damaged blob never receives all of it: it gets an error of kind `InvalidData`
/// carrying the [`Problem`] (see [`damage_of`]) instead of the end of the file.
pub struct VerifiedReader {
    file: File,
    verifier: Option<Verifier>,
    /// Verified-so-far bytes ready to hand out, and how many of them were handed out.
    ready: Vec<u8>,
    ready_pos: usize,
    /// The latest chunk read, held back until the next one (or the end) is read.
    held: Vec<u8>,
    done: bool,
}

const VERIFIED_CHUNK: usize = 256 * 1024;

impl VerifiedReader {
    fn fill(&mut self) -> io::Result<()> {
        let mut next = vec![0u8; VERIFIED_CHUNK];
        let mut filled = 0;
        while filled < next.len() {
            match self.file.read(&mut next[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        next.truncate(filled);
        let verifier = self.verifier.as_mut().expect("present until the end is reached");
        verifier.update(&next).map_err(damaged)?;
        if next.is_empty() {
            self.verifier.take().expect("present until the end is reached").finish().map_err(damaged)?;
            self.done = true;
        }
        self.ready = std::mem::replace(&mut self.held, next);
        self.ready_pos = 0;
        Ok(())
    }
}

impl Read for VerifiedReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.ready_pos < self.ready.len() {
                let n = out.len().min(self.ready.len() - self.ready_pos);
                out[..n].copy_from_slice(&self.ready[self.ready_pos..self.ready_pos + n]);
                self.ready_pos += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            self.fill()?;
        }
    }
}

/// The error a [`VerifiedReader`] gives when the blob does not match its record.
#[derive(Debug)]
struct Damaged(Problem);

impl std::fmt::Display for Damaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Problem::Mismatch { blake3, found_size, .. } => {
                write!(f, "the vault's copy of {blake3} does not match its recorded hash ({found_size} bytes read)")
            }
            Problem::Missing { blake3 } => write!(f, "the vault's copy of {blake3} is missing"),
            Problem::Unreadable { blake3, error } => write!(f, "the vault's copy of {blake3} is unreadable: {error}"),
        }
    }
}

impl std::error::Error for Damaged {}

fn damaged(problem: Problem) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, Damaged(problem))
}

/// The damage a [`VerifiedReader`]'s error reports, if that is what the error is.
pub fn damage_of(err: &io::Error) -> Option<&Problem> {
    err.get_ref()?.downcast_ref::<Damaged>().map(|damaged| &damaged.0)
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
