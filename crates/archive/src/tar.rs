//! TAR archives (ustar, GNU and PAX, long names and sparse files as the `tar` crate reads them).

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use ::tar::{Archive, Entry, EntryType};
use dossier_document::{ChildKind, ChildMeta, Context, ExtractError, Extraction, Source};
use dossier_text::{NameCharset, NameFallback};

use crate::names::iso8601_from_unix_seconds;
use crate::report::{Offer, Report};
use crate::streams::ExactLength;
use crate::zip::open_non_empty;

/// Reads a TAR archive: regular files go to the sink; directories, links and devices are only listed. A truncated
/// archive yields what was read before the cut plus a diagnostic.
pub fn read_tar(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let file = open_non_empty(src)?;
    let mut archive = Archive::new(BufReader::new(file));
    let entries = archive.entries().map_err(|err| ExtractError::malformed("tar", err))?;
    let mut report = Report::new(ctx);
    let legacy = legacy_name_charset(src.path, ctx.limits.max_entries);
    if !legacy.is_utf8() {
        report.metadata.set("name_charset", legacy.name());
    }
    let mut n_entries = 0u64;
    let mut stop_error = None;

    for entry in entries {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                stop_error = Some(err);
                break;
            }
        };
        n_entries += 1;
        let (path_is_utf8, link_is_utf8) = pax_utf8(&mut entry);
        let charset = |is_utf8: bool| if is_utf8 { NameCharset::UTF_8 } else { legacy };
        let name = charset(path_is_utf8).decode(&entry.path_bytes()).text;
        let header = entry.header();
        let entry_type = header.entry_type();
        let modified = header
            .mtime()
            .ok()
            .filter(|seconds| *seconds > 0)
            .and_then(|seconds| i64::try_from(seconds).ok())
            .map(iso8601_from_unix_seconds);
        let link_target = entry.link_name_bytes().map(|target| charset(link_is_utf8).decode(&target).text);
        let size = entry.size();

        let special = match entry_type {
            EntryType::Directory => {
                report.list_directory(&name);
                continue;
            }
            EntryType::Symlink => Some("symbolic link"),
            EntryType::Link => Some("hard link"),
            EntryType::Char => Some("character device"),
            EntryType::Block => Some("block device"),
            EntryType::Fifo => Some("fifo"),
            // Metadata records that the tar crate did not fold into the next entry (a PAX global header, a
            // stray long-name record) carry no file.
            EntryType::XGlobalHeader | EntryType::XHeader | EntryType::GNULongName | EntryType::GNULongLink => {
                Some("metadata record")
            }
            // Regular, contiguous, sparse, and unknown types, which POSIX says to read as regular files.
            _ => None,
        };
        if let Some(kind) = special {
            report.list_special(&name, link_target.as_deref(), kind);
            continue;
        }
        if entry_type.is_gnu_sparse() {
            report.note_compression("sparse");
        }
        report.list_file(&name, Some(size), None);
        let meta = ChildMeta { name: name.clone(), kind: ChildKind::Member, modified };
        let mut content = ExactLength::new(&mut entry, size);
        if let Offer::Refused(err) = Report::offer(ctx, meta, &mut content)? {
            report.diagnose(format!("member {name}: {err}"));
        }
    }

    if let Some(err) = stop_error {
        let truncated = is_truncation(&err);
        if n_entries == 0 {
            return Err(if truncated {
                ExtractError::truncated("tar", err)
            } else {
                ExtractError::malformed("tar", err)
            });
        }
        let what = if truncated { "truncated" } else { "unreadable" };
        report.diagnose(format!("archive {what} after {n_entries} entries: {err}"));
    }
    Ok(report.finish())
}

/// The code page of the names that no PAX header declares, decided over all of them (ustar and GNU names are
/// bytes, in whatever the system that made the archive used: UTF-8 today, KOI8-R or windows-1251 in old Russian
/// archives). A first pass over the headers, seeking past the contents; a damaged archive gives what was read.
fn legacy_name_charset(path: &Path, max_entries: u64) -> NameCharset {
    let Ok(file) = File::open(path) else { return NameCharset::UTF_8 };
    let mut archive = Archive::new(BufReader::new(file));
    let Ok(entries) = archive.entries_with_seek() else { return NameCharset::UTF_8 };
    let max_entries = usize::try_from(max_entries).unwrap_or(usize::MAX);
    let names = entries.take(max_entries).map_while(Result::ok).flat_map(|mut entry| {
        let (path_is_utf8, link_is_utf8) = pax_utf8(&mut entry);
        let path = (!path_is_utf8).then(|| entry.path_bytes().into_owned());
        let link = entry.link_name_bytes().filter(|_| !link_is_utf8).map(|link| link.into_owned());
        path.into_iter().chain(link)
    });
    NameCharset::detect(names, NameFallback::Detected)
}

/// Whether the entry's path and link target come from its PAX header, which holds UTF-8 unless it says
/// `hdrcharset=BINARY` (POSIX: "the values are not in UTF-8", as when the names could not be converted).
fn pax_utf8<R: Read>(entry: &mut Entry<'_, R>) -> (bool, bool) {
    let Ok(Some(extensions)) = entry.pax_extensions() else { return (false, false) };
    let (mut path, mut link, mut binary) = (false, false, false);
    for extension in extensions.flatten() {
        match extension.key_bytes() {
            b"path" => path = true,
            b"linkpath" => link = true,
            b"hdrcharset" => binary = extension.value_bytes() == b"BINARY",
            _ => {}
        }
    }
    (path && !binary, link && !binary)
}

fn is_truncation(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::UnexpectedEof || err.to_string().contains("entire block")
}
