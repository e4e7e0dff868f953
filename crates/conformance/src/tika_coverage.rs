//! `dossier-conformance tika-coverage`: how much of what Apache Tika reads does dossier read too.
//!
//! Tika is the reference newsrooms know, so the question is "on which files does Tika give text and dossier not":
//! that list is dossier's work list. Tika runs through `tika/extract_all.py` (the `extractous` native build, in a
//! throwaway venv), dossier through its real binary (`ingest` then `list --json --text`). The two join on the file
//! path. A file "has text" when it yields at least one word; for dossier that is the text of the whole subtree
//! (archive members, attachments), since Tika concatenates children into one text. Agreement is the bag-of-words F1
//! of the two texts, averaged over the files where both have text; where the corpus carries `NAME.expected.txt`
//! (cyrillic), each tool's word recall against it is shown per variant, which is where Tika's guesses at cp1251 and
//! KOI8-R plain text show. It is a report, not a gate: it prints figures and exits 0 unless it could not run.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::documents::Document;
use crate::ground_truth::DocumentIndex;
use crate::report::{shorten, thousands};
use crate::runner::{self, RunOptions};
use crate::truth::CYRILLIC_VARIANTS;
use crate::words::{WordCounts, words};

pub const USAGE: &str = "\
usage: dossier-conformance tika-coverage --dossier PATH (--python PATH | --tika-input FILE) --folder DIR... [options]

  --dossier PATH        the dossier binary (e.g. target/debug/dossier)
  --python PATH         a python with extractous installed (e.g. target/tika-venv/bin/python)
  --folder DIR          a folder to compare on (repeatable)
  --script PATH         the Tika driver [default: this crate's tika/extract_all.py]
  --tika-output FILE    keep Tika's JSON lines there (Tika is slow; the corpus does not change)
  --tika-input FILE     read Tika's JSON lines from a previous run instead of running Tika
  --tika-jobs N         Tika worker processes [default: 2]
  --file-timeout SECS   per-file limit for both tools [default: 60]
  --set-timeout SECS    wall-clock limit for one folder's dossier ingest [default: 1800]
  --workers N           dossier's --workers [default: 2]";

/// The driver script, found beside the sources this binary was built from.
const DEFAULT_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tika/extract_all.py");

/// The share of Tika's files dossier must also read to meet the goal.
const GOAL_PERCENT: f64 = 99.0;

#[derive(Debug)]
pub struct CoverageArguments {
    pub dossier: PathBuf,
    pub python: Option<PathBuf>,
    pub folders: Vec<PathBuf>,
    pub script: PathBuf,
    pub tika_output: Option<PathBuf>,
    pub tika_input: Option<PathBuf>,
    pub tika_jobs: u32,
    pub file_timeout_seconds: u64,
    pub set_timeout_seconds: u64,
    pub workers: u32,
}

pub fn parse_arguments(mut raw: impl Iterator<Item = String>) -> anyhow::Result<CoverageArguments> {
    let mut dossier = None;
    let mut arguments = CoverageArguments {
        dossier: PathBuf::new(),
        python: None,
        folders: Vec::new(),
        script: PathBuf::from(DEFAULT_SCRIPT),
        tika_output: None,
        tika_input: None,
        tika_jobs: 2,
        file_timeout_seconds: 60,
        set_timeout_seconds: 1800,
        workers: 2,
    };
    while let Some(flag) = raw.next() {
        let mut value = || raw.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--dossier" => dossier = Some(PathBuf::from(value()?)),
            "--python" => arguments.python = Some(PathBuf::from(value()?)),
            "--folder" => arguments.folders.push(PathBuf::from(value()?)),
            "--script" => arguments.script = PathBuf::from(value()?),
            "--tika-output" => arguments.tika_output = Some(PathBuf::from(value()?)),
            "--tika-input" => arguments.tika_input = Some(PathBuf::from(value()?)),
            "--tika-jobs" => arguments.tika_jobs = value()?.parse().context("--tika-jobs")?,
            "--file-timeout" => arguments.file_timeout_seconds = value()?.parse().context("--file-timeout")?,
            "--set-timeout" => arguments.set_timeout_seconds = value()?.parse().context("--set-timeout")?,
            "--workers" => arguments.workers = value()?.parse().context("--workers")?,
            "-h" | "--help" => bail!("{USAGE}"),
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    arguments.dossier = dossier.context("--dossier is required")?;
    if arguments.folders.is_empty() {
        bail!("at least one --folder is required\n{USAGE}");
    }
    if arguments.python.is_none() && arguments.tika_input.is_none() {
        bail!("--python (to run Tika) or --tika-input (a previous run) is required\n{USAGE}");
    }
    Ok(arguments)
}

/// One line of `extract_all.py`'s output.
#[derive(Debug, Clone, Deserialize)]
pub struct TikaResult {
    pub path: String,
    pub ok: bool,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub seconds: f64,
}

pub fn parse_tika_lines(jsonl: &str) -> anyhow::Result<HashMap<String, TikaResult>> {
    let mut results = HashMap::new();
    for (index, line) in jsonl.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
        let result: TikaResult =
            serde_json::from_str(line).with_context(|| format!("Tika output line {} is not a result", index + 1))?;
        results.insert(result.path.clone(), result);
    }
    Ok(results)
}

/// What dossier made of one file on disk: the text of its whole subtree, and its own outcome.
#[derive(Debug, Clone, Default)]
pub struct DossierFile {
    pub text: String,
    pub state: String,
    pub reason: Option<String>,
}

/// The top-level document of each path with the text of all its descendants appended, as Tika would give it.
pub fn dossier_files(documents: &[Document]) -> HashMap<String, DossierFile> {
    let index = DocumentIndex::new(documents);
    let mut files = HashMap::new();
    for document in documents.iter().filter(|document| document.depth == 0) {
        let mut text = document.text_or_empty().to_owned();
        // Depth-first over descendants; the catalog is a tree, but a bound keeps a cycle from looping forever.
        let mut stack: Vec<&Document> = index.children(document).to_vec();
        let mut n_visited = 0;
        while let Some(child) = stack.pop() {
            n_visited += 1;
            if n_visited > documents.len() {
                break;
            }
            if !child.text_or_empty().is_empty() {
                text.push('\n');
                text.push_str(child.text_or_empty());
            }
            stack.extend(index.children(child).iter().copied());
        }
        files.insert(
            document.path.clone(),
            DossierFile { text, state: document.state.clone(), reason: document.reason_or_diagnostic() },
        );
    }
    files
}

/// The lower-cased extension a file is grouped by ("x.tar.gz" is "gz"), or "(none)".
pub fn extension_of(path: &str) -> String {
    Path::new(path)
        .extension()
        .map(|extension| extension.to_string_lossy().to_lowercase())
        .unwrap_or_else(|| "(none)".to_owned())
}

pub fn has_words(text: &str) -> bool {
    words(text).next().is_some()
}

/// Bag-of-words F1 of two texts: twice the shared words over all words of both. Symmetric; 1.0 for equal bags.
pub fn word_f1(first: &str, second: &str) -> f64 {
    let counts = WordCounts::compare(first, second);
    let n_total = counts.n_expected + counts.n_extracted;
    if n_total == 0 { 1.0 } else { 2.0 * counts.n_matched as f64 / n_total as f64 }
}

/// The comparison of one file.
#[derive(Debug, Clone)]
pub struct FileComparison {
    /// Relative to its folder.
    pub relative_path: String,
    pub extension: String,
    pub tika_has_text: bool,
    pub tika_n_words: usize,
    /// Tika's error, when it failed or timed out.
    pub tika_error: Option<String>,
    pub dossier_has_text: bool,
    pub dossier_state: String,
    pub dossier_reason: Option<String>,
    /// Bag-of-words F1 when both have text.
    pub agreement: Option<f64>,
}

pub fn compare_file(relative_path: &str, tika: Option<&TikaResult>, dossier: Option<&DossierFile>) -> FileComparison {
    let tika_text = tika.and_then(|result| result.text.as_deref()).unwrap_or("");
    let dossier_text = dossier.map(|file| file.text.as_str()).unwrap_or("");
    let tika_has_text = has_words(tika_text);
    let dossier_has_text = has_words(dossier_text);
    let tika_error = match tika {
        None => Some("no Tika result".to_owned()),
        Some(result) if !result.ok => Some(result.error.clone().unwrap_or_else(|| "failed".to_owned())),
        Some(_) => None,
    };
    FileComparison {
        relative_path: relative_path.to_owned(),
        extension: extension_of(relative_path),
        tika_has_text,
        tika_n_words: words(tika_text).count(),
        tika_error,
        dossier_has_text,
        dossier_state: dossier.map(|file| file.state.clone()).unwrap_or_else(|| "not in catalog".to_owned()),
        dossier_reason: dossier.and_then(|file| file.reason.clone()),
        agreement: (tika_has_text && dossier_has_text).then(|| word_f1(tika_text, dossier_text)),
    }
}

/// The counts of one table row.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CoverageCounts {
    pub n_files: usize,
    pub n_tika_errors: usize,
    pub n_tika: usize,
    pub n_dossier: usize,
    pub n_both: usize,
    pub n_only_tika: usize,
    pub n_only_dossier: usize,
    pub agreement_sum: f64,
}

impl CoverageCounts {
    pub fn add(&mut self, file: &FileComparison) {
        self.n_files += 1;
        self.n_tika_errors += usize::from(file.tika_error.is_some());
        self.n_tika += usize::from(file.tika_has_text);
        self.n_dossier += usize::from(file.dossier_has_text);
        self.n_both += usize::from(file.tika_has_text && file.dossier_has_text);
        self.n_only_tika += usize::from(file.tika_has_text && !file.dossier_has_text);
        self.n_only_dossier += usize::from(!file.tika_has_text && file.dossier_has_text);
        self.agreement_sum += file.agreement.unwrap_or(0.0);
    }

    pub fn merge(&mut self, other: &CoverageCounts) {
        self.n_files += other.n_files;
        self.n_tika_errors += other.n_tika_errors;
        self.n_tika += other.n_tika;
        self.n_dossier += other.n_dossier;
        self.n_both += other.n_both;
        self.n_only_tika += other.n_only_tika;
        self.n_only_dossier += other.n_only_dossier;
        self.agreement_sum += other.agreement_sum;
    }

    /// Mean F1 over the files where both have text, or `None` when there is none.
    pub fn mean_agreement(&self) -> Option<f64> {
        (self.n_both > 0).then(|| self.agreement_sum / self.n_both as f64)
    }

    /// The share, in percent, of the files Tika reads that dossier reads too (100 when Tika reads none).
    pub fn dossier_share_of_tika(&self) -> f64 {
        if self.n_tika == 0 { 100.0 } else { 100.0 * self.n_both as f64 / self.n_tika as f64 }
    }
}

/// Rows per extension (most files first) and the total.
pub fn counts_by_extension(files: &[FileComparison]) -> (Vec<(String, CoverageCounts)>, CoverageCounts) {
    let mut by_extension: BTreeMap<&str, CoverageCounts> = BTreeMap::new();
    let mut total = CoverageCounts::default();
    for file in files {
        by_extension.entry(file.extension.as_str()).or_default().add(file);
        total.add(file);
    }
    let mut rows: Vec<(String, CoverageCounts)> =
        by_extension.into_iter().map(|(extension, counts)| (extension.to_owned(), counts)).collect();
    rows.sort_by(|a, b| b.1.n_files.cmp(&a.1.n_files).then_with(|| a.0.cmp(&b.0)));
    (rows, total)
}

pub fn coverage_table(files: &[FileComparison]) -> String {
    let (rows, total) = counts_by_extension(files);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "    {:<8} {:>6} {:>9} {:>5} {:>8} {:>5} {:>9} {:>12} {:>9}",
        "ext", "files", "tika-err", "tika", "dossier", "both", "only-tika", "only-dossier", "agreement"
    );
    for (extension, counts) in
        rows.iter().map(|(extension, counts)| (extension.as_str(), counts)).chain([("TOTAL", &total)])
    {
        let agreement = match counts.mean_agreement() {
            Some(mean) => format!("{mean:.3}"),
            None => "-".to_owned(),
        };
        let _ = writeln!(
            out,
            "    {:<8} {:>6} {:>9} {:>5} {:>8} {:>5} {:>9} {:>12} {:>9}",
            shorten(extension, 8),
            thousands(counts.n_files),
            thousands(counts.n_tika_errors),
            thousands(counts.n_tika),
            thousands(counts.n_dossier),
            thousands(counts.n_both),
            thousands(counts.n_only_tika),
            thousands(counts.n_only_dossier),
            agreement
        );
    }
    out
}

/// "dossier yields text on X% of files where Tika does" with the goal verdict.
pub fn share_line(counts: &CoverageCounts) -> String {
    let share = counts.dossier_share_of_tika();
    format!(
        "dossier yields text on {share:.1}% of files where Tika does ({} of {}; goal >= {GOAL_PERCENT:.0}%: {})",
        thousands(counts.n_both),
        thousands(counts.n_tika),
        if share >= GOAL_PERCENT { "met" } else { "NOT met" }
    )
}

pub fn only_tika_block(files: &[FileComparison]) -> String {
    let mut out = String::new();
    let mut only_tika: Vec<&FileComparison> =
        files.iter().filter(|file| file.tika_has_text && !file.dossier_has_text).collect();
    only_tika.sort_by(|a, b| a.extension.cmp(&b.extension).then_with(|| a.relative_path.cmp(&b.relative_path)));
    let _ = writeln!(out, "  only-tika files ({}): Tika words, dossier outcome", thousands(only_tika.len()));
    for file in only_tika {
        let reason =
            file.dossier_reason.as_deref().map(|reason| format!(": {}", shorten(reason, 90))).unwrap_or_default();
        let _ = writeln!(
            out,
            "    {:<56} {:>7}  {}{reason}",
            path_tail(&file.relative_path, 56),
            thousands(file.tika_n_words),
            file.dossier_state
        );
    }
    out
}

pub fn only_dossier_block(files: &[FileComparison]) -> String {
    let mut out = String::new();
    let only_dossier: Vec<&FileComparison> =
        files.iter().filter(|file| !file.tika_has_text && file.dossier_has_text).collect();
    let _ = writeln!(out, "  only-dossier files ({}): Tika's outcome", thousands(only_dossier.len()));
    for file in only_dossier {
        let tika = file.tika_error.as_deref().map(|error| shorten(error, 90)).unwrap_or_else(|| "no words".to_owned());
        let _ = writeln!(out, "    {:<56} {tika}", path_tail(&file.relative_path, 56));
    }
    out
}

/// The end of a long path, where the file name is ("…rs/test-documents/x.doc"): the folders in front are alike.
pub fn path_tail(path: &str, max_chars: usize) -> String {
    let n_chars = path.chars().count();
    if n_chars <= max_chars {
        return path.to_owned();
    }
    let tail: String = path.chars().skip(n_chars + 1 - max_chars).collect();
    format!("…{tail}")
}

/// Word recall of both tools against `NAME.expected.txt`, per variant.
#[derive(Debug, Clone, Default)]
pub struct TruthScore {
    pub variant: String,
    pub n_files: usize,
    pub n_tika_with_text: usize,
    pub n_dossier_with_text: usize,
    pub tika: WordCounts,
    pub dossier: WordCounts,
}

/// Scores every variant of every `NAME.expected.txt` among `paths` (absolute); files empty on disk are left out,
/// as in the conformance run. The `eml-attachment` variant is dossier-only (Tika does not separate attachments).
pub fn truth_scores(
    paths: &[String],
    tika: &HashMap<String, TikaResult>,
    dossier: &HashMap<String, DossierFile>,
) -> anyhow::Result<Vec<TruthScore>> {
    let on_disk: std::collections::HashSet<&str> = paths.iter().map(String::as_str).collect();
    let mut scores: Vec<TruthScore> = CYRILLIC_VARIANTS
        .iter()
        .filter(|variant| variant.starts_with('.'))
        .map(|variant| TruthScore { variant: (*variant).to_owned(), ..TruthScore::default() })
        .collect();
    for truth_path in paths.iter().filter(|path| path.ends_with(".expected.txt")) {
        let expected = String::from_utf8_lossy(
            &std::fs::read(truth_path).with_context(|| format!("reading ground truth {truth_path}"))?,
        )
        .into_owned();
        let base = truth_path.trim_end_matches(".expected.txt");
        for score in &mut scores {
            let variant_path = format!("{base}{}", score.variant);
            if !on_disk.contains(variant_path.as_str())
                || std::fs::metadata(&variant_path).map(|metadata| metadata.len() == 0).unwrap_or(true)
            {
                continue;
            }
            score.n_files += 1;
            let tika_text = tika.get(&variant_path).and_then(|result| result.text.as_deref()).unwrap_or("");
            let dossier_text = dossier.get(&variant_path).map(|file| file.text.as_str()).unwrap_or("");
            score.n_tika_with_text += usize::from(has_words(tika_text));
            score.n_dossier_with_text += usize::from(has_words(dossier_text));
            score.tika.add(WordCounts::compare(&expected, tika_text));
            score.dossier.add(WordCounts::compare(&expected, dossier_text));
        }
    }
    scores.retain(|score| score.n_files > 0);
    Ok(scores)
}

pub fn truth_table(scores: &[TruthScore]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "  word recall (and precision) against NAME.expected.txt, bag of words, micro");
    let _ = writeln!(
        out,
        "    {:<14} {:>6} {:>9} {:>12} {:>11} {:>14} {:>10} {:>13}",
        "variant", "files", "tika-text", "dossier-text", "tika-recall", "dossier-recall", "tika-prec", "dossier-prec"
    );
    for score in scores {
        let _ = writeln!(
            out,
            "    {:<14} {:>6} {:>9} {:>12} {:>11.3} {:>14.3} {:>10.3} {:>13.3}",
            score.variant,
            thousands(score.n_files),
            thousands(score.n_tika_with_text),
            thousands(score.n_dossier_with_text),
            score.tika.recall(),
            score.dossier.recall(),
            score.tika.precision(),
            score.dossier.precision()
        );
    }
    out
}

/// Runs the report; an error means it could not run (missing tool, unreadable output), not that figures are low.
pub fn run(arguments: &CoverageArguments) -> anyhow::Result<()> {
    let started = Instant::now();
    let dossier = arguments.dossier.canonicalize().with_context(|| {
        format!("the dossier binary {} (build it with cargo build -p dossier-cli)", arguments.dossier.display())
    })?;
    let mut folders = Vec::new();
    for folder in &arguments.folders {
        // Resolved, as dossier records paths and as the driver script resolves them, so both sides join.
        folders.push(folder.canonicalize().with_context(|| format!("folder {}", folder.display()))?);
    }
    let dossier_version = command_line_output(Command::new(&dossier).arg("--version"));
    println!("tika-coverage: dossier {} ({})", dossier.display(), dossier_version.trim());

    let tika_started = Instant::now();
    let tika_results = match (&arguments.tika_input, &arguments.python) {
        (Some(input), _) => {
            println!("  Tika: results read from {} (not run)", input.display());
            let jsonl = std::fs::read_to_string(input).with_context(|| format!("reading {}", input.display()))?;
            parse_tika_lines(&jsonl)?
        }
        (None, Some(python)) => run_tika(arguments, python, &folders)?,
        (None, None) => bail!("--python or --tika-input is required"),
    };
    let tika_seconds = tika_started.elapsed().as_secs_f64();

    let options = RunOptions {
        dossier: &dossier,
        workers: arguments.workers,
        file_timeout_seconds: arguments.file_timeout_seconds,
        set_timeout: Duration::from_secs(arguments.set_timeout_seconds),
        // Tika runs its own OCR on images and scans: compare like with like.
        ocr: true,
    };
    let mut overall = CoverageCounts::default();
    let mut dossier_seconds = 0.0;
    for folder in &folders {
        let paths: Vec<String> =
            runner::regular_files(folder)?.iter().map(|path| path.to_string_lossy().into_owned()).collect();
        eprintln!("tika-coverage: dossier ingests {} ({} files)...", folder.display(), thousands(paths.len()));
        let data_dir =
            tempfile::Builder::new().prefix("dossier-tika-coverage-").tempdir().context("creating a temp data dir")?;
        let set_run = runner::ingest_and_list(&options, data_dir.path(), folder, "cov")?;
        dossier_seconds += set_run.ingest_seconds;
        let dossier_by_path = dossier_files(&set_run.documents);
        let comparisons: Vec<FileComparison> = paths
            .iter()
            .map(|path| {
                let relative = Path::new(path).strip_prefix(folder).map(Path::to_path_buf).unwrap_or_default();
                compare_file(&relative.to_string_lossy(), tika_results.get(path), dossier_by_path.get(path))
            })
            .collect();

        println!();
        println!(
            "== {} ({} files, dossier ingest {:.1} s)",
            folder.display(),
            thousands(paths.len()),
            set_run.ingest_seconds
        );
        let tika_file_seconds: f64 =
            paths.iter().filter_map(|path| tika_results.get(path)).map(|result| result.seconds).sum();
        let n_tika_timeouts = paths
            .iter()
            .filter_map(|path| tika_results.get(path))
            .filter(|result| result.error.as_deref() == Some("timeout"))
            .count();
        println!(
            "  Tika {tika_file_seconds:.1} s summed over files, {} timeouts (limit {} s)",
            thousands(n_tika_timeouts),
            arguments.file_timeout_seconds
        );
        match set_run.ingest_status {
            None => println!(
                "  WARNING: dossier ingest did not finish within {} s and was killed",
                arguments.set_timeout_seconds
            ),
            Some(status) if !status.success() => {
                println!(
                    "  WARNING: dossier ingest exited with {status}: {}",
                    shorten(&set_run.ingest_stderr_tail, 300)
                );
            }
            Some(_) => {}
        }
        print!("{}", coverage_table(&comparisons));
        let (_, folder_total) = counts_by_extension(&comparisons);
        println!("  {}", share_line(&folder_total));
        overall.merge(&folder_total);
        let scores = truth_scores(&paths, &tika_results, &dossier_by_path)?;
        if !scores.is_empty() {
            print!("{}", truth_table(&scores));
        }
        print!("{}", only_tika_block(&comparisons));
        print!("{}", only_dossier_block(&comparisons));
    }

    println!();
    println!(
        "tika-coverage: {} folders, {} files; Tika {:.0} s, dossier {:.0} s, total {:.0} s",
        folders.len(),
        thousands(overall.n_files),
        tika_seconds,
        dossier_seconds,
        started.elapsed().as_secs_f64()
    );
    let agreement = overall.mean_agreement().map(|mean| format!("{mean:.3}")).unwrap_or_else(|| "-".to_owned());
    println!("OVERALL: {}; mean word agreement (F1) where both read: {agreement}", share_line(&overall));
    Ok(())
}

fn run_tika(
    arguments: &CoverageArguments,
    python: &Path,
    folders: &[PathBuf],
) -> anyhow::Result<HashMap<String, TikaResult>> {
    let version = Command::new(python)
        .args(["-c", "import importlib.metadata as m; import extractous; print(m.version('extractous'))"])
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("starting {}", python.display()))?;
    if !version.status.success() {
        bail!(
            "{} cannot import extractous (python3 -m venv target/tika-venv && target/tika-venv/bin/pip install extractous): {}",
            python.display(),
            String::from_utf8_lossy(&version.stderr).trim()
        );
    }
    println!("  Tika: extractous {} via {}", String::from_utf8_lossy(&version.stdout).trim(), python.display());
    let kept;
    let output_path = match &arguments.tika_output {
        Some(path) => path.clone(),
        None => {
            kept = tempfile::Builder::new().prefix("tika-results-").suffix(".jsonl").tempfile()?;
            kept.path().to_path_buf()
        }
    };
    let status = Command::new(python)
        .arg(&arguments.script)
        .args(["--timeout", &arguments.file_timeout_seconds.to_string()])
        .args(["--jobs", &arguments.tika_jobs.to_string()])
        .arg("--output")
        .arg(&output_path)
        .args(folders)
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("running {}", arguments.script.display()))?;
    if !status.success() {
        bail!("{} exited with {status}", arguments.script.display());
    }
    let jsonl = std::fs::read_to_string(&output_path).with_context(|| format!("reading {}", output_path.display()))?;
    parse_tika_lines(&jsonl)
}

fn command_line_output(command: &mut Command) -> String {
    command
        .stdin(Stdio::null())
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
        .unwrap_or_else(|error| format!("version unknown: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(id: i64, path: &str, depth: u32, parent_id: Option<i64>, state: &str, text: &str) -> Document {
        Document {
            id,
            path: path.to_owned(),
            format: None,
            state: state.to_owned(),
            reason: (state == "failed").then(|| "unsupported".to_owned()),
            depth,
            parent_id,
            blake3: None,
            diagnostics: Vec::new(),
            metadata: serde_json::Value::Null,
            text: Some(text.to_owned()),
        }
    }

    fn tika(path: &str, text: Option<&str>) -> TikaResult {
        TikaResult {
            path: path.to_owned(),
            ok: text.is_some(),
            text: text.map(str::to_owned),
            error: text.is_none().then(|| "timeout".to_owned()),
            seconds: 0.1,
        }
    }

    #[test]
    fn extensions_are_lower_case_and_last() {
        assert_eq!(extension_of("a/B.DOCX"), "docx");
        assert_eq!(extension_of("x.tar.gz"), "gz");
        assert_eq!(extension_of("ru.cp1251.txt"), "txt");
        assert_eq!(extension_of("README"), "(none)");
        assert_eq!(path_tail("a/b/c.doc", 20), "a/b/c.doc");
        assert_eq!(path_tail("tika/parsers/x.doc", 8), "…s/x.doc");
    }

    #[test]
    fn f1_is_symmetric_and_bounded() {
        assert_eq!(word_f1("a b c", "c b a"), 1.0);
        assert_eq!(word_f1("a b", "c d"), 0.0);
        assert!((word_f1("a b c d", "a b") - 2.0 * 2.0 / 6.0).abs() < 1e-12);
        assert_eq!(word_f1("a b c d", "a b"), word_f1("a b", "a b c d"));
        assert!(!has_words(" ,.- \n"));
        assert!(has_words("- я -"));
    }

    #[test]
    fn subtree_text_counts_for_the_top_level_file() {
        let documents = [
            document(1, "/f/a.zip", 0, None, "ok", ""),
            document(2, "/f/a.zip//inner.zip", 1, Some(1), "ok", ""),
            document(3, "/f/a.zip//inner.zip//deep.txt", 2, Some(2), "ok", "deep words"),
            document(4, "/f/b.doc", 0, None, "failed", ""),
        ];
        let files = dossier_files(&documents);
        assert_eq!(files.len(), 2);
        assert!(has_words(&files["/f/a.zip"].text));
        assert!(files["/f/a.zip"].text.contains("deep words"));
        assert_eq!(files["/f/b.doc"].reason.as_deref(), Some("unsupported"));
        assert!(!has_words(&files["/f/b.doc"].text));
    }

    #[test]
    fn comparisons_count_into_rows() {
        let zip = DossierFile { text: "one two".to_owned(), state: "ok".to_owned(), reason: None };
        let failed = DossierFile { text: String::new(), state: "failed".to_owned(), reason: Some("nope".to_owned()) };
        let files = [
            compare_file("a.ZIP", Some(&tika("/a.zip", Some("one two three"))), Some(&zip)),
            compare_file("b.doc", Some(&tika("/b.doc", Some("text"))), Some(&failed)),
            compare_file("c.doc", Some(&tika("/c.doc", None)), Some(&zip)),
            compare_file("d.doc", None, None),
        ];
        assert_eq!(files[3].dossier_state, "not in catalog");
        let (rows, total) = counts_by_extension(&files);
        assert_eq!(rows[0].0, "doc");
        assert_eq!((rows[0].1.n_files, rows[0].1.n_only_tika, rows[0].1.n_only_dossier), (3, 1, 1));
        assert_eq!(rows[0].1.n_tika_errors, 2);
        assert_eq!((total.n_tika, total.n_dossier, total.n_both), (2, 2, 1));
        assert!((total.mean_agreement().expect("one pair") - 0.8).abs() < 1e-12);
        assert!((total.dossier_share_of_tika() - 50.0).abs() < 1e-12);
        assert!(share_line(&total).contains("50.0%") && share_line(&total).contains("NOT met"));
        assert_eq!(CoverageCounts::default().dossier_share_of_tika(), 100.0);
        let table = coverage_table(&files);
        assert!(table.lines().last().expect("total row").trim_start().starts_with("TOTAL"));
        let work_list = only_tika_block(&files);
        assert!(work_list.contains("b.doc") && work_list.contains("failed: nope"));
        assert!(!work_list.contains("a.ZIP"));
        assert!(only_dossier_block(&files).contains("c.doc"));
    }

    #[test]
    fn tika_lines_parse_and_reject_garbage() {
        let results = parse_tika_lines(
            "{\"path\":\"/a\",\"ok\":true,\"text\":\"x\",\"seconds\":0.5}\n\n{\"path\":\"/b\",\"ok\":false,\"error\":\"timeout\"}\n",
        )
        .expect("valid lines");
        assert_eq!(results.len(), 2);
        assert_eq!(results["/b"].error.as_deref(), Some("timeout"));
        assert!(parse_tika_lines("not json\n").is_err());
    }

    #[test]
    fn truth_scores_per_variant() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = |name: &str| folder.path().join(name).to_string_lossy().into_owned();
        std::fs::write(path("t.expected.txt"), "один два три").expect("truth");
        std::fs::write(path("t.utf8.txt"), "x").expect("variant");
        std::fs::write(path("t.koi8r.txt"), "x").expect("variant");
        std::fs::write(path("t.cp1251.txt"), "").expect("empty variant");
        let paths = vec![path("t.expected.txt"), path("t.utf8.txt"), path("t.koi8r.txt"), path("t.cp1251.txt")];
        let tika_results: HashMap<String, TikaResult> = [
            (path("t.utf8.txt"), tika("", Some("один два три"))),
            (path("t.koi8r.txt"), tika("", Some("юдхм ддб рпх"))),
        ]
        .into_iter()
        .collect();
        let dossier: HashMap<String, DossierFile> =
            [(path("t.koi8r.txt"), DossierFile { text: "один два".to_owned(), state: "ok".to_owned(), reason: None })]
                .into_iter()
                .collect();
        let scores = truth_scores(&paths, &tika_results, &dossier).expect("scores");
        let variants: Vec<&str> = scores.iter().map(|score| score.variant.as_str()).collect();
        assert_eq!(variants, [".utf8.txt", ".koi8r.txt"]);
        assert_eq!(scores[0].tika.recall(), 1.0);
        assert_eq!(scores[0].dossier.recall(), 0.0);
        assert_eq!(scores[1].tika.recall(), 0.0);
        assert!((scores[1].dossier.recall() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!((scores[1].n_tika_with_text, scores[1].n_dossier_with_text), (1, 1));
        assert!(truth_table(&scores).contains(".koi8r.txt"));
    }

    #[test]
    fn arguments_need_dossier_folder_and_a_tika_source() {
        let parse = |raw: &[&str]| parse_arguments(raw.iter().map(|argument| (*argument).to_owned()));
        assert!(parse(&["--dossier", "/d", "--folder", "/f"]).is_err());
        assert!(parse(&["--dossier", "/d", "--python", "/p"]).is_err());
        assert!(parse(&["--python", "/p", "--folder", "/f"]).is_err());
        assert!(parse(&["--dossier", "/d", "--python", "/p", "--folder", "/f", "--bogus"]).is_err());
        let arguments =
            parse(&["--dossier", "/d", "--tika-input", "/t.jsonl", "--folder", "/f", "--folder", "/g"]).expect("valid");
        assert_eq!(arguments.folders.len(), 2);
        assert_eq!(arguments.script, Path::new(DEFAULT_SCRIPT));
        assert_eq!((arguments.tika_jobs, arguments.file_timeout_seconds), (2, 60));
    }
}
