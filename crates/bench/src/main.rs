//! dossier's benchmarks: they report numbers, they never fail on one.
//!
//! - `dossier-bench extraction`: extraction throughput, memory and accuracy beside Apache Tika and pdftotext
//!   (`extraction.rs`).
//! - `dossier-bench ingest`: end-to-end ingest of the real corpus and of a synthetic one at growing sizes, beside
//!   reading and hashing the same bytes (`ingest.rs`).
//! - `dossier-bench search`: query latency of dossier's index beside SQLite FTS5, on the same generated documents and
//!   the same query mix, in the same run, at several corpus sizes (`search.rs`).
//! - `dossier-bench all`: all three, written to BENCHMARKS.md with the machine and versions (`cargo xtask bench`).

mod cgroup;
mod corpus;
mod engines;
mod extraction;
mod ingest;
mod machine;
mod procs;
mod queries;
mod report;
mod search;

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Benchmarks of dossier")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Every benchmark at full size (or --quick), written to one Markdown report.
    All {
        #[arg(long, default_value = "target/release/dossier")]
        dossier: PathBuf,
        #[arg(long, default_value = "target/tika-venv/bin/python")]
        python: PathBuf,
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance/tika/extract_all.py"))]
        tika_script: PathBuf,
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        /// Small sizes and single runs: a smoke run of a few minutes.
        #[arg(long)]
        quick: bool,
        #[arg(long, default_value = "BENCHMARKS.md")]
        out: PathBuf,
        #[arg(long)]
        work_dir: Option<PathBuf>,
        /// Sizes of the synthetic corpus for the ingest benchmark, ascending.
        #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
        ingest_docs: Vec<u64>,
        /// Sizes of the synthetic corpus for the search benchmark, ascending.
        #[arg(long, value_delimiter = ',', default_value = "10000,100000,1000000")]
        search_docs: Vec<u64>,
        /// Hold every `dossier ingest` run to this much memory (MB) in a cgroup of its own, page cache included, when
        /// the machine allows it (root, a memory controller); 0: no cap. 512 is the goal.
        #[arg(long, default_value_t = 512)]
        memory_cap_mb: u64,
    },
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
        /// Hold every `dossier ingest` run to this much memory (MB) in a cgroup of its own, page cache included, when
        /// the machine allows it (root, a memory controller); 0: no cap. 512 is the goal.
        #[arg(long, default_value_t = 512)]
        memory_cap_mb: u64,
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
        /// Keep the indexes and the query mix in the work folder (for profiling).
        #[arg(long)]
        keep: bool,
    },
}

/// One benchmark's report: its Markdown, and the lines that state its figures against the goals.
pub struct Section {
    pub markdown: String,
    pub headlines: Vec<String>,
}

fn main() -> anyhow::Result<()> {
    let (section, out) = match Cli::parse().command {
        Command::All {
            dossier,
            python,
            tika_script,
            corpus,
            quick,
            out,
            work_dir,
            ingest_docs,
            search_docs,
            memory_cap_mb,
        } => {
            let tools = extraction::Tools { dossier, python, tika_script, bench: std::env::current_exe()? };
            let scales = Scales { ingest: ingest_docs, search: search_docs, memory_cap_mb };
            let report = run_all(&tools, &corpus, quick, work_dir, &scales)?;
            std::fs::write(&out, &report).with_context(|| out.display().to_string())?;
            eprintln!("wrote {}", out.display());
            return Ok(());
        }
        Command::Extraction { dossier, python, tika_script, corpus, runs, quick, out, work_dir } => {
            let tools = extraction::Tools { dossier, python, tika_script, bench: std::env::current_exe()? };
            (run_extraction(&tools, &corpus, if quick { 1 } else { runs.max(1) }, quick, work_dir)?, out)
        }
        Command::Ingest { dossier, corpus, runs, docs, quick, out, work_dir, seed, memory_cap_mb } => {
            let runs = if quick { 1 } else { runs.max(1) };
            let runner = ingest::Runner { dossier: &dossier, memory_cap: cap_bytes(memory_cap_mb) };
            (run_ingest(&runner, &corpus, runs, &docs, quick, work_dir, seed)?, out)
        }
        Command::PdftotextPool { list, out, workers } => return extraction::pdftotext_pool(&list, &out, workers),
        Command::Search { docs, repetitions, large_repetitions, queries, out, quick, work_dir, corpus, seed, keep } => {
            let options = search::SearchOptions {
                docs,
                repetitions,
                large_repetitions,
                queries,
                quick,
                work_dir,
                corpus,
                seed,
                keep,
            };
            (search::run(options)?, out)
        }
    };
    let text = format!("{}\n{}", section.headlines.join("\n"), section.markdown);
    println!("{text}");
    if let Some(out) = out {
        std::fs::write(&out, &text).with_context(|| out.display().to_string())?;
    }
    Ok(())
}

/// The synthetic corpus sizes of `dossier-bench all`.
struct Scales {
    ingest: Vec<u64>,
    search: Vec<u64>,
    memory_cap_mb: u64,
}

impl Scales {
    /// The options that differ from the defaults, as given on the command line (for the report's "run" line).
    fn arguments(&self) -> String {
        let list = |sizes: &[u64]| sizes.iter().map(u64::to_string).collect::<Vec<_>>().join(",");
        let default = [10_000, 100_000, 1_000_000];
        let mut out = String::new();
        if self.ingest != default {
            out.push_str(&format!(" --ingest-docs {}", list(&self.ingest)));
        }
        if self.search != default {
            out.push_str(&format!(" --search-docs {}", list(&self.search)));
        }
        if self.memory_cap_mb != 512 {
            out.push_str(&format!(" --memory-cap-mb {}", self.memory_cap_mb));
        }
        out
    }
}

/// Every benchmark, then BENCHMARKS.md: the machine, the versions, the commands, the headline figures, the tables.
fn run_all(
    tools: &extraction::Tools,
    corpus: &std::path::Path,
    quick: bool,
    work_dir: Option<PathBuf>,
    scales: &Scales,
) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    let runs = if quick { 1 } else { 3 };
    let seed = 20_261_125;
    eprintln!("== extraction");
    let extraction = run_extraction(tools, corpus, runs, quick, work_dir.clone())?;
    eprintln!("== ingest");
    let runner = ingest::Runner { dossier: &tools.dossier, memory_cap: cap_bytes(scales.memory_cap_mb) };
    let ingest = run_ingest(&runner, corpus, runs, &scales.ingest, quick, work_dir.clone(), seed)?;
    eprintln!("== search");
    let options = search::SearchOptions {
        docs: scales.search.clone(),
        repetitions: 5,
        large_repetitions: Some(3),
        queries: None,
        quick,
        work_dir,
        corpus: corpus.to_path_buf(),
        seed,
        keep: false,
    };
    let search = search::run(options)?;
    let mut out = String::new();
    out.push_str("# Benchmarks\n\n");
    out.push_str(
        "dossier beside the tools newsrooms use, measured on the same files, with the same number of workers, in the \
         same run. Regenerate with `cargo xtask bench` (two hours or more on this machine; `cargo xtask bench --quick` \
         is a smoke run of a few minutes whose numbers mean little). Release builds; one untimed warm-up run before \
         timed ones; medians with min–max where there are several runs.\n\n",
    );
    out.push_str(&machine::describe(tools, started.elapsed(), quick, &scales.arguments()));
    out.push_str("\n## Headline figures\n\n");
    for line in extraction.headlines.iter().chain(&ingest.headlines).chain(&search.headlines) {
        out.push_str(&format!("- {line}\n"));
    }
    out.push_str("\n## Extraction: dossier, Apache Tika, pdftotext\n\n");
    out.push_str(&extraction.markdown);
    out.push_str("\n## Ingest: end to end, and how cost grows with size\n\n");
    out.push_str(&ingest.markdown);
    out.push('\n');
    out.push_str(&search.markdown);
    Ok(out)
}

fn cap_bytes(megabytes: u64) -> Option<u64> {
    (megabytes > 0).then_some(megabytes << 20)
}

fn run_ingest(
    runner: &ingest::Runner<'_>,
    corpus: &std::path::Path,
    runs: usize,
    docs: &[u64],
    quick: bool,
    work_dir: Option<PathBuf>,
    seed: u64,
) -> anyhow::Result<Section> {
    anyhow::ensure!(runner.dossier.exists(), "dossier not found at {}", runner.dossier.display());
    let scales: Vec<u64> = if quick { vec![1_000, 5_000] } else { docs.to_vec() };
    anyhow::ensure!(scales.windows(2).all(|pair| pair[0] < pair[1]) && !scales.is_empty(), "--docs must ascend");
    let work_root = work_dir.unwrap_or_else(|| PathBuf::from("target/bench-work"));
    std::fs::create_dir_all(&work_root)?;
    let work = tempfile::tempdir_in(&work_root)?;
    let real = ingest::real_corpus(runner, corpus, runs, work.path())?;
    let hostile = ingest::hostile(runner, corpus, work.path())?;
    let paragraphs = corpus::load_paragraphs(corpus)?;
    let synthetic = ingest::synthetic(runner, &paragraphs, seed, &scales, work.path())?;
    Ok(Section {
        markdown: ingest::markdown(&real, &synthetic, Some(&hostile)),
        headlines: ingest::headlines(&real, &synthetic, Some(&hostile)),
    })
}

fn run_extraction(
    tools: &extraction::Tools,
    corpus: &std::path::Path,
    runs: usize,
    quick: bool,
    work_dir: Option<PathBuf>,
) -> anyhow::Result<Section> {
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
    Ok(Section {
        markdown: extraction::markdown(&[&mixed, &pdfs, &scans], &measured, &accuracy),
        headlines: extraction::headlines(&measured, &accuracy),
    })
}
