//! Accuracy against the ground truth some corpus sets carry, one score per "variant" (a format or encoding).
//!
//! - cyrillic: `NAME.expected.txt` against every rendering of the same text (`NAME.utf8.txt`, `NAME.docx`, ...), plus
//!   the `.docx` attached to `NAME.eml` as variant `eml-attachment`;
//! - formats/pdfbox: `X.pdf` against `X.pdf.txt`;
//! - email/mail-parser: `X.eml` against the text body parts of mail-parser's own parse `X.json`, and the subject
//!   header against dossier's `subject` metadata.

use std::collections::{HashMap, HashSet};

use anyhow::Context;

use crate::documents::Document;
use crate::truth::CYRILLIC_VARIANTS;
use crate::words::WordCounts;

#[derive(Debug, Clone, Default)]
pub struct VariantScore {
    pub variant: String,
    /// Files of this variant with ground truth.
    pub n_files: usize,
    /// Of those, documents read (ok or partial) with some text.
    pub n_with_text: usize,
    pub counts: WordCounts,
    /// Variant files that are empty on disk (the corpus generator could not encode the text, e.g. Ukrainian letters
    /// in KOI8-R): there is nothing to extract, so they are left out of the score.
    pub n_empty_on_disk: usize,
}

impl VariantScore {
    fn new(variant: &str) -> VariantScore {
        VariantScore { variant: variant.to_owned(), ..VariantScore::default() }
    }

    fn add(&mut self, expected: &str, document: Option<&Document>) {
        self.n_files += 1;
        match document {
            Some(document) if document.has_text() => {
                self.n_with_text += 1;
                self.counts.add(WordCounts::compare(expected, document.text_or_empty()));
            }
            // Failed, empty or missing: the truth was not found, and nothing false was said.
            _ => self.counts.add(WordCounts::nothing_extracted(expected)),
        }
    }
}

/// Looks documents up by path (depth 0) and by parent.
pub struct DocumentIndex<'a> {
    top_level_by_path: HashMap<&'a str, &'a Document>,
    children_by_parent: HashMap<i64, Vec<&'a Document>>,
}

impl<'a> DocumentIndex<'a> {
    pub fn new(documents: &'a [Document]) -> DocumentIndex<'a> {
        let mut top_level_by_path = HashMap::new();
        let mut children_by_parent: HashMap<i64, Vec<&Document>> = HashMap::new();
        for document in documents {
            if document.depth == 0 {
                top_level_by_path.insert(document.path.as_str(), document);
            } else if let Some(parent_id) = document.parent_id {
                children_by_parent.entry(parent_id).or_default().push(document);
            }
        }
        DocumentIndex { top_level_by_path, children_by_parent }
    }

    pub fn top_level(&self, path: &str) -> Option<&'a Document> {
        self.top_level_by_path.get(path).copied()
    }

    pub fn children(&self, parent: &Document) -> &[&'a Document] {
        self.children_by_parent.get(&parent.id).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The scores of a set, or nothing when the set has no ground truth.
pub fn score_set(set_name: &str, files: &[String], documents: &[Document]) -> anyhow::Result<Vec<VariantScore>> {
    let index = DocumentIndex::new(documents);
    let on_disk: HashSet<&str> = files.iter().map(String::as_str).collect();
    match set_name {
        "cyrillic" => score_cyrillic(files, &on_disk, &index),
        "formats/pdfbox" => score_pdfbox(files, &on_disk, &index),
        "email/mail-parser" => score_mail_parser(files, &on_disk, &index),
        _ => Ok(Vec::new()),
    }
}

fn read_truth(path: &str) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading ground truth {path}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn score_cyrillic(
    files: &[String],
    on_disk: &HashSet<&str>,
    index: &DocumentIndex<'_>,
) -> anyhow::Result<Vec<VariantScore>> {
    let mut scores: Vec<VariantScore> = CYRILLIC_VARIANTS.iter().map(|variant| VariantScore::new(variant)).collect();
    for truth_path in files.iter().filter(|file| file.ends_with(".expected.txt")) {
        let expected = read_truth(truth_path)?;
        let base = truth_path.trim_end_matches(".expected.txt");
        for score in &mut scores {
            if score.variant == "eml-attachment" {
                let message_path = format!("{base}.eml");
                if !on_disk.contains(message_path.as_str()) {
                    continue;
                }
                let attachment = index.top_level(&message_path).and_then(|message| {
                    index.children(message).iter().copied().find(|child| child.path.ends_with(".docx"))
                });
                score.add(&expected, attachment);
                continue;
            }
            let variant_path = format!("{base}{}", score.variant);
            if !on_disk.contains(variant_path.as_str()) {
                continue;
            }
            if std::fs::metadata(&variant_path).map(|metadata| metadata.len() == 0).unwrap_or(false) {
                score.n_empty_on_disk += 1;
                continue;
            }
            score.add(&expected, index.top_level(&variant_path));
        }
    }
    Ok(scores)
}

fn score_pdfbox(
    files: &[String],
    on_disk: &HashSet<&str>,
    index: &DocumentIndex<'_>,
) -> anyhow::Result<Vec<VariantScore>> {
    let mut score = VariantScore::new("pdf");
    for truth_path in files.iter().filter(|file| file.ends_with(".pdf.txt")) {
        let pdf_path = truth_path.trim_end_matches(".txt");
        if on_disk.contains(pdf_path) {
            score.add(&read_truth(truth_path)?, index.top_level(pdf_path));
        }
    }
    Ok(vec![score])
}

fn score_mail_parser(
    files: &[String],
    on_disk: &HashSet<&str>,
    index: &DocumentIndex<'_>,
) -> anyhow::Result<Vec<VariantScore>> {
    let mut body_score = VariantScore::new("body");
    let mut subject_score = VariantScore::new("subject");
    // `X.crlf.json` is the parse of the same message with CRLF line ends: the same truth, counted once.
    for truth_path in files.iter().filter(|file| file.ends_with(".json") && !file.ends_with(".crlf.json")) {
        let message_path = format!("{}.eml", truth_path.trim_end_matches(".json"));
        if !on_disk.contains(message_path.as_str()) {
            continue;
        }
        let truth: serde_json::Value =
            serde_json::from_str(&read_truth(truth_path)?).with_context(|| format!("parsing {truth_path}"))?;
        let expected = MailParserTruth::from_json(&truth);
        let document = index.top_level(&message_path);
        body_score.add(&expected.body_text, document);
        if let Some(expected_subject) = &expected.subject {
            subject_score.n_files += 1;
            match document.and_then(|document| document.metadata_string("subject")) {
                Some(subject) => {
                    subject_score.n_with_text += 1;
                    subject_score.counts.add(WordCounts::compare(expected_subject, subject));
                }
                None => subject_score.counts.add(WordCounts::nothing_extracted(expected_subject)),
            }
        }
    }
    Ok(vec![body_score, subject_score])
}

/// What mail-parser says a message contains: its text body parts and its subject.
#[derive(Debug, PartialEq, Eq)]
pub struct MailParserTruth {
    pub body_text: String,
    pub subject: Option<String>,
}

impl MailParserTruth {
    /// Reads mail-parser's serialisation: `text_body` lists indexes into `parts`, whose `body` is `{"Text": ...}` or
    /// `{"Html": ...}` (an HTML-only message, whose text body mail-parser points at the HTML part); the subject is a
    /// header of part 0.
    pub fn from_json(message: &serde_json::Value) -> MailParserTruth {
        let parts = message.get("parts").and_then(serde_json::Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        let mut body_text = String::new();
        let text_body_indexes = message.get("text_body").and_then(serde_json::Value::as_array);
        for part_index in text_body_indexes.into_iter().flatten().filter_map(serde_json::Value::as_u64) {
            let Some(body) = parts.get(part_index as usize).and_then(|part| part.get("body")) else { continue };
            if let Some(text) = body.get("Text").and_then(serde_json::Value::as_str) {
                body_text.push_str(text);
            } else if let Some(html) = body.get("Html").and_then(serde_json::Value::as_str) {
                body_text.push_str(&strip_html(html));
            }
            body_text.push('\n');
        }
        let subject = parts
            .first()
            .and_then(|part| part.get("headers"))
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .find(|header| header.get("name").and_then(serde_json::Value::as_str) == Some("subject"))
            .and_then(|header| header.get("value"))
            .and_then(|value| value.get("Text"))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        MailParserTruth { body_text, subject }
    }
}

/// Tags and the content of `<style>`/`<script>` out, a few entities decoded: enough for a bag of words.
fn strip_html(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let tag = &rest[start..];
        let Some(end) = tag.find('>') else {
            rest = "";
            break;
        };
        let tag_name = tag[1..end].trim_start().to_ascii_lowercase();
        rest = &tag[end + 1..];
        for skipped in ["style", "script"] {
            if tag_name.starts_with(skipped) {
                let closing = format!("</{skipped}");
                let lower = rest.to_ascii_lowercase();
                rest = lower.find(&closing).map(|at| &rest[at..]).unwrap_or("");
            }
        }
        text.push(' ');
    }
    text.push_str(rest);
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_parser_truth_takes_text_body_parts_and_subject() {
        let message = serde_json::json!({
            "text_body": [1, 3],
            "html_body": [2],
            "attachments": [],
            "parts": [
                {"headers": [{"name": "from", "value": {"Text": "x"}}, {"name": "subject", "value": {"Text": "Hello there"}}],
                 "body": {"Multipart": [1, 2, 3]}},
                {"headers": [], "body": {"Text": "first part"}},
                {"headers": [], "body": {"Html": "<p>not in text body</p>"}},
                {"headers": [], "body": {"Html": "<style>p {}</style><p>second&nbsp;part &amp; more</p>"}},
            ]
        });
        let truth = MailParserTruth::from_json(&message);
        assert_eq!(truth.subject.as_deref(), Some("Hello there"));
        let counts = WordCounts::compare(&truth.body_text, "first part second part more");
        assert_eq!((counts.n_expected, counts.n_matched), (5, 5), "{:?}", truth.body_text);
    }

    #[test]
    fn mail_parser_truth_of_garbage_is_empty() {
        let truth = MailParserTruth::from_json(&serde_json::json!({"parts": 3}));
        assert_eq!(truth, MailParserTruth { body_text: String::new(), subject: None });
    }

    #[test]
    fn strip_html_cases() {
        let cases =
            [("<b>a</b>b", " a b"), ("<SCRIPT>var x</SCRIPT>y", "  y"), ("a < b", "a "), ("x &lt;y&gt;", "x <y>")];
        for (html, want) in cases {
            assert_eq!(strip_html(html), want, "{html:?}");
        }
    }
}
