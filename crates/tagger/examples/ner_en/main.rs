//! Measures the English rules of dossier-tagger on sentences annotated inline (`[PER John Smith] met [ORG Acme Ltd]
//! in [LOC London].`), beside natasha's Russian model on the same text (which reads Latin letters too, badly).
//! No openly licensed English NER corpus can be had from a package registry, so the sentences are our own, in
//! `crates/tagger/test_data/english/`: `dev.txt` for working on the rules, `test.txt` held out. `cargo xtask
//! ner-en-eval` runs this; by hand:
//!
//! ```text
//! cargo run --release -p dossier-tagger --example ner_en -- crates/tagger/test_data/english/test.txt \
//!     [--model target/models/ner-en] [--ru-model target/models/ner-ru] [--errors]
//! ```

#[path = "../ner_uk/corpus.rs"]
#[allow(dead_code)]
mod corpus;
#[path = "../ner_uk/score.rs"]
mod score;

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use corpus::Span;
use dossier_ner::Kind;
use score::Score;

fn main() -> anyhow::Result<()> {
    let mut data = None;
    let mut model = PathBuf::from("target/models/ner-en");
    let mut ru_model = None;
    let mut show_errors = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--model" => model = args.next().context("--model DIR")?.into(),
            "--ru-model" => ru_model = Some(PathBuf::from(args.next().context("--ru-model DIR")?)),
            "--errors" => show_errors = true,
            _ if data.is_none() => data = Some(PathBuf::from(arg)),
            other => bail!("unknown argument {other}"),
        }
    }
    let data = data.context("usage: ner_en FILE [--model DIR] [--ru-model DIR] [--errors]")?;
    let annotated = std::fs::read_to_string(&data).with_context(|| format!("reading {}", data.display()))?;
    let (text, gold) = parse(&annotated).with_context(|| format!("reading {}", data.display()))?;
    println!(
        "{}: {} paragraphs, {} chars, {} names",
        data.display(),
        text.lines().count(),
        text.chars().count(),
        gold.len()
    );
    let english = dossier_tagger::EnglishModel::load(&model)?;
    let found: Vec<Span> =
        english.entities(&text).iter().map(|e| Span { kind: e.kind, start: e.start, end: e.end }).collect();
    let mut score = Score::default();
    score.add(&gold, &found);
    score.print(&format!("english rules {}", english.name()));
    if show_errors {
        let chars: Vec<char> = text.chars().collect();
        let show = |span: &Span| chars[span.start..span.end].iter().collect::<String>();
        for span in gold.iter().filter(|s| !found.contains(s)) {
            println!("- {} {:?}", span.kind.code(), show(span));
        }
        for span in found.iter().filter(|s| !gold.contains(s)) {
            println!("+ {} {:?}", span.kind.code(), show(span));
        }
    }
    let long = text.repeat(500);
    let began = std::time::Instant::now();
    let n = english.entities(&long).len();
    let seconds = began.elapsed().as_secs_f64();
    println!(
        "speed {:.0} chars/s ({n} names in {} chars, one thread)",
        long.chars().count() as f64 / seconds,
        long.chars().count()
    );
    if let Some(dir) = ru_model {
        let ru = dossier_ner::Model::load(&dir)?;
        let found: Vec<Span> =
            ru.entities(&text).iter().map(|e| Span { kind: e.kind, start: e.start, end: e.end }).collect();
        let mut score = Score::default();
        score.add(&gold, &found);
        score.print("natasha-ru (dossier-ner)");
    }
    Ok(())
}

/// The text without the brackets, one paragraph a line, and the spans the brackets marked (offsets in chars).
fn parse(annotated: &str) -> anyhow::Result<(String, Vec<Span>)> {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut chars = 0;
    for line in annotated.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()) {
        let mut rest = line;
        while let Some(open) = rest.find('[') {
            text.push_str(&rest[..open]);
            chars += rest[..open].chars().count();
            let close = rest[open..].find(']').with_context(|| format!("no ] in {line:?}"))? + open;
            let inside = &rest[open + 1..close];
            let (kind, name) = inside.split_once(' ').with_context(|| format!("no kind in [{inside}]"))?;
            let kind = match kind {
                "PER" => Kind::Person,
                "ORG" => Kind::Organization,
                "LOC" => Kind::Location,
                other => bail!("unknown kind {other} in {line:?}"),
            };
            let n = name.chars().count();
            spans.push(Span { kind, start: chars, end: chars + n });
            text.push_str(name);
            chars += n;
            rest = &rest[close + 1..];
        }
        text.push_str(rest);
        text.push('\n');
        chars += rest.chars().count() + 1;
    }
    Ok((text, spans))
}
