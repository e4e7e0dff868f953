//! The ZIP container shared by OOXML and ODF: bounded reads of parts, relationships, embedded children, and
//! recovery of members from local headers when the central directory is missing (a truncated download).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::rc::Rc;

use dossier_document::{Budget, ChildKind, ChildMeta, Context, ExtractError, Limits, Source};
use zip::ZipArchive;
use zip::result::ZipError;

use crate::xml::{self, XmlEvent};

/// The outcome of reading one part.
pub(crate) enum Part {
    Found(Vec<u8>),
    Missing,
    /// The part exists but could not be read: too large, encrypted, or its compressed data is damaged.
    Unreadable(ExtractError),
}

/// What a package is read from: a file on disk, or the bytes of a decrypted package held in memory.
pub(crate) trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// Bytes held once in memory and read through several cursors.
#[derive(Clone)]
struct SharedBytes(Rc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

enum Storage {
    /// The normal case: members are read on demand through the central directory.
    Central(ZipArchive<Box<dyn ReadSeek>>),
    /// The central directory was unreadable; XML members were recovered from their local headers, in order.
    Recovered(Vec<Vec<u8>>),
}

/// An opened OOXML or ODF package.
pub(crate) struct Package {
    format: &'static str,
    limits: Limits,
    budget: Budget,
    storage: Storage,
    /// Member names as stored, in archive order.
    names: Vec<String>,
    /// Normalised name (forward slashes, no leading slash, lower case) to index in `names`.
    lookup: HashMap<String, usize>,
    /// Problems found while reading secondary parts; they make the document partial.
    pub(crate) diagnostics: Vec<String>,
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Normalises a part name for lookups: producers disagree on case, leading slashes and even path separators.
pub(crate) fn normalise(name: &str) -> String {
    name.replace('\\', "/").trim_start_matches('/').to_lowercase()
}

impl Package {
    pub(crate) fn open(src: &Source<'_>, ctx: &Context<'_>, format: &'static str) -> Result<Package, ExtractError> {
        let len = std::fs::metadata(src.path).map_err(|err| ExtractError::io(&err))?.len();
        let open = || -> std::io::Result<Box<dyn ReadSeek>> { Ok(Box::new(BufReader::new(File::open(src.path)?))) };
        Package::from_reader(&open, len, ctx, format)
    }

    /// Opens a package held in memory (a decrypted `EncryptedPackage`); `packed_len` is the size of the file it
    /// came from, against which the unpacking ratio is measured.
    pub(crate) fn from_bytes(
        bytes: Vec<u8>,
        packed_len: u64,
        ctx: &Context<'_>,
        format: &'static str,
    ) -> Result<Package, ExtractError> {
        if bytes.is_empty() {
            return Err(ExtractError::Empty);
        }
        // Shared (not copied) so that the recovery path can read the bytes again after the ZIP reader gave up.
        let shared = SharedBytes(Rc::new(bytes));
        let open = || -> std::io::Result<Box<dyn ReadSeek>> { Ok(Box::new(Cursor::new(shared.clone()))) };
        Package::from_reader(&open, packed_len, ctx, format)
    }

    /// `open` yields a fresh reader over the package each time it is called (once for the central directory,
    /// once more if the package has to be recovered from its local headers).
    fn from_reader(
        open: &dyn Fn() -> std::io::Result<Box<dyn ReadSeek>>,
        len: u64,
        ctx: &Context<'_>,
        format: &'static str,
    ) -> Result<Package, ExtractError> {
        if len == 0 {
            return Err(ExtractError::Empty);
        }
        let mut reader = open().map_err(|err| ExtractError::io(&err))?;
        let mut magic = [0u8; 8];
        let n_magic = read_up_to(&mut reader, &mut magic).map_err(|err| ExtractError::io(&err))?;
        if n_magic == 0 {
            return Err(ExtractError::Empty);
        }
        if n_magic == 8 && magic == OLE_MAGIC {
            // Password-protected OOXML is an OLE2 file holding EncryptionInfo and EncryptedPackage streams.
            return Err(ExtractError::Encrypted(Some(format!(
                "{format} wrapped in an OLE2 container (password-protected Office file)"
            ))));
        }
        if n_magic < 4 || &magic[..2] != b"PK" {
            return Err(ExtractError::malformed(format, "not a ZIP package"));
        }
        reader.rewind().map_err(|err| ExtractError::io(&err))?;
        let budget = Budget::new(ctx.limits, len);
        match ZipArchive::new(reader) {
            Ok(archive) => {
                let names: Vec<String> = archive.file_names().map(str::to_string).collect();
                // `file_names` is in hash order; keep the archive order so that output is deterministic.
                let mut ordered: Vec<String> =
                    (0..archive.len()).filter_map(|index| archive.name_for_index(index).map(str::to_string)).collect();
                if ordered.len() != names.len() {
                    ordered = names;
                }
                Ok(Package::with_names(format, ctx.limits, budget, Storage::Central(archive), ordered, Vec::new()))
            }
            Err(central_error) => {
                let reader = open().map_err(|err| ExtractError::io(&err))?;
                Package::recover(reader, ctx, format, budget, &central_error)
            }
        }
    }

    fn with_names(
        format: &'static str,
        limits: &Limits,
        budget: Budget,
        storage: Storage,
        names: Vec<String>,
        diagnostics: Vec<String>,
    ) -> Package {
        let mut lookup = HashMap::new();
        for (index, name) in names.iter().enumerate() {
            lookup.entry(normalise(name)).or_insert(index);
        }
        Package { format, limits: limits.clone(), budget, storage, names, lookup, diagnostics }
    }

    /// Reads the members one after another from their local headers, keeping the XML ones. Used when the central
    /// directory at the end of the file is missing or broken, which is what a truncated copy looks like.
    fn recover(
        mut reader: Box<dyn ReadSeek>,
        ctx: &Context<'_>,
        format: &'static str,
        mut budget: Budget,
        central_error: &ZipError,
    ) -> Result<Package, ExtractError> {
        let mut names = Vec::new();
        let mut contents = Vec::new();
        let mut diagnostics =
            vec![format!("ZIP central directory unreadable ({central_error}); members recovered from local headers")];
        let mut kept_bytes = 0u64;
        loop {
            let mut member = match zip::read::read_zipfile_from_stream(&mut reader) {
                Ok(Some(member)) => member,
                Ok(None) => break,
                Err(err) => {
                    diagnostics.push(format!("member {} unreadable, recovery stopped: {err}", names.len() + 1));
                    break;
                }
            };
            let name = member.name().to_string();
            let lower = name.to_lowercase();
            if member.is_dir() || !(lower.ends_with(".xml") || lower.ends_with(".rels")) {
                // Dropping the member skips its data; media are not needed for the text.
                continue;
            }
            let remaining = ctx.limits.max_in_memory_bytes.saturating_sub(kept_bytes);
            let mut content = Vec::new();
            let result = budget.copy(&mut (&mut member).take(remaining + 1), &mut content);
            kept_bytes += content.len() as u64;
            match result {
                Err(err @ ExtractError::LimitExceeded(_)) => return Err(err),
                Err(err) => {
                    diagnostics.push(format!("member {name} damaged: {err}"));
                    if !content.is_empty() {
                        names.push(name);
                        contents.push(content);
                    }
                    break;
                }
                Ok(_) if content.len() as u64 > remaining => {
                    return Err(ExtractError::LimitExceeded(format!(
                        "recovered XML parts exceed max_in_memory_bytes {}",
                        ctx.limits.max_in_memory_bytes
                    )));
                }
                Ok(_) => {
                    names.push(name);
                    contents.push(content);
                }
            }
        }
        if names.is_empty() {
            return Err(ExtractError::truncated(format, format!("ZIP package unreadable: {central_error}")));
        }
        Ok(Package::with_names(format, ctx.limits, budget, Storage::Recovered(contents), names, diagnostics))
    }

    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.lookup.contains_key(&normalise(name))
    }

    /// Reads a part, bounded by `max_in_memory_bytes` (checked on the bytes actually inflated, since a ZIP can
    /// lie about sizes) and counted against the file's unpacking budget. `Err` only when the budget as a whole is
    /// exceeded: then the file is a bomb and reading stops.
    pub(crate) fn read(&mut self, name: &str) -> Result<Part, ExtractError> {
        let Some(&index) = self.lookup.get(&normalise(name)) else {
            return Ok(Part::Missing);
        };
        let limit = self.limits.max_in_memory_bytes;
        let stored_name = self.names[index].clone();
        let archive = match &mut self.storage {
            Storage::Recovered(contents) => {
                let content = &contents[index];
                return Ok(Part::Found(content.clone()));
            }
            Storage::Central(archive) => archive,
        };
        let mut member = match archive.by_index(index) {
            Ok(member) => member,
            Err(ZipError::UnsupportedArchive(detail)) if detail == ZipError::PASSWORD_REQUIRED => {
                return Ok(Part::Unreadable(ExtractError::Encrypted(Some(format!(
                    "ZIP member {stored_name} is encrypted"
                )))));
            }
            Err(err) => {
                return Ok(Part::Unreadable(ExtractError::malformed(
                    self.format,
                    format!("member {stored_name}: {err}"),
                )));
            }
        };
        let mut content = Vec::new();
        let result = self.budget.copy(&mut (&mut member).take(limit + 1), &mut content);
        match result {
            Err(err @ ExtractError::LimitExceeded(_)) => Err(err),
            Err(err) if content.is_empty() => {
                Ok(Part::Unreadable(ExtractError::malformed(self.format, format!("member {stored_name}: {err}"))))
            }
            Err(err) => {
                // Keep what inflated before the damage: a truncated part still holds readable text.
                self.diagnostics.push(format!("{stored_name} damaged after {} bytes: {err}", content.len()));
                Ok(Part::Found(content))
            }
            Ok(_) if content.len() as u64 > limit => Ok(Part::Unreadable(ExtractError::LimitExceeded(format!(
                "part {stored_name} larger than max_in_memory_bytes {limit}"
            )))),
            Ok(_) => Ok(Part::Found(content)),
        }
    }

    /// Reads a secondary part as text: a missing part is `None`, an unreadable one is a diagnostic and `None`.
    pub(crate) fn read_secondary(&mut self, name: &str) -> Result<Option<String>, ExtractError> {
        match self.read(name)? {
            Part::Found(bytes) => Ok(Some(xml::decode_part(&bytes).into_owned())),
            Part::Missing => Ok(None),
            Part::Unreadable(err) => {
                self.diagnostics.push(format!("{name} unreadable: {err}"));
                Ok(None)
            }
        }
    }

    /// Reads the main part, whose absence or damage makes the whole file unreadable.
    pub(crate) fn read_main(&mut self, name: &str) -> Result<String, ExtractError> {
        match self.read(name)? {
            Part::Found(bytes) => Ok(xml::decode_part(&bytes).into_owned()),
            Part::Missing if matches!(self.storage, Storage::Recovered(_)) => Err(ExtractError::truncated(
                self.format,
                format!("main part {name} not among the members before the damage"),
            )),
            Part::Missing => Err(ExtractError::malformed(self.format, format!("main part {name} missing"))),
            Part::Unreadable(err) => Err(err),
        }
    }

    /// Parses a relationships part (`_rels/X.rels`) belonging to `part` (`""` for the package itself).
    pub(crate) fn relationships(&mut self, part: &str) -> Result<Vec<Relationship>, ExtractError> {
        let (dir, file) = match part.rfind('/') {
            Some(slash) => (&part[..slash + 1], &part[slash + 1..]),
            None => ("", part),
        };
        let rels_name = format!("{dir}_rels/{file}.rels");
        let Some(xml) = self.read_secondary(&rels_name)? else {
            return Ok(Vec::new());
        };
        let mut relationships = Vec::new();
        let result = xml::walk(&xml, |event| {
            if let XmlEvent::Start(tag) = event
                && tag.local() == b"Relationship"
            {
                let external = tag.attr("TargetMode").is_some_and(|mode| mode.eq_ignore_ascii_case("external"));
                let target = tag.attr("Target").unwrap_or_default();
                relationships.push(Relationship {
                    id: tag.attr("Id").unwrap_or_default(),
                    kind: tag
                        .attr("Type")
                        .map(|kind| kind.rsplit('/').next().unwrap_or_default().to_string())
                        .unwrap_or_default(),
                    target: if external { target } else { resolve(dir, &target) },
                    external,
                });
            }
        });
        if let Err(err) = result {
            self.diagnostics.push(format!("{rels_name}: {err}"));
        }
        Ok(relationships)
    }

    /// Hands every member accepted by `is_embedded` to the sink as an embedded child.
    pub(crate) fn emit_children(
        &mut self,
        ctx: &mut Context<'_>,
        is_embedded: impl Fn(&str) -> bool,
    ) -> Result<(), ExtractError> {
        let wanted: Vec<usize> = (0..self.names.len())
            .filter(|&index| {
                let name = &self.names[index];
                !name.ends_with('/') && is_embedded(&normalise(name))
            })
            .collect();
        if wanted.is_empty() {
            return Ok(());
        }
        let Storage::Central(archive) = &mut self.storage else {
            self.diagnostics.push(format!(
                "{} embedded objects skipped: package recovered without its central directory",
                wanted.len()
            ));
            return Ok(());
        };
        for index in wanted {
            let name = self.names[index].clone();
            let mut member = match archive.by_index(index) {
                Ok(member) => member,
                Err(err) => {
                    self.diagnostics.push(format!("embedded object {name} unreadable: {err}"));
                    continue;
                }
            };
            match ctx.sink.add(ChildMeta::new(name.clone(), ChildKind::Embedded), &mut member) {
                Ok(()) => {}
                Err(err @ ExtractError::LimitExceeded(_)) => return Err(err),
                Err(err) => self.diagnostics.push(format!("embedded object {name} not kept: {err}")),
            }
        }
        Ok(())
    }
}

/// One entry of a relationships part.
#[derive(Debug, Clone)]
pub(crate) struct Relationship {
    pub(crate) id: String,
    /// The last segment of the relationship type URI (`officeDocument`, `header`, `comments`, `slide`...).
    pub(crate) kind: String,
    /// The target part, resolved to a package path (unless `external`).
    pub(crate) target: String,
    pub(crate) external: bool,
}

/// Resolves a relationship target against the folder of its source part.
pub(crate) fn resolve(dir: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{dir}{target}"),
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    segments.join("/")
}

fn read_up_to(file: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_source_folder() {
        assert_eq!(resolve("word/", "header1.xml"), "word/header1.xml");
        assert_eq!(resolve("ppt/slides/", "../notesSlides/n1.xml"), "ppt/notesSlides/n1.xml");
        assert_eq!(resolve("xl/", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("", "../../../etc/passwd"), "etc/passwd");
    }

    #[test]
    fn names_normalise_case_slashes_and_separators() {
        assert_eq!(normalise("/Word\\Document.xml"), "word/document.xml");
    }
}
