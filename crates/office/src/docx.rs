//! DOCX (and DOCM): body, tables, headers and footers, notes, comments and tracked changes.
//!
//! Deleted text is evidence (what a document said before someone changed it), so it is kept, but apart from the
//! current text: in a `[Deleted text]` section naming who deleted what and when.

use std::collections::BTreeSet;

use dossier_document::{Context, ExtractError, Extraction, Source};

use crate::output::{Document, Lines, alt_text};
use crate::package::Package;
use crate::xml::{self, XmlEvent};
use crate::{authors_metadata, ooxml_meta};

pub(crate) fn read(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let package = Package::open(src, ctx, "docx")?;
    read_package(package, ctx)
}

/// Reads an opened package (from a file, or decrypted in memory).
pub(crate) fn read_package(mut package: Package, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let main = crate::main_part(&mut package, "officeDocument", "word/document.xml")?;
    let xml = package.read_main(&main)?;

    let mut changes = Changes::default();
    let mut body = Walker::new(&mut changes, Records::None);
    let body_result = xml::walk(&xml, |event| body.event(event));
    let body_text = body.lines.finish();
    drop(xml);
    if let Err(err) = body_result {
        if body_text.trim().is_empty() {
            return Err(ExtractError::malformed("docx", format!("{main}: {err}")));
        }
        package.diagnostics.push(format!("{main}: {err}"));
    }

    let mut document = Document::new(ctx.limits.max_text_bytes);
    ooxml_meta::read(&mut package, &mut document.metadata)?;

    let relationships = package.relationships(&main)?;
    let related = |kind: &str| -> Vec<String> {
        relationships.iter().filter(|rel| !rel.external && rel.kind == kind).map(|rel| rel.target.clone()).collect()
    };
    let mut headers = related("header");
    let mut footers = related("footer");
    if relationships.is_empty() {
        // Without relationships (a damaged package), fall back on the conventional names.
        let by_prefix = |prefix: &str| -> Vec<String> {
            package
                .names()
                .iter()
                .filter(|name| {
                    let lower = name.to_lowercase();
                    lower.starts_with(prefix) && lower.ends_with(".xml")
                })
                .cloned()
                .collect()
        };
        headers = by_prefix("word/header");
        footers = by_prefix("word/footer");
    }
    let notes_part = |kind: &str, default: &str| -> String {
        related(kind).into_iter().next().unwrap_or_else(|| default.to_string())
    };
    let footnotes = notes_part("footnotes", "word/footnotes.xml");
    let endnotes = notes_part("endnotes", "word/endnotes.xml");
    let comments = notes_part("comments", "word/comments.xml");

    let header_text = read_parts(&mut package, &headers, &mut changes, Records::None)?;
    let footnote_text = read_parts(&mut package, &[footnotes], &mut changes, Records::Notes)?;
    let endnote_text = read_parts(&mut package, &[endnotes], &mut changes, Records::Notes)?;
    let footer_text = read_parts(&mut package, &footers, &mut changes, Records::None)?;
    let comment_text = read_parts(&mut package, &[comments], &mut changes, Records::Comments)?;

    document.section(Some("[Header]"), &header_text);
    document.section(None, &body_text);
    document.section(Some("[Footnotes]"), &footnote_text);
    document.section(Some("[Endnotes]"), &endnote_text);
    document.section(Some("[Footer]"), &footer_text);
    document.section(Some("[Comments]"), &comment_text);
    document.section(Some("[Deleted text]"), &changes.deletions.join("\n"));
    authors_metadata(&mut document.metadata, "revision_authors", &changes.revision_authors);
    authors_metadata(&mut document.metadata, "comment_authors", &changes.comment_authors);

    package.emit_children(ctx, |name| name.starts_with("word/embeddings/"))?;
    Ok(document.finish(package.diagnostics))
}

/// Reads secondary parts into one text, leaving out parts whose text repeats an earlier one (the first-page,
/// even-page and default headers of a letter are often the same).
fn read_parts(
    package: &mut Package,
    parts: &[String],
    changes: &mut Changes,
    records: Records,
) -> Result<String, ExtractError> {
    let mut texts: Vec<String> = Vec::new();
    for part in parts {
        let Some(xml) = package.read_secondary(part)? else {
            continue;
        };
        let mut walker = Walker::new(changes, records);
        let result = xml::walk(&xml, |event| walker.event(event));
        let text = walker.lines.finish();
        if let Err(err) = result {
            package.diagnostics.push(format!("{part}: {err}"));
        }
        if !text.is_empty() && !texts.contains(&text) {
            texts.push(text);
        }
    }
    Ok(texts.join("\n"))
}

/// What tracked changes and comments revealed across all parts.
#[derive(Default)]
struct Changes {
    revision_authors: BTreeSet<String>,
    comment_authors: BTreeSet<String>,
    /// One line per deletion: "author, date: text".
    deletions: Vec<String>,
}

/// Which elements of a part are records to be put one per line.
#[derive(Clone, Copy, PartialEq)]
enum Records {
    None,
    /// `w:footnote` / `w:endnote`.
    Notes,
    /// `w:comment`, introduced by its author and date.
    Comments,
}

#[derive(PartialEq)]
enum Capture {
    None,
    Text,
}

struct Walker<'c> {
    lines: Lines,
    changes: &'c mut Changes,
    records: Records,
    /// Depth inside a subtree whose text is ignored (`mc:Fallback` repeats the `mc:Choice` text).
    skip_depth: usize,
    capture: Capture,
    /// Depth of runs (`w:r`), where `w:tab` and `w:br` are text rather than layout.
    run_depth: usize,
    /// Depth of table cells and records, inside which paragraphs are joined by spaces.
    inline_depth: usize,
    /// The tracked deletion being read: who, when, and its text.
    deletion: Option<(String, String, String)>,
}

impl<'c> Walker<'c> {
    fn new(changes: &'c mut Changes, records: Records) -> Walker<'c> {
        Walker {
            lines: Lines::default(),
            changes,
            records,
            skip_depth: 0,
            capture: Capture::None,
            run_depth: 0,
            inline_depth: 0,
            deletion: None,
        }
    }

    fn push(&mut self, text: &str) {
        match &mut self.deletion {
            Some((_, _, deleted)) => deleted.push_str(text),
            None => self.lines.push(text),
        }
    }

    fn event(&mut self, event: XmlEvent<'_, '_>) {
        if self.skip_depth > 0 {
            match event {
                XmlEvent::Start(_) => self.skip_depth += 1,
                XmlEvent::End(_) => self.skip_depth -= 1,
                XmlEvent::Text(_) => {}
            }
            return;
        }
        match event {
            XmlEvent::Text(text) => {
                if self.capture == Capture::Text {
                    self.push(text);
                }
            }
            XmlEvent::Start(tag) => match tag.local() {
                b"Fallback" => self.skip_depth = 1,
                b"t" | b"delText" => self.capture = Capture::Text,
                b"r" => self.run_depth += 1,
                b"tab" | b"ptab" if self.run_depth > 0 => self.push("\t"),
                b"br" | b"cr" if self.run_depth > 0 => {
                    if self.inline_depth > 0 {
                        self.push(" ");
                    } else {
                        self.push("\n");
                    }
                }
                b"noBreakHyphen" => self.push("-"),
                // A DrawingML picture's alt text (`wp:docPr`; the `pic:cNvPr` inside repeats it) or a VML shape's.
                b"docPr" | b"shape" => {
                    let description = if tag.local() == b"docPr" { tag.attr("descr") } else { tag.attr("alt") };
                    if let Some(alt) = alt_text(tag.attr("title").as_deref(), description.as_deref()) {
                        if self.inline_depth > 0 || self.deletion.is_some() {
                            self.push(" ");
                            self.push(&alt);
                            self.push(" ");
                        } else {
                            self.lines.end_line();
                            self.push(&alt);
                            self.lines.end_line();
                        }
                    }
                }
                b"sym" => {
                    if let Some(c) = tag.attr("char").as_deref().and_then(symbol_char) {
                        let mut buf = [0u8; 4];
                        self.push(c.encode_utf8(&mut buf));
                    }
                }
                b"ins" | b"moveTo" | b"moveFrom" | b"del" => {
                    let author = tag.attr("author").unwrap_or_default();
                    if !author.trim().is_empty() {
                        self.changes.revision_authors.insert(author.trim().to_string());
                    }
                    if matches!(tag.local(), b"del" | b"moveFrom") && self.deletion.is_none() {
                        let date = tag.attr("date").unwrap_or_default();
                        self.deletion = Some((author, date, String::new()));
                    }
                }
                b"tc" => self.inline_depth += 1,
                b"footnote" | b"endnote" if self.records == Records::Notes => {
                    self.inline_depth += 1;
                }
                b"comment" if self.records == Records::Comments => {
                    self.inline_depth += 1;
                    let author = tag.attr("author").unwrap_or_default();
                    let date = tag.attr("date").unwrap_or_default();
                    if !author.trim().is_empty() {
                        self.changes.comment_authors.insert(author.trim().to_string());
                    }
                    self.lines.end_line();
                    self.lines.push(&attribution(&author, &date));
                    self.lines.push(": ");
                }
                _ => {}
            },
            XmlEvent::End(name) => match name {
                b"t" | b"delText" => self.capture = Capture::None,
                b"r" => self.run_depth = self.run_depth.saturating_sub(1),
                b"p" => {
                    if self.deletion.is_some() {
                        self.push(" ");
                    } else if self.inline_depth > 0 {
                        self.lines.push_char(' ');
                    } else {
                        self.lines.end_line();
                    }
                }
                b"del" | b"moveFrom" => {
                    if let Some((author, date, text)) = self.deletion.take() {
                        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !text.is_empty() {
                            self.changes.deletions.push(format!("{}: {text}", attribution(&author, &date)));
                        }
                    }
                }
                b"tc" => {
                    self.inline_depth = self.inline_depth.saturating_sub(1);
                    self.lines.trim_spaces();
                    self.lines.push_char('\t');
                }
                b"tr" => self.lines.end_line(),
                b"footnote" | b"endnote" if self.records == Records::Notes => {
                    self.inline_depth = self.inline_depth.saturating_sub(1);
                    self.lines.end_line();
                }
                b"comment" if self.records == Records::Comments => {
                    self.inline_depth = self.inline_depth.saturating_sub(1);
                    self.lines.end_line();
                }
                _ => {}
            },
        }
    }
}

/// "Author, date" or whichever of the two is known.
pub(crate) fn attribution(author: &str, date: &str) -> String {
    match (author.trim(), date.trim()) {
        ("", "") => "unknown".to_string(),
        (author, "") => author.to_string(),
        ("", date) => date.to_string(),
        (author, date) => format!("{author}, {date}"),
    }
}

/// The character of a `w:sym`: symbol fonts put their glyphs at U+F0xx, which maps back to the ASCII position.
fn symbol_char(hex: &str) -> Option<char> {
    let code = u32::from_str_radix(hex.trim(), 16).ok()?;
    let code = if (0xF020..=0xF0FF).contains(&code) { code - 0xF000 } else { code };
    char::from_u32(code).filter(|c| !c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(xml: &str) -> (String, Changes) {
        let mut changes = Changes::default();
        let mut walker = Walker::new(&mut changes, Records::None);
        xml::walk(xml, |event| walker.event(event)).expect("well-formed");
        let text = walker.lines.finish();
        (text, changes)
    }

    #[test]
    fn tables_become_tab_separated_rows() {
        let (text, _) = body(
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr>\
             <w:tr><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p><w:p><w:r><w:t>d</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>after</w:t></w:r></w:p>",
        );
        assert_eq!(text, "a\tb\nc d\nafter");
    }

    #[test]
    fn deletions_are_set_apart_and_insertions_kept() {
        let (text, changes) = body(
            r#"<w:p><w:r><w:t xml:space="preserve">Сумма </w:t></w:r><w:del w:author="Иванов" w:date="2024-02-01T10:00:00Z"><w:r><w:delText>100</w:delText></w:r></w:del><w:ins w:author="Петров"><w:r><w:t>200</w:t></w:r></w:ins></w:p>"#,
        );
        assert_eq!(text, "Сумма 200");
        assert_eq!(changes.deletions, ["Иванов, 2024-02-01T10:00:00Z: 100"]);
        assert_eq!(changes.revision_authors.into_iter().collect::<Vec<_>>(), ["Иванов", "Петров"]);
    }

    #[test]
    fn fallback_text_is_not_repeated_and_tab_stops_are_not_tabs() {
        let (text, _) = body(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs></w:pPr><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:sym w:font="Symbol" w:char="F0B7"/></w:r>
            <mc:AlternateContent><mc:Choice><w:t>box</w:t></mc:Choice><mc:Fallback><w:t>box</w:t></mc:Fallback></mc:AlternateContent></w:p>"#,
        );
        assert_eq!(text, "a\tb·box");
    }
}
