//! Trains dossier-tagger on ner-uk and measures it, beside natasha's Russian model (dossier-ner, which gives
//! natasha's spans exactly) on the same texts. `cargo xtask train-ner-uk` and `cargo xtask ner-uk-eval` run this in
//! release mode; by hand:
//!
//! ```text
//! cargo run --release -p dossier-tagger --example ner_uk -- train --corpus ../shared/corpus/ner/ner-uk/v2.0/data \
//!     --names target/uk-dict/forms-VERSION.tsv --out target/models/ner-uk [--epochs N] [--folds K [--errors]] [--crf]
//! cargo run --release -p dossier-tagger --example ner_uk -- eval --corpus ../shared/corpus/ner/ner-uk/v2.0/data \
//!     --model target/models/ner-uk [--ru-model target/models/ner-ru]
//! ```
//!
//! `train` learns from the DEV part of ner-uk's split; with `--folds K` it cross-validates instead (trains on all but
//! one K-th of DEV, scores that K-th, for each K-th: for choosing options without looking at TEST; `--errors` prints
//! what it got wrong). `--crf` trains a CRF instead of the averaged perceptron (`--learning-rate`, `--l2`),
//! `--epochs` and `--seed` set the passes and the visiting order. `eval` scores the TEST part; `check` loads the
//! model folder and prints its name; `tag --out FILE` tags one file (to measure memory and time on long texts).
//!
//! Gold spans are PERS, ORG and LOC (as PER, ORG, LOC); every other ner-uk type is ignored. Scoring is by exact span
//! (kind, start and end in chars). Every gold span counts, nested or overlapping ones included, though a flat tagger
//! can find only one of them; for training, where spans overlap the longest is kept.

mod corpus;
mod score;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, bail};
use corpus::{Document, Part, Span};
use dossier_tagger::train::{Example, TrainOptions};
use dossier_tagger::{Model, Names, tags};
use score::Score;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else { bail!("usage: ner_uk train|eval|check [options]") };
    let mut corpus = PathBuf::from("../shared/corpus/ner/ner-uk/v2.0/data");
    let mut names = None;
    let mut out = None;
    let mut model = PathBuf::from("target/models/ner-uk");
    let mut ru_model = None;
    let mut options = TrainOptions::default();
    let mut folds = 0;
    let mut show_errors = false;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--corpus" => corpus = value()?.into(),
            "--names" => names = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--model" => model = value()?.into(),
            "--ru-model" => ru_model = Some(PathBuf::from(value()?)),
            "--epochs" => options.epochs = value()?.parse()?,
            "--seed" => options.seed = value()?.parse()?,
            "--crf" => options.algorithm = dossier_tagger::train::Algorithm::Crf,
            "--learning-rate" => options.learning_rate = value()?.parse()?,
            "--l2" => options.l2 = value()?.parse()?,
            "--folds" => folds = value()?.parse()?,
            "--errors" => show_errors = true,
            other => bail!("unknown argument {other}"),
        }
    }
    match command.as_str() {
        "train" => {
            let names = names.context("train needs --names FILE (the dictionary's forms, as text)")?;
            if folds > 1 {
                cross_validate(&corpus, &names, &options, folds, show_errors)
            } else {
                train(&corpus, &names, out.as_deref(), &options)
            }
        }
        "eval" => eval(&corpus, &model, ru_model.as_deref()),
        // Whether this build reads the model folder (setup retrains a model of other feature templates).
        "check" => Model::load(&model).map(|model| println!("{}", model.name())).map_err(anyhow::Error::from),
        // Tags one file (for measuring memory and time on long texts).
        "tag" => {
            let path = out.context("tag needs --out FILE (the text to tag)")?;
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            let began = Instant::now();
            let n = Model::load(&model)?.entities(&text).len();
            println!("{n} names in {} chars, {:.1} s", text.chars().count(), began.elapsed().as_secs_f64());
            Ok(())
        }
        other => bail!("unknown command {other}: train, eval, check or tag"),
    }
}

fn train(
    corpus: &std::path::Path,
    names_path: &std::path::Path,
    out: Option<&std::path::Path>,
    options: &TrainOptions,
) -> anyhow::Result<()> {
    let began = Instant::now();
    let names = read_names(names_path)?;
    println!("{} word forms in the dictionary ({:.1} s)", names.len(), began.elapsed().as_secs_f64());
    let documents = corpus::load(corpus, Part::Dev)?;
    let mut stats = Stats::default();
    let mut examples = Vec::new();
    for document in &documents {
        examples.extend(examples_of(document, &names, &mut stats));
    }
    let n_tokens: usize = examples.iter().map(|e| e.tags.len()).sum();
    println!(
        "training on {} documents: {} sentences, {} tokens, {} spans ({} not trained on: inside a longer one {}, \
         not on token boundaries {})",
        documents.len(),
        examples.len(),
        n_tokens,
        stats.spans,
        stats.nested + stats.misaligned,
        stats.nested,
        stats.misaligned
    );
    let measure = match options.algorithm {
        dossier_tagger::train::Algorithm::Perceptron => "tokens tagged wrong",
        dossier_tagger::train::Algorithm::Crf => "negative log-likelihood",
    };
    let weights = dossier_tagger::train::train(&examples, options, |epoch, value| {
        println!("epoch {epoch:>2}: {value} {measure} ({:.1} s)", began.elapsed().as_secs_f64());
    });
    let bytes = weights.to_bytes();
    println!(
        "{} features, {:.1} MB, trained in {:.1} s",
        weights.n_features(),
        bytes.len() as f64 / 1e6,
        began.elapsed().as_secs_f64()
    );
    if let Some(out) = out {
        std::fs::create_dir_all(out)?;
        let path = out.join(dossier_tagger::WEIGHTS_FILE);
        std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
        let path = out.join(dossier_tagger::WORDS_FILE);
        std::fs::write(&path, names.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {} ({:.1} MB)", path.display(), names.as_bytes().len() as f64 / 1e6);
    }
    Ok(())
}

/// Trains on all but one of `folds` parts of DEV and scores the part left out, for each part: a measure for choosing
/// options that never looks at TEST.
fn cross_validate(
    corpus: &std::path::Path,
    names_path: &std::path::Path,
    options: &TrainOptions,
    folds: usize,
    show_errors: bool,
) -> anyhow::Result<()> {
    let documents = corpus::load(corpus, Part::Dev)?;
    let compiled = read_names(names_path)?.as_bytes().to_vec();
    let mut score = Score::default();
    for fold in 0..folds {
        let names = Names::from_bytes(compiled.clone()).map_err(anyhow::Error::msg)?;
        let mut stats = Stats::default();
        let mut examples = Vec::new();
        for (_, document) in documents.iter().enumerate().filter(|(index, _)| index % folds != fold) {
            examples.extend(examples_of(document, &names, &mut stats));
        }
        let weights = dossier_tagger::train::train(&examples, options, |_, _| {});
        let bytes = weights.to_bytes();
        let model = Model::new(weights, names, &bytes);
        for (_, document) in documents.iter().enumerate().filter(|(index, _)| index % folds == fold) {
            let found = predicted(&model.entities(&document.text));
            score.add(&document.spans, &found);
            if show_errors {
                print_errors(document, &found);
            }
        }
    }
    println!("{folds}-fold cross-validation over DEV ({} documents)", documents.len());
    score.print("dossier-tagger");
    Ok(())
}

/// The dictionary's forms as text (`form<TAB>codes` lines), compiled.
fn read_names(path: &std::path::Path) -> anyhow::Result<Names> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Names::parse(&text).map_err(|reason| anyhow::anyhow!("{}: {reason}", path.display()))
}

#[derive(Default)]
struct Stats {
    spans: usize,
    nested: usize,
    misaligned: usize,
}

/// The document's sentences as the tagger reads them, with gold BIO tags.
fn examples_of(document: &Document, names: &Names, stats: &mut Stats) -> Vec<Example> {
    let text = &document.text;
    let mut char_at = vec![0usize; text.len() + 1];
    let mut n = 0;
    for (byte, c) in text.char_indices() {
        char_at[byte] = n;
        n += 1;
        for k in 1..c.len_utf8() {
            char_at[byte + k] = n;
        }
    }
    char_at[text.len()] = n;
    // Longest first: where spans overlap, the longest one is the one trained on.
    let mut by_length: Vec<&Span> = document.spans.iter().collect();
    by_length.sort_by_key(|span| (std::cmp::Reverse(span.end - span.start), span.start));
    let mut kept: Vec<&Span> = Vec::new();
    for span in by_length {
        stats.spans += 1;
        if kept.iter().any(|k| k.start < span.end && span.start < k.end) {
            stats.nested += 1;
        } else {
            kept.push(span);
        }
    }
    let mut boundaries_seen = vec![(false, false); kept.len()];
    let mut examples = Vec::new();
    // The documents are shorter than CONTEXT_BYTES: the context is the whole document, as when tagging it.
    let pieces: Vec<Vec<std::ops::Range<usize>>> = dossier_tagger::pieces(text).collect();
    let mut context = dossier_tagger::Context::default();
    for piece in &pieces {
        context.add(&piece.iter().map(|range| &text[range.clone()]).collect::<Vec<_>>());
    }
    for piece in pieces {
        let tokens: Vec<&str> = piece.iter().map(|range| &text[range.clone()]).collect();
        let mut gold = vec![tags::OUTSIDE; tokens.len()];
        for (index, span) in kept.iter().enumerate() {
            let mut first = true;
            for (token, range) in piece.iter().enumerate() {
                let (start, end) = (char_at[range.start], char_at[range.end]);
                if start >= span.start && end <= span.end {
                    gold[token] = if first { tags::begin(span.kind) } else { tags::inside(span.kind) };
                    first = false;
                    boundaries_seen[index].0 |= start == span.start;
                    boundaries_seen[index].1 |= end == span.end;
                }
            }
        }
        examples.push(Example {
            features: dossier_tagger::features::sentence_features(&tokens, names, &context),
            tags: gold,
        });
    }
    stats.misaligned += boundaries_seen.iter().filter(|(start, end)| !(*start && *end)).count();
    examples
}

/// A model under test: text in, names out.
type Tagger = Box<dyn Fn(&str) -> Vec<dossier_ner::Entity>>;

fn predicted(entities: &[dossier_ner::Entity]) -> Vec<Span> {
    entities.iter().map(|e| Span { kind: e.kind, start: e.start, end: e.end }).collect()
}

fn eval(
    corpus: &std::path::Path,
    model_dir: &std::path::Path,
    ru_model: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let documents = corpus::load(corpus, Part::Test)?;
    let n_chars: usize = documents.iter().map(|d| d.text.chars().count()).sum();
    let n_spans: usize = documents.iter().map(|d| d.spans.len()).sum();
    let nested: usize = documents
        .iter()
        .map(|d| {
            d.spans.iter().filter(|s| d.spans.iter().any(|o| o != *s && o.start < s.end && s.start < o.end)).count()
        })
        .sum();
    let discontinuous: usize = documents.iter().map(|d| d.discontinuous).sum();
    println!(
        "ner-uk TEST: {} documents, {n_chars} chars, {n_spans} PER/ORG/LOC spans ({nested} overlap another, \
         {discontinuous} discontinuous ones skipped)",
        documents.len()
    );
    let loaded = Instant::now();
    let model = Model::load(model_dir)?;
    println!("dossier-tagger {} loaded in {:.2} s", model.name(), loaded.elapsed().as_secs_f64());
    let mut runs: Vec<(&str, Tagger)> = vec![("dossier-tagger", Box::new(move |text: &str| model.entities(text)))];
    if let Some(dir) = ru_model {
        let ru = dossier_ner::Model::load(dir)?;
        runs.push(("natasha-ru (dossier-ner)", Box::new(move |text: &str| ru.entities(text))));
    }
    for (name, run) in &runs {
        let mut score = Score::default();
        // The fastest of three passes: the shared machines are often busy.
        let mut seconds = f64::INFINITY;
        let mut found = Vec::new();
        for _ in 0..3 {
            let began = Instant::now();
            found = documents.iter().map(|document| predicted(&run(&document.text))).collect();
            seconds = seconds.min(began.elapsed().as_secs_f64());
        }
        for (document, found) in documents.iter().zip(&found) {
            score.add(&document.spans, found);
        }
        score.print(name);
        println!("{name:<22} speed {:.0} chars/s ({seconds:.2} s, one thread, fastest of 3)", n_chars as f64 / seconds);
    }
    Ok(())
}

/// Prints the spans missed (`-`) and found wrongly (`+`) in a document, each with its kind and text.
fn print_errors(document: &Document, found: &[Span]) {
    let chars: Vec<char> = document.text.chars().collect();
    let show = |span: &Span| chars[span.start..span.end].iter().collect::<String>();
    let context = |span: &Span| {
        chars[span.start.saturating_sub(30)..(span.end + 30).min(chars.len())]
            .iter()
            .collect::<String>()
            .replace('\n', " ")
    };
    for span in document.spans.iter().filter(|s| !found.contains(s)) {
        println!("- {} {:?}   | {}", span.kind.code(), show(span), context(span));
    }
    for span in found.iter().filter(|s| !document.spans.contains(s)) {
        println!("+ {} {:?}   | {}", span.kind.code(), show(span), context(span));
    }
}
