//! Comments people left on pages: sticky notes, text boxes, highlights and stamps with their text, author and
//! date. MuPDF's page text covers only the page's own content stream, so a PDF whose only words are in its
//! comments would otherwise look empty; and who commented what, when, is often the story.
//!
//! The page's /Annots array is walked as PDF objects: form widgets are left to [`crate::forms`] (their values
//! are read once, from the field tree), links carry no text of their own, and a pop-up repeats its parent's
//! text unless the parent has none.

use mupdf::pdf::PdfObject;

use crate::object_text::{name_entry, strip_rich_text, text_entry};
use crate::pdf_date::pdf_date_to_iso8601;

/// Annotations looked at on one page; a real page has a handful, a hostile one millions.
pub const MAX_ANNOTATIONS_PER_PAGE: usize = 2_000;
/// Distinct comment authors kept in the metadata.
const MAX_AUTHORS: usize = 100;

/// The comments of the pages read so far.
#[derive(Debug, Default)]
pub struct Comments {
    /// Distinct authors, in the order first seen.
    pub authors: Vec<String>,
    /// Comments with text.
    pub count: usize,
    /// Pages whose /Annots array was longer than [`MAX_ANNOTATIONS_PER_PAGE`].
    pub pages_cut_off: Vec<usize>,
}

impl Comments {
    /// The page's comments, one per entry, as "author, date: text" (the form other dossier readers use for
    /// comments); empty when the page has none with text. Problems reading an annotation skip it.
    pub fn read_page(&mut self, page: &PdfObject, page_number: usize) -> Vec<String> {
        let mut lines = Vec::new();
        let Some(annots) = page.get_dict("Annots").ok().flatten() else {
            return lines;
        };
        if !annots.is_array().unwrap_or(false) {
            return lines;
        }
        let len = annots.len().unwrap_or(0);
        if len > MAX_ANNOTATIONS_PER_PAGE {
            self.pages_cut_off.push(page_number);
        }
        for index in 0..len.min(MAX_ANNOTATIONS_PER_PAGE) {
            let Ok(index) = i32::try_from(index) else { break };
            let Some(annot) = annots.get_array(index).ok().flatten() else {
                continue;
            };
            if !annot.is_dict().unwrap_or(false) {
                continue;
            }
            if let Some(line) = self.comment(&annot) {
                lines.push(line);
            }
        }
        lines
    }

    fn comment(&mut self, annot: &PdfObject) -> Option<String> {
        let subtype = name_entry(annot, "Subtype").unwrap_or_default();
        if matches!(subtype.as_str(), "Widget" | "Link") {
            return None;
        }
        let author = text_entry(annot, "T").map(|author| author.replace('\n', " "));
        if let Some(author) = &author
            && self.authors.len() < MAX_AUTHORS
            && !self.authors.contains(author)
        {
            self.authors.push(author.clone());
        }
        let text = comment_text(annot, &subtype)?;
        if subtype == "Popup"
            && let Some(parent) = annot.get_dict("Parent").ok().flatten()
            && comment_text(&parent, "").is_some()
        {
            // The pop-up window only shows its parent's comment, which is read from the parent.
            return None;
        }
        self.count += 1;
        let date = ["M", "CreationDate"]
            .iter()
            .find_map(|key| text_entry(annot, key))
            .map(|raw| pdf_date_to_iso8601(&raw).unwrap_or(raw));
        let label: Vec<String> = author.into_iter().chain(date).collect();
        Some(if label.is_empty() { text } else { format!("{}: {text}", label.join(", ")) })
    }
}

/// An annotation's own text: /Contents, else its rich text, else (for a redaction) the text printed over the
/// redacted area.
fn comment_text(annot: &PdfObject, subtype: &str) -> Option<String> {
    text_entry(annot, "Contents")
        .or_else(|| text_entry(annot, "RC").map(|rich| strip_rich_text(&rich)).filter(|text| !text.is_empty()))
        .or_else(|| if subtype == "Redact" { text_entry(annot, "OverlayText") } else { None })
}
