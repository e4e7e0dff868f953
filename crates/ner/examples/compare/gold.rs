//! The two Russian NER corpora with gold annotations, read into texts and PER/ORG/LOC spans (char offsets).
//!
//! The mapping follows natasha's own evaluation (naeval), so that natasha is scored on the terms it was built for:
//! - factRuEval-2016 (devset): a Person is the whole extent of its spans (name, surname, patronymic...); an Org
//!   counts by its `org_name` spans, a Location or LocOrg (a place acting as an organisation, "Россия заявила")
//!   by its `loc_name` spans, both as LOC; Project and Facility are dropped.
//! - collection5: PER, ORG, LOC as they are; GEOPOLIT → LOC; MEDIA → ORG; quotes at a span's ends are trimmed.
//!   Its offsets count each line end as two characters (CRLF), the files have LF: they are converted.
//!
//! Nested or overlapping gold spans ("мэрии [Москвы]" inside an Org, "МИД [России]") keep the outermost, earliest
//! one: a flat tagger can produce only one of them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use dossier_ner::Kind;

/// A span in char offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

pub struct Document {
    pub corpus: &'static str,
    pub path: PathBuf,
    pub text: String,
    pub gold: Vec<Span>,
    /// Gold spans whose annotated text differs from the text at their offsets (should be none).
    pub misplaced: usize,
}

pub fn load_factrueval(dir: &Path) -> anyhow::Result<Vec<Document>> {
    let mut documents = Vec::new();
    for path in sorted_files(dir, "txt")? {
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let chars: Vec<char> = text.chars().collect();
        let spans_text = std::fs::read_to_string(path.with_extension("spans"))?;
        let objects_text = std::fs::read_to_string(path.with_extension("objects"))?;
        // span id → (type, start, end, annotated text)
        let mut spans: HashMap<&str, (&str, usize, usize, &str)> = HashMap::new();
        for line in spans_text.lines() {
            let (fields, comment) = line.split_once('#').unwrap_or((line, ""));
            let fields: Vec<&str> = fields.split_whitespace().collect();
            if fields.len() < 4 {
                continue;
            }
            let start: usize = fields[2].parse()?;
            let length: usize = fields[3].parse()?;
            // The comment is "<token ids> <text>": the text follows as many ids as the span has tokens.
            let tokens: usize = fields.get(5).and_then(|n| n.parse().ok()).unwrap_or(1);
            let annotated = comment.trim().splitn(tokens + 1, ' ').nth(tokens).unwrap_or("");
            spans.insert(fields[0], (fields[1], start, start + length, annotated));
        }
        let mut gold = Vec::new();
        let mut misplaced = 0;
        for line in objects_text.lines() {
            let fields: Vec<&str> = line.split('#').next().unwrap_or("").split_whitespace().collect();
            let Some((&kind, ids)) = fields.get(1).zip(fields.get(2..)) else { continue };
            let parts: Vec<(&str, usize, usize, &str)> = ids.iter().filter_map(|id| spans.get(id).copied()).collect();
            for &(_, start, end, annotated) in &parts {
                let at: String = chars.get(start..end).map(|c| c.iter().collect()).unwrap_or_default();
                if at.split_whitespace().ne(annotated.split_whitespace()) {
                    misplaced += 1;
                }
            }
            match kind {
                "Person" => {
                    let start = parts.iter().map(|p| p.1).min();
                    let end = parts.iter().map(|p| p.2).max();
                    if let (Some(start), Some(end)) = (start, end) {
                        gold.push(Span { start, end, kind: Kind::Person });
                    }
                }
                "Org" | "Location" | "LocOrg" => {
                    let (part, mapped) =
                        if kind == "Org" { ("org_name", Kind::Organization) } else { ("loc_name", Kind::Location) };
                    let named: Vec<Span> = parts
                        .iter()
                        .filter(|p| p.0 == part)
                        .map(|p| Span { start: p.1, end: p.2, kind: mapped })
                        .collect();
                    gold.extend(outermost(named));
                }
                _ => {}
            }
        }
        documents.push(Document { corpus: "factRuEval-2016", path, text, gold: outermost(gold), misplaced });
    }
    Ok(documents)
}

pub fn load_collection5(dir: &Path) -> anyhow::Result<Vec<Document>> {
    const QUOTES: &[char] = &['"', '\'', '”', '«', '„', 'ʼ', '»', '“', 'ʻ'];
    let mut documents = Vec::new();
    for path in sorted_files(dir, "txt")? {
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let chars: Vec<char> = text.chars().collect();
        // The annotations were made on the text with CRLF line ends: every line end before an offset counts twice.
        let mut from_crlf: HashMap<usize, usize> = HashMap::new();
        let mut crlf = 0;
        for (index, &c) in chars.iter().enumerate() {
            from_crlf.insert(crlf, index);
            crlf += if c == '\n' { 2 } else { 1 };
        }
        from_crlf.insert(crlf, chars.len());
        let annotations = std::fs::read_to_string(path.with_extension("ann"))?;
        let mut gold = Vec::new();
        let mut misplaced = 0;
        for line in annotations.lines() {
            let mut columns = line.split('\t');
            let (Some(id), Some(label), annotated) = (columns.next(), columns.next(), columns.next()) else {
                continue;
            };
            if !id.starts_with('T') || label.contains(';') {
                continue;
            }
            let fields: Vec<&str> = label.split_whitespace().collect();
            let [kind, start, end] = fields[..] else { continue };
            let (Ok(start), Ok(end)) = (start.parse::<usize>(), end.parse::<usize>()) else { continue };
            let (Some(&(mut start)), Some(&(mut end))) = (from_crlf.get(&start), from_crlf.get(&end)) else {
                misplaced += 1;
                continue;
            };
            if start >= end {
                misplaced += 1;
                continue;
            }
            let at: String = chars[start..end].iter().collect();
            if Some(at.as_str()) != annotated {
                misplaced += 1;
            }
            let kind = match kind {
                "PER" => Kind::Person,
                "ORG" | "MEDIA" => Kind::Organization,
                "LOC" | "GEOPOLIT" => Kind::Location,
                _ => continue,
            };
            while start < end && QUOTES.contains(&chars[start]) {
                start += 1;
            }
            while end > start && QUOTES.contains(&chars[end - 1]) {
                end -= 1;
            }
            if start < end {
                gold.push(Span { start, end, kind });
            }
        }
        documents.push(Document { corpus: "collection5", path, text, gold: outermost(gold), misplaced });
    }
    Ok(documents)
}

/// Exact-span counts for precision, recall and F1.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    /// Adds one text's spans of `kind` (of every kind if `None`).
    pub fn add(&mut self, gold: &[Span], predicted: &[Span], kind: Option<Kind>) {
        let of_kind = |span: &&Span| kind.is_none_or(|kind| span.kind == kind);
        let gold: std::collections::HashSet<&Span> = gold.iter().filter(of_kind).collect();
        let predicted: Vec<&Span> = predicted.iter().filter(of_kind).collect();
        self.correct += predicted.iter().filter(|span| gold.contains(*span)).count();
        self.gold += gold.len();
        self.predicted += predicted.len();
    }

    pub fn precision(&self) -> f64 {
        self.correct as f64 / self.predicted.max(1) as f64
    }

    pub fn recall(&self) -> f64 {
        self.correct as f64 / self.gold.max(1) as f64
    }

    pub fn f1(&self) -> f64 {
        let (precision, recall) = (self.precision(), self.recall());
        if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 }
    }
}

/// Spans sorted by start (longest first); a span overlapping one already kept is dropped.
fn outermost(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|span| (span.start, std::cmp::Reverse(span.end)));
    let mut kept: Vec<Span> = Vec::new();
    for span in spans {
        if kept.last().is_some_and(|previous| previous.end > span.start) {
            continue;
        }
        kept.push(span);
    }
    kept
}

fn sorted_files(dir: &Path, extension: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {} (the NER corpora are in ../shared/corpus/ner)", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    files.sort();
    Ok(files)
}
