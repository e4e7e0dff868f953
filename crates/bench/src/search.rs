//! `dossier-bench search`: query latency of dossier's index beside SQLite FTS5, on the same generated documents and
//! the same query mix, in the same run, at several corpus sizes.
//!
//! The sizes are reached by growing one pair of indexes: documents 0..10k are indexed and measured, then 10k..100k are
//! added and everything is measured again, and so on. Each side is loaded on its own (dossier, then FTS5, for the
//! same documents generated twice) so that neither's indexing time includes the other's work on the second core.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::Section;
use crate::corpus::{generate, load_paragraphs};
use crate::engines::{DossierSide, FtsSide, parse_dossier};
use crate::queries::{self, Vocabulary};
use crate::report::{self, IndexingFigures, QueryTimes, ScaleResult};

/// Documents per `add` call / FTS5 transaction.
const BATCH: u64 = 1000;
/// The vocabulary the queries are picked from comes from this many first documents (the same at every size).
const VOCABULARY_SAMPLE: u64 = 10_000;

pub struct SearchOptions {
    pub docs: Vec<u64>,
    pub repetitions: usize,
    pub large_repetitions: Option<usize>,
    pub queries: Option<usize>,
    pub quick: bool,
    pub work_dir: Option<PathBuf>,
    pub corpus: PathBuf,
    pub seed: u64,
    /// Keep the indexes and the query mix (`queries.txt`) in the work folder, for profiling.
    pub keep: bool,
}

pub fn run(options: SearchOptions) -> anyhow::Result<Section> {
    let SearchOptions { docs, repetitions, large_repetitions, queries, quick, work_dir, corpus, seed, keep } = options;
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
    let work_path = work.path().to_path_buf();
    // Dropped at the end unless kept: the indexes of a million documents take gigabytes.
    let _work = if keep {
        eprintln!("keeping the indexes in {}", work.keep().display());
        None
    } else {
        Some(work)
    };
    let mut dossier = DossierSide::open(&work_path.join("dossier"))?;
    let mut fts = FtsSide::open(&work_path.join("fts5.sqlite"))?;

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
    if keep {
        let listing: String = mix.iter().map(|query| format!("{}\n", query.dossier)).collect();
        std::fs::write(work_path.join("queries.txt"), listing)?;
    }

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

    Ok(Section { markdown: report::markdown(&mix, &results, &paragraphs), headlines: report::headlines(&results) })
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
