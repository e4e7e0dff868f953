//! `dossier-bench ingest`: end-to-end ingest (vault, sandboxed extraction, catalog, search index) with the real
//! `dossier ingest`, beside the physical floor of reading and hashing the same bytes.
//!
//! - The real corpus (`formats/` and `cyrillic/`, OCR off), all cores, several runs into fresh data folders.
//! - A synthetic corpus built from real Russian, Ukrainian and English paragraphs (`corpus.rs`), written as files
//!   (plain text, HTML, e-mail; some Russian text in windows-1251) and ingested in growing steps into one data
//!   folder (10k, then 90k more, then 900k more), so the cost of each step shows how cost grows with size.
//! - The hostile corpus (`hostile/`): time and peak memory of refusing bombs.
//!
//! Each run is held to a memory budget in a cgroup of its own where the machine allows it (`cgroup.rs`): peak RSS
//! counts the index's mapped pages, which the kernel can take back, so only a run under a real cap shows the budget
//! is enough.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use crate::cgroup::{CapUsage, MemoryCap};
use crate::corpus::{GeneratedDoc, Lang, Paragraphs, generate};
use crate::procs::{RunCost, measure};

/// Files per folder of the synthetic corpus.
const FILES_PER_FOLDER: u64 = 1000;

/// One `dossier ingest` run.
#[derive(Debug, Clone)]
pub struct IngestRun {
    pub label: String,
    /// Whether names and identifiers were looked for (dossier's default; `--no-entities` turns it off).
    pub entities: bool,
    pub files: u64,
    pub bytes: u64,
    pub documents_after: u64,
    pub cost: RunCost,
    /// Reading and BLAKE3-hashing the same files, single-threaded.
    pub floor: Duration,
    /// Size of the data folder afterwards (vault, catalog, index).
    pub data_bytes: u64,
    /// The memory cgroup the run was held in, or why it had none.
    pub cap: Capped,
}

/// Whether a run was held to a memory budget by the kernel.
#[derive(Debug, Clone)]
pub enum Capped {
    /// No budget was asked for.
    No,
    /// Asked for, but this machine could not make the cgroup: why.
    Unavailable(String),
    Yes(CapUsage),
}

impl Capped {
    fn describe(&self) -> String {
        match self {
            Capped::No => "none".into(),
            Capped::Unavailable(_) => "none (no cgroup here)".into(),
            Capped::Yes(usage) => format!("{:.0} MB, {} OOM kills", mb(usage.limit), usage.oom_kills),
        }
    }
}

/// The cap of `runs` (all made alike), with the OOM kills of all of them.
fn describe_caps(runs: &[&IngestRun]) -> String {
    let kills = runs.iter().map(|run| if let Capped::Yes(usage) = &run.cap { usage.oom_kills } else { 0 }).sum();
    match runs.first().map(|run| &run.cap) {
        Some(Capped::Yes(usage)) => Capped::Yes(CapUsage { oom_kills: kills, ..*usage }).describe(),
        Some(other) => other.describe(),
        None => String::new(),
    }
}

/// How the `dossier ingest` runs are made: the binary, and the memory budget each is held to (bytes; none: no cap).
#[derive(Debug, Clone)]
pub struct Runner<'a> {
    pub dossier: &'a Path,
    pub memory_cap: Option<u64>,
}

/// Runs `dossier ingest paths` into `data_dir` and measures it, in a memory cgroup of its own if the runner has a cap.
pub fn ingest(
    runner: &Runner<'_>,
    data_dir: &Path,
    collection: &str,
    paths: &[PathBuf],
    extra: &[&str],
) -> anyhow::Result<(RunCost, serde_json::Value, Capped)> {
    let mut command = Command::new(runner.dossier);
    command.arg("--data-dir").arg(data_dir).arg("ingest").args(paths).args(["-c", collection, "--json"]).args(extra);
    command.stderr(std::process::Stdio::null());
    let cap = runner.memory_cap.map(|limit| MemoryCap::new(limit, collection));
    if let Some(Ok(cap)) = &cap {
        cap.confine(&mut command);
    }
    let summary_path = data_dir.with_extension("summary.json");
    let (status, cost) = measure(&mut command, Some(&summary_path))?;
    let capped = match cap {
        None => Capped::No,
        Some(Err(why)) => Capped::Unavailable(why),
        Some(Ok(cap)) => Capped::Yes(cap.usage()),
    };
    if !status.success() {
        if let Capped::Yes(usage) = &capped
            && usage.oom_kills > 0
        {
            bail!(
                "{command:?} failed: {status}: the kernel killed {} process(es) for going over the {:.0} MB cap",
                usage.oom_kills,
                mb(usage.limit)
            );
        }
        bail!("{command:?} failed: {status}");
    }
    let summary = std::fs::read_to_string(&summary_path)?;
    let summary: serde_json::Value = serde_json::from_str(&summary).context("dossier ingest --json")?;
    Ok((cost, summary, capped))
}

/// Reads every file under `paths` and hashes it with BLAKE3, as the vault does: the least any ingest must do.
pub fn read_and_hash(paths: &[PathBuf]) -> anyhow::Result<(Duration, u64, u64)> {
    let started = Instant::now();
    let (mut files, mut bytes) = (0u64, 0u64);
    let mut buffer = vec![0u8; 1 << 20];
    for path in paths {
        for entry in walkdir::WalkDir::new(path).follow_links(false) {
            let entry = entry?;
            if !entry.file_type().is_file() {
                continue;
            }
            let mut file = std::fs::File::open(entry.path())?;
            let mut hasher = blake3::Hasher::new();
            loop {
                let n = file.read(&mut buffer)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buffer[..n]);
                bytes += n as u64;
            }
            std::hint::black_box(hasher.finalize());
            files += 1;
        }
    }
    Ok((started.elapsed(), files, bytes))
}

pub fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.metadata().map_or(0, |meta| meta.len()))
        .sum()
}

/// The real corpus, `runs` times into fresh data folders, alternately with and without names and identifiers (so
/// that what the analysis costs is measured on the same files in the same minutes).
pub fn real_corpus(runner: &Runner<'_>, corpus: &Path, runs: usize, work: &Path) -> anyhow::Result<Vec<IngestRun>> {
    let paths = vec![corpus.join("formats"), corpus.join("cyrillic")];
    // Warm the page cache (and measure the floor on a warm cache, as the ingest runs see it).
    read_and_hash(&paths)?;
    let (floor, files, bytes) = read_and_hash(&paths)?;
    let mut measured = Vec::new();
    for run in 0..=runs {
        for entities in [true, false] {
            let data_dir = work.join(format!("corpus-run-{run}-{entities}"));
            eprintln!("  ingest of the real corpus, run {run}/{runs}, names and identifiers: {entities}");
            let extra: &[&str] = if entities { &["--no-ocr"] } else { &["--no-ocr", "--no-entities"] };
            let (cost, summary, cap) = ingest(runner, &data_dir, "corpus", &paths, extra)?;
            let data_bytes = dir_size(&data_dir);
            std::fs::remove_dir_all(&data_dir)?;
            if run == 0 {
                continue;
            }
            measured.push(IngestRun {
                label: format!("real corpus, run {run}"),
                entities,
                files,
                bytes,
                documents_after: summary["counts"]["documents"].as_u64().unwrap_or(0),
                cost,
                floor,
                data_bytes,
                cap,
            });
        }
    }
    Ok(measured)
}

/// The hostile corpus, once.
pub fn hostile(runner: &Runner<'_>, corpus: &Path, work: &Path) -> anyhow::Result<IngestRun> {
    let paths = vec![corpus.join("hostile")];
    let (floor, files, bytes) = read_and_hash(&paths)?;
    let data_dir = work.join("hostile");
    let (cost, summary, cap) = ingest(runner, &data_dir, "hostile", &paths, &[])?;
    let data_bytes = dir_size(&data_dir);
    std::fs::remove_dir_all(&data_dir)?;
    Ok(IngestRun {
        label: "hostile corpus (zip bombs)".into(),
        entities: true,
        files,
        bytes,
        documents_after: summary["counts"]["documents"].as_u64().unwrap_or(0),
        cost,
        floor,
        data_bytes,
        cap,
    })
}

/// Writes synthetic documents `from..to` as files under `dir` (1000 per folder); returns the bytes written.
pub fn write_synthetic(paragraphs: &Paragraphs, seed: u64, from: u64, to: u64, dir: &Path) -> anyhow::Result<u64> {
    let mut bytes = 0;
    for number in from..to {
        let doc = generate(paragraphs, seed, number);
        let folder = dir.join(format!("{:04}", number / FILES_PER_FOLDER));
        if number % FILES_PER_FOLDER == 0 || number == from {
            std::fs::create_dir_all(&folder)?;
        }
        let (name, content) = render(&doc, number);
        let path = folder.join(name);
        std::fs::write(&path, &content).with_context(|| path.display().to_string())?;
        bytes += content.len() as u64;
    }
    Ok(bytes)
}

/// A generated document as the bytes of a file a leak would hold: an e-mail, an HTML page, or plain text (a third of
/// the Russian text files in windows-1251, as Russian Windows software writes them).
fn render(doc: &GeneratedDoc, number: u64) -> (String, Vec<u8>) {
    match number % 6 {
        0 => {
            let mail = format!(
                "From: {} <sender{}@mail.example>\r\nTo: <desk@press.example>\r\nSubject: {}\r\nDate: {}\r\n\
                 MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
                doc.author,
                number % 97,
                doc.title,
                rfc2822(&doc.date),
                doc.text.replace('\n', "\r\n")
            );
            (format!("{number:07}.eml"), mail.into_bytes())
        }
        1 => {
            let mut html = format!(
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title></head><body>",
                escape(&doc.title)
            );
            for paragraph in doc.text.split("\n\n") {
                let _ = writeln!(html, "<p>{}</p>", escape(paragraph));
            }
            html.push_str("</body></html>\n");
            (format!("{number:07}.html"), html.into_bytes())
        }
        2 if doc.lang == Lang::Ru => {
            let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&doc.text);
            (format!("{number:07}.txt"), bytes.into_owned())
        }
        _ => (format!("{number:07}.txt"), doc.text.clone().into_bytes()),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `2023-10-05` as an RFC 2822 date at noon UTC.
fn rfc2822(date: &str) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let mut parts = date.split('-').map(|part| part.parse::<usize>().unwrap_or(1));
    let (year, month, day) = (parts.next().unwrap_or(2020), parts.next().unwrap_or(1), parts.next().unwrap_or(1));
    format!("{day} {} {year} 12:00:00 +0000", MONTHS[month.clamp(1, 12) - 1])
}

/// Timed runs of the first synthetic step (one into the growing data folder, the rest into fresh ones).
const FIRST_STEP_RUNS: usize = 3;

/// Ingests the synthetic corpus in growing steps up to each of `scales`, into one data folder.
pub fn synthetic(
    runner: &Runner<'_>,
    paragraphs: &Paragraphs,
    seed: u64,
    scales: &[u64],
    work: &Path,
) -> anyhow::Result<Vec<IngestRun>> {
    let data_dir = work.join("synthetic-data");
    let mut runs = Vec::new();
    let mut done = 0;
    for (step, &scale) in scales.iter().enumerate() {
        let dir = work.join(format!("synthetic-{step}"));
        eprintln!("  writing synthetic documents {done}..{scale}");
        let written = write_synthetic(paragraphs, seed, done, scale, &dir)?;
        let (floor, files, bytes) = read_and_hash(std::slice::from_ref(&dir))?;
        debug_assert_eq!(bytes, written);
        // The first step is short, so one run of it is at the mercy of the machine's noise, and every later step
        // is compared with it: it is also timed on fresh data folders, and its median taken.
        let mut fresh_costs = Vec::new();
        if step == 0 {
            for repeat in 1..FIRST_STEP_RUNS {
                eprintln!(
                    "  ingesting synthetic documents {done}..{scale} into a fresh folder, run {repeat}/{FIRST_STEP_RUNS}"
                );
                let fresh = work.join("synthetic-first");
                let (cost, _, _) = ingest(runner, &fresh, "synthetic", std::slice::from_ref(&dir), &["--no-ocr"])?;
                std::fs::remove_dir_all(&fresh)?;
                fresh_costs.push(cost);
            }
        }
        eprintln!("  ingesting synthetic documents {done}..{scale}");
        let (mut cost, summary, cap) =
            ingest(runner, &data_dir, "synthetic", std::slice::from_ref(&dir), &["--no-ocr"])?;
        let mut label = format!("{done}..{scale}");
        if !fresh_costs.is_empty() {
            let mut walls: Vec<Duration> = fresh_costs.iter().map(|other| other.wall).chain([cost.wall]).collect();
            walls.sort();
            cost.wall = walls[walls.len() / 2];
            for other in &fresh_costs {
                cost.peak_tree_rss = cost.peak_tree_rss.max(other.peak_tree_rss);
                cost.peak_tree_anon = cost.peak_tree_anon.max(other.peak_tree_anon);
            }
            let (min, max) = (walls[0].as_secs_f64(), walls[walls.len() - 1].as_secs_f64());
            let _ = write!(label, " (median of {} runs, {min:.1}–{max:.1} s)", walls.len());
        }
        runs.push(IngestRun {
            label,
            entities: true,
            files,
            bytes,
            documents_after: summary["counts"]["documents"].as_u64().unwrap_or(0),
            cost,
            floor,
            data_bytes: dir_size(&data_dir),
            cap,
        });
        // The files are in the vault now; the copies on disk are not needed for the next step.
        std::fs::remove_dir_all(&dir)?;
        done = scale;
    }
    Ok(runs)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

/// The figures the goals are stated in: linear cost, bounded memory.
pub fn headlines(real: &[IngestRun], synthetic: &[IngestRun], hostile: Option<&IngestRun>) -> Vec<String> {
    let mut lines = Vec::new();
    lines.extend(entity_cost(real));
    let per_doc = |run: &IngestRun| run.cost.wall.as_secs_f64() / run.files.max(1) as f64;
    if let (Some(first), Some(last)) = (synthetic.first(), synthetic.last())
        && synthetic.len() > 1
    {
        lines.push(format!(
            "Ingest cost per document: {:.0} µs for the first {} documents, {:.0} µs for documents {}: {:.2}x \
             (goal: linear within 15%, i.e. <= 1.15x).",
            per_doc(first) * 1e6,
            first.files,
            per_doc(last) * 1e6,
            last.label,
            per_doc(last) / per_doc(first).max(1e-12),
        ));
    }
    let runs = || real.iter().chain(synthetic).chain(hostile);
    if let (Some(resident), Some(anonymous)) =
        (runs().max_by_key(|run| run.cost.peak_tree_rss), runs().max_by_key(|run| run.cost.peak_tree_anon))
    {
        lines.push(format!(
            "Peak RSS of dossier ingest's process tree: {:.0} MB ({}) (goal <= 512 MB); of it, memory not backed by a \
             file (the rest is pages of mapped files: the binary, the mmapped index): at most {:.0} MB ({}).",
            mb(resident.cost.peak_tree_rss),
            resident.label,
            mb(anonymous.cost.peak_tree_anon),
            anonymous.label,
        ));
    }
    let kills: u64 =
        runs().filter_map(|run| if let Capped::Yes(usage) = &run.cap { Some(usage.oom_kills) } else { None }).sum();
    let capped: Vec<&IngestRun> = runs().filter(|run| matches!(run.cap, Capped::Yes(_))).collect();
    if let Some(Capped::Yes(usage)) = capped.first().map(|run| &run.cap) {
        lines.push(format!(
            "{} of {} dossier ingest runs were held by the kernel to a memory cgroup capped at {:.0} MB (the page \
             cache of the files they write and map is charged to it too); they finished with {kills} OOM kills.",
            capped.len(),
            runs().count(),
            mb(usage.limit),
        ));
    } else if let Some(Capped::Unavailable(why)) = runs().map(|run| &run.cap).next() {
        lines.push(format!("The ingest runs had no memory cap: {why}."));
    }
    lines
}

/// Median, least and most wall time of some runs, and their median CPU time, in seconds.
struct Summary {
    median: f64,
    min: f64,
    max: f64,
    cpu: f64,
}

fn summarise(runs: &[&IngestRun]) -> Option<Summary> {
    if runs.is_empty() {
        return None;
    }
    let mut walls: Vec<f64> = runs.iter().map(|run| run.cost.wall.as_secs_f64()).collect();
    let mut cpus: Vec<f64> = runs.iter().map(|run| run.cost.cpu.as_secs_f64()).collect();
    walls.sort_by(f64::total_cmp);
    cpus.sort_by(f64::total_cmp);
    Some(Summary {
        median: walls[walls.len() / 2].max(1e-9),
        min: walls[0],
        max: walls[walls.len() - 1],
        cpu: cpus[cpus.len() / 2],
    })
}

/// What looking for names and identifiers adds to the ingest of the real corpus: the runs with and without it
/// alternate, so each pair ran in the same minutes; the ratios are medians over the pairs.
fn entity_cost(real: &[IngestRun]) -> Option<String> {
    let with: Vec<&IngestRun> = real.iter().filter(|run| run.entities).collect();
    let without: Vec<&IngestRun> = real.iter().filter(|run| !run.entities).collect();
    let pairs = with.len().min(without.len());
    if pairs == 0 {
        return None;
    }
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let wall_ratio = median(
        (0..pairs).map(|i| with[i].cost.wall.as_secs_f64() / without[i].cost.wall.as_secs_f64().max(1e-9)).collect(),
    );
    let cpu_ratio = median(
        (0..pairs).map(|i| with[i].cost.cpu.as_secs_f64() / without[i].cost.cpu.as_secs_f64().max(1e-9)).collect(),
    );
    let extra_cpu =
        median((0..pairs).map(|i| with[i].cost.cpu.as_secs_f64() - without[i].cost.cpu.as_secs_f64()).collect());
    let documents = with[0].documents_after.max(1);
    Some(format!(
        "Names and identifiers (language runs, the NER models, identifier patterns, normalisation) cost {:.0} µs of \
         CPU per document ({:.2} CPU-s more over {documents} documents): the ingest takes {cpu_ratio:.2}x the CPU time \
         and {wall_ratio:.2}x the wall time of the same ingest with `--no-entities` (medians over {pairs} alternating \
         pairs of runs).",
        extra_cpu / documents as f64 * 1e6,
        extra_cpu,
    ))
}

/// The Markdown sections of the ingest benchmark.
pub fn markdown(real: &[IngestRun], synthetic: &[IngestRun], hostile: Option<&IngestRun>) -> String {
    let mut out = String::new();
    if let Some(first) = real.first() {
        let floor = first.floor.as_secs_f64().max(1e-9);
        let _ =
            writeln!(out, "### Real corpus: {} files, {:.1} MB (OCR off, all cores)\n", first.files, mb(first.bytes));
        let _ = writeln!(
            out,
            "| what | runs | median s | min–max s | median CPU s | files/s | MB/s | documents | peak RSS MB | \
             peak anonymous MB | data folder MB | memory cap |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (entities, what) in [
            (true, "dossier ingest (vault + extraction + names and identifiers + catalog + index)"),
            (false, "dossier ingest --no-entities (the same without names and identifiers)"),
        ] {
            let runs: Vec<&IngestRun> = real.iter().filter(|run| run.entities == entities).collect();
            let Some(Summary { median, min, max, cpu }) = summarise(&runs) else { continue };
            let _ = writeln!(
                out,
                "| {what} | {} | {median:.2} | {min:.2}–{max:.2} | {cpu:.2} | {:.1} | {:.2} | {} | {:.0} | {:.0} | {:.0} | {} |",
                runs.len(),
                first.files as f64 / median,
                mb(first.bytes) / median,
                runs[0].documents_after,
                mb(runs.iter().map(|run| run.cost.peak_tree_rss).max().unwrap_or(0)),
                mb(runs.iter().map(|run| run.cost.peak_tree_anon).max().unwrap_or(0)),
                mb(runs[0].data_bytes),
                describe_caps(&runs),
            );
        }
        let _ = writeln!(
            out,
            "| floor: read + BLAKE3 of the same bytes, one thread | 1 | {floor:.2} | – | – | {:.0} | {:.1} | – | – | – | – | – |\n",
            first.files as f64 / floor,
            mb(first.bytes) / floor,
        );
        if let Some(median) = summarise(&real.iter().filter(|run| run.entities).collect::<Vec<_>>()) {
            let _ = writeln!(out, "The ingest takes {:.0}x the floor.\n", median.median / floor);
        }
        if let Some(line) = entity_cost(real) {
            let _ = writeln!(out, "{line}\n");
        }
    }
    if !synthetic.is_empty() {
        let _ = writeln!(
            out,
            "### Synthetic corpus, ingested in growing steps into one data folder (OCR off, all cores)\n"
        );
        let _ = writeln!(
            out,
            "| step (documents) | files | MB | s | docs/s | MB/s | µs per doc | vs first step | floor s | x floor | \
             peak RSS MB | peak anonymous MB | data folder MB after | memory cap |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        let first_cost = synthetic.first().map(|run| run.cost.wall.as_secs_f64() / run.files.max(1) as f64);
        for run in synthetic {
            let wall = run.cost.wall.as_secs_f64().max(1e-9);
            let per_doc = wall / run.files.max(1) as f64;
            let _ = writeln!(
                out,
                "| {} | {} | {:.0} | {wall:.1} | {:.0} | {:.2} | {:.0} | {:.2} | {:.1} | {:.0} | {:.0} | {:.0} | {:.0} | {} |",
                run.label,
                run.files,
                mb(run.bytes),
                run.files as f64 / wall,
                mb(run.bytes) / wall,
                per_doc * 1e6,
                first_cost.map_or(1.0, |first| per_doc / first.max(1e-12)),
                run.floor.as_secs_f64(),
                wall / run.floor.as_secs_f64().max(1e-9),
                mb(run.cost.peak_tree_rss),
                mb(run.cost.peak_tree_anon),
                mb(run.data_bytes),
                run.cap.describe(),
            );
        }
        let _ = writeln!(out);
    }
    if let Some(run) = hostile {
        let _ = writeln!(
            out,
            "### Hostile corpus\n\n{}: {} files ({:.1} MB on disk) ingested into {} documents in {:.2} s, peak RSS of the \
             whole process tree {:.0} MB ({:.0} MB not backed by a file); memory cap: {}.\n",
            run.label,
            run.files,
            mb(run.bytes),
            run.documents_after,
            run.cost.wall.as_secs_f64(),
            mb(run.cost.peak_tree_rss),
            mb(run.cost.peak_tree_anon),
            run.cap.describe(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_files_are_readable_formats() {
        let ru: Vec<String> = (0..20).map(|n| format!("Министерство поручает подготовить отчёт {n}.")).collect();
        let uk: Vec<String> = (0..20).map(|n| format!("Міністерство доручає підготувати звіт {n}.")).collect();
        let en: Vec<String> = (0..20).map(|n| format!("The ministry orders a report {n} & <more>.")).collect();
        let paragraphs = Paragraphs { ru, uk, en };
        let dir = tempfile::tempdir().expect("temp dir");
        let written = write_synthetic(&paragraphs, 7, 0, 60, dir.path()).expect("write");
        let (_, files, bytes) = read_and_hash(&[dir.path().to_path_buf()]).expect("hash");
        assert_eq!((files, bytes), (60, written));
        let mail = std::fs::read_to_string(dir.path().join("0000/0000000.eml")).expect("a mail");
        assert!(mail.starts_with("From: ") && mail.contains("\r\nSubject: ") && mail.contains("\r\n\r\n"));
        let html = std::fs::read_to_string(dir.path().join("0000/0000001.html")).expect("a page");
        assert!(html.contains("<p>") && !html.contains("& <more>"), "text is escaped");
        assert_eq!(rfc2822("2023-10-05"), "5 Oct 2023 12:00:00 +0000");
    }
}
