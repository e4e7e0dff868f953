//! The Outlook mailbox reader (`.pst`, `.ost`), through Debian's `readpst` (package pst-utils).
//!
//! PST is a database format (B-trees of nodes and blocks, with optional "compressible encryption"); libpst has read
//! it for two decades, so this reader runs `readpst -e` in a temporary folder rather than reimplementing it. Each
//! message comes out as an `.eml` file and is handed over as a child named by its folder path and number, so the
//! mail reader reads it. The mailbox's own text is an index of its folders with their message counts.
//!
//! PST "passwords" are only a checksum in the header that Outlook itself enforces; libpst ignores them, so a
//! password-protected mailbox reads like any other.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dossier_document::{ChildKind, ChildMeta, Context, ExtractError, Extraction, Metadata, Source, TextBuilder};

const FORMAT: &str = "application/vnd.ms-outlook-pst";
const PST_MAGIC: &[u8; 4] = b"!BDN";
const READPST: &str = "readpst";
/// Bounds the folder walk: readpst writes one folder per PST folder, and a hostile PST may claim many.
const MAX_OUTPUT_FILES: usize = 1_000_000;

/// Reads an Outlook `.pst`/`.ost` mailbox by running `readpst`.
pub fn read_pst(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let len = check_signature(src.path)?;
    let Some(readpst) = find_in_path(READPST) else {
        return Err(ExtractError::Unsupported(format!("{FORMAT} (readpst not installed: apt-get install pst-utils)")));
    };
    let work = tempfile::Builder::new().prefix("dossier-readpst-").tempdir().map_err(|err| ExtractError::io(&err))?;
    let output_dir = work.path().join("out");
    std::fs::create_dir(&output_dir).map_err(|err| ExtractError::io(&err))?;
    let stderr_path = work.path().join("stderr");

    let timeout = timeout_for(len);
    // Unpacking a mailbox is legitimately slow work; ask the worker's parent for the time it may take.
    dossier_document::extend_deadline(timeout);
    let run = run_readpst(&readpst, src.path, &output_dir, &stderr_path, timeout)?;

    let mut diagnostics = Vec::new();
    let messages = output_files(&output_dir, &mut diagnostics);
    let stderr = read_excerpt(&stderr_path);
    match run {
        Outcome::Finished(true) => {}
        Outcome::Finished(false) if messages.is_empty() => {
            let detail = if stderr.is_empty() { "readpst could not read it".to_string() } else { stderr };
            return Err(if detail.contains("Error opening") || detail.contains("Failed") {
                ExtractError::malformed(FORMAT, detail)
            } else {
                ExtractError::malformed(FORMAT, format!("readpst failed: {detail}"))
            });
        }
        Outcome::Finished(false) => {
            diagnostics.push(format!("readpst stopped with an error after {} messages: {stderr}", messages.len()))
        }
        Outcome::TimedOut if messages.is_empty() => {
            return Err(ExtractError::LimitExceeded(format!("readpst time {} s", timeout.as_secs())));
        }
        Outcome::TimedOut => diagnostics.push(format!(
            "readpst stopped after {} s; {} messages were read before",
            timeout.as_secs(),
            messages.len()
        )),
    }

    let mut metadata = Metadata::default();
    let mut text = TextBuilder::new(ctx.limits.max_text_bytes);
    let folders = folder_counts(&messages);
    metadata.set("messages", messages.len().to_string());
    metadata.set("folders", folders.len().to_string());
    for (folder, count) in &folders {
        let shown = if folder.is_empty() { "(top)" } else { folder.as_str() };
        metadata.push("folder", shown);
        text.push(&format!("{shown}: {count} message{}", if *count == 1 { "" } else { "s" }));
        text.end_line();
    }

    let deterministic = work.path().join("deterministic.eml");
    for relative in &messages {
        let name = relative.to_string_lossy().into_owned();
        let written = output_dir.join(relative);
        let path = match crate::readpst_output::make_deterministic(&written, &deterministic) {
            Ok(true) => deterministic.as_path(),
            Ok(false) => written.as_path(),
            Err(err) => {
                diagnostics.push(format!("message {name} unreadable: {err}"));
                continue;
            }
        };
        let mut file = match File::open(path) {
            Ok(file) => file,
            Err(err) => {
                diagnostics.push(format!("message {name} unreadable: {err}"));
                continue;
            }
        };
        match ctx.sink.add(ChildMeta::new(name.clone(), ChildKind::Message), &mut file) {
            Ok(()) => {}
            Err(err @ ExtractError::LimitExceeded(_)) => return Err(err),
            Err(err) => diagnostics.push(format!("message {name} not kept: {err}")),
        }
        // Free the disk as we go: a large mailbox unpacks to about its own size again.
        let _ = std::fs::remove_file(output_dir.join(relative));
    }

    let (text, cut_off) = text.finish();
    diagnostics.extend(cut_off);
    Ok(Extraction { text, metadata, diagnostics })
}

/// Checks the PST signature; returns the file size.
fn check_signature(path: &Path) -> Result<u64, ExtractError> {
    let mut file = File::open(path).map_err(|err| ExtractError::io(&err))?;
    let len = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    if len == 0 {
        return Err(ExtractError::Empty);
    }
    let mut magic = [0u8; 4];
    let mut got = 0;
    while got < magic.len() {
        match file.read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(err) => return Err(ExtractError::io(&err)),
        }
    }
    if got < 4 || &magic != PST_MAGIC {
        return Err(ExtractError::malformed(FORMAT, "no !BDN signature: not an Outlook data file"));
    }
    // The header alone is 564 bytes (Unicode PST) or 512 (ANSI); shorter cannot hold a single message.
    if len < 512 {
        return Err(ExtractError::truncated(FORMAT, format!("{len} bytes end inside the header")));
    }
    Ok(len)
}

/// A minute, plus two seconds per megabyte (readpst writes about 10-50 MB/s on the slow machines we target).
fn timeout_for(len: u64) -> Duration {
    Duration::from_secs(60 + (len >> 20).saturating_mul(2))
}

enum Outcome {
    /// Whether readpst reported success.
    Finished(bool),
    TimedOut,
}

fn run_readpst(
    readpst: &Path,
    pst: &Path,
    output_dir: &Path,
    stderr_path: &Path,
    timeout: Duration,
) -> Result<Outcome, ExtractError> {
    let stderr = File::create(stderr_path).map_err(|err| ExtractError::io(&err))?;
    // -e: one file per message with an extension; -8: UTF-8 bodies where the PST has them; -b: no RTF-body
    // attachments (the body is already in the message); -q: only errors; -j 0: no child processes (by default
    // readpst forks four per core, one per message, and about one run in a hundred loses a message to the race;
    // the worker is one bounded process anyway). readpst makes the folder tree itself. Dates it formats follow
    // the time zone and locale, which must not make the same mailbox give different bytes on another machine.
    let mut command = Command::new(readpst);
    let mut child = dossier_document::subprocess::tie_to_this_process(&mut command, timeout)
        .args(["-e", "-8", "-b", "-q", "-j", "0", "-o"])
        .arg(output_dir)
        .arg(pst)
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(stderr))
        .spawn()
        .map_err(|err| ExtractError::Io(format!("cannot run readpst: {err}")))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(Outcome::Finished(status.success())),
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(Outcome::TimedOut);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(err) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ExtractError::io(&err));
            }
        }
    }
}

/// Every file readpst wrote, relative to its output folder, in a stable order (folder, then message number).
fn output_files(output_dir: &Path, diagnostics: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let entries = match std::fs::read_dir(output_dir.join(&relative)) {
            Ok(entries) => entries,
            Err(err) => {
                diagnostics.push(format!("folder {} unreadable: {err}", relative.display()));
                continue;
            }
        };
        for entry in entries.flatten() {
            // Never follow links: the names come from the hostile mailbox.
            let Ok(file_type) = entry.file_type() else { continue };
            let path = relative.join(entry.file_name());
            if file_type.is_dir() {
                pending.push(path);
            } else if file_type.is_file() && files.len() < MAX_OUTPUT_FILES {
                files.push(path);
            }
        }
    }
    files.sort_by_key(|path| sort_key(path));
    files
}

/// Sorts "Inbox/10.eml" after "Inbox/9.eml".
fn sort_key(path: &Path) -> (PathBuf, u64, String) {
    let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let number = name.split('.').next().and_then(|n| n.parse().ok()).unwrap_or(u64::MAX);
    (folder, number, name)
}

/// Message counts per folder, in folder order.
fn folder_counts(messages: &[PathBuf]) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for message in messages {
        let folder = message.parent().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
        match counts.last_mut() {
            Some((last, count)) if *last == folder => *count += 1,
            _ => counts.push((folder, 1)),
        }
    }
    counts
}

fn read_excerpt(path: &Path) -> String {
    let mut bytes = Vec::new();
    if let Ok(file) = File::open(path) {
        let _ = file.take(2048).read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn find_in_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_sort_by_folder_then_number() {
        let mut files = vec![PathBuf::from("Inbox/10.eml"), PathBuf::from("Inbox/9.eml"), PathBuf::from("A/1.eml")];
        files.sort_by_key(|path| sort_key(path));
        assert_eq!(files, vec![PathBuf::from("A/1.eml"), PathBuf::from("Inbox/9.eml"), PathBuf::from("Inbox/10.eml")]);
        assert_eq!(folder_counts(&files), vec![("A".to_string(), 1), ("Inbox".to_string(), 2)]);
    }

    #[test]
    fn the_timeout_grows_with_the_file() {
        assert_eq!(timeout_for(0), Duration::from_secs(60));
        assert_eq!(timeout_for(100 << 20), Duration::from_secs(260));
    }
}
