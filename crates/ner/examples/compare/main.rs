//! dossier-ner beside natasha 1.6.0 on the real Russian NER corpora: span agreement, precision/recall/F1 per type
//! against the gold annotations (same scoring for both), speed on one core, model load time, and peak memory on a
//! ~2 MB text. `cargo xtask ner-compare` builds this in release mode, makes the throwaway natasha venv under target/
//! and runs it; by hand:
//!
//! ```text
//! cargo run --release -p dossier-ner --example compare -- --corpus ../shared/corpus/ner \
//!     --python target/natasha-venv/bin/python [--model target/models/ner-ru] [--segments] [--chars] [--show 20]
//! ```
//!
//! `--segments` also compares razdel's tokens and sentences with ours over the same texts; `--chars` compares
//! Python's character classes with ours over every code point. `memory FILE` (used by the comparison itself) runs
//! the model over one file and prints the process's peak memory.

mod gold;

use std::collections::{BTreeMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, bail};
use dossier_ner::{Kind, Model};
use gold::{Counts, Document, Span};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/natasha_reference.py");
/// The long text for the memory measurement: collection5's texts one after another up to this many bytes.
const LONG_TEXT_BYTES: usize = 2_000_000;

struct Options {
    corpus: PathBuf,
    python: PathBuf,
    model: Option<PathBuf>,
    segments: bool,
    chars: bool,
    show: usize,
    work: PathBuf,
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("memory") {
        return memory(args.get(1).context("memory FILE")?, args.get(2).map(PathBuf::from));
    }
    let mut options = Options {
        corpus: PathBuf::from("../shared/corpus/ner"),
        python: PathBuf::from("target/natasha-venv/bin/python"),
        model: None,
        segments: false,
        chars: false,
        show: 10,
        work: PathBuf::from("target/ner-compare"),
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--corpus" => options.corpus = it.next().context("--corpus DIR")?.into(),
            "--python" => options.python = it.next().context("--python PATH")?.into(),
            "--model" => options.model = Some(it.next().context("--model DIR")?.into()),
            "--work" => options.work = it.next().context("--work DIR")?.into(),
            "--show" => options.show = it.next().context("--show N")?.parse()?,
            "--segments" => options.segments = true,
            "--chars" => options.chars = true,
            other => bail!("unknown argument {other}"),
        }
    }
    std::fs::create_dir_all(&options.work)?;
    if options.chars {
        compare_chars(&options)?;
    }
    // The example runs from target/release/examples, where the executable-relative lookup finds nothing.
    let default_model = PathBuf::from("target/models").join(dossier_ner::MODEL_FOLDER);
    let model = options.model.clone().or_else(|| default_model.is_dir().then_some(default_model));
    let model_dir = dossier_ner::find_model_dir(model.as_deref())?;

    let mut documents = gold::load_factrueval(&options.corpus.join("factRuEval-2016/devset"))?;
    documents.extend(gold::load_collection5(&options.corpus.join("collection5/collection5"))?);
    let misplaced: usize = documents.iter().map(|d| d.misplaced).sum();
    println!(
        "{} texts, {} gold spans ({misplaced} annotations whose text is not at their offsets)",
        documents.len(),
        documents.iter().map(|d| d.gold.len()).sum::<usize>()
    );

    let list = options.work.join("files.txt");
    let mut file = std::fs::File::create(&list)?;
    for document in &documents {
        writeln!(file, "{}", document.path.display())?;
    }
    drop(file);

    if options.segments {
        compare_segments(&options, &list, &documents)?;
    }

    let started = Instant::now();
    let model = Model::load(&model_dir)?;
    let load_seconds = started.elapsed().as_secs_f64();
    let mut ours = Vec::new();
    let (mut our_seconds, mut our_cpu) = (0.0, 0.0);
    for document in &documents {
        let (started, cpu_started) = (Instant::now(), thread_cpu_seconds());
        let entities = model.entities(&document.text);
        our_seconds += started.elapsed().as_secs_f64();
        our_cpu += thread_cpu_seconds() - cpu_started;
        ours.push(entities.iter().map(|e| Span { start: e.start, end: e.end, kind: e.kind }).collect::<Vec<_>>());
    }

    let output = run_python(&options, &["spans", &list.display().to_string()])?;
    let mut theirs: Vec<Vec<Span>> = Vec::new();
    let (mut their_seconds, mut their_cpu) = (0.0, 0.0);
    let mut their_load = 0.0;
    for line in output.lines() {
        let value: serde_json::Value = serde_json::from_str(line)?;
        if let Some(load) = value.get("load_seconds").and_then(|v| v.as_f64()) {
            their_load = load;
            continue;
        }
        their_seconds += value["seconds"].as_f64().unwrap_or(0.0);
        their_cpu += value["cpu_seconds"].as_f64().unwrap_or(0.0);
        let spans = value["spans"].as_array().context("spans")?;
        theirs.push(
            spans
                .iter()
                .map(|span| {
                    let kind = match span[2].as_str() {
                        Some("PER") => Kind::Person,
                        Some("ORG") => Kind::Organization,
                        _ => Kind::Location,
                    };
                    Span {
                        start: span[0].as_u64().unwrap_or(0) as usize,
                        end: span[1].as_u64().unwrap_or(0) as usize,
                        kind,
                    }
                })
                .collect(),
        );
    }
    if theirs.len() != documents.len() {
        bail!("natasha answered for {} of {} texts", theirs.len(), documents.len());
    }

    report_agreement(&options, &documents, &ours, &theirs);
    report_scores(&documents, &ours, &theirs);

    let chars: usize = documents.iter().map(|d| d.text.chars().count()).sum();
    println!("\n## Speed (one thread, {chars} characters; CPU time of the tagging thread, and wall time)");
    println!("| | load (s) | tagging CPU (s) | characters/s of CPU | tagging wall (s) | characters/s of wall |");
    println!("|---|---|---|---|---|---|");
    for (name, load, cpu, wall) in
        [("dossier-ner", load_seconds, our_cpu, our_seconds), ("natasha 1.6.0", their_load, their_cpu, their_seconds)]
    {
        let (per_cpu, per_wall) = (chars as f64 / cpu, chars as f64 / wall);
        println!("| {name} | {load:.3} | {cpu:.2} | {per_cpu:.0} | {wall:.2} | {per_wall:.0} |");
    }

    compare_memory(&options, &documents, &model_dir)?;
    Ok(())
}

fn run_python(options: &Options, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new(&options.python)
        .arg(SCRIPT)
        .args(args)
        // One core, as dossier-ner's measurement: numpy's BLAS would otherwise use every core.
        .env("OPENBLAS_NUM_THREADS", "1")
        .env("OMP_NUM_THREADS", "1")
        .env("MKL_NUM_THREADS", "1")
        .output()
        .with_context(|| format!("starting {} (make it with `cargo xtask ner-compare`)", options.python.display()))?;
    if !output.status.success() {
        bail!("{SCRIPT} {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8(output.stdout)?)
}

fn report_agreement(options: &Options, documents: &[Document], ours: &[Vec<Span>], theirs: &[Vec<Span>]) {
    println!("\n## Span agreement with natasha (exact start, end and type)");
    println!("| corpus | natasha spans | reproduced | share | dossier-only spans |\n|---|---|---|---|---|");
    let mut shown = 0;
    let mut totals: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for ((document, ours), theirs) in documents.iter().zip(ours).zip(theirs) {
        let our_set: HashSet<&Span> = ours.iter().collect();
        let their_set: HashSet<&Span> = theirs.iter().collect();
        let reproduced = theirs.iter().filter(|s| our_set.contains(s)).count();
        let extra = ours.iter().filter(|s| !their_set.contains(s)).count();
        for corpus in [document.corpus, "all"] {
            let total = totals.entry(corpus).or_default();
            total.0 += theirs.len();
            total.1 += reproduced;
            total.2 += extra;
        }
        if (reproduced < theirs.len() || extra > 0) && shown < options.show {
            shown += 1;
            let chars: Vec<char> = document.text.chars().collect();
            let text = |s: &Span| chars[s.start.min(chars.len())..s.end.min(chars.len())].iter().collect::<String>();
            for span in theirs.iter().filter(|s| !our_set.contains(s)) {
                eprintln!(
                    "  natasha only: {} {:?} {}..{} {:?}",
                    document.path.display(),
                    span.kind,
                    span.start,
                    span.end,
                    text(span)
                );
            }
            for span in ours.iter().filter(|s| !their_set.contains(s)) {
                eprintln!(
                    "  dossier only: {} {:?} {}..{} {:?}",
                    document.path.display(),
                    span.kind,
                    span.start,
                    span.end,
                    text(span)
                );
            }
        }
    }
    for (corpus, (natasha, reproduced, extra)) in totals {
        let share = 100.0 * reproduced as f64 / natasha.max(1) as f64;
        println!("| {corpus} | {natasha} | {reproduced} | {share:.2}% | {extra} |");
    }
}

fn report_scores(documents: &[Document], ours: &[Vec<Span>], theirs: &[Vec<Span>]) {
    println!("\n## Against the gold annotations (exact spans)");
    println!("| corpus | type | gold | dossier P / R / F1 | natasha P / R / F1 |\n|---|---|---|---|---|");
    for corpus in ["factRuEval-2016", "collection5"] {
        for kind in [Some(Kind::Person), Some(Kind::Organization), Some(Kind::Location), None] {
            let mut counts = [Counts::default(); 2];
            for ((document, ours), theirs) in documents.iter().zip(ours).zip(theirs) {
                if document.corpus == corpus {
                    counts[0].add(&document.gold, ours, kind);
                    counts[1].add(&document.gold, theirs, kind);
                }
            }
            let row = kind.map_or("all", Kind::code);
            println!("| {corpus} | {row} | {} | {} | {} |", counts[0].gold, prf(counts[0]), prf(counts[1]));
        }
    }
}

fn prf(counts: Counts) -> String {
    format!("{:.3} / {:.3} / {:.3}", counts.precision(), counts.recall(), counts.f1())
}

fn compare_segments(options: &Options, list: &Path, documents: &[Document]) -> anyhow::Result<()> {
    let output = run_python(options, &["segments", &list.display().to_string()])?;
    let (mut tokens, mut token_same, mut sentences, mut sentence_same) = (0, 0, 0, 0);
    let mut shown = 0;
    for (line, document) in output.lines().zip(documents) {
        let value: serde_json::Value = serde_json::from_str(line)?;
        let pairs = |key: &str| -> Vec<(usize, usize)> {
            value[key]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(|p| (p[0].as_u64().unwrap_or(0) as usize, p[1].as_u64().unwrap_or(0) as usize))
                        .collect()
                })
                .unwrap_or_default()
        };
        let their_tokens = pairs("tokens");
        let their_sentences = pairs("sentences");
        let to_chars = char_offsets(&document.text);
        let our_tokens: HashSet<(usize, usize)> =
            dossier_ner::tokenize(&document.text).map(|t| (to_chars(t.bytes.start), to_chars(t.bytes.end))).collect();
        let our_sentences: HashSet<(usize, usize)> =
            dossier_ner::sentenize(&document.text).map(|s| (to_chars(s.bytes.start), to_chars(s.bytes.end))).collect();
        tokens += their_tokens.len().max(our_tokens.len());
        token_same += their_tokens.iter().filter(|t| our_tokens.contains(t)).count();
        sentences += their_sentences.len().max(our_sentences.len());
        sentence_same += their_sentences.iter().filter(|s| our_sentences.contains(s)).count();
        let chars: Vec<char> = document.text.chars().collect();
        for (kind, theirs, ours) in
            [("token", &their_tokens, &our_tokens), ("sentence", &their_sentences, &our_sentences)]
        {
            for &(start, end) in theirs.iter().filter(|t| !ours.contains(t)) {
                if shown < options.show {
                    shown += 1;
                    let context: String = chars[start.saturating_sub(20)..(end + 20).min(chars.len())].iter().collect();
                    eprintln!("  razdel {kind} {start}..{end} not ours, in {}: {context:?}", document.path.display());
                }
            }
        }
    }
    println!("\n## Segmentation agreement with razdel 0.5.0");
    println!("tokens: {token_same} of {tokens} identical; sentences: {sentence_same} of {sentences} identical");
    Ok(())
}

/// Byte offset → char offset for one text (called with increasing or arbitrary offsets; a prefix table).
fn char_offsets(text: &str) -> impl Fn(usize) -> usize + '_ {
    let mut table = vec![0usize; text.len() + 1];
    let mut chars = 0;
    for (at, c) in text.char_indices() {
        for entry in &mut table[at..at + c.len_utf8()] {
            *entry = chars;
        }
        chars += 1;
    }
    table[text.len()] = chars;
    move |byte| table[byte]
}

fn compare_chars(options: &Options) -> anyhow::Result<()> {
    let output = run_python(options, &["chars"])?;
    let mut differences = 0;
    for line in output.lines() {
        let (code, classes) = line.split_once(' ').unwrap_or((line, ""));
        let code = u32::from_str_radix(code, 16)?;
        let Some(c) = char::from_u32(code) else { continue };
        let ours = dossier_ner::python_classes(c).join(" ");
        if ours != classes {
            differences += 1;
            if differences <= options.show {
                eprintln!("  U+{code:04X}: python [{classes}], ours [{ours}]");
            }
        }
    }
    println!("character classes: {differences} of the code points assigned in Python's Unicode 14 differ");
    Ok(())
}

fn compare_memory(options: &Options, documents: &[Document], model_dir: &Path) -> anyhow::Result<()> {
    let mut long = String::new();
    for document in documents.iter().filter(|d| d.corpus == "collection5").cycle() {
        if long.len() >= LONG_TEXT_BYTES {
            break;
        }
        long.push_str(&document.text);
        long.push_str("\n\n");
    }
    let path = options.work.join("long.txt");
    std::fs::write(&path, &long)?;
    let exe = std::env::current_exe()?;
    let output = Command::new(exe).arg("memory").arg(&path).arg(model_dir).output()?;
    if !output.status.success() {
        bail!("the memory run failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let ours = String::from_utf8(output.stdout)?;
    let theirs = run_python(options, &["memory", &path.display().to_string()])?;
    println!("\n## Peak memory on a {} byte text ({} characters)", long.len(), long.chars().count());
    println!("dossier-ner: {}", ours.trim());
    println!("natasha: {}", theirs.trim());
    Ok(())
}

/// Runs the model over one file and prints the peak resident memory, before and after tagging.
fn memory(file: &str, model_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let model = Model::load(&dossier_ner::find_model_dir(model_dir.as_deref())?)?;
    let text = std::fs::read_to_string(file)?;
    let before = peak_rss_kb();
    let (started, cpu_started) = (Instant::now(), thread_cpu_seconds());
    let entities = model.entities(&text);
    let (seconds, cpu_seconds) = (started.elapsed().as_secs_f64(), thread_cpu_seconds() - cpu_started);
    let after = peak_rss_kb();
    println!(
        "{{\"chars\": {}, \"entities\": {}, \"seconds\": {seconds:.2}, \"cpu_seconds\": {cpu_seconds:.2}, \"peak_rss_kb_before_tagging\": {before}, \"peak_rss_kb\": {after}}}",
        text.chars().count(),
        entities.len()
    );
    Ok(())
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// CPU time of the calling thread, which a busy machine disturbs far less than wall time.
fn thread_cpu_seconds() -> f64 {
    let mut time = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec into the one it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    time.tv_sec as f64 + time.tv_nsec as f64 / 1e9
}
