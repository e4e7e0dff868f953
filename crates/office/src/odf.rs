//! OpenDocument text, spreadsheet and presentation: content.xml (paragraphs, lists, tables, sheets, slides and
//! their notes), annotations with authors, tracked changes, headers and footers from styles.xml, and meta.xml.

use std::collections::{BTreeSet, HashSet};

use dossier_document::{Context, ExtractError, Extraction, Metadata, Source};

use crate::authors_metadata;
use crate::docx::attribution;
use crate::output::{Document, Lines, alt_text, tidy};
use crate::package::Package;
use crate::xml::{self, XmlEvent};

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Text,
    Spreadsheet,
    Presentation,
}

/// Repetitions written out at most, for a repeated non-empty cell or row (a spreadsheet may repeat a formatted
/// cell 16,384 times or a row a million times; the content says nothing new after the first few).
const MAX_REPEAT: u64 = 64;
/// Empty columns written out as tabs before a cell, at most.
const MAX_COLUMN_GAP: u64 = 64;

pub(crate) fn read(src: &Source<'_>, ctx: &mut Context<'_>, kind: Kind) -> Result<Extraction, ExtractError> {
    let format = match kind {
        Kind::Text => "odt",
        Kind::Spreadsheet => "ods",
        Kind::Presentation => "odp",
    };
    let mut package = Package::open(src, ctx, format)?;
    if let Some(manifest) = package.read_secondary("META-INF/manifest.xml")?
        && encrypted_parts(&manifest).contains("content.xml")
    {
        return Err(ExtractError::Encrypted(Some(format!("{format} content encrypted with a password"))));
    }
    let content = package.read_main("content.xml")?;
    let mut walker = Walker::new(kind);
    let result = xml::walk(&content, |event| walker.event(event));
    drop(content);
    let body = walker.main.finish();
    if let Err(err) = result {
        if body.trim().is_empty() {
            return Err(ExtractError::malformed(format, format!("content.xml: {err}")));
        }
        package.diagnostics.push(format!("content.xml: {err}"));
    }

    let mut document = Document::new(ctx.limits.max_text_bytes);
    if let Some(meta) = package.read_secondary("meta.xml")?
        && let Err(err) = read_meta(&meta, &mut document.metadata)
    {
        package.diagnostics.push(format!("meta.xml: {err}"));
    }
    let (headers, footers) = match package.read_secondary("styles.xml")? {
        Some(styles) => {
            let mut headers = Vec::new();
            let mut footers = Vec::new();
            if let Err(err) = read_headers_footers(&styles, &mut headers, &mut footers) {
                package.diagnostics.push(format!("styles.xml: {err}"));
            }
            (headers.join("\n"), footers.join("\n"))
        }
        None => (String::new(), String::new()),
    };

    document.section(Some("[Header]"), &headers);
    document.section(None, &body);
    document.section(Some("[Footnotes]"), &walker.notes.join("\n"));
    document.section(Some("[Footer]"), &footers);
    document.section(Some("[Comments]"), &walker.annotations.join("\n"));
    document.section(Some("[Deleted text]"), &walker.deletions.join("\n"));
    for sheet in &walker.hidden_sheets {
        document.metadata.push("hidden_sheets", sheet.as_str());
    }
    authors_metadata(&mut document.metadata, "revision_authors", &walker.revision_authors);
    authors_metadata(&mut document.metadata, "comment_authors", &walker.comment_authors);

    // Embedded OLE objects are stored as top-level members "Object 1", "Object 2"...; embedded ODF objects
    // (charts, formulas) are folders of XML whose text is not worth a child document.
    package.emit_children(ctx, |name| name.starts_with("object ") && !name.contains('/'))?;
    Ok(document.finish(package.diagnostics))
}

/// The parts the manifest says are encrypted.
fn encrypted_parts(manifest: &str) -> HashSet<String> {
    let mut encrypted = HashSet::new();
    let mut current: Option<String> = None;
    let _ = xml::walk(manifest, |event| match event {
        XmlEvent::Start(tag) if tag.local() == b"file-entry" => current = tag.attr("full-path"),
        XmlEvent::Start(tag) if tag.local() == b"encryption-data" => {
            if let Some(path) = &current {
                encrypted.insert(path.trim_start_matches('/').to_string());
            }
        }
        XmlEvent::End(b"file-entry") => current = None,
        _ => {}
    });
    encrypted
}

/// Where the text being read goes.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Main,
    /// A footnote or endnote body.
    Note,
    /// `office:annotation`.
    Annotation,
    /// `text:tracked-changes`.
    Changes,
    /// `presentation:notes` of a slide.
    SlideNotes,
}

#[derive(Clone, Copy, PartialEq)]
enum Field {
    None,
    Creator,
    Date,
}

struct Cell {
    text: String,
    repeat: u64,
    /// The typed value when it reads better than the displayed text (ISO dates, booleans).
    value: Option<String>,
}

struct Walker {
    kind: Kind,
    depth: usize,
    mode: Mode,
    /// The element depth at which `mode` began; back at it, the mode ends.
    mode_depth: usize,
    /// Depth inside an ignored subtree (styles, forms, note citations, image descriptions), whatever the mode.
    skip_depth: usize,
    /// Depth of paragraphs and headings: ODF text outside them is indentation.
    paragraph_depth: usize,
    field: Field,
    main: Lines,
    slide_notes: Lines,
    page_number: usize,
    table_depth: usize,
    cell: Option<Cell>,
    row: String,
    pending_empty_cells: u64,
    row_repeat: u64,
    note: String,
    notes: Vec<String>,
    annotation: (String, String, String),
    annotations: Vec<String>,
    /// Kind ("deletion", "insertion"...), author, date and text of the tracked change being read.
    change: (String, String, String, String),
    deletions: Vec<String>,
    revision_authors: BTreeSet<String>,
    comment_authors: BTreeSet<String>,
    hidden_table_styles: HashSet<String>,
    style_name: Option<String>,
    hidden_sheets: Vec<String>,
    /// The `svg:title` and `svg:desc` of a frame or shape being read (its alt text), the depth of the element
    /// they belong to, and which of the two is being read now.
    alt: (String, String),
    alt_owner_depth: Option<usize>,
    alt_field: Option<AltField>,
    /// Depths of the drawing shapes (`draw:frame`, `draw:custom-shape`...) being read: a `title` or `desc` is alt
    /// text only right inside one (the `text:title` field shows the document title instead).
    shape_depths: Vec<usize>,
}

/// Local names of the ODF drawing elements that may carry `svg:title` and `svg:desc`.
const SHAPES: [&[u8]; 16] = [
    b"frame",
    b"custom-shape",
    b"rect",
    b"ellipse",
    b"circle",
    b"line",
    b"polyline",
    b"polygon",
    b"regular-polygon",
    b"path",
    b"connector",
    b"caption",
    b"measure",
    b"g",
    b"control",
    b"page-thumbnail",
];

#[derive(Clone, Copy, PartialEq)]
enum AltField {
    Title,
    Description,
}

impl Walker {
    fn new(kind: Kind) -> Walker {
        Walker {
            kind,
            depth: 0,
            mode: Mode::Main,
            mode_depth: 0,
            skip_depth: 0,
            alt: (String::new(), String::new()),
            alt_owner_depth: None,
            alt_field: None,
            shape_depths: Vec::new(),
            paragraph_depth: 0,
            field: Field::None,
            main: Lines::default(),
            slide_notes: Lines::default(),
            page_number: 0,
            table_depth: 0,
            cell: None,
            row: String::new(),
            pending_empty_cells: 0,
            row_repeat: 1,
            note: String::new(),
            notes: Vec::new(),
            annotation: Default::default(),
            annotations: Vec::new(),
            change: Default::default(),
            deletions: Vec::new(),
            revision_authors: BTreeSet::new(),
            comment_authors: BTreeSet::new(),
            hidden_table_styles: HashSet::new(),
            style_name: None,
            hidden_sheets: Vec::new(),
        }
    }

    fn enter(&mut self, mode: Mode) {
        self.mode = mode;
        self.mode_depth = self.depth;
    }

    /// Routes a piece of text to where the current mode and position say it belongs.
    fn text(&mut self, text: &str) {
        if self.skip_depth > 0 || (self.paragraph_depth == 0 && self.field == Field::None) {
            return;
        }
        match self.mode {
            Mode::Note => self.note.push_str(text),
            Mode::Annotation => match self.field {
                Field::Creator => self.annotation.0.push_str(text),
                Field::Date => self.annotation.1.push_str(text),
                Field::None => self.annotation.2.push_str(text),
            },
            Mode::Changes => match self.field {
                Field::Creator => self.change.1.push_str(text),
                Field::Date => self.change.2.push_str(text),
                Field::None => self.change.3.push_str(text),
            },
            Mode::Main | Mode::SlideNotes => {
                if let Some(cell) = &mut self.cell {
                    cell.text.push_str(text);
                } else if self.mode == Mode::SlideNotes {
                    self.slide_notes.push(text);
                } else {
                    self.main.push(text);
                }
            }
        }
    }

    /// Alt text: inside a paragraph or cell it flows with the text between spaces; elsewhere it is a line.
    fn alt_line(&mut self, alt: &str) {
        if self.paragraph_depth > 0 || self.cell.is_some() {
            let separated = |text: &str| if text.is_empty() || text.ends_with(char::is_whitespace) { "" } else { " " };
            let before = match (&self.cell, self.mode) {
                (Some(cell), _) => separated(&cell.text),
                (None, Mode::Main) => separated(self.main.as_str()),
                (None, Mode::SlideNotes) => separated(self.slide_notes.as_str()),
                (None, Mode::Note) => separated(&self.note),
                (None, _) => " ",
            };
            self.text(before);
            self.text(alt);
            self.text(" ");
        } else if self.mode == Mode::Main {
            self.main.end_line();
            self.main.push(alt);
            self.main.end_line();
        } else if self.mode == Mode::SlideNotes {
            self.slide_notes.end_line();
            self.slide_notes.push(alt);
            self.slide_notes.end_line();
        }
    }

    /// A line break inside flowing text: a real one in the body, a space in cells and side records.
    fn line_break(&mut self) {
        match self.mode {
            Mode::Main if self.cell.is_none() => self.main.end_line(),
            Mode::SlideNotes if self.cell.is_none() => self.slide_notes.end_line(),
            _ => self.text(" "),
        }
    }

    fn event(&mut self, event: XmlEvent<'_, '_>) {
        match event {
            XmlEvent::Start(tag) => {
                self.depth += 1;
                if self.skip_depth > 0 {
                    self.skip_depth += 1;
                    self.watch_styles(tag);
                    return;
                }
                if matches!(tag.local(), b"p" | b"h") {
                    self.paragraph_depth += 1;
                }
                if SHAPES.contains(&tag.local()) {
                    self.shape_depths.push(self.depth);
                }
                self.start(tag);
            }
            XmlEvent::Text(text) => match self.alt_field {
                Some(AltField::Title) => self.alt.0.push_str(text),
                Some(AltField::Description) => self.alt.1.push_str(text),
                None => self.text(text),
            },
            XmlEvent::End(name) => {
                if self.skip_depth > 0 {
                    self.skip_depth -= 1;
                    if self.skip_depth == 0 {
                        self.alt_field = None;
                    }
                    self.depth = self.depth.saturating_sub(1);
                    return;
                }
                if self.shape_depths.last() == Some(&self.depth) {
                    self.shape_depths.pop();
                }
                if self.alt_owner_depth == Some(self.depth) {
                    self.alt_owner_depth = None;
                    let (title, description) = std::mem::take(&mut self.alt);
                    if let Some(alt) = alt_text(Some(&title), Some(&description)) {
                        self.alt_line(&alt);
                    }
                }
                self.end(name);
                if matches!(name, b"p" | b"h") {
                    self.paragraph_depth = self.paragraph_depth.saturating_sub(1);
                }
                if self.mode != Mode::Main && self.depth == self.mode_depth {
                    self.end_mode();
                }
                self.depth = self.depth.saturating_sub(1);
            }
        }
    }

    /// Hidden sheets are marked in automatic styles, which are otherwise skipped.
    fn watch_styles(&mut self, tag: &xml::Tag<'_>) {
        match tag.local() {
            b"style" => self.style_name = tag.attr("name"),
            b"table-properties" if tag.attr("display").as_deref() == Some("false") => {
                if let Some(style) = &self.style_name {
                    self.hidden_table_styles.insert(style.clone());
                }
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: &xml::Tag<'_>) {
        let name = tag.local();
        match self.mode {
            Mode::Annotation | Mode::Changes => {
                match name {
                    b"creator" => self.field = Field::Creator,
                    b"date" => self.field = Field::Date,
                    b"deletion" | b"insertion" | b"format-change" if self.mode == Mode::Changes => {
                        self.change.0 = String::from_utf8_lossy(name).into_owned();
                    }
                    b"changed-region" => self.change = Default::default(),
                    _ => self.structure_start(tag),
                }
                return;
            }
            _ => {}
        }
        match name {
            // The alt text of a frame or shape (`svg:title`, `svg:desc`): kept, but written out after the frame's
            // own content rather than flowing into it. (The document-title field `text:title` is skipped with it:
            // it repeats the metadata.)
            b"desc" | b"title" if self.shape_depths.last() == Some(&(self.depth - 1)) => {
                self.skip_depth = 1;
                self.alt_field = Some(if name == b"title" { AltField::Title } else { AltField::Description });
                if self.alt_owner_depth.is_none() {
                    self.alt_owner_depth = Some(self.depth - 1);
                }
            }
            b"automatic-styles" | b"font-face-decls" | b"forms" | b"scripts" | b"sequence-decls" | b"note-citation"
            | b"desc" | b"title" | b"variable-decls" | b"user-field-decls" | b"named-expressions"
            | b"database-ranges" => {
                self.skip_depth = 1;
                self.watch_styles(tag);
            }
            b"note" => {
                self.note.clear();
                self.enter(Mode::Note);
            }
            b"annotation" => {
                self.annotation = Default::default();
                self.enter(Mode::Annotation);
            }
            b"tracked-changes" => self.enter(Mode::Changes),
            b"notes" if self.kind == Kind::Presentation => {
                self.slide_notes = Lines::default();
                self.enter(Mode::SlideNotes);
            }
            b"page" if self.kind == Kind::Presentation && self.mode == Mode::Main => {
                self.page_number += 1;
                self.main.end_line();
                if self.page_number > 1 {
                    self.main.push("\n\u{c}");
                }
                self.main.push(&format!("Slide {}\n", self.page_number));
            }
            b"table" if self.kind == Kind::Spreadsheet && self.table_depth == 0 => {
                let sheet = tag.attr("name").unwrap_or_default();
                if tag.attr("style-name").is_some_and(|style| self.hidden_table_styles.contains(&style)) {
                    self.hidden_sheets.push(sheet.clone());
                }
                self.main.end_line();
                if !self.main.is_empty() {
                    self.main.push("\n");
                }
                self.main.push(&format!("Sheet: {sheet}\n"));
                self.structure_start(tag);
            }
            _ => self.structure_start(tag),
        }
    }

    /// Elements that shape text wherever it goes: spaces, tabs, line breaks, tables.
    fn structure_start(&mut self, tag: &xml::Tag<'_>) {
        match tag.local() {
            b"s" => {
                let count: usize = tag.attr("c").and_then(|c| c.trim().parse().ok()).unwrap_or(1);
                self.text(&" ".repeat(count.clamp(1, 64)));
            }
            b"tab" => {
                if self.cell.is_some() || !matches!(self.mode, Mode::Main | Mode::SlideNotes) {
                    self.text(" ");
                } else {
                    self.text("\t");
                }
            }
            b"line-break" => self.line_break(),
            b"table" => self.table_depth += 1,
            b"table-row" if self.table_depth == 1 && self.mode_owns_tables() => {
                self.row.clear();
                self.pending_empty_cells = 0;
                self.row_repeat = repeat(tag, "number-rows-repeated");
            }
            b"table-cell" | b"covered-table-cell" if self.table_depth == 1 && self.mode_owns_tables() => {
                let value = match tag.attr("value-type").as_deref() {
                    Some("date") => tag.attr("date-value"),
                    Some("time") => tag.attr("time-value"),
                    Some("boolean") => tag.attr("boolean-value").map(|value| value.to_uppercase()),
                    _ => None,
                };
                self.cell = Some(Cell { text: String::new(), repeat: repeat(tag, "number-columns-repeated"), value });
            }
            _ => {}
        }
    }

    /// Tables are laid out as rows only in the body and slide notes; elsewhere their text simply flows.
    fn mode_owns_tables(&self) -> bool {
        matches!(self.mode, Mode::Main | Mode::SlideNotes)
    }

    fn end(&mut self, name: &[u8]) {
        match self.mode {
            Mode::Annotation | Mode::Changes if matches!(name, b"creator" | b"date") => {
                self.field = Field::None;
                return;
            }
            _ => {}
        }
        match name {
            b"p" | b"h" => self.line_break(),
            b"changed-region" if self.mode == Mode::Changes => {
                let (kind, author, date, text) = std::mem::take(&mut self.change);
                if !author.trim().is_empty() {
                    self.revision_authors.insert(author.trim().to_string());
                }
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if kind == "deletion" && !text.is_empty() {
                    self.deletions.push(format!("{}: {text}", attribution(&author, &date)));
                }
            }
            b"table-cell" | b"covered-table-cell" if self.table_depth == 1 && self.mode_owns_tables() => {
                if let Some(cell) = self.cell.take() {
                    self.finish_cell(cell);
                }
            }
            b"table-row" if self.table_depth == 1 && self.mode_owns_tables() => {
                let row = std::mem::take(&mut self.row);
                if !row.trim().is_empty() {
                    let lines = if self.mode == Mode::SlideNotes { &mut self.slide_notes } else { &mut self.main };
                    lines.end_line();
                    for _ in 0..self.row_repeat.min(MAX_REPEAT) {
                        lines.push(&row);
                        lines.push_char('\n');
                    }
                }
            }
            b"table" => self.table_depth = self.table_depth.saturating_sub(1),
            b"page" if self.kind == Kind::Presentation && self.mode == Mode::Main => {
                let notes = std::mem::take(&mut self.slide_notes).finish();
                if !notes.is_empty() {
                    self.main.end_line();
                    self.main.push("\n[Notes]\n");
                    self.main.push(&notes);
                    self.main.end_line();
                }
            }
            _ => {}
        }
    }

    fn finish_cell(&mut self, cell: Cell) {
        let shown = cell.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let text = match cell.value {
            Some(value) if !shown.is_empty() => value,
            _ => shown,
        };
        if text.is_empty() {
            self.pending_empty_cells = self.pending_empty_cells.saturating_add(cell.repeat);
            return;
        }
        let separators = u64::from(!self.row.is_empty()) + self.pending_empty_cells;
        for _ in 0..separators.min(MAX_COLUMN_GAP) {
            self.row.push('\t');
        }
        self.pending_empty_cells = 0;
        for copy in 0..cell.repeat.min(MAX_REPEAT) {
            if copy > 0 {
                self.row.push('\t');
            }
            self.row.push_str(&text);
        }
    }

    fn end_mode(&mut self) {
        match self.mode {
            Mode::Note => {
                let note = self.note.split_whitespace().collect::<Vec<_>>().join(" ");
                if !note.is_empty() {
                    self.notes.push(note);
                }
            }
            Mode::Annotation => {
                let (author, date, text) = std::mem::take(&mut self.annotation);
                if !author.trim().is_empty() {
                    self.comment_authors.insert(author.trim().to_string());
                }
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                self.annotations.push(format!("{}: {text}", attribution(&author, &date)));
            }
            Mode::SlideNotes => {
                // Kept until the end of the page, where the notes follow the slide's text.
                self.mode = Mode::Main;
                return;
            }
            Mode::Main | Mode::Changes => {}
        }
        self.mode = Mode::Main;
        self.field = Field::None;
    }
}

fn repeat(tag: &xml::Tag<'_>, attribute: &str) -> u64 {
    tag.attr(attribute).and_then(|n| n.trim().parse().ok()).unwrap_or(1u64).max(1)
}

/// Headers and footers of the master pages (plain, left and first-page variants), without repeats.
fn read_headers_footers(styles: &str, headers: &mut Vec<String>, footers: &mut Vec<String>) -> Result<(), String> {
    let mut current: Option<(bool, Lines)> = None;
    let mut capture_depth = 0usize;
    let mut skip_depth = 0usize;
    let result = xml::walk(styles, |event| match event {
        XmlEvent::Start(tag) => {
            if current.is_some() {
                capture_depth += 1;
                if skip_depth > 0 || matches!(tag.local(), b"desc" | b"title") {
                    skip_depth += 1;
                }
                if let Some((_, lines)) = &mut current {
                    match tag.local() {
                        b"s" => lines.push(" "),
                        b"tab" => lines.push("\t"),
                        b"line-break" => lines.end_line(),
                        _ => {}
                    }
                }
                return;
            }
            let is_header = matches!(tag.local(), b"header" | b"header-left" | b"header-first");
            let is_footer = matches!(tag.local(), b"footer" | b"footer-left" | b"footer-first");
            if is_header || is_footer {
                current = Some((is_header, Lines::default()));
                capture_depth = 0;
                skip_depth = 0;
            }
        }
        XmlEvent::Text(text) => {
            if skip_depth == 0
                && let Some((_, lines)) = &mut current
            {
                lines.push(text);
            }
        }
        XmlEvent::End(name) => {
            if current.is_none() {
                return;
            }
            if capture_depth == 0 {
                if let Some((is_header, lines)) = current.take() {
                    let text = lines.finish();
                    let list = if is_header { &mut *headers } else { &mut *footers };
                    if !text.is_empty() && !list.contains(&text) {
                        list.push(text);
                    }
                }
                return;
            }
            capture_depth -= 1;
            skip_depth = skip_depth.saturating_sub(1);
            if matches!(name, b"p" | b"h")
                && let Some((_, lines)) = &mut current
            {
                lines.end_line();
            }
        }
    });
    for text in headers.iter_mut().chain(footers.iter_mut()) {
        *text = tidy(text);
    }
    result
}

/// meta.xml, mapped to the shared keys.
fn read_meta(xml: &str, metadata: &mut Metadata) -> Result<(), String> {
    let mut current: Option<(String, Option<String>)> = None;
    let mut value = String::new();
    xml::walk(xml, |event| match event {
        XmlEvent::Start(tag) => {
            let name = String::from_utf8_lossy(tag.local()).into_owned();
            match name.as_str() {
                "document-statistic" => {
                    for (attribute, key) in [
                        ("page-count", "pages"),
                        ("word-count", "words"),
                        ("character-count", "characters"),
                        ("table-count", "tables"),
                    ] {
                        if let Some(count) = tag.attr(attribute) {
                            metadata.set(key, count);
                        }
                    }
                }
                "template" => {
                    if let Some(title) = tag.attr("title").or_else(|| tag.attr("href")) {
                        metadata.set("template", title);
                    }
                }
                _ => {
                    current = Some((name, tag.attr("name")));
                    value.clear();
                }
            }
        }
        XmlEvent::Text(text) => value.push_str(text),
        XmlEvent::End(_) => {
            let Some((name, user_name)) = current.take() else {
                return;
            };
            let key = match name.as_str() {
                "title" => "title",
                "subject" => "subject",
                "description" => "description",
                "initial-creator" => "author",
                "creator" => "last_modified_by",
                "creation-date" => "created",
                "date" => "modified",
                "print-date" => "last_printed",
                "editing-cycles" => "revision",
                "generator" => "application",
                "language" => "language",
                "keyword" => {
                    metadata.push("keywords", value.as_str());
                    return;
                }
                "editing-duration" => {
                    if let Some(minutes) = duration_minutes(&value) {
                        metadata.set("total_edit_time", minutes.to_string());
                    }
                    return;
                }
                "user-defined" => {
                    if let Some(user_name) = user_name {
                        metadata.set(&format!("custom:{user_name}"), value.as_str());
                    }
                    return;
                }
                _ => return,
            };
            metadata.set(key, value.as_str());
        }
    })
}

/// Minutes in an ISO 8601 duration such as `P1DT2H3M4S` (seconds rounded down).
fn duration_minutes(duration: &str) -> Option<u64> {
    let rest = duration.trim().strip_prefix('P')?;
    let mut seconds = 0u64;
    let mut number = String::new();
    let mut in_time = false;
    for c in rest.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' | '.' => number.push(c),
            unit => {
                let n = number.split('.').next()?.parse::<u64>().ok()?;
                number.clear();
                let factor = match (unit, in_time) {
                    ('D', false) => 86_400,
                    ('W', false) => 604_800,
                    ('H', true) => 3_600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
                seconds = seconds.checked_add(n.checked_mul(factor)?)?;
            }
        }
    }
    Some(seconds / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(kind: Kind, xml: &str) -> Walker {
        let mut walker = Walker::new(kind);
        xml::walk(xml, |event| walker.event(event)).expect("well-formed");
        walker
    }

    #[test]
    fn spreadsheet_repeats_do_not_blow_up() {
        let walker = content(
            Kind::Spreadsheet,
            r#"<office:spreadsheet><table:table table:name="Лист1"><table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            <table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="date" office:date-value="2024-03-01"><text:p>01.03.24</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16380"/></table:table-row>
            <table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table></office:spreadsheet>"#,
        );
        assert_eq!(walker.main.finish(), "Sheet: Лист1\n\t\t2024-03-01");
    }

    #[test]
    fn tracked_deletions_and_annotations_are_set_apart() {
        let walker = content(
            Kind::Text,
            r#"<office:text><text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info><dc:creator>Иванов</dc:creator><dc:date>2024-02-01T10:00:00</dc:date></office:change-info><text:p>старый текст</text:p></text:deletion></text:changed-region></text:tracked-changes>
            <text:p>Новый<text:s text:c="2"/>текст<office:annotation><dc:creator>Петров</dc:creator><dc:date>2024-02-02</dc:date><text:p>проверить</text:p></office:annotation><text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>сноска</text:p></text:note-body></text:note></text:p></office:text>"#,
        );
        assert_eq!(walker.main.finish(), "Новый  текст");
        assert_eq!(walker.deletions, ["Иванов, 2024-02-01T10:00:00: старый текст"]);
        assert_eq!(walker.annotations, ["Петров, 2024-02-02: проверить"]);
        assert_eq!(walker.notes, ["сноска"]);
    }

    #[test]
    fn alt_text_of_frames_and_slide_shapes_but_not_the_title_field() {
        let walker = content(
            Kind::Text,
            r#"<office:text><text:p>Отчёт <text:title>Заголовок из метаданных</text:title> и печать<draw:frame><draw:image/><svg:desc>Круглая печать</svg:desc></draw:frame>.</text:p></office:text>"#,
        );
        assert_eq!(walker.main.finish(), "Отчёт  и печать [Image: Круглая печать] .");
        let walker = content(
            Kind::Presentation,
            r#"<office:presentation><draw:page><draw:frame><draw:image/><svg:title>Схема</svg:title></draw:frame></draw:page></office:presentation>"#,
        );
        assert_eq!(walker.main.finish(), "Slide 1\n[Image: Схема]");
    }

    #[test]
    fn durations_in_minutes() {
        assert_eq!(duration_minutes("PT1H2M30S"), Some(62));
        assert_eq!(duration_minutes("P1DT0H1M"), Some(1441));
        assert_eq!(duration_minutes("junk"), None);
    }
}
