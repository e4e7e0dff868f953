//! 7z archives, solid or not, through `sevenz-rust2`, one block (folder) at a time so that a damaged or locked
//! block costs only its own members.

use std::io::{self, BufReader, Seek, SeekFrom};

use dossier_document::{ChildKind, ChildMeta, Context, ExtractError, Extraction, Source};
use sevenz_rust2::{Archive, ArchiveEntry, BlockDecoder, EncoderMethod, Password};

use crate::names::iso8601_from_unix_seconds;
use crate::report::{Offer, Report};
use crate::zip::open_non_empty;

/// Seconds between 1601-01-01 (Windows FILETIME) and 1970-01-01.
const FILETIME_UNIX_OFFSET_SECONDS: i64 = 11_644_473_600;

/// Why a block's members were not all handed over.
enum BlockFailure {
    /// The block is encrypted and no password decoded it.
    Locked,
    /// The block could not be decoded; the text says why.
    Broken(String),
}

/// Reads a 7z archive. Encrypted content or headers are tried with no password, then with each of the user's.
pub fn read_7z(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let mut source = BufReader::new(open_non_empty(src)?);
    let mut passwords = vec![Password::empty()];
    passwords.extend(ctx.options.passwords.iter().map(|password| Password::new(password)));

    let archive = open_archive(&mut source, &passwords)?;
    let mut report = Report::new(ctx);
    for block in &archive.blocks {
        for coder in &block.coders {
            if let Some(method) = EncoderMethod::by_id(coder.encoder_method_id()) {
                report.note_compression(&method.name().to_lowercase());
            }
        }
    }
    let mut data_files = 0u64;
    for file in &archive.files {
        // Anti-items mark deletions in update archives; sevenz-rust2's own writer also flags directories so.
        if file.is_directory {
            report.list_directory(&file.name);
        } else if file.is_anti_item {
            report.list_special(&file.name, None, "deletion marker");
        } else if is_symlink(file) {
            report.list_special(&file.name, None, "symbolic link");
        } else {
            report.list_file(&file.name, Some(file.size), None);
            data_files += 1;
        }
    }

    let mut emitted = vec![false; archive.files.len()];
    let mut locked_files = 0u64;
    for block_index in 0..archive.blocks.len() {
        let Some(failure) = decode_block(ctx, &mut source, &archive, block_index, &passwords, &mut emitted)? else {
            continue;
        };
        let first = archive.stream_map.block_first_file_index.get(block_index).copied().unwrap_or(0);
        for (file_index, file) in archive.files.iter().enumerate().skip(first) {
            if archive.stream_map.file_block_index.get(file_index).copied().flatten() != Some(block_index) {
                continue;
            }
            if emitted[file_index] || file.is_directory || is_symlink(file) {
                continue;
            }
            match &failure {
                BlockFailure::Locked => {
                    locked_files += 1;
                    report.diagnose(format!("member {}: encrypted (AES), no password opened it", file.name));
                }
                BlockFailure::Broken(detail) => {
                    report.diagnose(format!("member {}: {detail}", file.name));
                }
            }
        }
    }

    // Members without data (empty files) belong to no block.
    for (file_index, file) in archive.files.iter().enumerate() {
        let in_no_block = archive.stream_map.file_block_index.get(file_index).copied().flatten().is_none();
        if in_no_block && !file.is_directory && !file.is_anti_item {
            if let Offer::Refused(err) = Report::offer(ctx, child_meta(file), &mut io::empty())? {
                report.diagnose(format!("member {}: {err}", file.name));
            }
        }
    }

    if locked_files > 0 && locked_files == data_files {
        return Err(ExtractError::Encrypted(Some(format!(
            "all {data_files} 7z members are encrypted (AES) and no password opened them"
        ))));
    }
    Ok(report.finish())
}

/// Reads the archive's header, trying the passwords when the header itself is encrypted.
fn open_archive(source: &mut BufReader<std::fs::File>, passwords: &[Password]) -> Result<Archive, ExtractError> {
    let mut header_encrypted = false;
    for password in passwords {
        source.seek(SeekFrom::Start(0)).map_err(|err| ExtractError::io(&err))?;
        match Archive::read(source, password) {
            Ok(archive) => return Ok(archive),
            Err(sevenz_rust2::Error::PasswordRequired) => header_encrypted = true,
            Err(sevenz_rust2::Error::MaybeBadPassword(_)) if header_encrypted => {}
            Err(err) if header_encrypted => {
                // A wrong password garbles the header into any error at all; keep trying the others.
                let _ = err;
            }
            Err(err) => return Err(classify(&err)),
        }
    }
    Err(ExtractError::Encrypted(Some("7z headers are encrypted and no password opened them".to_string())))
}

fn classify(err: &sevenz_rust2::Error) -> ExtractError {
    match err {
        sevenz_rust2::Error::BadSignature(_) => ExtractError::malformed("7z", "no 7z signature at the start"),
        sevenz_rust2::Error::Io(io_err, _) | sevenz_rust2::Error::FileOpen(io_err, _)
            if io_err.kind() == io::ErrorKind::UnexpectedEof =>
        {
            ExtractError::truncated("7z", describe(err))
        }
        // The next-header CRC covers the end of the file: a mismatch is most often a cut-off file or the first
        // volume of a multi-volume set.
        sevenz_rust2::Error::NextHeaderCrcMismatch => ExtractError::truncated("7z", describe(err)),
        _ => ExtractError::malformed("7z", describe(err)),
    }
}

fn describe(err: &sevenz_rust2::Error) -> String {
    match err {
        sevenz_rust2::Error::Io(io_err, context) if context.is_empty() => io_err.to_string(),
        sevenz_rust2::Error::Io(io_err, context) => format!("{context}: {io_err}"),
        sevenz_rust2::Error::Other(detail) | sevenz_rust2::Error::Unsupported(detail) => detail.to_string(),
        other => format!("{other:?}"),
    }
}

/// 7-Zip on Unix keeps the file mode in the high 16 bits of the attributes, flagged by 0x8000.
fn is_symlink(file: &ArchiveEntry) -> bool {
    const UNIX_EXTENSION: u32 = 0x8000;
    const FILE_TYPE_MASK: u32 = 0o170_000;
    const SYMLINK: u32 = 0o120_000;
    file.has_windows_attributes
        && file.windows_attributes & UNIX_EXTENSION != 0
        && (file.windows_attributes >> 16) & FILE_TYPE_MASK == SYMLINK
}

fn child_meta(file: &ArchiveEntry) -> ChildMeta {
    let modified = file.has_last_modified_date.then(|| {
        let ticks = u64::from(file.last_modified_date);
        let seconds = i64::try_from(ticks / 10_000_000).unwrap_or(i64::MAX) - FILETIME_UNIX_OFFSET_SECONDS;
        iso8601_from_unix_seconds(seconds)
    });
    ChildMeta { name: file.name.clone(), kind: ChildKind::Member, modified }
}

/// Hands over the members of one block, with each password in turn while the block looks encrypted. Members
/// already handed over by an earlier attempt are decoded again (a solid block can only be read from its start)
/// but not handed over twice. Returns `Err` only for a limit.
fn decode_block(
    ctx: &mut Context<'_>,
    source: &mut BufReader<std::fs::File>,
    archive: &Archive,
    block_index: usize,
    passwords: &[Password],
    emitted: &mut [bool],
) -> Result<Option<BlockFailure>, ExtractError> {
    let first_file = archive.stream_map.block_first_file_index.get(block_index).copied().unwrap_or(0);
    let mut encrypted = false;
    let mut last_detail = String::new();
    for password in passwords {
        let mut next_file = first_file;
        let mut limit = None;
        let mut refused = None;
        let decoder = BlockDecoder::new(1, block_index, archive, password, source);
        let result = decoder.for_each_entries(&mut |file: &ArchiveEntry, content: &mut dyn io::Read| {
            let file_index = next_file;
            next_file += 1;
            // Links are listed, not handed over; their content (the target) is skipped like a member already
            // handed over.
            if emitted.get(file_index).copied().unwrap_or(true) || is_symlink(file) {
                io::copy(content, &mut io::sink())?;
                return Ok(true);
            }
            match Report::offer(ctx, child_meta(file), content) {
                Ok(Offer::Kept) => {
                    emitted[file_index] = true;
                    Ok(true)
                }
                Ok(Offer::Refused(err)) => {
                    refused = Some(err.to_string());
                    Err(sevenz_rust2::Error::Other("member refused by the sink".into()))
                }
                Err(err) => {
                    limit = Some(err);
                    Err(sevenz_rust2::Error::Other("limit exceeded".into()))
                }
            }
        });
        if let Some(limit) = limit {
            return Err(limit);
        }
        let err = match result {
            Ok(_) => return Ok(None),
            Err(err) => err,
        };
        match &err {
            sevenz_rust2::Error::PasswordRequired | sevenz_rust2::Error::MaybeBadPassword(_) => encrypted = true,
            _ => {}
        }
        last_detail = refused.unwrap_or_else(|| describe(&err));
        if !encrypted {
            break;
        }
    }
    Ok(Some(if encrypted { BlockFailure::Locked } else { BlockFailure::Broken(last_detail) }))
}
