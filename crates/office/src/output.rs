//! Building a reader's text: per-part line buffers, and the document assembled from labelled sections.

use dossier_document::{Extraction, Metadata, TextBuilder};

/// The text of one part, built line by line. Its size is bounded by the size of the (bounded) XML part it
/// comes from, since every character in it came from a character there or from a tag at least as long.
#[derive(Debug, Default)]
pub(crate) struct Lines {
    text: String,
}

impl Lines {
    pub(crate) fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    pub(crate) fn push_char(&mut self, c: char) {
        self.text.push(c);
    }

    /// Ends the current line unless it is empty.
    pub(crate) fn end_line(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    /// Takes back trailing spaces (left by the paragraphs of a table cell before its tab).
    pub(crate) fn trim_spaces(&mut self) {
        while self.text.ends_with(' ') {
            self.text.pop();
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.text.len()
    }

    /// Ends a table cell that started at byte `cell_start`: the line breaks its paragraphs left are taken back
    /// so that a row stays on one line.
    pub(crate) fn end_cell(&mut self, cell_start: usize) {
        while self.text.len() > cell_start && self.text.ends_with('\n') {
            self.text.pop();
        }
        self.text.push('\t');
    }

    /// The text with trailing blanks cut from every line and no blank lines at the start or end.
    pub(crate) fn finish(self) -> String {
        tidy(&self.text)
    }
}

/// Cuts trailing spaces and tabs from every line (left by table cells and runs) and outer blank lines.
pub(crate) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n') {
        out.push_str(line.trim_end_matches([' ', '\t', '\r']));
        out.push('\n');
    }
    out.trim_matches('\n').to_string()
}

/// A document being assembled: the main text first, then labelled sections (`[Footnotes]`, `[Comments]`...).
pub(crate) struct Document {
    text: TextBuilder,
    pub(crate) metadata: Metadata,
    pub(crate) diagnostics: Vec<String>,
}

impl Document {
    pub(crate) fn new(max_text_bytes: usize) -> Document {
        Document { text: TextBuilder::new(max_text_bytes), metadata: Metadata::default(), diagnostics: Vec::new() }
    }

    /// Appends a block of text, preceded by `heading` on its own line, separated from what came before by a
    /// blank line. Empty blocks are left out, heading included.
    pub(crate) fn section(&mut self, heading: Option<&str>, text: &str) {
        let text = text.trim_matches('\n');
        if text.trim().is_empty() {
            return;
        }
        self.text.end_paragraph();
        if let Some(heading) = heading {
            self.text.push(heading);
            self.text.push("\n");
        }
        self.text.push(text);
    }

    pub(crate) fn is_full(&self) -> bool {
        self.text.is_full()
    }

    pub(crate) fn finish(self, package_diagnostics: Vec<String>) -> Extraction {
        let (mut text, cut) = self.text.finish();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        let mut diagnostics = package_diagnostics;
        diagnostics.extend(self.diagnostics);
        diagnostics.extend(cut);
        Extraction { text, metadata: self.metadata, diagnostics }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_cuts_trailing_cell_separators_and_outer_blank_lines() {
        assert_eq!(tidy("\n\na\tb\t\nc  \n\n"), "a\tb\nc");
    }

    #[test]
    fn empty_sections_leave_no_heading() {
        let mut document = Document::new(1000);
        document.section(None, "body");
        document.section(Some("[Comments]"), " \n");
        document.section(Some("[Footnotes]"), "note");
        let extraction = document.finish(Vec::new());
        assert_eq!(extraction.text, "body\n\n[Footnotes]\nnote\n");
    }
}
