//! The ner-uk corpus (lang-uk, v2.0, CC BY-NC-SA 4.0): brat `.txt`/`.ann` pairs under `bruk/`, and
//! `dev-test-split.txt`, which lists the documents of the DEV part (what we train on) and of the TEST part.
//!
//! Only PERS, ORG and LOC are read (as PER, ORG, LOC); the other types (JOB, DATE, MISC, ART...) are ignored. Offsets
//! are in chars. Discontinuous spans (`0 5;8 12`) are skipped and counted.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use dossier_ner::Kind;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

pub struct Document {
    pub text: String,
    /// Every PER/ORG/LOC span as annotated, nested and overlapping ones included.
    pub spans: Vec<Span>,
    pub discontinuous: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Dev,
    Test,
}

/// The documents of one part of the split, in the order of their ids.
pub fn load(corpus: &Path, part: Part) -> anyhow::Result<Vec<Document>> {
    let split_path = corpus.join("dev-test-split.txt");
    let split = std::fs::read_to_string(&split_path)
        .with_context(|| format!("reading {} (is ../shared/corpus/ner/ner-uk there?)", split_path.display()))?;
    let mut section = None;
    let mut ids = Vec::new();
    for line in split.lines().map(str::trim) {
        match line {
            "DEV" => section = Some(Part::Dev),
            "TEST" => section = Some(Part::Test),
            "" => {}
            id if section == Some(part) => ids.push(id.to_string()),
            _ => {}
        }
    }
    ids.sort();
    let bruk = corpus.join("bruk");
    let mut documents = Vec::new();
    for id in ids {
        let txt = bruk.join(format!("{id}.txt"));
        if !txt.exists() {
            // The split lists the documents of every ner-uk source; v2.0's data holds the bruk ones.
            continue;
        }
        documents.push(read_document(&txt, &bruk.join(format!("{id}.ann")))?);
    }
    if documents.is_empty() {
        bail!("no documents of {part:?} under {}", bruk.display());
    }
    Ok(documents)
}

fn read_document(txt: &PathBuf, ann: &PathBuf) -> anyhow::Result<Document> {
    let text = std::fs::read_to_string(txt).with_context(|| format!("reading {}", txt.display()))?;
    let annotations = std::fs::read_to_string(ann).with_context(|| format!("reading {}", ann.display()))?;
    let n_chars = text.chars().count();
    let mut spans = Vec::new();
    let mut discontinuous = 0;
    for line in annotations.lines().filter(|line| line.starts_with('T')) {
        // Both "T1<TAB>PERS 58 63<TAB>text" (brat) and "T1<TAB>PERS<TAB>58<TAB>63<TAB>text" occur.
        let fields: Vec<&str> = line.split('\t').collect();
        let header: Vec<&str> = match fields.get(1) {
            Some(field) if field.contains(' ') => field.split(' ').collect(),
            Some(_) => fields[1..fields.len().min(4)].to_vec(),
            None => continue,
        };
        let kind = match header.first().copied() {
            Some("PERS") => Kind::Person,
            Some("ORG") => Kind::Organization,
            Some("LOC") => Kind::Location,
            _ => continue,
        };
        if header.iter().any(|field| field.contains(';')) {
            discontinuous += 1;
            continue;
        }
        let (Some(start), Some(end)) = (header.get(1), header.get(2)) else {
            bail!("{}: bad line {line:?}", ann.display())
        };
        let start: usize = start.parse().with_context(|| format!("{}: {line:?}", ann.display()))?;
        let end: usize = end.parse().with_context(|| format!("{}: {line:?}", ann.display()))?;
        if start >= end || end > n_chars {
            bail!("{}: span {start}..{end} outside the text", ann.display());
        }
        spans.push(Span { kind, start, end });
    }
    spans.sort();
    spans.dedup();
    Ok(Document { text, spans, discontinuous })
}
