//! Runs the archive readers over files or folders with default limits and a sink that only counts bytes, printing
//! one line per file (outcome, time, children, bytes) and a summary. For measuring against the shared corpus:
//!
//! `cargo run --release -p dossier-archive --example archive_measure -- ../../../shared/corpus/hostile/zip-bomb`
//!
//! With `--recursive` first, children that are archives themselves are written to a temporary file and read again,
//! as the pipeline would, all against one budget for the whole tree (so a nested bomb such as 42.zip is refused).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use dossier_document::{Budget, ChildMeta, ChildSink, Context, ExtractError, Limits, Options, ReadFn, Source};

/// Counts what it is given against the budget and throws the bytes away, or, when recursive, keeps each child in
/// a temporary file and reads it again if it is an archive.
struct CountingSink<'a> {
    budget: Budget,
    children: u64,
    recursive: bool,
    depth: u32,
    limits: &'a Limits,
    options: &'a Options,
}

impl ChildSink for CountingSink<'_> {
    fn add(&mut self, _meta: ChildMeta, content: &mut dyn Read) -> Result<(), ExtractError> {
        self.budget.start_entry()?;
        if !self.recursive {
            self.budget.copy(content, &mut std::io::sink())?;
            self.children += 1;
            return Ok(());
        }
        let mut file = tempfile::NamedTempFile::new().map_err(|err| ExtractError::io(&err))?;
        self.budget.copy(content, file.as_file_mut())?;
        self.children += 1;
        let Some(read) = sniff(file.path()) else {
            return Ok(());
        };
        if self.depth + 1 > self.limits.max_depth {
            return Err(ExtractError::LimitExceeded(format!("depth {} > {}", self.depth + 1, self.limits.max_depth)));
        }
        self.depth += 1;
        let (limits, options) = (self.limits, self.options);
        let result = read(&Source { path: file.path(), name: None }, &mut Context { limits, options, sink: self });
        self.depth -= 1;
        match result {
            Err(err @ ExtractError::LimitExceeded(_)) => Err(err),
            _ => Ok(()),
        }
    }
}

/// The reader for a file by its first bytes, as the dispatcher would choose it.
fn sniff(path: &Path) -> Option<ReadFn> {
    let mut start = [0u8; 512];
    let mut file = std::fs::File::open(path).ok()?;
    let n = file.read(&mut start).ok()?;
    let start = &start[..n];
    let read: ReadFn = if start.starts_with(b"PK\x03\x04") {
        dossier_archive::read_zip
    } else if start.starts_with(&[0x1f, 0x8b]) {
        dossier_archive::read_gzip
    } else if start.starts_with(b"BZh") {
        dossier_archive::read_bzip2
    } else if start.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        dossier_archive::read_xz
    } else if start.starts_with(&[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c]) {
        dossier_archive::read_7z
    } else if start.len() >= 262 && &start[257..262] == b"ustar" {
        dossier_archive::read_tar
    } else {
        return None;
    };
    Some(read)
}

fn reader_for(path: &Path) -> Option<(&'static str, ReadFn)> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    let readers: [(&str, &str, ReadFn); 11] = [
        (".rar", "rar", dossier_archive::read_rar),
        (".p7m", "pkcs7", dossier_archive::read_pkcs7),
        (".p7s", "pkcs7", dossier_archive::read_pkcs7),
        (".zip", "zip", dossier_archive::read_zip),
        (".tar", "tar", dossier_archive::read_tar),
        (".tgz", "gz", dossier_archive::read_gzip),
        (".gz", "gz", dossier_archive::read_gzip),
        (".bz2", "bz2", dossier_archive::read_bzip2),
        (".xz", "xz", dossier_archive::read_xz),
        (".7z", "7z", dossier_archive::read_7z),
        (".7z.001", "7z", dossier_archive::read_7z),
    ];
    readers.iter().find(|(suffix, _, _)| name.ends_with(suffix)).map(|(_, format, read)| (*format, *read))
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for entry in entries {
            collect(&entry, files);
        }
    } else if reader_for(path).is_some() {
        files.push(path.to_path_buf());
    }
}

fn main() {
    let mut files = Vec::new();
    let mut recursive = false;
    for arg in std::env::args().skip(1) {
        if arg == "--recursive" {
            recursive = true;
            continue;
        }
        let path = PathBuf::from(&arg);
        if !path.exists() {
            eprintln!("{arg}: not found (is ../shared/corpus present?)");
            std::process::exit(2);
        }
        collect(&path, &mut files);
    }
    let limits = Limits::default();
    // Passwords to try, comma-separated, e.g. DOSSIER_PASSWORDS=Tika,password.
    let options = Options {
        passwords: std::env::var("DOSSIER_PASSWORDS")
            .map(|list| list.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        ..Options::default()
    };
    let (mut ok, mut partial, mut failed) = (0, 0, 0);
    for path in &files {
        let Some((format, read)) = reader_for(path) else {
            continue;
        };
        let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let mut sink = CountingSink {
            budget: Budget::new(&limits, len),
            children: 0,
            recursive,
            depth: 0,
            limits: &limits,
            options: &options,
        };
        let started = Instant::now();
        let result = {
            let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
            read(&Source { path, name: None }, &mut ctx)
        };
        let elapsed = started.elapsed();
        let outcome = match &result {
            Ok(extraction) if extraction.is_partial() => {
                partial += 1;
                format!("partial: {}", extraction.diagnostics.join(" | "))
            }
            Ok(_) => {
                ok += 1;
                "ok".to_string()
            }
            Err(err) => {
                failed += 1;
                format!("failed: {err}")
            }
        };
        println!(
            "{format}\t{:.3}s\t{} children\t{} bytes\t{}\t{outcome}",
            elapsed.as_secs_f64(),
            sink.children,
            sink.budget.unpacked_bytes(),
            path.display()
        );
    }
    println!("{} files: {ok} ok, {partial} partial, {failed} failed", files.len());
}
