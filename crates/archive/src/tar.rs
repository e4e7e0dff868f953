//! TAR archives (ustar, GNU and PAX, long names and sparse files as the `tar` crate reads them).

use std::io::{self, BufReader};

use ::tar::{Archive, EntryType};
use dossier_document::{ChildKind, ChildMeta, Context, ExtractError, Extraction, Source};

use crate::names::{decode_raw_name, iso8601_from_unix_seconds};
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
        let name = decode_raw_name(&entry.path_bytes());
        let header = entry.header();
        let entry_type = header.entry_type();
        let modified = header
            .mtime()
            .ok()
            .filter(|seconds| *seconds > 0)
            .and_then(|seconds| i64::try_from(seconds).ok())
            .map(iso8601_from_unix_seconds);
        let link_target = entry.link_name_bytes().map(|target| decode_raw_name(&target));
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

fn is_truncation(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::UnexpectedEof || err.to_string().contains("entire block")
}
