//! HTML: the charset a page declares, its readable text and its metadata.
//!
//! Parsing uses html5ever (through `scraper`), the browsers' algorithm, so broken markup (unclosed tags, stray
//! end tags, tables inside paragraphs) yields the text a browser would show. The tree is walked iteratively,
//! so deeply nested hostile markup cannot overflow the stack.

use dossier_document::{Metadata, TextBuilder};
use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// How far into a page the `<meta charset>` prescan looks. Browsers look at 1024 bytes; pages written by hand
/// put long comments or scripts first, so we look further.
const CHARSET_PRESCAN_BYTES: usize = 8192;

/// Elements whose content is never shown as text.
const HIDDEN_ELEMENTS: &[&str] = &[
    "head", "script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "canvas", "audio",
    "video", "map", "select",
];

/// Elements that end a paragraph: a blank line before and after.
const PARAGRAPH_ELEMENTS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "form",
    "fieldset",
    "figure",
    "hr",
];

/// Elements that stand on their own line.
const LINE_ELEMENTS: &[&str] = &[
    "div",
    "li",
    "tr",
    "dt",
    "dd",
    "caption",
    "address",
    "article",
    "aside",
    "section",
    "header",
    "footer",
    "nav",
    "main",
    "details",
    "summary",
    "figcaption",
    "legend",
    "option",
    "body",
    "center",
    "tbody",
    "thead",
    "tfoot",
    "textarea",
];

/// The charset named by a `<meta charset>` or `<meta http-equiv="Content-Type" content="...; charset=...">` near
/// the start of `bytes` (read as ASCII, which every charset a page could declare this way shares).
pub(crate) fn prescan_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(CHARSET_PRESCAN_BYTES)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(start) = rest.find("<meta") {
        rest = &rest[start + 5..];
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..tag_end];
        if let Some(position) = tag.find("charset") {
            let after = tag[position + 7..].trim_start();
            if let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start().trim_start_matches(['"', '\'']);
                let end = value
                    .find(|c: char| c == '"' || c == '\'' || c == ';' || c == '/' || c.is_whitespace())
                    .unwrap_or(value.len());
                let charset = &value[..end];
                if !charset.is_empty() {
                    return Some(charset.to_string());
                }
            }
        }
    }
    None
}

/// Appends readable text to a [`TextBuilder`], collapsing whitespace the way a browser renders it.
struct TextWriter {
    text: TextBuilder,
    /// A space is owed before the next word (whitespace was seen since the last one).
    pending_space: bool,
    /// Newlines owed before the next word: 1 for a line break, 2 for a paragraph break.
    pending_newlines: u8,
}

impl TextWriter {
    fn new(limit: usize) -> TextWriter {
        TextWriter { text: TextBuilder::new(limit), pending_space: false, pending_newlines: 0 }
    }

    fn at_start(&self) -> bool {
        self.text.as_str().is_empty()
    }

    fn break_line(&mut self, newlines: u8) {
        self.pending_newlines = self.pending_newlines.max(newlines);
        self.pending_space = false;
    }

    fn flush_breaks(&mut self) {
        if self.pending_newlines > 0 && !self.at_start() {
            for _ in 0..self.pending_newlines {
                self.text.push_char('\n');
            }
        } else if self.pending_space && !self.at_start() && !self.text.as_str().ends_with(['\n', '\t']) {
            self.text.push_char(' ');
        }
        self.pending_newlines = 0;
        self.pending_space = false;
    }

    fn push_tab(&mut self) {
        if self.pending_newlines == 0 && !self.at_start() {
            self.text.push_char('\t');
            self.pending_space = false;
        }
    }

    /// Text of an ordinary element: runs of whitespace become one space.
    fn push_collapsed(&mut self, raw: &str) {
        for (index, word) in raw.split(is_html_whitespace).enumerate() {
            if index > 0 {
                self.pending_space = true;
            }
            if word.is_empty() {
                continue;
            }
            self.flush_breaks();
            self.text.push(word);
        }
    }

    /// Text inside `<pre>` and `<textarea>`: kept as written.
    fn push_preformatted(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        self.flush_breaks();
        self.text.push(raw);
    }

    fn finish(self) -> (String, Option<String>) {
        let (text, diagnostic) = self.text.finish();
        // Tidy line ends: no trailing spaces or tabs, and no more than one blank line in a row.
        let mut tidy = String::with_capacity(text.len());
        let mut blank_lines = 0;
        for line in text.lines() {
            let line = line.trim_end();
            if line.is_empty() {
                blank_lines += 1;
                if blank_lines > 1 || tidy.is_empty() {
                    continue;
                }
            } else {
                blank_lines = 0;
            }
            tidy.push_str(line);
            tidy.push('\n');
        }
        while tidy.ends_with("\n\n") {
            tidy.pop();
        }
        (tidy, diagnostic)
    }
}

/// Whitespace for collapsing: ASCII whitespace plus the no-break space, which in leaked pages is mostly layout.
fn is_html_whitespace(c: char) -> bool {
    c.is_whitespace()
}

/// The parsed page's text, at most `limit` bytes, and a diagnostic when it was cut.
fn document_text(document: &Html, limit: usize) -> (String, Option<String>) {
    let mut writer = TextWriter::new(limit);
    let mut hidden_depth = 0usize;
    let mut preformatted_depth = 0usize;
    // For each open table row, whether a cell was already written (the next one is preceded by a tab).
    let mut row_has_cell: Vec<bool> = Vec::new();
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    let name = element.name();
                    if hidden_depth > 0 || HIDDEN_ELEMENTS.contains(&name) {
                        hidden_depth += 1;
                        continue;
                    }
                    match name {
                        "br" => {
                            writer.flush_breaks();
                            writer.text.push_char('\n');
                        }
                        "pre" | "textarea" | "listing" | "plaintext" | "xmp" => {
                            preformatted_depth += 1;
                        }
                        "tr" => row_has_cell.push(false),
                        "td" | "th" => {
                            if let Some(has_cell) = row_has_cell.last_mut() {
                                if *has_cell {
                                    writer.push_tab();
                                }
                                *has_cell = true;
                            }
                        }
                        _ => {}
                    }
                    if PARAGRAPH_ELEMENTS.contains(&name) {
                        writer.break_line(2);
                    } else if LINE_ELEMENTS.contains(&name) {
                        writer.break_line(1);
                    }
                }
                Node::Text(text) if hidden_depth == 0 => {
                    if preformatted_depth > 0 {
                        writer.push_preformatted(text);
                    } else {
                        writer.push_collapsed(text);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(element) = node.value() {
                    let name = element.name();
                    if hidden_depth > 0 {
                        hidden_depth -= 1;
                        continue;
                    }
                    match name {
                        "pre" | "textarea" | "listing" | "plaintext" | "xmp" => {
                            preformatted_depth = preformatted_depth.saturating_sub(1);
                        }
                        "tr" => {
                            row_has_cell.pop();
                        }
                        _ => {}
                    }
                    if PARAGRAPH_ELEMENTS.contains(&name) {
                        writer.break_line(2);
                    } else if LINE_ELEMENTS.contains(&name) {
                        writer.break_line(1);
                    }
                }
            }
        }
        if writer.text.is_full() {
            break;
        }
    }
    writer.finish()
}

/// Nesting beyond which the page is not parsed: html5ever's scope checks walk the stack of open elements, so
/// tens of thousands of nested `<div>`s cost quadratic time (100,000 took minutes). Browsers cap depth too.
const MAX_NESTING_DEPTH: usize = 2000;

/// Elements that never nest (void) or that the parser closes implicitly when a sibling starts; they are left out
/// of the depth estimate so that ordinary pages full of unclosed `<p>`, `<li>` or `<td>` are not taken as deep.
const NON_NESTING_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "p",
    "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp", "thead", "tbody", "tfoot", "colgroup",
    "caption", "html", "head", "body", "frame", "basefont", "bgsound", "keygen",
];

/// A cheap over-estimate of how deeply the page's elements nest, from its tags alone.
fn estimated_nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut index = 0;
    while let Some(offset) = bytes[index..].iter().position(|b| *b == b'<') {
        index += offset + 1;
        let closing = bytes.get(index) == Some(&b'/');
        let name_start = index + usize::from(closing);
        let name_length = bytes[name_start.min(bytes.len())..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if name_length == 0 {
            continue;
        }
        let name = html[name_start..name_start + name_length].to_ascii_lowercase();
        if NON_NESTING_ELEMENTS.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

/// Parses HTML, shielding the caller from a panic inside the parser and from pathologically deep pages: both
/// yield no tree, and the caller falls back to stripping tags.
fn parse(html: &str) -> Option<Html> {
    if estimated_nesting_depth(html) > MAX_NESTING_DEPTH {
        return None;
    }
    std::panic::catch_unwind(|| Html::parse_document(html)).ok()
}

/// A last resort when the parser fails: drop everything between `<` and `>`.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn html_to_text(html: &str) -> String {
    match parse(html) {
        Some(document) => document_text(&document, usize::MAX).0,
        None => strip_tags(html),
    }
}

/// What [`read_html_text`] found in a page.
pub(crate) struct HtmlContent {
    pub text: String,
    pub metadata: Metadata,
    pub diagnostics: Vec<String>,
}

/// Text and metadata of a decoded page, with text bounded by `limit` bytes.
pub(crate) fn read_html_text(html: &str, limit: usize) -> HtmlContent {
    let mut metadata = Metadata::default();
    let mut diagnostics = Vec::new();
    let Some(document) = parse(html) else {
        diagnostics.push(format!(
            "HTML not parsed (nested deeper than {MAX_NESTING_DEPTH} elements, or the parser failed); \
             text taken by stripping tags"
        ));
        let mut text = TextBuilder::new(limit);
        text.push(&strip_tags(html));
        let (text, cut) = text.finish();
        diagnostics.extend(cut);
        return HtmlContent { text, metadata, diagnostics };
    };
    collect_metadata(&document, &mut metadata);
    let (text, cut) = document_text(&document, limit);
    diagnostics.extend(cut);
    HtmlContent { text, metadata, diagnostics }
}

fn collect_metadata(document: &Html, metadata: &mut Metadata) {
    for node in document.tree.root().descendants() {
        let Node::Element(element) = node.value() else {
            continue;
        };
        match element.name() {
            "html" => {
                if let Some(language) = element.attr("lang") {
                    metadata.set("language", language);
                }
            }
            "title" if metadata.get("title").is_none() => {
                let title: String =
                    node.children().filter_map(|child| child.value().as_text().map(|text| text.to_string())).collect();
                metadata.set("title", title.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            "meta" => {
                let name = element.attr("name").or_else(|| element.attr("property")).map(str::to_ascii_lowercase);
                let Some(content) = element.attr("content") else {
                    continue;
                };
                match name.as_deref() {
                    Some("author" | "dc.creator") => metadata.set("author", content),
                    Some("description" | "dc.description") => metadata.set("description", content),
                    Some("keywords") => {
                        for keyword in content.split([',', ';']) {
                            metadata.push("keywords", keyword);
                        }
                    }
                    Some("generator") => metadata.set("creator_tool", content),
                    Some("dc.title") if metadata.get("title").is_none() => metadata.set("title", content),
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_in_both_forms() {
        assert_eq!(prescan_charset(b"<html><head><meta charset=\"KOI8-R\">").as_deref(), Some("koi8-r"));
        assert_eq!(
            prescan_charset(b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=windows-1251\">")
                .as_deref(),
            Some("windows-1251")
        );
        assert_eq!(prescan_charset(b"<meta name=description content=x>"), None);
    }

    #[test]
    fn blocks_cells_and_hidden_content() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\
            <h1>Заголовок</h1><p>Один   два<br>три</p><script>var x=1;</script>\
            <template><p>скрыто</p></template><table><tr><td>a</td><td>b &amp; c</td></tr>\
            <tr><th>d</th><td>e</td></tr></table><ul><li>пункт<li>ещё</ul>text";
        assert_eq!(html_to_text(html), "Заголовок\n\nОдин два\nтри\n\na\tb & c\nd\te\n\nпункт\nещё\n\ntext\n");
    }

    #[test]
    fn nesting_depth_estimate_ignores_unclosed_paragraphs() {
        assert_eq!(estimated_nesting_depth("<p>a<p>b<p>c<br><img src=x>"), 0);
        assert_eq!(estimated_nesting_depth("<div><span>a</span><div>b</div></div>"), 2);
        assert_eq!(estimated_nesting_depth(&"<div>".repeat(5000)), 5000);
        assert_eq!(estimated_nesting_depth("a < b <"), 0);
    }

    #[test]
    fn broken_markup_still_yields_text() {
        assert_eq!(html_to_text("<p>one<div>two</p></span>three<b"), "one\n\ntwo\n\nthree\n");
        assert_eq!(html_to_text(""), "");
        assert_eq!(html_to_text("<pre>a  b\n c</pre>"), "a  b\n c\n");
    }
}
