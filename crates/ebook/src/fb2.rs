//! FictionBook 2: an XML e-book format common in Russian-language collections, usually windows-1251 or UTF-8 as
//! declared in its XML declaration. The book's description (`title-info`, `publish-info`) becomes metadata; the
//! bodies become text in order, with the notes bodies (footnotes) moved to the end; base64 `<binary>` images are
//! skipped without being decoded.

use dossier_document::{Context, ExtractError, Extraction, Metadata, Source, TextBuilder};

use crate::xml::{self, XmlEvent};

/// Reads a FictionBook 2 file.
pub fn read_fb2(src: &Source<'_>, ctx: &mut Context<'_>) -> Result<Extraction, ExtractError> {
    let bytes = dossier_document::load_whole(src, ctx)?;
    let declared = xml::declared_encoding(&bytes);
    let decoded = dossier_text::decode(&bytes, declared.as_deref());
    drop(bytes);
    let mut book = Book::new(ctx.limits.max_text_bytes);
    let error = xml::walk(&decoded.text, |event| book.visit(event));
    let mut extraction = Extraction { metadata: std::mem::take(&mut book.metadata), ..Extraction::default() };
    extraction.metadata.set("charset", decoded.charset);
    if decoded.had_errors {
        extraction
            .diagnostics
            .push(format!("some bytes are not valid {} and were replaced by U+FFFD", decoded.charset));
    }
    let saw_root = book.saw_root;
    let unclosed = book.path.first().cloned();
    let text = book.finish();
    if let Some(error) = error {
        if text.0.trim().is_empty() && extraction.metadata.get("title").is_none() {
            return Err(ExtractError::malformed("fb2", error));
        }
        extraction.diagnostics.push(format!("FictionBook XML broken, text after it lost: {error}"));
    } else if !saw_root {
        return Err(ExtractError::malformed("fb2", "no <FictionBook> element"));
    } else if let Some(element) = unclosed {
        extraction.diagnostics.push(format!("file ends inside <{element}>: truncated"));
    }
    extraction.text = text.0;
    extraction.diagnostics.extend(text.1);
    Ok(extraction)
}

/// Which part of the description a text belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    BookTitle,
    FirstName,
    MiddleName,
    LastName,
    Nickname,
    Lang,
    Date,
    Publisher,
    Year,
    Genre,
    Keywords,
}

/// The state of the walk over one FictionBook document.
struct Book {
    metadata: Metadata,
    body: TextBuilder,
    notes: TextBuilder,
    /// Open elements (local names), bounded by what a hostile file can nest; beyond that depth names are not kept.
    path: Vec<String>,
    dropped_depth: usize,
    saw_root: bool,
    in_notes_body: bool,
    field: Field,
    field_text: String,
    author: [String; 4],
    annotation: String,
    /// An open paragraph-like element has received text since it started.
    pending_space: bool,
}

const MAX_PATH: usize = 256;
/// A metadata field longer than this is cut: titles and names are short, and the text is bounded separately.
const MAX_FIELD_BYTES: usize = 64 * 1024;

impl Book {
    fn new(limit: usize) -> Book {
        Book {
            metadata: Metadata::default(),
            body: TextBuilder::new(limit),
            notes: TextBuilder::new(limit),
            path: Vec::new(),
            dropped_depth: 0,
            saw_root: false,
            in_notes_body: false,
            field: Field::None,
            field_text: String::new(),
            author: Default::default(),
            annotation: String::new(),
            pending_space: false,
        }
    }

    fn inside(&self, name: &str) -> bool {
        self.path.iter().any(|open| open == name)
    }

    fn out(&mut self) -> &mut TextBuilder {
        if self.in_notes_body { &mut self.notes } else { &mut self.body }
    }

    fn visit(&mut self, event: XmlEvent) -> bool {
        match event {
            XmlEvent::Start { name, attributes, empty } => {
                if name == "fictionbook" {
                    self.saw_root = true;
                }
                self.start(&name, &attributes);
                if empty {
                    self.end(&name);
                } else if self.path.len() < MAX_PATH {
                    self.path.push(name);
                } else {
                    self.dropped_depth += 1;
                }
            }
            XmlEvent::End { name } => {
                if self.dropped_depth > 0 {
                    self.dropped_depth -= 1;
                    return true;
                }
                // Pop up to the matching element; a stray end tag that matches nothing open is ignored.
                if let Some(index) = self.path.iter().rposition(|open| *open == name) {
                    while self.path.len() > index + 1 {
                        if let Some(inner) = self.path.pop() {
                            self.end(&inner);
                        }
                    }
                    self.path.pop();
                    self.end(&name);
                }
            }
            XmlEvent::Text(text) => self.text(&text),
        }
        // Stop walking once both outputs are full: the rest could only be dropped.
        !(self.body.is_full() && self.notes.is_full())
    }

    fn start(&mut self, name: &str, attributes: &[(String, String)]) {
        let in_title_info = self.inside("title-info");
        let in_description = self.inside("description");
        if in_description {
            let field = match name {
                "book-title" if in_title_info => Field::BookTitle,
                "first-name" if in_title_info && self.inside("author") => Field::FirstName,
                "middle-name" if in_title_info && self.inside("author") => Field::MiddleName,
                "last-name" if in_title_info && self.inside("author") => Field::LastName,
                "nickname" if in_title_info && self.inside("author") => Field::Nickname,
                "lang" if in_title_info => Field::Lang,
                "date" if in_title_info => {
                    if let Some(value) = xml::attribute(attributes, "value") {
                        self.metadata.set("date", value);
                    }
                    Field::Date
                }
                "publisher" if self.inside("publish-info") => Field::Publisher,
                "year" if self.inside("publish-info") => Field::Year,
                "genre" if in_title_info => Field::Genre,
                "keywords" if in_title_info => Field::Keywords,
                "author" if in_title_info => {
                    self.author = Default::default();
                    Field::None
                }
                _ => self.field,
            };
            if field != self.field {
                self.field = field;
                self.field_text.clear();
            }
            if self.inside("annotation") && is_block(name) {
                push_break(&mut self.annotation);
            }
            return;
        }
        match name {
            "body" => {
                self.in_notes_body = xml::attribute(attributes, "name")
                    .is_some_and(|n| n.eq_ignore_ascii_case("notes"))
                    || xml::attribute(attributes, "name").is_some_and(|n| n.eq_ignore_ascii_case("comments"));
                let out = self.out();
                out.end_paragraph();
            }
            "section" | "title" | "epigraph" | "poem" | "stanza" | "cite" | "table" => {
                self.out().end_paragraph();
            }
            "empty-line" => {
                self.out().end_paragraph();
            }
            "p" | "v" | "subtitle" | "text-author" | "tr" => self.out().end_line(),
            "td" | "th" => self.pending_space = true,
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.inside("description") || name == "description" {
            self.end_description_element(name);
            return;
        }
        match name {
            "p" | "v" | "subtitle" | "text-author" | "tr" => self.out().end_line(),
            "section" | "title" | "epigraph" | "poem" | "stanza" | "cite" | "table" => self.out().end_paragraph(),
            "body" => {
                self.out().end_paragraph();
                self.in_notes_body = false;
            }
            _ => {}
        }
    }

    fn end_description_element(&mut self, name: &str) {
        let value = self.field_text.trim().to_string();
        match (name, self.field) {
            ("book-title", Field::BookTitle) => self.metadata.set("title", value),
            ("first-name", Field::FirstName) => self.author[0] = value,
            ("middle-name", Field::MiddleName) => self.author[1] = value,
            ("last-name", Field::LastName) => self.author[2] = value,
            ("nickname", Field::Nickname) => self.author[3] = value,
            ("lang", Field::Lang) => self.metadata.set("language", value),
            ("date", Field::Date) if self.metadata.get("date").is_none() => self.metadata.set("date", value),
            ("publisher", Field::Publisher) => self.metadata.set("publisher", value),
            ("year", Field::Year) => self.metadata.set("published", value),
            ("genre", Field::Genre) => self.metadata.push("genre", value),
            ("keywords", Field::Keywords) => self.metadata.set("keywords", value),
            ("author", _) if self.inside("title-info") => {
                let [first, middle, last, nickname] = std::mem::take(&mut self.author);
                let full: Vec<&str> = [first.as_str(), middle.as_str(), last.as_str()]
                    .into_iter()
                    .filter(|part| !part.is_empty())
                    .collect();
                let full = if full.is_empty() { nickname } else { full.join(" ") };
                self.metadata.push("author", full);
            }
            ("annotation", _) if self.inside("title-info") => {
                let annotation = std::mem::take(&mut self.annotation);
                self.metadata.set("description", collapse_lines(&annotation));
            }
            _ => {}
        }
        if matches!(
            name,
            "book-title"
                | "first-name"
                | "middle-name"
                | "last-name"
                | "nickname"
                | "lang"
                | "date"
                | "publisher"
                | "year"
                | "genre"
                | "keywords"
        ) {
            self.field = Field::None;
            self.field_text.clear();
        }
        if self.inside("annotation") && is_block(name) {
            push_break(&mut self.annotation);
        }
    }

    fn text(&mut self, text: &str) {
        if self.inside("binary") {
            return;
        }
        if self.inside("description") {
            if self.inside("annotation") && self.inside("title-info") {
                push_bounded(&mut self.annotation, text);
            } else if self.field != Field::None {
                push_bounded(&mut self.field_text, text);
            }
            return;
        }
        if !self.inside("body") {
            return;
        }
        let collapsed = collapse_spaces(text);
        if collapsed.trim().is_empty() {
            return;
        }
        let pending_space = std::mem::take(&mut self.pending_space);
        let out = self.out();
        if pending_space && !out.as_str().ends_with('\n') && !out.as_str().is_empty() {
            out.push("\t");
        }
        let at_line_start = out.as_str().is_empty() || out.as_str().ends_with('\n');
        out.push(if at_line_start { collapsed.trim_start() } else { &collapsed });
    }

    fn finish(self) -> (String, Option<String>) {
        let (mut body, body_cut) = self.body.finish();
        let (notes, notes_cut) = self.notes.finish();
        let notes = notes.trim();
        if !notes.is_empty() {
            let body_trimmed = body.trim_end().len();
            body.truncate(body_trimmed);
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            body.push_str(notes);
        }
        let body_trimmed = body.trim_end().len();
        body.truncate(body_trimmed);
        if !body.is_empty() {
            body.push('\n');
        }
        let start = body.len() - body.trim_start().len();
        body.drain(..start);
        (body, body_cut.or(notes_cut))
    }
}

fn is_block(name: &str) -> bool {
    matches!(name, "p" | "v" | "subtitle" | "empty-line" | "poem" | "stanza" | "cite")
}

fn push_break(text: &mut String) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
}

fn push_bounded(target: &mut String, text: &str) {
    let room = MAX_FIELD_BYTES.saturating_sub(target.len());
    let mut cut = text.len().min(room);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    target.push_str(&text[..cut]);
}

/// Whitespace runs (XML indentation, line breaks inside a paragraph) as single spaces.
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out
}

fn collapse_lines(text: &str) -> String {
    text.lines()
        .map(|line| collapse_spaces(line).trim().to_string())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> (String, Metadata) {
        let mut book = Book::new(1 << 20);
        let error = xml::walk(xml, |event| book.visit(event));
        assert_eq!(error, None);
        let metadata = std::mem::take(&mut book.metadata);
        (book.finish().0, metadata)
    }

    #[test]
    fn paragraphs_in_order_with_notes_last_and_binary_skipped() {
        let (text, metadata) = read(
            "<FictionBook><description><title-info><author><first-name>Лев</first-name>\
             <last-name>Толстой</last-name></author><book-title>Война</book-title><lang>ru</lang>\
             </title-info></description><body name='notes'><section><p>Сноска</p></section></body>\
             <body><title><p>Глава 1</p></title><section><p>Первый   абзац</p><p>Второй</p></section></body>\
             <binary id='x'>QUJD</binary></FictionBook>",
        );
        assert_eq!(text, "Глава 1\n\nПервый абзац\nВторой\n\nСноска\n");
        assert_eq!(metadata.get_str("author").as_deref(), Some("Лев Толстой"));
        assert_eq!(metadata.get_str("title").as_deref(), Some("Война"));
        assert_eq!(metadata.get_str("language").as_deref(), Some("ru"));
    }
}
