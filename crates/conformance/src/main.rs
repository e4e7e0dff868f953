//! `dossier-conformance`: ingests each third-party corpus set with the real `dossier` binary and checks that every
//! file is accounted for, that nothing crashed or hung, and that accuracy and failure counts hold their thresholds.
//!
//! It treats dossier as a black box (only its command line and `list --json --text` output), so it tests what a
//! newsroom would run, and it depends on no other dossier crate.

mod accounting;
mod determinism;
mod documents;
mod ground_truth;
mod report;
mod runner;
mod thresholds;
mod tika_coverage;

use dossier_conformance::{truth, words};

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::accounting::Accounting;
use crate::documents::Document;
use crate::report::thousands;
use crate::runner::RunOptions;
use crate::thresholds::Thresholds;

/// The corpus sets, in run order; each is a folder under the corpus root.
const SETS: &[&str] = &[
    "formats/tika",
    "formats/pdfbox",
    "formats/extractous",
    "formats/aleph",
    "email/mail-parser",
    "cyrillic",
    "hostile",
    // No ground truth is read from these two (they are the NER annotations and texts the benchmarks draw on), but every
    // folder of the corpus is held to the same accounting.
    "ner",
    "text",
];

const USAGE: &str = "\
usage: dossier-conformance --dossier PATH --corpus PATH [options]

  --dossier PATH            the dossier binary to test (e.g. target/debug/dossier)
  --corpus PATH             the corpus root (e.g. ../shared/corpus)
  --only NAME               run one set (repeatable): formats/tika, pdfbox, cyrillic, ...
  --allow-missing-corpus    exit 0 with a notice when the corpus folder is absent
  --thresholds PATH         thresholds file to use instead of the built-in thresholds.json
  --write-thresholds PATH   write thresholds ratcheted from this run (for the sets run)
  --set-timeout SECS        wall-clock limit for one set's ingest [default: 1800]
  --file-timeout SECS       dossier's per-file --timeout [default: 60]
  --workers N               dossier's --workers [default: 2]
  --keep-data               keep each set's data dir and print where it is

   or: dossier-conformance tika-coverage --help   (a report: what Apache Tika reads that dossier does not)";

struct Arguments {
    dossier: PathBuf,
    corpus: PathBuf,
    only: Vec<String>,
    allow_missing_corpus: bool,
    thresholds: Option<PathBuf>,
    write_thresholds: Option<PathBuf>,
    set_timeout_seconds: u64,
    file_timeout_seconds: u64,
    workers: u32,
    keep_data: bool,
}

fn parse_arguments(mut raw: impl Iterator<Item = String>) -> anyhow::Result<Arguments> {
    let mut dossier = None;
    let mut corpus = None;
    let mut arguments = Arguments {
        dossier: PathBuf::new(),
        corpus: PathBuf::new(),
        only: Vec::new(),
        allow_missing_corpus: false,
        thresholds: None,
        write_thresholds: None,
        set_timeout_seconds: 1800,
        file_timeout_seconds: 60,
        workers: 2,
        keep_data: false,
    };
    while let Some(flag) = raw.next() {
        let mut value = || raw.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--dossier" => dossier = Some(PathBuf::from(value()?)),
            "--corpus" => corpus = Some(PathBuf::from(value()?)),
            "--only" => arguments.only.push(value()?),
            "--allow-missing-corpus" => arguments.allow_missing_corpus = true,
            "--thresholds" => arguments.thresholds = Some(PathBuf::from(value()?)),
            "--write-thresholds" => arguments.write_thresholds = Some(PathBuf::from(value()?)),
            "--set-timeout" => arguments.set_timeout_seconds = value()?.parse().context("--set-timeout")?,
            "--file-timeout" => arguments.file_timeout_seconds = value()?.parse().context("--file-timeout")?,
            "--workers" => arguments.workers = value()?.parse().context("--workers")?,
            "--keep-data" => arguments.keep_data = true,
            "-h" | "--help" => bail!("{USAGE}"),
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    arguments.dossier = dossier.context("--dossier is required")?;
    arguments.corpus = corpus.context("--corpus is required")?;
    Ok(arguments)
}

fn main() -> ExitCode {
    let mut raw = std::env::args().skip(1).peekable();
    if raw.peek().map(String::as_str) == Some("tika-coverage") {
        raw.next();
        return tika_coverage_main(raw);
    }
    let arguments = match parse_arguments(raw) {
        Ok(arguments) => arguments,
        Err(error) => {
            eprintln!("{error:#}");
            return ExitCode::from(2);
        }
    };
    match run(&arguments) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("dossier-conformance: {error:#}");
            ExitCode::from(1)
        }
    }
}

/// The coverage report exits 0 whatever the figures; only a run that could not happen is an error.
fn tika_coverage_main(raw: impl Iterator<Item = String>) -> ExitCode {
    let arguments = match tika_coverage::parse_arguments(raw) {
        Ok(arguments) => arguments,
        Err(error) => {
            eprintln!("{error:#}");
            return ExitCode::from(2);
        }
    };
    match tika_coverage::run(&arguments) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dossier-conformance tika-coverage: {error:#}");
            ExitCode::from(1)
        }
    }
}

/// Totals across sets for the verdict line.
#[derive(Default)]
struct Totals {
    n_sets: usize,
    n_files: usize,
    n_documents: usize,
    n_unaccounted: usize,
    n_crashes: usize,
    n_hangs: usize,
    /// Every reason the suite fails, one line each.
    failures: Vec<String>,
}

/// Runs the suite; `Ok(false)` when it ran and failed.
fn run(arguments: &Arguments) -> anyhow::Result<bool> {
    let started = Instant::now();
    if !arguments.corpus.is_dir() {
        if arguments.allow_missing_corpus {
            println!("corpus absent: conformance NOT run ({} is not a folder)", arguments.corpus.display());
            return Ok(true);
        }
        bail!(
            "corpus folder {} is absent: the conformance suite cannot run (pass --allow-missing-corpus to skip it)",
            arguments.corpus.display()
        );
    }
    let dossier = arguments.dossier.canonicalize().with_context(|| {
        format!("the dossier binary {} (build it with cargo build -p dossier-cli)", arguments.dossier.display())
    })?;
    let mut thresholds = match &arguments.thresholds {
        Some(path) => {
            Thresholds::parse(&std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?)
                .with_context(|| format!("parsing {}", path.display()))?
        }
        None => Thresholds::parse(thresholds::BUILT_IN).context("parsing the built-in thresholds.json")?,
    };
    let sets = selected_sets(&arguments.only)?;
    let options = RunOptions {
        dossier: &dossier,
        workers: arguments.workers,
        file_timeout_seconds: arguments.file_timeout_seconds,
        set_timeout: Duration::from_secs(arguments.set_timeout_seconds),
        ocr: false,
    };
    let mut totals = Totals::default();
    let mut measured = Thresholds::default();
    for set_name in sets {
        run_set(arguments, &options, set_name, &thresholds, &mut totals, &mut measured)?;
    }

    if let Some(path) = &arguments.write_thresholds {
        // Only the sets run are replaced, so `--only` refreshes one set without losing the others.
        for (set_name, variants) in measured.min_recall {
            thresholds.min_recall.insert(set_name, variants);
        }
        thresholds.max_failed.extend(measured.max_failed);
        std::fs::write(path, serde_json::to_string_pretty(&thresholds)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
        println!("thresholds written to {}", path.display());
    }

    println!();
    if !totals.failures.is_empty() {
        println!("FAILURES");
        for failure in &totals.failures {
            println!("  {failure}");
        }
    }
    let pass = totals.failures.is_empty();
    println!(
        "conformance: {} sets, {} files, {} documents, {} unaccounted, {} crashes, {} hangs, {} threshold/ingest failures, {:.0} s: {}",
        totals.n_sets,
        thousands(totals.n_files),
        thousands(totals.n_documents),
        thousands(totals.n_unaccounted),
        totals.n_crashes,
        totals.n_hangs,
        totals.failures.len(),
        started.elapsed().as_secs_f64(),
        if pass { "PASS" } else { "FAIL" }
    );
    Ok(pass)
}

fn selected_sets(only: &[String]) -> anyhow::Result<Vec<&'static str>> {
    if only.is_empty() {
        return Ok(SETS.to_vec());
    }
    let mut sets = Vec::new();
    for name in only {
        let trimmed = name.trim_end_matches('/');
        let set = SETS
            .iter()
            .find(|set| **set == trimmed || set.rsplit('/').next() == Some(trimmed))
            .with_context(|| format!("unknown set {name:?}; the sets are {}", SETS.join(", ")))?;
        sets.push(*set);
    }
    Ok(sets)
}

fn run_set(
    arguments: &Arguments,
    options: &RunOptions<'_>,
    set_name: &str,
    thresholds: &Thresholds,
    totals: &mut Totals,
    measured: &mut Thresholds,
) -> anyhow::Result<()> {
    totals.n_sets += 1;
    println!();
    println!("== {set_name}");
    let folder = arguments.corpus.join(set_name);
    if !folder.is_dir() {
        println!("  set folder {} is absent", folder.display());
        totals.failures.push(format!("{set_name}: set folder {} is absent", folder.display()));
        return Ok(());
    }
    // Absolute and free of `..`, as dossier records it.
    let folder = folder.canonicalize().with_context(|| format!("resolving {}", folder.display()))?;
    let files: Vec<String> =
        runner::regular_files(&folder)?.iter().map(|path| path.to_string_lossy().into_owned()).collect();
    eprintln!("conformance: ingesting {set_name} ({} files)...", thousands(files.len()));

    let data_dir =
        tempfile::Builder::new().prefix("dossier-conformance-").tempdir().context("creating a temp data dir")?;
    let collection = set_name.replace('/', "-");
    // The cyrillic scans are the OCR acceptance set; elsewhere OCR would only add minutes.
    let options = RunOptions { ocr: set_name == "cyrillic", ..*options };
    let set_run = runner::ingest_and_list(&options, data_dir.path(), &folder, &collection)?;
    if arguments.keep_data {
        println!("  data dir kept: {}", data_dir.keep().display());
    }
    let documents = &set_run.documents;
    let top_level: Vec<&Document> = documents.iter().filter(|document| document.depth == 0).collect();
    let children: Vec<&Document> = documents.iter().filter(|document| document.depth > 0).collect();
    println!(
        "  {} files on disk, {} top-level documents, {} children, ingest {:.1} s",
        thousands(files.len()),
        thousands(top_level.len()),
        thousands(children.len()),
        set_run.ingest_seconds
    );
    totals.n_files += files.len();
    totals.n_documents += documents.len();

    match set_run.ingest_status {
        None => totals.failures.push(format!(
            "{set_name}: dossier ingest did not finish within {} s and was killed (last progress: {})",
            arguments.set_timeout_seconds,
            report::shorten(set_run.ingest_stderr_tail.lines().last().unwrap_or(""), 120)
        )),
        Some(status) if !status.success() => totals.failures.push(format!(
            "{set_name}: dossier ingest exited with {status}: {}",
            report::shorten(&set_run.ingest_stderr_tail, 300)
        )),
        Some(_) => {}
    }

    let accounting = Accounting::check(&files, documents);
    totals.n_unaccounted += accounting.n_unaccounted();
    totals.n_crashes += accounting.crashed.len();
    totals.n_hangs += accounting.timed_out.len();
    if !accounting.is_clean() {
        println!("  ACCOUNTING VIOLATIONS");
        for line in accounting.violation_lines(20) {
            println!("    {line}");
        }
        totals.failures.push(format!(
            "{set_name}: {} unaccounted ({} missing, {} duplicated, {} unexpected, {} pending), {} crashes, {} hangs",
            accounting.n_unaccounted(),
            accounting.missing.len(),
            accounting.duplicated.len(),
            accounting.unexpected.len(),
            accounting.pending.len(),
            accounting.crashed.len(),
            accounting.timed_out.len()
        ));
    }

    print!("{}", report::format_table("top-level files by format", &top_level));
    print!("{}", report::reasons_block("top reasons (top-level files)", &top_level, 10));
    print!("{}", report::format_table("children (archive members, attachments) by format", &children));
    print!("{}", report::reasons_block("top reasons (children)", &children, 5));

    let n_failed = top_level.iter().filter(|document| document.state == "failed").count();
    measured.max_failed.insert(set_name.to_owned(), n_failed);
    if let Some(&max_failed) = thresholds.max_failed.get(set_name)
        && n_failed > max_failed
    {
        totals
            .failures
            .push(format!("{set_name}: {n_failed} failed top-level files, more than the maximum {max_failed}"));
    }

    if set_name.starts_with("formats/") {
        check_hashes_are_reproducible(&options, set_name, &folder, &collection, documents, totals)?;
    }

    let scores = ground_truth::score_set(set_name, &files, documents)?;
    if !scores.is_empty() {
        print!("{}", report::accuracy_table(&scores, |variant| thresholds.min_recall(set_name, variant)));
    }
    for score in scores.iter().filter(|score| score.n_files > 0) {
        let recall = score.counts.recall();
        let ratcheted = thresholds::ratchet(recall);
        // A variant dossier does not read yet (recall about 0) gets no threshold rather than a meaningless 0.
        if ratcheted > 0.0 {
            measured.min_recall.entry(set_name.to_owned()).or_default().insert(score.variant.clone(), ratcheted);
        }
        if let Some(minimum) = thresholds.min_recall(set_name, &score.variant)
            && recall < minimum
        {
            totals
                .failures
                .push(format!("{set_name} {}: recall {recall:.3} below the minimum {minimum:.2}", score.variant));
        }
    }
    Ok(())
}

/// Ingests the set a second time into a fresh data folder and fails the set for every path whose hashes differ from
/// the first run's: a child's bytes must depend on its parent's bytes alone (see `determinism.rs`). The formats sets
/// are the ones with every kind of container in them (PST, MSG, XLS with embedded objects, archives).
fn check_hashes_are_reproducible(
    options: &RunOptions<'_>,
    set_name: &str,
    folder: &std::path::Path,
    collection: &str,
    first_run: &[Document],
    totals: &mut Totals,
) -> anyhow::Result<()> {
    let data_dir =
        tempfile::Builder::new().prefix("dossier-conformance-").tempdir().context("creating a temp data dir")?;
    let second = runner::ingest_and_list(options, data_dir.path(), folder, collection)?;
    let differences = determinism::compare_hashes(first_run, &second.documents);
    println!(
        "  second ingest {:.1} s: {} of {} documents with a different hash",
        second.ingest_seconds,
        differences.len(),
        thousands(first_run.len())
    );
    if differences.is_empty() {
        return Ok(());
    }
    println!("  HASHES THAT CHANGED BETWEEN TWO INGESTS");
    for difference in differences.iter().take(20) {
        println!("    {}", report::shorten(&difference.line(), 200));
    }
    totals.failures.push(format!(
        "{set_name}: {} documents got a different hash in a second ingest of the same files (first: {})",
        differences.len(),
        report::shorten(&differences[0].line(), 160)
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn parse(arguments: &[&str]) -> anyhow::Result<Arguments> {
        parse_arguments(arguments.iter().map(|argument| (*argument).to_owned()))
    }

    #[test]
    fn arguments_need_dossier_and_corpus() {
        assert!(parse(&["--corpus", "/c"]).is_err());
        assert!(parse(&["--dossier", "/d"]).is_err());
        assert!(parse(&["--dossier", "/d", "--corpus", "/c", "--bogus"]).is_err());
        assert!(parse(&["--dossier", "/d", "--corpus"]).is_err());
        let arguments = parse(&["--dossier", "/d", "--corpus", "/c", "--only", "pdfbox", "--allow-missing-corpus"])
            .expect("valid arguments");
        assert_eq!(arguments.dossier, Path::new("/d"));
        assert_eq!(arguments.only, ["pdfbox"]);
        assert!(arguments.allow_missing_corpus);
        assert_eq!((arguments.workers, arguments.file_timeout_seconds), (2, 60));
    }

    #[test]
    fn only_accepts_full_and_short_set_names() {
        let names = |only: &[&str]| selected_sets(&only.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>());
        assert_eq!(
            names(&["pdfbox", "email/mail-parser/"]).expect("known sets"),
            ["formats/pdfbox", "email/mail-parser"]
        );
        assert_eq!(names(&[]).expect("all sets").len(), SETS.len());
        assert!(names(&["nope"]).is_err());
    }

    #[test]
    fn absent_corpus_is_a_failure_unless_allowed() {
        let mut arguments =
            parse(&["--dossier", "/nonexistent/dossier", "--corpus", "/nonexistent/corpus"]).expect("valid");
        assert!(run(&arguments).is_err());
        arguments.allow_missing_corpus = true;
        assert!(run(&arguments).expect("skipped, not failed"));
    }
}
