//! EPUB 2 and 3: a ZIP holding `META-INF/container.xml`, which names the OPF package file, whose metadata is Dublin
//! Core and whose spine lists the XHTML chapters in reading order (which need not be the manifest's order).
//!
//! Every member is read bounded by `max_in_memory_bytes` on the bytes actually inflated (a ZIP can lie about
//! sizes) and counted against the file's unpacking budget, so a zip bomb dressed as a book costs bounded memory.
//! Chapters listed in `META-INF/encryption.xml` (other than obfuscated fonts) are DRM-protected: they are skipped
//! with a diagnostic, and a book whose every chapter is protected is `Encrypted`.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read, Seek};

use dossier_document::{Budget, Context, ExtractError, Extraction, Metadata, Source, TextBuilder};
use zip::ZipArchive;
use zip::result::ZipError;

use crate::xml::{self, XmlEvent};

/// Font obfuscation algorithms: listed in encryption.xml but not DRM (the text stays readable).
const FONT_OBFUSCATION: [&str; 2] = ["http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"];

/// Reads an EPUB book: metadata from the OPF package, text of the spine's chapters in reading order.
pub fn read_epub(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let mut book = Book::open(src, ctx)?;
    let mut extraction = Extraction::default();
    let encrypted = book.encrypted_members();
    let Some(opf_path) = book.package_path() else {
        return book.read_without_package(ctx, encrypted, extraction);
    };
    let opf = match book.read_text(&opf_path)? {
        Ok(opf) => opf,
        Err(problem) => {
            book.diagnostics.push(format!("package file {opf_path} unreadable: {problem}"));
            return book.read_without_package(ctx, encrypted, extraction);
        }
    };
    let package = parse_package(&opf, &opf_path);
    if let Some(error) = &package.error {
        book.diagnostics.push(format!("package file {opf_path}: {error}"));
    }
    extraction.metadata = package.metadata;
    let mut text = TextBuilder::new(ctx.limits.max_text_bytes);
    let mut read_chapters = 0usize;
    let mut protected = 0usize;
    let mut seen = HashSet::new();
    for href in &package.spine {
        if !seen.insert(normalise(href)) {
            continue;
        }
        if encrypted.contains(&normalise(href)) {
            protected += 1;
            continue;
        }
        if text.is_full() {
            break;
        }
        match book.read_text(href)? {
            Ok(chapter) => {
                let chapter_text = dossier_text::html_to_text(&chapter);
                if !chapter_text.trim().is_empty() {
                    text.end_paragraph();
                    text.push(chapter_text.trim());
                    text.end_line();
                }
                read_chapters += 1;
            }
            Err(problem) => book.diagnostics.push(format!("chapter {href} unreadable: {problem}")),
        }
    }
    if package.spine.is_empty() {
        book.diagnostics.push("the package has no spine: no chapter to read".to_string());
    }
    if protected > 0 {
        if read_chapters == 0 {
            return Err(ExtractError::Encrypted(Some(format!(
                "EPUB with DRM: {protected} of {} chapters encrypted",
                seen.len()
            ))));
        }
        book.diagnostics.push(format!("{protected} chapters are DRM-encrypted and were not read"));
    }
    let (text, cut) = text.finish();
    if text.trim().is_empty() && extraction.metadata.is_empty() && !book.diagnostics.is_empty() {
        return Err(ExtractError::malformed("epub", book.diagnostics.join("; ")));
    }
    extraction.text = text;
    extraction.diagnostics = book.diagnostics;
    extraction.diagnostics.extend(cut);
    Ok(extraction)
}

/// An opened EPUB container.
struct Book {
    archive: ZipArchive<BufReader<File>>,
    budget: Budget,
    limit: u64,
    /// Normalised member name to index, for lookups that forgive case and slash differences.
    lookup: HashMap<String, usize>,
    /// Member names in archive order.
    names: Vec<String>,
    diagnostics: Vec<String>,
}

impl Book {
    fn open(src: &Source<'_>, ctx: &Context<'_>) -> Result<Book, ExtractError> {
        let mut file = File::open(src.path).map_err(|err| ExtractError::io(&err))?;
        let len = file.metadata().map_err(|err| ExtractError::io(&err))?.len();
        if len == 0 {
            return Err(ExtractError::Empty);
        }
        let mut magic = [0u8; 2];
        let n = file.read(&mut magic).map_err(|err| ExtractError::io(&err))?;
        if n < 2 || magic != *b"PK" {
            return Err(ExtractError::malformed("epub", "not a ZIP container"));
        }
        file.rewind().map_err(|err| ExtractError::io(&err))?;
        let archive = ZipArchive::new(BufReader::new(file)).map_err(|err| match err {
            ZipError::Io(_) | ZipError::InvalidArchive(_) => {
                ExtractError::truncated("epub", format!("ZIP container unreadable: {err}"))
            }
            other => ExtractError::malformed("epub", format!("ZIP container unreadable: {other}")),
        })?;
        let names: Vec<String> =
            (0..archive.len()).map(|index| archive.name_for_index(index).unwrap_or_default().to_string()).collect();
        let mut lookup = HashMap::new();
        for (index, name) in names.iter().enumerate() {
            lookup.entry(normalise(name)).or_insert(index);
        }
        Ok(Book {
            archive,
            budget: Budget::new(ctx.limits, len),
            limit: ctx.limits.max_in_memory_bytes,
            lookup,
            names,
            diagnostics: Vec::new(),
        })
    }

    /// Reads a member as bytes. The outer `Err` is a blown unpacking budget (stop reading the book); the inner one
    /// says why this member could not be read.
    fn read_bytes(&mut self, name: &str) -> Result<Result<Vec<u8>, String>, ExtractError> {
        let Some(&index) = self.lookup.get(&normalise(name)) else {
            return Ok(Err("missing from the ZIP container".to_string()));
        };
        let mut member = match self.archive.by_index(index) {
            Ok(member) => member,
            Err(ZipError::UnsupportedArchive(detail)) if detail == ZipError::PASSWORD_REQUIRED => {
                return Ok(Err("ZIP member is password-protected".to_string()));
            }
            Err(err) => return Ok(Err(err.to_string())),
        };
        let mut content = Vec::new();
        let mut bounded = (&mut member).take(self.limit.saturating_add(1));
        match self.budget.copy(&mut bounded, &mut content) {
            Err(err @ ExtractError::LimitExceeded(_)) => return Err(err),
            Err(err) => return Ok(Err(format!("damaged: {err}"))),
            Ok(_) => {}
        }
        if content.len() as u64 > self.limit {
            return Ok(Err(format!("larger than max_in_memory_bytes {}", self.limit)));
        }
        Ok(Ok(content))
    }

    /// Reads a member as text in its declared (or detected) charset.
    fn read_text(&mut self, name: &str) -> Result<Result<String, String>, ExtractError> {
        Ok(self.read_bytes(name)?.map(|bytes| {
            let declared = xml::declared_encoding(&bytes);
            dossier_text::decode(&bytes, declared.as_deref()).text
        }))
    }

    /// The OPF path named by container.xml, or else the first `.opf` member.
    fn package_path(&mut self) -> Option<String> {
        match self.read_text("META-INF/container.xml") {
            Ok(Ok(container)) => {
                let mut path = None;
                xml::walk(&container, |event| {
                    if let XmlEvent::Start { name, attributes, .. } = event
                        && name == "rootfile"
                        && let Some(full_path) = xml::attribute(&attributes, "full-path")
                    {
                        let media_type = xml::attribute(&attributes, "media-type").unwrap_or("");
                        if media_type.is_empty() || media_type.contains("oebps-package") {
                            path = Some(full_path.to_string());
                            return false;
                        }
                    }
                    true
                });
                if let Some(path) = path
                    && self.lookup.contains_key(&normalise(&path))
                {
                    return Some(path);
                }
                self.diagnostics.push("container.xml names no package file that exists".to_string());
            }
            Ok(Err(problem)) => self.diagnostics.push(format!("META-INF/container.xml: {problem}")),
            Err(_) => return None,
        }
        self.names.iter().find(|name| name.to_ascii_lowercase().ends_with(".opf")).cloned()
    }

    /// The members that `META-INF/encryption.xml` lists as encrypted with a real cipher (normalised names).
    fn encrypted_members(&mut self) -> HashSet<String> {
        let mut encrypted = HashSet::new();
        if !self.lookup.contains_key(&normalise("META-INF/encryption.xml")) {
            return encrypted;
        }
        let Ok(Ok(listing)) = self.read_text("META-INF/encryption.xml") else {
            return encrypted;
        };
        let mut algorithm = String::new();
        xml::walk(&listing, |event| {
            match event {
                XmlEvent::Start { name, .. } if name == "encrypteddata" => algorithm.clear(),
                XmlEvent::Start { name, attributes, .. } if name == "encryptionmethod" => {
                    algorithm = xml::attribute(&attributes, "algorithm").unwrap_or("").to_string();
                }
                XmlEvent::Start { name, attributes, .. } if name == "cipherreference" => {
                    if let Some(uri) = xml::attribute(&attributes, "uri")
                        && !FONT_OBFUSCATION.contains(&algorithm.as_str())
                    {
                        encrypted.insert(normalise(&percent_decode(uri)));
                    }
                }
                _ => {}
            }
            true
        });
        encrypted
    }

    /// Without a usable package file: the XHTML members in archive order, so that a damaged book still yields text.
    fn read_without_package(
        mut self,
        ctx: &Context<'_>,
        encrypted: HashSet<String>,
        mut extraction: Extraction,
    ) -> Result<Extraction, ExtractError> {
        self.diagnostics.push("no OPF package file: chapters read in archive order".to_string());
        let mut text = TextBuilder::new(ctx.limits.max_text_bytes);
        let chapters: Vec<String> = self
            .names
            .iter()
            .filter(|name| {
                let lower = name.to_ascii_lowercase();
                lower.ends_with(".xhtml") || lower.ends_with(".html") || lower.ends_with(".htm")
            })
            .cloned()
            .collect();
        let mut protected = 0;
        for name in &chapters {
            if encrypted.contains(&normalise(name)) {
                protected += 1;
                continue;
            }
            match self.read_text(name)? {
                Ok(chapter) => {
                    text.end_paragraph();
                    text.push(dossier_text::html_to_text(&chapter).trim());
                    text.end_line();
                }
                Err(problem) => self.diagnostics.push(format!("chapter {name} unreadable: {problem}")),
            }
        }
        if protected > 0 && protected == chapters.len() {
            return Err(ExtractError::Encrypted(Some(format!("EPUB with DRM: {protected} chapters encrypted"))));
        }
        let (text, cut) = text.finish();
        if text.trim().is_empty() {
            return Err(ExtractError::malformed("epub", self.diagnostics.join("; ")));
        }
        extraction.text = text;
        extraction.diagnostics = self.diagnostics;
        extraction.diagnostics.extend(cut);
        Ok(extraction)
    }
}

/// What the OPF package file says.
struct Package {
    metadata: Metadata,
    /// Member paths of the spine's items, in reading order (resolved against the package file's folder).
    spine: Vec<String>,
    error: Option<String>,
}

fn parse_package(opf: &str, opf_path: &str) -> Package {
    let base = match opf_path.rfind('/') {
        Some(slash) => &opf_path[..=slash],
        None => "",
    };
    let mut metadata = Metadata::default();
    let mut manifest: HashMap<String, String> = HashMap::new();
    let mut spine_ids: Vec<String> = Vec::new();
    let mut in_metadata = false;
    let mut field: Option<String> = None;
    let mut field_text = String::new();
    let error = xml::walk(opf, |event| {
        match event {
            XmlEvent::Start { name, attributes, empty } => match name.as_str() {
                "metadata" => in_metadata = !empty,
                "item" => {
                    if let (Some(id), Some(href)) =
                        (xml::attribute(&attributes, "id"), xml::attribute(&attributes, "href"))
                    {
                        let media_type = xml::attribute(&attributes, "media-type").unwrap_or("");
                        if !media_type.starts_with("image/") {
                            manifest.insert(id.to_string(), resolve(base, href));
                        }
                    }
                }
                "itemref" => {
                    if let Some(idref) = xml::attribute(&attributes, "idref") {
                        spine_ids.push(idref.to_string());
                    }
                }
                _ if in_metadata && !empty => {
                    field = Some(name);
                    field_text.clear();
                }
                _ => {}
            },
            XmlEvent::End { name } => {
                if name == "metadata" {
                    in_metadata = false;
                } else if in_metadata && field.as_deref() == Some(name.as_str()) {
                    let value = field_text.split_whitespace().collect::<Vec<_>>().join(" ");
                    match name.as_str() {
                        "title" if metadata.get("title").is_none() => metadata.set("title", value),
                        "creator" => metadata.push("author", value),
                        "contributor" => metadata.push("contributor", value),
                        "language" => metadata.push("language", value),
                        "date" if metadata.get("date").is_none() => metadata.set("date", value),
                        "publisher" => metadata.set("publisher", value),
                        "identifier" => metadata.push("identifier", value),
                        "description" => metadata.set("description", dossier_text::html_to_text(&value).trim()),
                        "subject" => metadata.push("keywords", value),
                        "rights" => metadata.set("rights", value),
                        _ => {}
                    }
                    field = None;
                    field_text.clear();
                }
            }
            XmlEvent::Text(text) => {
                if field.is_some() && field_text.len() < 64 * 1024 {
                    field_text.push_str(&text);
                }
            }
        }
        true
    });
    let mut spine = Vec::new();
    let mut unknown = 0;
    for id in &spine_ids {
        match manifest.get(id) {
            Some(href) => spine.push(href.clone()),
            None => unknown += 1,
        }
    }
    let error = match (error, unknown) {
        (Some(error), _) => Some(error),
        (None, 0) => None,
        (None, n) => Some(format!("{n} spine entries name no manifest item")),
    };
    Package { metadata, spine, error }
}

/// Resolves a manifest href against the package folder: drops the fragment, decodes %XX, folds `.` and `..`.
fn resolve(base: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or("");
    let href = percent_decode(href);
    let joined = if href.starts_with('/') { href.trim_start_matches('/').to_string() } else { format!("{base}{href}") };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && index + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[index + 1..index + 3])
            && let Ok(value) = u8::from_str_radix(hex, 16)
        {
            out.push(value);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Member names compared the way producers get them wrong: case, backslashes, leading slashes.
fn normalise(name: &str) -> String {
    name.replace('\\', "/").trim_start_matches('/').to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_resolve_against_the_package_folder() {
        assert_eq!(resolve("OEBPS/", "Text/ch%201.xhtml#p3"), "OEBPS/Text/ch 1.xhtml");
        assert_eq!(resolve("OEBPS/content/", "../Text/a.xhtml"), "OEBPS/Text/a.xhtml");
        assert_eq!(resolve("", "a.xhtml"), "a.xhtml");
        assert_eq!(percent_decode("%D0%96%2"), "Ж%2");
    }

    #[test]
    fn spine_order_wins_over_manifest_order() {
        let package = parse_package(
            "<package><metadata><dc:title>T</dc:title><dc:creator>A</dc:creator></metadata>\
             <manifest><item id='a' href='a.xhtml' media-type='application/xhtml+xml'/>\
             <item id='b' href='b.xhtml' media-type='application/xhtml+xml'/></manifest>\
             <spine><itemref idref='b'/><itemref idref='a'/></spine></package>",
            "OPS/content.opf",
        );
        assert_eq!(package.spine, vec!["OPS/b.xhtml".to_string(), "OPS/a.xhtml".to_string()]);
        assert_eq!(package.metadata.get_str("title").as_deref(), Some("T"));
        assert_eq!(package.metadata.get_str("author").as_deref(), Some("A"));
    }
}
