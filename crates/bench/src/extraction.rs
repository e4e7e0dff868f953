//! `dossier-bench extraction`: text extraction throughput of dossier beside Apache Tika (extractous, the native
//! build) and, for PDFs, poppler's `pdftotext`, on the same real files, with the same number of parallel workers,
//! in the same run; peak memory of each tool's process tree; and word-level accuracy against the corpus's ground
//! truth, so that nobody wins speed by dropping text.
//!
//! Three measurements:
//! - the mixed corpus (`formats/` and `cyrillic/`, ground-truth files left out), OCR off for both tools, 1 worker
//!   and all cores;
//! - the PDFs of that corpus alone, for pages per second, beside pdftotext;
//! - the scans (`cyrillic/*.scan.pdf`), OCR on for both (Russian, Ukrainian, English), all cores.
//!
//! Each configuration runs once untimed (warm-up: page cache, Tika's native image) and then `runs` timed times; the
//! median is reported with the min–max. Accuracy comes from the last timed run's texts.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, bail};
use dossier_conformance::truth::{is_truth_file, truth_file};
use dossier_conformance::words::WordCounts;

use crate::procs::{RunCost, measure};

/// Seconds one file may take in any tool before it is given up.
pub const FILE_TIMEOUT_SECS: u64 = 60;

pub struct Tools {
    pub dossier: PathBuf,
    pub python: PathBuf,
    pub tika_script: PathBuf,
    /// This benchmark binary, for its `pdftotext-pool` helper.
    pub bench: PathBuf,
}

/// The files of one measurement.
pub struct FileSet {
    pub name: &'static str,
    pub files: Vec<PathBuf>,
    pub bytes: u64,
    /// Pages of the PDFs among the files (from `pdfinfo`).
    pub pdf_pages: u64,
}

impl FileSet {
    fn new(name: &'static str, files: Vec<PathBuf>, page_counts: &HashMap<PathBuf, u64>) -> FileSet {
        let bytes = files.iter().map(|file| std::fs::metadata(file).map_or(0, |meta| meta.len())).sum();
        let pdf_pages = files.iter().filter_map(|file| page_counts.get(file)).sum();
        FileSet { name, files, bytes, pdf_pages }
    }
}

/// Every input file of `formats/` and `cyrillic/` (not the ground truth), in path order; with `quick`, one in ten.
pub fn corpus_files(corpus: &Path, quick: bool) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for set in ["formats", "cyrillic"] {
        let root = corpus.join(set);
        if !root.is_dir() {
            bail!("{} is missing: the benchmark reads the shared corpus", root.display());
        }
        let root = root.canonicalize().with_context(|| root.display().to_string())?;
        for entry in walkdir::WalkDir::new(&root).follow_links(false).sort_by_file_name() {
            let entry = entry?;
            if entry.file_type().is_file() && !is_truth_file(entry.path()) {
                files.push(entry.into_path());
            }
        }
    }
    if quick {
        files = files.into_iter().step_by(10).collect();
    }
    Ok(files)
}

fn is_pdf(path: &Path) -> bool {
    let mut head = [0u8; 5];
    std::fs::File::open(path).and_then(|mut file| std::io::Read::read_exact(&mut file, &mut head)).is_ok()
        && &head == b"%PDF-"
}

/// Page counts of the PDFs among `files`, from poppler's `pdfinfo` (0 when it cannot tell, e.g. encrypted).
pub fn pdf_page_counts(files: &[PathBuf]) -> HashMap<PathBuf, u64> {
    let mut pages = HashMap::new();
    for file in files.iter().filter(|file| is_pdf(file)) {
        let count = Command::new("pdfinfo")
            .arg(file)
            .output()
            .ok()
            .and_then(|out| {
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .find_map(|line| line.strip_prefix("Pages:").and_then(|n| n.trim().parse().ok()))
            })
            .unwrap_or(0);
        pages.insert(file.clone(), count);
    }
    pages
}

/// The three file sets: the mixed corpus, its PDFs (with a text layer), the scans.
pub fn file_sets(corpus: &Path, quick: bool) -> anyhow::Result<(FileSet, FileSet, FileSet)> {
    let files = corpus_files(corpus, quick)?;
    let pages = pdf_page_counts(&files);
    let is_scan = |file: &PathBuf| file.to_string_lossy().ends_with(".scan.pdf");
    let pdfs: Vec<PathBuf> = files.iter().filter(|f| pages.contains_key(*f) && !is_scan(f)).cloned().collect();
    let mut scans: Vec<PathBuf> = files.iter().filter(|f| is_scan(f)).cloned().collect();
    if quick {
        scans.truncate(4);
    }
    Ok((FileSet::new("mixed", files, &pages), FileSet::new("pdf", pdfs, &pages), FileSet::new("scans", scans, &pages)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Dossier,
    Tika,
    Pdftotext,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Dossier => "dossier",
            Tool::Tika => "Apache Tika (extractous)",
            Tool::Pdftotext => "pdftotext",
        }
    }
}

/// One tool, one configuration, several timed runs.
pub struct Measured {
    pub set: &'static str,
    pub tool: Tool,
    pub workers: usize,
    pub runs: Vec<RunCost>,
    /// Text per file from the last run (the whole text: children included).
    pub texts: HashMap<PathBuf, String>,
}

impl Measured {
    pub fn median_wall(&self) -> Duration {
        let mut walls: Vec<Duration> = self.runs.iter().map(|run| run.wall).collect();
        walls.sort_unstable();
        walls.get(walls.len() / 2).copied().unwrap_or_default()
    }

    fn min_max(&self) -> (Duration, Duration) {
        let walls = self.runs.iter().map(|run| run.wall);
        (walls.clone().min().unwrap_or_default(), walls.max().unwrap_or_default())
    }

    pub fn peak_rss(&self) -> u64 {
        self.runs.iter().map(|run| run.peak_tree_rss).max().unwrap_or(0)
    }

    pub fn files_with_text(&self) -> usize {
        self.texts.values().filter(|text| text.split_whitespace().next().is_some()).count()
    }
}

/// Runs `tool` over `set` once untimed, then `runs` times timed.
pub fn run_tool(
    tools: &Tools,
    set: &FileSet,
    tool: Tool,
    workers: usize,
    ocr: bool,
    runs: usize,
    work: &Path,
) -> anyhow::Result<Measured> {
    let list = work.join(format!("{}-files.txt", set.name));
    let listing: String = set.files.iter().map(|file| format!("{}\n", file.display())).collect();
    std::fs::write(&list, listing)?;
    let output = work.join(format!("{}-{}-{workers}.out", set.name, tool.name().split(' ').next().unwrap_or("tool")));
    let mut measured = Measured { set: set.name, tool, workers, runs: Vec::new(), texts: HashMap::new() };
    for run in 0..=runs {
        let mut command = command_for(tools, tool, set, &list, &output, workers, ocr);
        eprintln!("  {} {}, {workers} worker(s), run {run}/{runs}", set.name, tool.name());
        let (status, cost) = measure(&mut command, if tool == Tool::Dossier { Some(&output) } else { None })?;
        if !status.success() {
            bail!("{command:?} failed: {status}");
        }
        if run > 0 {
            measured.runs.push(cost);
        }
    }
    measured.texts = match tool {
        Tool::Dossier => dossier_texts(&output)?,
        Tool::Tika => tika_texts(&output)?,
        Tool::Pdftotext => pdftotext_texts(&output, &set.files)?,
    };
    Ok(measured)
}

fn command_for(
    tools: &Tools,
    tool: Tool,
    set: &FileSet,
    list: &Path,
    output: &Path,
    workers: usize,
    ocr: bool,
) -> Command {
    match tool {
        Tool::Dossier => {
            let mut command = Command::new(&tools.dossier);
            command.arg("extract").args(&set.files).arg("--json").arg("--workers").arg(workers.to_string());
            command.arg("--timeout").arg(FILE_TIMEOUT_SECS.to_string());
            if !ocr {
                command.arg("--no-ocr");
            }
            command.stderr(std::process::Stdio::null());
            command
        }
        Tool::Tika => {
            let mut command = Command::new(&tools.python);
            command.arg(&tools.tika_script).arg("--list").arg(list).arg("--jobs").arg(workers.to_string());
            command.arg("--timeout").arg(FILE_TIMEOUT_SECS.to_string()).arg("--output").arg(output);
            if ocr {
                command.args(["--ocr-lang", "rus+ukr+eng"]);
            } else {
                command.arg("--no-ocr");
            }
            command.stderr(std::process::Stdio::null());
            command
        }
        Tool::Pdftotext => {
            let _ = std::fs::remove_dir_all(output);
            let mut command = Command::new(&tools.bench);
            command.arg("pdftotext-pool").arg("--list").arg(list).arg("--out").arg(output);
            command.arg("--workers").arg(workers.to_string());
            command
        }
    }
}

/// dossier's JSON lines: each file's text with its children's, depth first, as Tika concatenates them.
fn dossier_texts(output: &Path) -> anyhow::Result<HashMap<PathBuf, String>> {
    fn whole_text(node: &serde_json::Value, out: &mut String) {
        if let Some(text) = node["text"].as_str() {
            out.push_str(text);
            out.push('\n');
        }
        for child in node["children"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            whole_text(child, out);
        }
    }
    let mut texts = HashMap::new();
    for line in std::fs::read_to_string(output)?.lines() {
        let node: serde_json::Value = serde_json::from_str(line).context("dossier's JSON lines")?;
        let mut text = String::new();
        whole_text(&node, &mut text);
        texts.insert(PathBuf::from(node["path"].as_str().unwrap_or("")), text);
    }
    Ok(texts)
}

fn tika_texts(output: &Path) -> anyhow::Result<HashMap<PathBuf, String>> {
    let mut texts = HashMap::new();
    for line in std::fs::read_to_string(output)?.lines() {
        let answer: serde_json::Value = serde_json::from_str(line).context("Tika's JSON lines")?;
        let text = if answer["ok"] == true { answer["text"].as_str().unwrap_or("").to_string() } else { String::new() };
        texts.insert(PathBuf::from(answer["path"].as_str().unwrap_or("")), text);
    }
    Ok(texts)
}

fn pdftotext_texts(output: &Path, files: &[PathBuf]) -> anyhow::Result<HashMap<PathBuf, String>> {
    Ok(files
        .iter()
        .enumerate()
        .map(|(number, file)| {
            let bytes = std::fs::read(output.join(format!("{number}.txt"))).unwrap_or_default();
            (file.clone(), String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect())
}

/// `dossier-bench pdftotext-pool`: runs `pdftotext` on every listed file with `workers` at a time, each text to
/// `OUT/N.txt` (N = the file's line number, from 0), each with the per-file time limit.
pub fn pdftotext_pool(list: &Path, out: &Path, workers: usize) -> anyhow::Result<()> {
    let files: Vec<String> = std::fs::read_to_string(list)?.lines().map(str::to_string).collect();
    std::fs::create_dir_all(out)?;
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| {
                loop {
                    let number = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(file) = files.get(number) else { break };
                    let target = out.join(format!("{number}.txt"));
                    let child = Command::new("pdftotext")
                        .args(["-q", "-enc", "UTF-8"])
                        .arg(file)
                        .arg(&target)
                        .stderr(std::process::Stdio::null())
                        .spawn();
                    if let Ok(mut child) = child {
                        let deadline = std::time::Instant::now() + Duration::from_secs(FILE_TIMEOUT_SECS);
                        loop {
                            match child.try_wait() {
                                Ok(Some(_)) | Err(_) => break,
                                Ok(None) if std::time::Instant::now() > deadline => {
                                    let _ = child.kill();
                                    let _ = child.wait();
                                    break;
                                }
                                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                            }
                        }
                    }
                }
            });
        }
    });
    Ok(())
}

/// Word-level accuracy of each tool's texts against ground truth, over the files that have it.
pub struct Accuracy {
    pub group: String,
    pub n_files: usize,
    pub counts: Vec<(Tool, WordCounts)>,
}

/// Groups: the cyrillic renderings by variant family, the pdfbox PDFs, the scans.
fn accuracy_group(file: &Path) -> String {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let path = file.to_string_lossy();
    if path.contains("/pdfbox/") {
        return "pdfbox PDFs (expected text)".into();
    }
    if name.ends_with(".scan.pdf") {
        return "cyrillic scans (OCR)".into();
    }
    for (suffix, group) in [
        (".txt", "cyrillic plain text (UTF-8/16, cp1251, KOI8-R)"),
        (".html", "cyrillic cp1251 HTML"),
        (".pdf", "cyrillic PDF"),
        (".eml", "cyrillic e-mail"),
        (".docx", "cyrillic office (docx, odt, doc, rtf)"),
        (".odt", "cyrillic office (docx, odt, doc, rtf)"),
        (".doc", "cyrillic office (docx, odt, doc, rtf)"),
        (".rtf", "cyrillic office (docx, odt, doc, rtf)"),
    ] {
        if name.ends_with(suffix) {
            return group.into();
        }
    }
    "other".into()
}

pub fn accuracy(measurements: &[&Measured]) -> anyhow::Result<Vec<Accuracy>> {
    let mut truths: HashMap<PathBuf, String> = HashMap::new();
    let mut groups: Vec<Accuracy> = Vec::new();
    let mut files: Vec<&PathBuf> = measurements.iter().flat_map(|m| m.texts.keys()).collect();
    files.sort();
    files.dedup();
    for file in files {
        let Some(truth_path) = truth_file(file) else { continue };
        if !truths.contains_key(&truth_path) {
            let bytes = std::fs::read(&truth_path)?;
            truths.insert(truth_path.clone(), String::from_utf8_lossy(&bytes).into_owned());
        }
        let truth = &truths[&truth_path];
        if truth.split_whitespace().next().is_none() {
            continue;
        }
        let group_name = accuracy_group(file);
        // A scan's text counts only from the run with OCR on; the mixed run reads it with OCR off.
        let scans = group_name.contains("scans");
        let relevant: Vec<&&Measured> =
            measurements.iter().filter(|m| scans == (m.set == "scans") && m.texts.contains_key(file)).collect();
        if relevant.is_empty() {
            continue;
        }
        let index = match groups.iter().position(|g| g.group == group_name) {
            Some(index) => index,
            None => {
                groups.push(Accuracy { group: group_name, n_files: 0, counts: Vec::new() });
                groups.len() - 1
            }
        };
        let group = &mut groups[index];
        group.n_files += 1;
        for measured in relevant {
            let counts = WordCounts::compare(truth, &measured.texts[file]);
            match group.counts.iter_mut().find(|(tool, _)| *tool == measured.tool) {
                Some((_, total)) => total.add(counts),
                None => group.counts.push((measured.tool, counts)),
            }
        }
    }
    groups.sort_by(|a, b| a.group.cmp(&b.group));
    Ok(groups)
}

pub fn f1(counts: &WordCounts) -> f64 {
    let (recall, precision) = (counts.recall(), counts.precision());
    if recall + precision == 0.0 { 0.0 } else { 2.0 * recall * precision / (recall + precision) }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

fn seconds(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64())
}

/// The figures the goals are stated in: speed against Tika and pdftotext at equal workers, accuracy beside it.
pub fn headlines(measured: &[Measured], accuracy: &[Accuracy]) -> Vec<String> {
    let mut lines = Vec::new();
    let find = |set: &str, tool: Tool, workers: usize| {
        measured.iter().find(|m| m.set == set && m.tool == tool && m.workers == workers)
    };
    let mut worker_counts: Vec<usize> = measured.iter().map(|m| m.workers).collect();
    worker_counts.sort_unstable();
    worker_counts.dedup();
    for &workers in &worker_counts {
        if let (Some(dossier), Some(tika)) = (find("mixed", Tool::Dossier, workers), find("mixed", Tool::Tika, workers))
        {
            let ratio = tika.median_wall().as_secs_f64() / dossier.median_wall().as_secs_f64().max(1e-9);
            lines.push(format!(
                "Extraction, mixed corpus, {workers} worker(s): dossier {:.1} s, Tika {:.1} s: dossier {ratio:.1}x faster \
                 (goal >= 5x); files with text: dossier {}, Tika {}.",
                dossier.median_wall().as_secs_f64(),
                tika.median_wall().as_secs_f64(),
                dossier.files_with_text(),
                tika.files_with_text(),
            ));
        }
        if let (Some(dossier), Some(poppler)) =
            (find("pdf", Tool::Dossier, workers), find("pdf", Tool::Pdftotext, workers))
        {
            let ratio = poppler.median_wall().as_secs_f64() / dossier.median_wall().as_secs_f64().max(1e-9);
            lines.push(format!(
                "PDFs, {workers} worker(s): dossier {:.2} s, pdftotext {:.2} s: dossier reads {ratio:.2}x the pages per \
                 second of pdftotext (goal >= 1x at equal or better F1).",
                dossier.median_wall().as_secs_f64(),
                poppler.median_wall().as_secs_f64(),
            ));
        }
    }
    for group in accuracy.iter().filter(|g| g.group.starts_with("pdfbox") || g.group.contains("scans")) {
        let cell = |tool: Tool| {
            group.counts.iter().find(|(t, _)| *t == tool).map_or("–".to_string(), |(_, c)| format!("{:.3}", f1(c)))
        };
        lines.push(format!(
            "F1 on {} ({} files): dossier {}, Tika {}, pdftotext {}.",
            group.group,
            group.n_files,
            cell(Tool::Dossier),
            cell(Tool::Tika),
            cell(Tool::Pdftotext)
        ));
    }
    if let Some(peak) = measured.iter().filter(|m| m.tool == Tool::Dossier).map(Measured::peak_rss).max() {
        lines.push(format!("Peak RSS of dossier's process tree in extraction: {:.0} MB (goal <= 512 MB).", mb(peak)));
    }
    lines
}

/// The Markdown sections of the extraction benchmark.
pub fn markdown(sets: &[&FileSet], measured: &[Measured], accuracy: &[Accuracy]) -> String {
    let mut out = String::new();
    for set in sets {
        let rows: Vec<&Measured> = measured.iter().filter(|m| m.set == set.name).collect();
        if rows.is_empty() {
            continue;
        }
        let title = match set.name {
            "mixed" => "Mixed corpus, OCR off",
            "pdf" => "PDFs with a text layer",
            _ => "Scans, OCR on (rus+ukr+eng)",
        };
        let _ = writeln!(
            out,
            "### {title}: {} files, {:.1} MB{}\n",
            set.files.len(),
            mb(set.bytes),
            if set.pdf_pages > 0 { format!(", {} PDF pages", set.pdf_pages) } else { String::new() }
        );
        let _ = writeln!(
            out,
            "| tool | workers | runs | median s | min–max s | files/s | MB/s | pages/s | files with text | peak RSS MB | \
             dossier faster by |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for row in &rows {
            let wall = row.median_wall().as_secs_f64().max(1e-9);
            let (min, max) = row.min_max();
            let dossier = rows.iter().find(|other| other.tool == Tool::Dossier && other.workers == row.workers);
            let speedup = match dossier {
                Some(dossier) if row.tool != Tool::Dossier => {
                    format!("{:.2}x", wall / dossier.median_wall().as_secs_f64().max(1e-9))
                }
                _ => "–".into(),
            };
            let pages = if set.pdf_pages > 0 { format!("{:.0}", set.pdf_pages as f64 / wall) } else { "–".into() };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {}–{} | {:.1} | {:.2} | {pages} | {} | {:.0} | {speedup} |",
                row.tool.name(),
                row.workers,
                row.runs.len(),
                seconds(row.median_wall()),
                seconds(min),
                seconds(max),
                set.files.len() as f64 / wall,
                mb(set.bytes) / wall,
                row.files_with_text(),
                mb(row.peak_rss()),
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "### Accuracy against ground truth (bag of words; recall / precision / F1)\n");
    let _ = writeln!(out, "| files | n | dossier | Apache Tika | pdftotext |");
    let _ = writeln!(out, "|---|---:|---|---|---|");
    for group in accuracy {
        let cell = |tool: Tool| {
            group.counts.iter().find(|(t, _)| *t == tool).map_or("–".to_string(), |(_, counts)| {
                format!("{:.3} / {:.3} / **{:.3}**", counts.recall(), counts.precision(), f1(counts))
            })
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            group.group,
            group.n_files,
            cell(Tool::Dossier),
            cell(Tool::Tika),
            cell(Tool::Pdftotext)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f1_is_the_harmonic_mean() {
        let counts = WordCounts { n_expected: 10, n_extracted: 5, n_matched: 5 };
        assert!((f1(&counts) - 2.0 * 0.5 * 1.0 / 1.5).abs() < 1e-12);
        assert_eq!(f1(&WordCounts { n_expected: 3, n_extracted: 3, n_matched: 0 }), 0.0);
    }

    #[test]
    fn accuracy_groups_follow_the_corpus_layout() {
        assert_eq!(accuracy_group(Path::new("/c/cyrillic/ru-1.scan.pdf")), "cyrillic scans (OCR)");
        assert_eq!(accuracy_group(Path::new("/c/cyrillic/ru-1.pdf")), "cyrillic PDF");
        assert_eq!(
            accuracy_group(Path::new("/c/cyrillic/ru-1.koi8r.txt")),
            "cyrillic plain text (UTF-8/16, cp1251, KOI8-R)"
        );
        assert_eq!(accuracy_group(Path::new("/c/formats/pdfbox/a.pdf")), "pdfbox PDFs (expected text)");
    }
}
