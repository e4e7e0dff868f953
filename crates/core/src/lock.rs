//! The writer lock of a data folder: one process at a time may change the vault and the catalog.
//!
//! Two ingests into one data folder would clean up each other's unfinished vault files and interleave their
//! catalog writes. Whoever writes (ingest, demo, reindex) holds an exclusive lock on `<data>/writer.lock` for as long
//! as it runs; the kernel releases it when the process ends, however it ends (even `kill -9`), so a crash never
//! leaves a stale lock. Readers (search, serve, status) take no lock: SQLite's write-ahead log and tantivy's
//! committed segments let them read while a writer works.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::Path;

use crate::CoreError;

const LOCK_FILE: &str = "writer.lock";

/// Held while a process writes to a data folder; dropping it releases the lock.
#[derive(Debug)]
pub struct WriterLock {
    file: File,
}

impl WriterLock {
    /// Takes the data folder's writer lock, or says who holds it. `what` names the holder for others to read
    /// (`dossier ingest ... (pid 123, since ...)`).
    pub(crate) fn acquire(data_dir: &Path, what: &str) -> Result<WriterLock, CoreError> {
        let path = data_dir.join(LOCK_FILE);
        let io_err = |source| CoreError::Io { path: path.clone(), source };
        let mut file =
            OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(io_err)?;
        // SAFETY: flock on a descriptor this function owns; it changes nothing but the lock.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            let err = std::io::Error::last_os_error();
            if err.kind() != std::io::ErrorKind::WouldBlock {
                return Err(io_err(err));
            }
            let mut holder = String::new();
            // The holder wrote who it is right after locking; an empty file means it is just starting.
            let _ = file.read_to_string(&mut holder);
            let holder = match holder.trim() {
                "" => "a process that is just starting".to_string(),
                holder => holder.to_string(),
            };
            return Err(CoreError::Busy { data_dir: data_dir.to_path_buf(), holder });
        }
        let holder = format!(
            "{what} (pid {}, since {})",
            std::process::id(),
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        file.set_len(0).map_err(io_err)?;
        file.rewind().map_err(io_err)?;
        file.write_all(holder.as_bytes()).map_err(io_err)?;
        Ok(WriterLock { file })
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        // Leave no stale description behind; the lock itself goes with the file handle.
        let _ = self.file.set_len(0);
    }
}
