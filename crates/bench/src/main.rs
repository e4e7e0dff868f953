//! dossier's benchmarks: they report numbers, they never fail on one.
//!
//! - `dossier-bench extraction`: extraction throughput, memory and accuracy beside Apache Tika and pdftotext
//!   (`extraction.rs`).
//! - `dossier-bench search`: query latency of dossier's index beside SQLite FTS5, on the same generated documents and
//!   the same query mix, in the same run, at several corpus sizes.
//!
//! The sizes are reached by growing one pair of indexes: documents 0..10k are indexed and measured, then 10k..100k are
//! added and everything is measured again, and so on. Each side is loaded on its own (dossier, then FTS5, for the
//! same documents generated twice) so that neither's indexing time includes the other's work on the second core.

mod corpus;
mod engines;
mod extraction;
mod ingest;
mod procs;
mod queries;
mod report;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::corpus::{generate, load_paragraphs};
use crate::engines::{DossierSide, FtsSide, parse_dossier};
use crate::queries::Vocabulary;
use crate::report::{IndexingFigures, QueryTimes, ScaleResult};

#[derive(Parser)]
#[command(about = "Benchmarks of dossier")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extraction throughput, peak memory and accuracy beside Apache Tika and pdftotext.
    Extraction {
        /// The dossier binary (a release build).
        #[arg(long, default_value = "target/release/dossier")]
        dossier: PathBuf,
        /// A Python with extractous installed (`cargo xtask bench` makes one in target/tika-venv).
        #[arg(long, default_value = "target/tika-venv/bin/python")]
        python: PathBuf,
        /// The Tika driver script.
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance/tika/extract_all.py"))]
        tika_script: PathBuf,
        /// The shared test corpus.
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        /// Timed runs of each configuration (after one untimed warm-up run).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// One file in ten, one timed run, four scans: a smoke run.
        #[arg(long)]
        quick: bool,
        /// Also write the Markdown report to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// End-to-end ingest of the real corpus and of a synthetic one at growing sizes, beside reading and hashing.
    Ingest {
        #[arg(long, default_value = "target/release/dossier")]
        dossier: PathBuf,
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        /// Timed ingests of the real corpus (after one untimed warm-up).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Synthetic corpus sizes, ascending: each step ingests the documents up to the next size.
        #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
        docs: Vec<u64>,
        /// One timed run, 1k and 5k synthetic documents.
        #[arg(long)]
        quick: bool,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        work_dir: Option<PathBuf>,
        #[arg(long, default_value_t = 20_261_125)]
        seed: u64,
    },
    /// Runs pdftotext over a list of files with several workers (the pdftotext side of `extraction`).
    #[command(hide = true)]
    PdftotextPool {
        #[arg(long)]
        list: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        workers: usize,
    },
    /// Query latency of the search index beside SQLite FTS5.
    Search {
        /// Corpus sizes, ascending, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
        docs: Vec<u64>,
        /// Timed repetitions of the whole query mix at each size (after one untimed warm-up pass).
        #[arg(long, default_value_t = 5)]
        repetitions: usize,
        /// Repetitions at sizes of 1M documents and more (default: --repetitions).
        #[arg(long)]
        large_repetitions: Option<usize>,
        /// Use only the first N queries of the mix.
        #[arg(long)]
        queries: Option<usize>,
        /// Also write the Markdown report to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// 10k documents only: a smoke run of about a minute.
        #[arg(long)]
        quick: bool,
        /// Where the indexes are built (default: a temporary folder under target/, which /tmp may be too small for).
        #[arg(long)]
        work_dir: Option<PathBuf>,
        /// The shared test corpus the texts come from.
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        #[arg(long, default_value_t = 20_261_125)]
        seed: u64,
    },
}

/// Documents per `add` call / FTS5 transaction.
const BATCH: u64 = 1000;
/// The vocabulary the queries are picked from comes from this many first documents (the same at every size).
const VOCABULARY_SAMPLE: u64 = 10_000;

fn main() -> anyhow::Result<()> {
    let (markdown, out) = match Cli::parse().command {
        Command::Extraction { dossier, python, tika_script, corpus, runs, quick, out, work_dir } => {
            let tools = extraction::Tools { dossier, python, tika_script, bench: std::env::current_exe()? };
            (run_extraction(&tools, &corpus, if quick { 1 } else { runs.max(1) }, quick, work_dir)?, out)
        }
        Command::Ingest { dossier, corpus, runs, docs, quick, out, work_dir, seed } => {
            (run_ingest(&dossier, &corpus, if quick { 1 } else { runs.max(1) }, &docs, quick, work_dir, seed)?, out)
        }
        Command::PdftotextPool { list, out, workers } => return extraction::pdftotext_pool(&list, &out, workers),
        Command::Search { docs, repetitions, large_repetitions, queries, out, quick, work_dir, corpus, seed } => {
            let options =
                SearchOptions { docs, repetitions, large_repetitions, queries, quick, work_dir, corpus, seed };
            (search(options)?, out)
        }
    };
    println!("{markdown}");
    if let Some(out) = out {
        std::fs::write(&out, &markdown).with_context(|| out.display().to_string())?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn run_ingest(
    dossier: &std::path::Path,
    corpus: &std::path::Path,
    runs: usize,
    docs: &[u64],
    quick: bool,
    work_dir: Option<PathBuf>,
    seed: u64,
) -> anyhow::Result<String> {
    anyhow::ensure!(dossier.exists(), "dossier not found at {}", dossier.display());
    let scales: Vec<u64> = if quick { vec![1_000, 5_000] } else { docs.to_vec() };
    anyhow::ensure!(scales.windows(2).all(|pair| pair[0] < pair[1]) && !scales.is_empty(), "--docs must ascend");
    let work_root = work_dir.unwrap_or_else(|| PathBuf::from("target/bench-work"));
    std::fs::create_dir_all(&work_root)?;
    let work = tempfile::tempdir_in(&work_root)?;
    let real = ingest::real_corpus(dossier, corpus, runs, work.path())?;
    let hostile = ingest::hostile(dossier, corpus, work.path())?;
    let paragraphs = load_paragraphs(corpus)?;
    let synthetic = ingest::synthetic(dossier, &paragraphs, seed, &scales, work.path())?;
    Ok(ingest::markdown(&real, &synthetic, Some(&hostile)))
}

fn run_extraction(
    tools: &extraction::Tools,
    corpus: &std::path::Path,
    runs: usize,
    quick: bool,
    work_dir: Option<PathBuf>,
) -> anyhow::Result<String> {
    use extraction::Tool;
    for (tool, path) in [("dossier", &tools.dossier), ("python", &tools.python), ("Tika driver", &tools.tika_script)] {
        anyhow::ensure!(path.exists(), "{tool} not found at {}", path.display());
    }
    let work_root = work_dir.unwrap_or_else(|| PathBuf::from("target/bench-work"));
    std::fs::create_dir_all(&work_root)?;
    let work = tempfile::tempdir_in(&work_root)?;
    let (mixed, pdfs, scans) = extraction::file_sets(corpus, quick)?;
    eprintln!(
        "extraction: {} files ({} PDFs with text, {} pages; {} scans)",
        mixed.files.len(),
        pdfs.files.len(),
        pdfs.pdf_pages,
        scans.files.len()
    );
    let all_cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let worker_counts: Vec<usize> = if all_cores > 1 { vec![1, all_cores] } else { vec![1] };
    let mut measured = Vec::new();
    for &workers in &worker_counts {
        for tool in [Tool::Dossier, Tool::Tika] {
            measured.push(extraction::run_tool(tools, &mixed, tool, workers, false, runs, work.path())?);
        }
        for tool in [Tool::Dossier, Tool::Tika, Tool::Pdftotext] {
            measured.push(extraction::run_tool(tools, &pdfs, tool, workers, false, runs, work.path())?);
        }
    }
    // OCR is slow: all cores, one timed run.
    for tool in [Tool::Dossier, Tool::Tika] {
        measured.push(extraction::run_tool(tools, &scans, tool, all_cores, true, 1, work.path())?);
    }
    let for_accuracy: Vec<&extraction::Measured> = measured
        .iter()
        .filter(|m| m.workers == all_cores && (m.set == "mixed" || m.set == "scans" || m.tool == Tool::Pdftotext))
        .collect();
    let accuracy = extraction::accuracy(&for_accuracy)?;
    Ok(extraction::markdown(&[&mixed, &pdfs, &scans], &measured, &accuracy))
}

struct SearchOptions {
    docs: Vec<u64>,
    repetitions: usize,
    large_repetitions: Option<usize>,
    queries: Option<usize>,
    quick: bool,
    work_dir: Option<PathBuf>,
    corpus: PathBuf,
    seed: u64,
}

fn search(options: SearchOptions) -> anyhow::Result<String> {
    let SearchOptions { docs, repetitions, large_repetitions, queries, quick, work_dir, corpus, seed } = options;
    let scales = if quick { vec![10_000] } else { docs };
    anyhow::ensure!(scales.windows(2).all(|pair| pair[0] < pair[1]) && !scales.is_empty(), "--docs must ascend");
    let corpus = if corpus.exists() { corpus } else { PathBuf::from("../../../shared/corpus") };
    let paragraphs = load_paragraphs(&corpus)?;
    eprintln!(
        "paragraphs: ru {}, uk {}, en {} (from {})",
        paragraphs.ru.len(),
        paragraphs.uk.len(),
        paragraphs.en.len(),
        corpus.display()
    );

    let work_root = work_dir.unwrap_or_else(|| PathBuf::from("target/bench-work"));
    std::fs::create_dir_all(&work_root).with_context(|| work_root.display().to_string())?;
    let work = tempfile::tempdir_in(&work_root)?;
    let mut dossier = DossierSide::open(&work.path().join("dossier"))?;
    let mut fts = FtsSide::open(&work.path().join("fts5.sqlite"))?;

    let mut vocabulary = Vocabulary::default();
    for number in 0..VOCABULARY_SAMPLE.min(scales[0]) {
        vocabulary.add(&generate(&paragraphs, seed, number));
    }
    let mut mix = vocabulary.query_mix();
    drop(vocabulary);
    if let Some(n) = queries {
        mix.truncate(n);
    }
    let parsed: Vec<_> = mix.iter().map(parse_dossier).collect::<anyhow::Result<_>>()?;
    eprintln!("query mix: {} queries", mix.len());

    let mut results = Vec::new();
    let mut indexed = 0;
    let (mut dossier_total, mut fts_total, mut generation_total, mut bytes_total) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO, 0u64);
    let mut fts_optimize_total = Duration::ZERO;
    for &scale in &scales {
        // dossier first: generation overlaps with tantivy's indexing thread, as in a real import.
        let start = Instant::now();
        let mut number = indexed;
        while number < scale {
            let end = (number + BATCH).min(scale);
            let batch: Vec<_> = (number..end).map(|n| generate(&paragraphs, seed, n)).collect();
            dossier.add(&batch)?;
            number = end;
            progress("dossier", number, scale, start);
        }
        dossier.finish()?;
        dossier_total += start.elapsed();
        eprintln!("dossier: {scale} documents indexed in {:.1} s", start.elapsed().as_secs_f64());

        let start = Instant::now();
        let mut number = indexed;
        while number < scale {
            let end = (number + BATCH).min(scale);
            let generation_start = Instant::now();
            let batch: Vec<_> = (number..end).map(|n| generate(&paragraphs, seed, n)).collect();
            generation_total += generation_start.elapsed();
            bytes_total += batch.iter().map(|doc| doc.text.len() as u64).sum::<u64>();
            fts.add(&batch)?;
            number = end;
            progress("fts5", number, scale, start);
        }
        fts_optimize_total += fts.finish()?;
        fts_total += start.elapsed();
        eprintln!("fts5: {scale} documents indexed in {:.1} s", start.elapsed().as_secs_f64());
        indexed = scale;

        let indexing = IndexingFigures {
            docs: scale,
            text_bytes: bytes_total,
            generation: generation_total,
            dossier: dossier_total,
            fts: fts_total,
            fts_optimize: fts_optimize_total,
            dossier_bytes: dossier.size_bytes(),
            fts_bytes: fts.size_bytes(),
        };
        let repetitions = if scale >= 1_000_000 { large_repetitions.unwrap_or(repetitions) } else { repetitions };
        let times = measure_queries(&dossier, &fts, &mix, &parsed, repetitions)?;
        let result = ScaleResult { indexing, times, repetitions };
        eprintln!("{}", report::scale_summary(&result));
        results.push(result);
    }

    Ok(report::markdown(&mix, &results, &paragraphs))
}

fn progress(side: &str, done: u64, scale: u64, start: Instant) {
    if done % 20_000 == 0 || done == scale {
        eprintln!("  {side}: {done}/{scale} ({:.0} s)", start.elapsed().as_secs_f64());
    }
}

/// One untimed pass over the mix, then `repetitions` timed ones, every query in the four modes.
fn measure_queries(
    dossier: &DossierSide,
    fts: &FtsSide,
    mix: &[queries::BenchQuery],
    parsed: &[dossier_query::Query],
    repetitions: usize,
) -> anyhow::Result<QueryTimes> {
    let mut times = QueryTimes::new(mix.len());
    for pass in 0..=repetitions {
        for (number, (query, tree)) in mix.iter().zip(parsed).enumerate() {
            let start = Instant::now();
            let dossier_hits = dossier.search(tree, true)?;
            let dossier_full = start.elapsed();
            let start = Instant::now();
            dossier.search(tree, false)?;
            let dossier_rank = start.elapsed();
            let start = Instant::now();
            let fts_hits = fts.search(query, true)?;
            let fts_full = start.elapsed();
            let start = Instant::now();
            fts.search(query, false)?;
            let fts_rank = start.elapsed();
            if pass == 0 {
                times.hits[number] = (dossier_hits, fts_hits);
            } else {
                times.record(number, [dossier_full, dossier_rank, fts_full, fts_rank]);
            }
        }
    }
    Ok(times)
}
