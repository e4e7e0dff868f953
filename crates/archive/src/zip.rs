//! ZIP archives, read through the central directory, or from the local headers when the central directory is
//! missing (a truncated download, the first part of a split archive).

use std::fs::File;
use std::io::{self, BufReader, Read};

use ::zip::read::{HasZipMetadata, ZipFile};
use ::zip::result::ZipError;
use ::zip::{CompressionMethod, ExtraField, ZipArchive};
use dossier_document::{ChildKind, ChildMeta, Context, ExtractError, Extraction, Source};
use dossier_text::{NameCharset, NameFallback};

use crate::names::{iso8601_from_unix_seconds, iso8601_local};
use crate::report::{Offer, Report};

/// Reads a ZIP archive: every file member goes to the sink; encrypted members are opened with the user's
/// passwords when one fits.
pub fn read_zip(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let file = open_non_empty(src)?;
    match ZipArchive::new(BufReader::new(file)) {
        Ok(archive) => read_central_directory(archive, ctx),
        Err(central_error) => recover_from_local_headers(src, ctx, &central_error),
    }
}

pub(crate) fn open_non_empty(src: &Source<'_>) -> Result<File, ExtractError> {
    let file = File::open(src.path).map_err(|err| ExtractError::io(&err))?;
    let len = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
    if len == 0 {
        return Err(ExtractError::Empty);
    }
    Ok(file)
}

/// What the reader needs to know about a member before deciding what to do with it.
struct MemberInfo {
    /// The name as text, once the archive's name charset is known ([`MemberInfo::decode_name`]).
    name: String,
    /// The name's bytes as stored: UTF-8 when `name_is_utf8`, in an undeclared code page otherwise.
    raw_name: Vec<u8>,
    /// The UTF-8 flag (bit 11) is set, or the zip crate replaced the name with the one of an Info-ZIP Unicode Path
    /// extra field (0x7075) whose CRC matched the stored name.
    name_is_utf8: bool,
    size: u64,
    is_directory: bool,
    is_symlink: bool,
    encrypted: bool,
    aes: bool,
    method: String,
    modified: Option<String>,
}

impl MemberInfo {
    fn of<R: Read + ?Sized>(member: &ZipFile<'_, R>) -> MemberInfo {
        let data = member.get_metadata();
        MemberInfo {
            name: String::new(),
            raw_name: data.file_name_raw.to_vec(),
            name_is_utf8: data.is_utf8,
            size: data.uncompressed_size,
            is_directory: member.is_dir(),
            is_symlink: member.is_symlink(),
            encrypted: data.encrypted,
            aes: data.aes_mode.is_some(),
            method: method_name(data.compression_method),
            modified: modified(member),
        }
    }

    /// Sets the name as text: flagged names are UTF-8; the others are in `legacy`, the code page decided for the
    /// archive's unflagged names.
    fn decode_name(&mut self, legacy: NameCharset) {
        let charset = if self.name_is_utf8 { NameCharset::UTF_8 } else { legacy };
        self.name = charset.decode(&self.raw_name).text;
    }

    fn child_meta(&self) -> ChildMeta {
        ChildMeta { name: self.name.clone(), kind: ChildKind::Member, modified: self.modified.clone() }
    }

    fn encryption(&self) -> &'static str {
        if self.aes { "AES" } else { "ZipCrypto" }
    }
}

/// The code page of the names stored without the UTF-8 flag, decided over all of them: nominally IBM437, but
/// Russian archivers on Windows write IBM866 (and some tools windows-1251 or UTF-8), with nothing to say so.
/// Noted as metadata when a legacy code page was used, so that the names' bytes can be recovered from the text.
fn legacy_name_charset<'a>(members: impl IntoIterator<Item = &'a MemberInfo>, report: &mut Report) -> NameCharset {
    let unflagged = members.into_iter().filter(|info| !info.name_is_utf8).map(|info| info.raw_name.as_slice());
    let charset = NameCharset::detect(unflagged, NameFallback::Cp437);
    if !charset.is_utf8() {
        report.metadata.set("name_charset", charset.name());
    }
    charset
}

fn method_name(method: CompressionMethod) -> String {
    match method {
        CompressionMethod::Stored => "stored".to_string(),
        CompressionMethod::Deflated => "deflate".to_string(),
        CompressionMethod::Deflate64 => "deflate64".to_string(),
        CompressionMethod::Bzip2 => "bzip2".to_string(),
        CompressionMethod::Zstd => "zstd".to_string(),
        CompressionMethod::Lzma => "lzma".to_string(),
        CompressionMethod::Xz => "xz".to_string(),
        CompressionMethod::Ppmd => "ppmd".to_string(),
        other => other.to_string().to_lowercase(),
    }
}

/// The extended-timestamp extra field is UTC and wins; otherwise the DOS date, which is local time.
fn modified<R: Read + ?Sized>(member: &ZipFile<'_, R>) -> Option<String> {
    for field in &member.get_metadata().extra_fields {
        if let ExtraField::ExtendedTimestamp(timestamp) = field
            && let Some(seconds) = timestamp.mod_time()
        {
            return Some(iso8601_from_unix_seconds(i64::from(seconds)));
        }
    }
    let date = member.last_modified()?;
    // 1980-00-00 is what tools write for "no date".
    if date.month() == 0 || date.day() == 0 {
        return None;
    }
    Some(iso8601_local(date.year(), date.month(), date.day(), date.hour(), date.minute(), date.second()))
}

fn read_central_directory(
    mut archive: ZipArchive<BufReader<File>>,
    ctx: &mut Context<'_>,
) -> Result<Extraction, ExtractError> {
    let mut report = Report::new(ctx);
    let options = ctx.options;
    let mut file_members = 0u64;
    let mut encrypted_not_opened = 0u64;
    let mut encryption_kinds = Vec::new();

    // All names first: the code page of the unflagged ones is decided over the whole archive.
    let mut members: Vec<Result<MemberInfo, ZipError>> =
        (0..archive.len()).map(|index| archive.by_index_raw(index).map(|member| MemberInfo::of(&member))).collect();
    let legacy = legacy_name_charset(members.iter().flatten(), &mut report);
    for info in members.iter_mut().flatten() {
        info.decode_name(legacy);
    }
    // The comment is text in the same code page as the names, with nothing to say so either.
    let declared = (!legacy.is_utf8()).then(|| legacy.name());
    report.metadata.set("comment", dossier_text::decode(archive.comment(), declared).text);

    for (index, info) in members.into_iter().enumerate() {
        let info = match info {
            Ok(info) => info,
            Err(err) => {
                let name = archive.name_for_index(index).unwrap_or("?").to_string();
                report.list_file(&name, None, Some("unreadable"));
                report.diagnose(format!("member {name}: {}", describe(&err)));
                continue;
            }
        };
        if info.is_directory {
            report.list_directory(&info.name);
            continue;
        }
        report.note_compression(&info.method);
        if info.is_symlink {
            let target = archive.by_index(index).ok().and_then(|member| read_link_target(member, legacy));
            report.list_special(&info.name, target.as_deref(), "symbolic link");
            continue;
        }
        file_members += 1;

        if !info.encrypted {
            report.list_file(&info.name, Some(info.size), None);
            match archive.by_index(index) {
                Ok(mut member) => {
                    if let Offer::Refused(err) = Report::offer(ctx, info.child_meta(), &mut member)? {
                        report.diagnose(format!("member {}: {err}", info.name));
                    }
                }
                Err(err) => report.diagnose(format!("member {}: {}", info.name, describe(&err))),
            }
            continue;
        }

        // ZipCrypto checks only one byte of the password, so a wrong one is sometimes accepted and then fails on
        // the CRC or in the decompressor: such a refusal means "try the next password".
        let mut opened = false;
        let mut other_error = None;
        for password in &options.passwords {
            match archive.by_index_decrypt(index, password.as_bytes()) {
                Ok(mut member) => match Report::offer(ctx, info.child_meta(), &mut member)? {
                    Offer::Kept => {
                        opened = true;
                        break;
                    }
                    Offer::Refused(_) => continue,
                },
                Err(ZipError::InvalidPassword) => continue,
                Err(err) => {
                    other_error = Some(describe(&err));
                    break;
                }
            }
        }
        if opened {
            report.list_file(&info.name, Some(info.size), Some("encrypted, opened"));
            continue;
        }
        report.list_file(&info.name, Some(info.size), Some("encrypted"));
        match other_error {
            Some(err) => report.diagnose(format!("member {}: {err}", info.name)),
            None => {
                encrypted_not_opened += 1;
                if !encryption_kinds.contains(&info.encryption()) {
                    encryption_kinds.push(info.encryption());
                }
                report.diagnose(format!(
                    "member {}: encrypted ({}), no password opened it",
                    info.name,
                    info.encryption()
                ));
            }
        }
    }

    if file_members > 0 && encrypted_not_opened == file_members {
        return Err(ExtractError::Encrypted(Some(format!(
            "all {file_members} ZIP members are encrypted ({}) and no password opened them",
            encryption_kinds.join(", ")
        ))));
    }
    Ok(report.finish())
}

/// Without a central directory the local headers are read in order, the way a streaming unzip would; this stops
/// at the first header that cannot be read.
fn recover_from_local_headers(
    src: &Source<'_>,
    ctx: &mut Context<'_>,
    central_error: &ZipError,
) -> Result<Extraction, ExtractError> {
    let mut reader = BufReader::new(open_non_empty(src)?);
    let mut report = Report::new(ctx);
    let mut recovered = 0u64;
    let mut stop_error = None;
    loop {
        match ::zip::read::read_zipfile_from_stream(&mut reader) {
            Ok(Some(mut member)) => {
                recovered += 1;
                let mut info = MemberInfo::of(&member);
                // Members are read as they come, so each name's code page is decided on that name alone.
                info.decode_name(NameCharset::detect([&info.raw_name], NameFallback::Cp437));
                if info.is_directory {
                    report.list_directory(&info.name);
                    continue;
                }
                report.note_compression(&info.method);
                if info.is_symlink {
                    report.list_special(&info.name, None, "symbolic link");
                    continue;
                }
                report.list_file(&info.name, Some(info.size), None);
                if let Offer::Refused(err) = Report::offer(ctx, info.child_meta(), &mut member)? {
                    report.diagnose(format!("member {}: {err}", info.name));
                }
            }
            Ok(None) => break,
            Err(err) => {
                stop_error = Some(err);
                break;
            }
        }
    }

    if recovered == 0 {
        let detail = match &stop_error {
            Some(err) => format!("{}; no readable local header: {}", describe(central_error), describe(err)),
            None => describe(central_error),
        };
        return Err(if is_end_of_file(stop_error.as_ref()) {
            ExtractError::truncated("zip", detail)
        } else {
            ExtractError::malformed("zip", detail)
        });
    }
    report.diagnose(format!(
        "no usable central directory ({}): {recovered} entries recovered from local headers",
        describe(central_error)
    ));
    if let Some(err) = stop_error {
        report.diagnose(format!("recovery stopped after {recovered} entries: {}", describe(&err)));
    }
    Ok(report.finish())
}

/// A link's target is its content, a path in the names' code page; links are listed, never followed, so a few
/// kilobytes are plenty.
fn read_link_target(member: impl Read, charset: NameCharset) -> Option<String> {
    let mut target = Vec::new();
    member.take(4096).read_to_end(&mut target).ok()?;
    Some(charset.decode(&target).text)
}

fn is_end_of_file(err: Option<&ZipError>) -> bool {
    matches!(err, Some(ZipError::Io(io_err)) if io_err.kind() == io::ErrorKind::UnexpectedEof)
}

/// The zip crate's messages, without its "invalid Zip archive:" style prefixes doubling ours.
fn describe(err: &ZipError) -> String {
    match err {
        ZipError::Io(io_err) => io_err.to_string(),
        ZipError::InvalidArchive(detail) => detail.to_string(),
        ZipError::UnsupportedArchive(detail) => format!("unsupported: {detail}"),
        other => other.to_string(),
    }
}
