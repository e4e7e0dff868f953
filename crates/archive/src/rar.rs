//! RAR archives (RAR 1.5-4 and RAR 5), through Debian's `lsar` and `unar` (package `unar`, LGPL).
//!
//! RAR's compression is documented only by its proprietary reference code, so this reader runs The Unarchiver's
//! command-line tools in a private temporary folder instead of reimplementing it: `lsar -j` lists the entries as
//! JSON, then `unar` extracts the regular files (by index, so links are never created) and each one is streamed to
//! the sink. Everything a hostile archive controls is bounded: the listed sizes are checked against the unpacking
//! budget before extraction, the folder is measured while `unar` runs (and `unar` stopped when it outgrows the
//! budget), the run has a wall-clock limit, and the output folder is walked without following links.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dossier_document::{ChildKind, ChildMeta, Context, ExtractError, Extraction, Source};
use dossier_text::{NameCharset, NameFallback};

use crate::report::{Offer, Report};

const FORMAT: &str = "rar";
/// RAR 1.5-4 and RAR 5 signatures: detection should accept exactly these at offset 0.
pub const RAR_SIGNATURES: [&[u8]; 2] = [b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00"];
const INSTALL_HINT: &str = "RAR (unar is not installed: apt-get install unar)";
/// The JSON listing is read whole; a listing this large would describe millions of entries.
const MAX_LISTING_BYTES: u64 = 256 << 20;
/// How much of unar's messages is kept for a diagnostic.
const MAX_MESSAGE_BYTES: usize = 4096;
/// More indexes than this are not passed on the command line (it has a size limit); the whole archive is
/// extracted instead, which is just as safe because the output walk never follows links.
const MAX_INDEX_ARGUMENTS: usize = 20_000;
/// How often the output folder is measured while unar runs.
const WATCH_INTERVAL: Duration = Duration::from_millis(100);
/// The largest file taken as a RAR archive with no entries (signature, main header, end block and some slack for
/// an archive comment); anything larger that lists nothing is damaged.
const MAX_EMPTY_ARCHIVE_BYTES: u64 = 512;
/// lsar and unar are asked to read names of undeclared charset as ISO-8859-1, which maps every byte to the
/// character of the same number: the names come back as their bytes, and our own detection decides their code
/// page over the whole archive (unar's guess misreads short Cyrillic names: "Отчёт.doc" in IBM866 came out as
/// "Ћвзсв.doc").
const BYTES_AS_LATIN1: [&str; 2] = ["-e", "ISO-8859-1"];
/// RAR 1.5-4 header flag: the name is stored in Unicode too (names without it are in the OEM code page).
const RAR4_UNICODE_NAME: u64 = 0x200;

/// Reads a RAR archive by running `lsar` and `unar`.
pub fn read_rar(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    read_rar_with_search_path(src, ctx, std::env::var_os("PATH"))
}

/// [`read_rar`] looking for the tools in `search_path` (a `PATH` value), so that tests can take them away.
fn read_rar_with_search_path(
    src: &Source<'_>,
    ctx: &mut Context<'_>,
    search_path: Option<std::ffi::OsString>,
) -> Result<Extraction, ExtractError> {
    let len = check_signature(src.path)?;
    let find = |program: &str| find_in_path(search_path.as_deref(), program);
    let (Some(lsar), Some(unar)) = (find("lsar"), find("unar")) else {
        return Err(ExtractError::Unsupported(INSTALL_HINT.to_string()));
    };
    let work = tempfile::Builder::new().prefix("dossier-unar-").tempdir().map_err(|err| ExtractError::io(&err))?;
    let archive = safe_argument(src.path);
    let timeout = timeout_for(len);
    // Unpacking is legitimately slow work; ask the worker's parent for the time it may take.
    dossier_document::extend_deadline(timeout);
    let deadline = Instant::now() + timeout;

    let (listing, listing_password) =
        list_entries(&lsar, &archive, len, work.path(), &ctx.options.passwords, deadline)?;
    let mut report = Report::new(ctx);
    report.metadata.set("format_version", listing.format_name.clone());
    let shown = shown_names(&listing, &mut report);

    if listing.entries.len() as u64 > ctx.limits.max_entries {
        return Err(ExtractError::LimitExceeded(format!(
            "entries {} > {}",
            listing.entries.len(),
            ctx.limits.max_entries
        )));
    }
    let mut total_size: u64 = 0;
    let mut plain = Vec::new();
    let mut encrypted = Vec::new();
    for entry in &listing.entries {
        if let Some(method) = &entry.compression {
            report.note_compression(method);
        }
        let name = shown.of(&entry.name);
        if entry.is_directory {
            report.list_directory(name);
            continue;
        }
        if entry.is_link {
            let target = entry.link_target.as_deref().map(|target| shown.of(target));
            report.list_special(name, target, "symbolic link");
            continue;
        }
        report.list_file(name, entry.size, entry.is_encrypted.then_some("encrypted"));
        if escapes(&entry.name) {
            report.diagnose(format!("{name}: path leaves the archive's folder, not extracted"));
            continue;
        }
        total_size = total_size.saturating_add(entry.size.unwrap_or(0));
        if entry.is_encrypted {
            encrypted.push(entry);
        } else {
            plain.push(entry);
        }
    }
    if total_size > ctx.limits.max_unpacked_bytes {
        return Err(ExtractError::LimitExceeded(format!(
            "total unpacked bytes {total_size} > {} (as listed)",
            ctx.limits.max_unpacked_bytes
        )));
    }

    let mut unpacker = Unpacker {
        unar: &unar,
        archive: &archive,
        work: work.path(),
        deadline,
        timeout,
        report,
        modified: listing.entries.iter().filter_map(|e| Some((e.name.clone(), e.modified.clone()?))).collect(),
        shown: &shown,
        kept: 0,
        runs: 0,
        timed_out: false,
        failures: Vec::new(),
        handed_over: BTreeSet::new(),
    };
    // The unencrypted entries in one run (with the password that opened the listing, if one did), then the
    // encrypted ones with each password in turn until all are out.
    if !plain.is_empty() {
        let indexes: Vec<u64> = plain.iter().map(|entry| entry.index).collect();
        unpacker.run(ctx, listing_password.as_deref(), &indexes, false)?;
    }
    let passwords =
        listing_password.iter().chain(ctx.options.passwords.iter().filter(|p| Some(*p) != listing_password.as_ref()));
    let mut pending = encrypted.clone();
    for password in passwords {
        if pending.is_empty() || unpacker.timed_out {
            break;
        }
        let indexes: Vec<u64> = pending.iter().map(|entry| entry.index).collect();
        unpacker.run(ctx, Some(password), &indexes, true)?;
        pending.retain(|entry| !unpacker.handed_over.contains(&entry.name));
    }

    let Unpacker { mut report, kept, mut failures, .. } = unpacker;
    for failure in &mut failures {
        failure.name = shown.of(&failure.name).to_string();
    }
    if !pending.is_empty() {
        let tried = if ctx.options.passwords.is_empty() { "no password was given" } else { "no password opened them" };
        if plain.is_empty() && kept == 0 {
            return Err(ExtractError::Encrypted(Some(format!(
                "every RAR entry ({}) is encrypted and {tried}",
                pending.len()
            ))));
        }
        report.diagnose(format!("{} encrypted entries not extracted: {tried}", pending.len()));
    }
    for failure in &failures {
        report.diagnose(format!("{}: {}", failure.name, failure.reason));
    }
    if kept == 0
        && !plain.is_empty()
        && let Some(first) = failures.first()
    {
        let detail = format!("{}: {}", first.name, first.reason);
        return Err(if first.is_truncation() {
            ExtractError::truncated(FORMAT, detail)
        } else {
            ExtractError::malformed(FORMAT, detail)
        });
    }
    Ok(report.finish())
}

/// Checks the RAR signature; returns the file size.
fn check_signature(path: &Path) -> Result<u64, ExtractError> {
    let mut file = File::open(path).map_err(|err| ExtractError::io(&err))?;
    let len = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    if len == 0 {
        return Err(ExtractError::Empty);
    }
    let mut start = Vec::with_capacity(8);
    (&mut file).take(8).read_to_end(&mut start).map_err(|err| ExtractError::io(&err))?;
    if !RAR_SIGNATURES.iter().any(|signature| start.starts_with(signature)) {
        if b"Rar!\x1a\x07".starts_with(&start[..start.len().min(6)]) && start.len() < 7 {
            return Err(ExtractError::truncated(FORMAT, format!("{len} bytes end inside the signature")));
        }
        return Err(ExtractError::malformed(FORMAT, "no Rar! signature"));
    }
    Ok(len)
}

/// A minute, plus two seconds per megabyte of archive (RAR unpacks at tens of MB/s on slow machines).
fn timeout_for(len: u64) -> Duration {
    Duration::from_secs(60 + (len >> 20).saturating_mul(2))
}

fn find_in_path(search_path: Option<&std::ffi::OsStr>, program: &str) -> Option<PathBuf> {
    std::env::split_paths(search_path?).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}

/// A path that unar cannot mistake for an option.
fn safe_argument(path: &Path) -> PathBuf {
    if path.to_string_lossy().starts_with('-') { Path::new(".").join(path) } else { path.to_path_buf() }
}

/// True when a member path would leave the extraction folder (`..` parts); absolute paths are made relative by
/// unar, and links are never extracted.
fn escapes(name: &str) -> bool {
    Path::new(&name.replace('\\', "/")).components().any(|component| matches!(component, Component::ParentDir))
}

/// One entry of lsar's listing.
#[derive(Debug, Clone)]
struct Entry {
    index: u64,
    /// The name as lsar and unar spell it (undeclared bytes as ISO-8859-1): the key to unar's output files.
    name: String,
    /// The name (and link target) is stored without a charset: its characters are its bytes.
    legacy_name: bool,
    size: Option<u64>,
    is_directory: bool,
    is_link: bool,
    link_target: Option<String>,
    is_encrypted: bool,
    modified: Option<String>,
    compression: Option<String>,
}

#[derive(Debug)]
struct Listing {
    format_name: String,
    entries: Vec<Entry>,
}

/// Lists the archive, trying the given passwords when the listing itself is encrypted (RAR 5 `-hp` archives).
/// Returns the listing and the password that opened it, if one was needed.
fn list_entries(
    lsar: &Path,
    archive: &Path,
    archive_len: u64,
    work: &Path,
    passwords: &[String],
    deadline: Instant,
) -> Result<(Listing, Option<String>), ExtractError> {
    let attempts = std::iter::once(None).chain(passwords.iter().map(|password| Some(password.as_str())));
    let mut last_error = None;
    for password in attempts {
        let stdout_path = work.join("listing.json");
        let stderr_path = work.join("listing.err");
        let mut command = Command::new(lsar);
        command.args(["-j", "-nr"]).args(BYTES_AS_LATIN1);
        if let Some(password) = password {
            command.arg("-p").arg(password);
        }
        command.arg(archive);
        let outcome = run_bounded(command, &stdout_path, &stderr_path, deadline, None)?;
        if matches!(outcome, (Outcome::TimedOut, _)) {
            return Err(ExtractError::LimitExceeded("lsar time".to_string()));
        }
        let messages = read_excerpt(&stderr_path);
        match parse_listing(&stdout_path) {
            Ok(listing) if !listing.needs_password(&messages) => {
                // An empty archive is a few dozen bytes; a larger file of which nothing can be listed is damage.
                if listing.entries.is_empty() && (listing.scanning_failed || archive_len > MAX_EMPTY_ARCHIVE_BYTES) {
                    return Err(ExtractError::malformed(FORMAT, "no RAR entries could be read"));
                }
                return Ok((listing.into_listing(), password.map(str::to_string)));
            }
            Ok(_) => last_error = Some(password_error(passwords)),
            Err(err) => {
                // Without a JSON listing, lsar's complaint may be on either stream.
                let messages = format!("{messages} {}", read_excerpt(&stdout_path)).trim().to_string();
                last_error = Some(if is_password_message(&messages) {
                    password_error(passwords)
                } else if messages.is_empty() {
                    err
                } else {
                    classify(&messages)
                })
            }
        }
        if !matches!(last_error, Some(ExtractError::Encrypted(_))) {
            break;
        }
    }
    Err(last_error.unwrap_or_else(|| ExtractError::malformed(FORMAT, "lsar could not list it")))
}

fn password_error(passwords: &[String]) -> ExtractError {
    let detail = if passwords.is_empty() {
        "RAR archive with encrypted headers; no password was given"
    } else {
        "RAR archive with encrypted headers; no password opened it"
    };
    ExtractError::Encrypted(Some(detail.to_string()))
}

fn is_password_message(messages: &str) -> bool {
    messages.to_ascii_lowercase().contains("password")
}

fn classify(messages: &str) -> ExtractError {
    let lower = messages.to_ascii_lowercase();
    if lower.contains("more data than was available") || lower.contains("truncated") || lower.contains("end of file") {
        ExtractError::truncated(FORMAT, messages)
    } else {
        ExtractError::malformed(FORMAT, messages)
    }
}

/// lsar's JSON, before it is trusted.
struct RawListing {
    format_name: String,
    entries: Vec<Entry>,
    scanning_failed: bool,
}

impl RawListing {
    /// A listing of nothing with a password complaint means the headers are encrypted.
    fn needs_password(&self, messages: &str) -> bool {
        self.entries.is_empty() && is_password_message(messages)
    }

    fn into_listing(self) -> Listing {
        Listing { format_name: self.format_name, entries: self.entries }
    }
}

fn parse_listing(path: &Path) -> Result<RawListing, ExtractError> {
    let size = std::fs::metadata(path).map_err(|err| ExtractError::io(&err))?.len();
    if size > MAX_LISTING_BYTES {
        return Err(ExtractError::LimitExceeded(format!("RAR listing {size} bytes > {MAX_LISTING_BYTES}")));
    }
    let bytes = std::fs::read(path).map_err(|err| ExtractError::io(&err))?;
    parse_listing_json(&bytes)
}

/// lsar's `-j` output: the format name, the entries, and whether lsar gave up scanning volumes.
fn parse_listing_json(bytes: &[u8]) -> Result<RawListing, ExtractError> {
    let json: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|err| ExtractError::malformed(FORMAT, format!("lsar listing unreadable: {err}")))?;
    let flag = |value: &serde_json::Value, key: &str| value.get(key).and_then(serde_json::Value::as_u64) == Some(1);
    let format_name = json["lsarFormatName"].as_str().unwrap_or("RAR").to_string();
    // RAR 5 names are UTF-8; RAR 1.5-4 names are OEM bytes unless flagged Unicode.
    let legacy_format = format_name == "RAR";
    let mut entries = Vec::new();
    for (position, value) in json["lsarContents"].as_array().into_iter().flatten().enumerate() {
        let index = value["XADIndex"].as_u64().unwrap_or(position as u64);
        let name = value["XADFileName"].as_str().map(str::to_string).unwrap_or_else(|| format!("entry {index}"));
        let unicode_flag = value["RARFlags"].as_u64().is_some_and(|flags| flags & RAR4_UNICODE_NAME != 0);
        entries.push(Entry {
            index,
            legacy_name: legacy_format && !unicode_flag,
            name,
            size: value["XADFileSize"].as_u64(),
            is_directory: flag(value, "XADIsDirectory"),
            is_link: flag(value, "XADIsLink") || flag(value, "XADIsHardLink"),
            link_target: value["XADLinkDestination"].as_str().map(str::to_string),
            is_encrypted: flag(value, "XADIsEncrypted"),
            modified: value["XADLastModificationDate"].as_str().and_then(iso8601_from_lsar),
            compression: value["XADCompressionName"].as_str().map(str::to_string),
        });
    }
    Ok(RawListing { format_name, entries, scanning_failed: flag(&json["lsarProperties"], "XADVolumeScanningFailed") })
}

/// Runs our parsers of what `lsar` and `unar` print over arbitrary bytes, as the fuzz target `rar` (in `fuzz/`)
/// does: the JSON listing, the progress lines, the dates, the path check and the message classification.
#[cfg(feature = "fuzzing")]
pub fn fuzz_tool_output(bytes: &[u8]) {
    if let Ok(listing) = parse_listing_json(bytes) {
        let _ = listing.needs_password("");
        for entry in &listing.entries {
            let _ = escapes(&entry.name);
        }
    }
    let text = String::from_utf8_lossy(bytes);
    for failure in parse_failures(&text) {
        let _ = failure.is_truncation();
    }
    let _ = iso8601_from_lsar(&text);
    let _ = escapes(&text);
    let _ = classify(&text);
}

/// The names to show for the names lsar and unar spell with undeclared bytes as ISO-8859-1.
struct ShownNames(BTreeMap<String, String>);

impl ShownNames {
    /// The name to show for a name of the listing (or unar's output); itself when it needs no decoding.
    fn of<'a>(&'a self, name: &'a str) -> &'a str {
        self.0.get(name).map_or(name, String::as_str)
    }
}

/// Decodes the names stored without a charset in the code page decided over all of them (the OEM code page of the
/// machine that made the archive: IBM866 on a Russian Windows), and notes it as metadata.
fn shown_names(listing: &Listing, report: &mut Report) -> ShownNames {
    let as_bytes = |name: &str| name.chars().map(|c| u8::try_from(c).ok()).collect::<Option<Vec<u8>>>();
    let legacy: Vec<(&str, Vec<u8>)> = listing
        .entries
        .iter()
        .filter(|entry| entry.legacy_name)
        .flat_map(|entry| std::iter::once(entry.name.as_str()).chain(entry.link_target.as_deref()))
        .filter_map(|name| Some((name, as_bytes(name)?)))
        .filter(|(_, bytes)| !bytes.is_ascii())
        .collect();
    let charset = NameCharset::detect(legacy.iter().map(|(_, bytes)| bytes), NameFallback::Cp437);
    if !charset.is_utf8() {
        report.metadata.set("name_charset", charset.name());
    }
    ShownNames(legacy.into_iter().map(|(name, bytes)| (name.to_string(), charset.decode(&bytes).text)).collect())
}

/// lsar's "2007-10-01 15:02:26 +0000" as ISO 8601 ("2007-10-01T15:02:26Z").
fn iso8601_from_lsar(date: &str) -> Option<String> {
    let mut parts = date.split(' ');
    let (day, time, zone) = (parts.next()?, parts.next()?, parts.next().unwrap_or("+0000"));
    if day.len() != 10 || time.len() != 8 || !day.is_ascii() || !time.is_ascii() {
        return None;
    }
    let zone = match zone {
        "+0000" | "-0000" => "Z".to_string(),
        zone if zone.len() == 5 && zone.is_ascii() => format!("{}:{}", &zone[..3], &zone[3..]),
        _ => String::new(),
    };
    Some(format!("{day}T{time}{zone}"))
}

/// How a subprocess ended.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    Finished,
    TimedOut,
    /// The watched folder grew past its limit (bytes seen).
    TooLarge(u64),
}

/// Runs `command` with stdout and stderr in files, until it ends or `deadline` passes; with `watch`, measures
/// that folder every [`WATCH_INTERVAL`] and stops the process when it holds more than the given bytes.
/// Returns the outcome and whether the process reported success.
fn run_bounded(
    mut command: Command,
    stdout_path: &Path,
    stderr_path: &Path,
    deadline: Instant,
    watch: Option<(&Path, u64)>,
) -> Result<(Outcome, bool), ExtractError> {
    let stdout = File::create(stdout_path).map_err(|err| ExtractError::io(&err))?;
    let stderr = File::create(stderr_path).map_err(|err| ExtractError::io(&err))?;
    let cpu_limit = deadline.saturating_duration_since(Instant::now());
    let mut child = dossier_document::subprocess::tie_to_this_process(&mut command, cpu_limit)
        .stdin(Stdio::null())
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::from(stderr))
        .spawn()
        .map_err(|err| ExtractError::Io(format!("cannot run unar/lsar: {err}")))?;
    let stop = |child: &mut std::process::Child| {
        let _ = child.kill();
        let _ = child.wait();
    };
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok((Outcome::Finished, status.success())),
            Ok(None) => {}
            Err(err) => {
                stop(&mut child);
                return Err(ExtractError::io(&err));
            }
        }
        if Instant::now() > deadline {
            stop(&mut child);
            return Ok((Outcome::TimedOut, false));
        }
        if let Some((folder, limit)) = watch {
            let bytes = folder_bytes(folder);
            if bytes > limit {
                stop(&mut child);
                return Ok((Outcome::TooLarge(bytes), false));
            }
        }
        std::thread::sleep(WATCH_INTERVAL);
    }
}

/// Bytes of the regular files under `folder` (links are not followed).
fn folder_bytes(folder: &Path) -> u64 {
    let mut total = 0u64;
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let Ok(metadata) = entry.path().symlink_metadata() else { continue };
            if metadata.is_dir() {
                pending.push(entry.path());
            } else if metadata.is_file() {
                total = total.saturating_add(metadata.len());
            }
        }
    }
    total
}

/// Runs unar over chosen entries and hands what it writes to the sink, one run after another.
struct Unpacker<'a> {
    unar: &'a Path,
    archive: &'a Path,
    work: &'a Path,
    deadline: Instant,
    timeout: Duration,
    report: Report,
    /// Modification dates by member name, from the listing.
    modified: BTreeMap<String, String>,
    /// The names to show, by the names unar writes.
    shown: &'a ShownNames,
    kept: usize,
    runs: usize,
    timed_out: bool,
    failures: Vec<Failure>,
    /// Names of the members handed to the sink (so that a later password run can tell what is still locked).
    handed_over: BTreeSet<String>,
}

impl Unpacker<'_> {
    /// Extracts `indexes` into a fresh folder and hands every regular file to the sink. With `retrying_encrypted`,
    /// failures are expected (the next password may work) and are not recorded as damage.
    fn run(
        &mut self,
        ctx: &mut Context<'_>,
        password: Option<&str>,
        indexes: &[u64],
        retrying_encrypted: bool,
    ) -> Result<(), ExtractError> {
        self.runs += 1;
        let output = self.work.join(format!("out{}", self.runs));
        std::fs::create_dir(&output).map_err(|err| ExtractError::io(&err))?;
        let budget = ctx.limits.max_unpacked_bytes;
        let result = run_unar(self.unar, self.archive, &output, self.work, password, indexes, self.deadline, budget)?;
        match result.outcome {
            Outcome::Finished => {}
            Outcome::TimedOut => {
                self.timed_out = true;
                self.report.diagnose(format!("unar stopped after {} s", self.timeout.as_secs()));
            }
            Outcome::TooLarge(bytes) => {
                return Err(ExtractError::LimitExceeded(format!(
                    "total unpacked bytes {bytes} > {budget} (while unar was writing)"
                )));
            }
        }
        let failed: BTreeSet<&str> = result.failures.iter().map(|failure| failure.name.as_str()).collect();
        for relative in output_files(&output, &mut self.report) {
            let name = relative.to_string_lossy().replace('\\', "/");
            let path = output.join(&relative);
            // A member unar gave up on is incomplete or wrongly decrypted: not handed over.
            if failed.contains(name.as_str()) {
                let _ = std::fs::remove_file(&path);
                continue;
            }
            let mut file = match File::open(&path) {
                Ok(file) => file,
                Err(err) => {
                    self.report.diagnose(format!("{name}: extracted file unreadable: {err}"));
                    continue;
                }
            };
            let shown = self.shown.of(&name).to_string();
            let mut meta = ChildMeta::new(shown.clone(), ChildKind::Member);
            meta.modified = self.modified.get(&name).cloned();
            match Report::offer(ctx, meta, &mut file)? {
                Offer::Kept => self.kept += 1,
                Offer::Refused(err) => self.report.diagnose(format!("{shown} not kept: {err}")),
            }
            self.handed_over.insert(name);
            // Free the disk as we go: a large archive unpacks to several times its own size.
            let _ = std::fs::remove_file(&path);
        }
        // A wrong password shows as "Wrong checksum" in RAR 4 (it has no password check): any failure of a password
        // run only means that this password did not open the entry.
        if !retrying_encrypted {
            self.failures.extend(result.failures);
        }
        Ok(())
    }
}

/// A member unar reported as failed, from its progress lines ("  name  (123 B)... Failed! (reason)").
#[derive(Debug, Clone)]
struct Failure {
    name: String,
    reason: String,
}

impl Failure {
    fn is_truncation(&self) -> bool {
        matches!(classify(&self.reason), ExtractError::Truncated { .. })
    }
}

fn parse_failures(progress: &str) -> Vec<Failure> {
    let mut failures = Vec::new();
    for line in progress.lines() {
        // Member lines are indented; the archive's own lines ("x.rar: RAR", "Successfully extracted") are not.
        if !line.starts_with("  ") {
            continue;
        }
        let Some((head, outcome)) = line.split_once("... ") else { continue };
        let outcome = outcome.trim();
        if outcome.starts_with("OK") {
            continue;
        }
        let head = head.trim_start();
        // The name is followed by two spaces and the size or kind in parentheses.
        let name = head.rsplit_once("  (").map_or(head, |(name, _)| name);
        let reason = outcome.trim_start_matches("Failed!").trim().trim_start_matches('(').trim_end_matches(')').trim();
        let reason = if reason.is_empty() { "unar could not extract it" } else { reason };
        failures.push(Failure { name: name.to_string(), reason: reason.to_string() });
    }
    failures
}

struct UnarResult {
    outcome: Outcome,
    failures: Vec<Failure>,
}

#[allow(clippy::too_many_arguments)]
fn run_unar(
    unar: &Path,
    archive: &Path,
    output: &Path,
    work: &Path,
    password: Option<&str>,
    indexes: &[u64],
    deadline: Instant,
    budget: u64,
) -> Result<UnarResult, ExtractError> {
    let mut command = Command::new(unar);
    // -nr: nested archives stay files (the pipeline dispatches them); -D: no extra containing folder;
    // -f: overwrite (the folder is fresh; duplicate names in the archive keep the last); -k skip: no resource forks.
    command.args(["-nr", "-D", "-f", "-k", "skip"]).args(BYTES_AS_LATIN1).arg("-o").arg(output);
    if let Some(password) = password {
        command.arg("-p").arg(password);
    }
    command.arg(archive);
    if indexes.len() <= MAX_INDEX_ARGUMENTS {
        command.arg("-i");
        command.args(indexes.iter().map(u64::to_string));
    }
    let stdout_path = work.join("unar.out");
    let stderr_path = work.join("unar.err");
    let (outcome, _success) = run_bounded(command, &stdout_path, &stderr_path, deadline, Some((output, budget)))?;
    let progress = std::fs::read(&stdout_path).map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    let mut failures = parse_failures(&progress.unwrap_or_default());
    let messages = read_excerpt(&stderr_path);
    if failures.is_empty() && !messages.is_empty() && is_password_message(&messages) {
        failures.push(Failure { name: "(archive)".to_string(), reason: messages });
    }
    Ok(UnarResult { outcome, failures })
}

/// The regular files under `output`, relative to it, in name order; links and special files are refused.
fn output_files(output: &Path, report: &mut Report) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(output.join(&relative)) else { continue };
        for entry in entries.flatten() {
            let path = relative.join(entry.file_name());
            let Ok(file_type) = entry.file_type() else { continue };
            if file_type.is_dir() {
                pending.push(path);
            } else if file_type.is_file() {
                files.push(path);
            } else if file_type.is_symlink() {
                report.diagnose(format!("{}: link written by unar, not followed", path.display()));
            }
        }
    }
    files.sort();
    files
}

/// The start of a message file, as text.
fn read_excerpt(path: &Path) -> String {
    let Ok(file) = File::open(path) else { return String::new() };
    let mut bytes = Vec::new();
    let _ = file.take(MAX_MESSAGE_BYTES as u64).read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unar_progress_lines_give_failed_members() {
        let progress = "x.rar: RAR\n  docs/a.txt  (49 B)... OK.\n  docs/b  c.pdf  (34824 B)... Failed! \
                        (Attempted to read more data than was available)\nExtraction failed (1 file failed.)\n";
        let failures = parse_failures(progress);
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].name, "docs/b  c.pdf");
        assert_eq!(failures[0].reason, "Attempted to read more data than was available");
        assert!(failures[0].is_truncation());

        let asked = "  secret.txt  (32 B)... This archive requires a password to unpack. Use the -p option.\n";
        assert_eq!(parse_failures(asked)[0].reason, "This archive requires a password to unpack. Use the -p option.");
    }

    /// A process that writes more than the budget into the watched folder is stopped (it would otherwise sleep
    /// for a minute and the outcome would be Finished).
    #[test]
    fn a_process_outgrowing_its_folder_is_stopped() {
        let dir = tempfile::tempdir().expect("temp folder");
        let output = dir.path().join("out");
        std::fs::create_dir(&output).expect("output folder");
        let mut command = Command::new("/bin/sh");
        command.arg("-c").arg("head -c 100000 /dev/zero > \"$0\"/big; exec sleep 60").arg(&output);
        let deadline = Instant::now() + Duration::from_secs(120);
        let (outcome, _) = run_bounded(
            command,
            &dir.path().join("stdout"),
            &dir.path().join("stderr"),
            deadline,
            Some((&output, 50_000)),
        )
        .expect("runs");
        assert!(matches!(outcome, Outcome::TooLarge(bytes) if bytes >= 100_000), "{outcome:?}");
    }

    #[test]
    fn a_process_past_its_deadline_is_stopped() {
        let dir = tempfile::tempdir().expect("temp folder");
        let mut command = Command::new("/bin/sh");
        command.arg("-c").arg("exec sleep 60");
        let (outcome, success) =
            run_bounded(command, &dir.path().join("stdout"), &dir.path().join("stderr"), Instant::now(), None)
                .expect("runs");
        assert!(matches!(outcome, Outcome::TimedOut) && !success, "{outcome:?}");
    }

    #[test]
    fn lsar_dates_become_iso8601() {
        assert_eq!(iso8601_from_lsar("2007-10-01 15:02:26 +0000").as_deref(), Some("2007-10-01T15:02:26Z"));
        assert_eq!(iso8601_from_lsar("2007-10-01 15:02:26 +0300").as_deref(), Some("2007-10-01T15:02:26+03:00"));
        assert_eq!(iso8601_from_lsar("garbage"), None);
    }

    #[test]
    fn a_missing_unar_names_the_debian_package() {
        let dir = tempfile::tempdir().expect("temp folder");
        let path = dir.path().join("a.rar");
        std::fs::write(&path, b"Rar!\x1a\x07\x00 and more").expect("write");
        let limits = dossier_document::Limits::default();
        let options = dossier_document::Options::default();
        let mut sink = dossier_document::MemorySink::new(&limits, 1);
        let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
        let empty_path = Some(dir.path().as_os_str().to_owned());
        let err = read_rar_with_search_path(&Source { path: &path, name: None }, &mut ctx, empty_path)
            .expect_err("no unar in an empty folder");
        assert_eq!(err.to_string(), "unsupported format RAR (unar is not installed: apt-get install unar)");
    }

    #[test]
    fn parent_directory_parts_escape() {
        assert!(escapes("../etc/passwd"));
        assert!(escapes("a\\..\\..\\b"));
        assert!(!escapes("a/b..c/d"));
    }
}
