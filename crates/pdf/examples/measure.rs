//! Measures the PDF reader against expected texts and against `pdftotext` (poppler), and sweeps a folder of
//! PDFs for outcomes, crashes and hangs.
//!
//! ```text
//! cargo run --release -p dossier-pdf --example measure_pdf -- compare ../shared/corpus/formats/pdfbox
//! cargo run --release -p dossier-pdf --example measure_pdf -- compare ../shared/corpus/cyrillic
//! cargo run --release -p dossier-pdf --example measure_pdf -- sweep ../shared/corpus/formats
//! ```
//!
//! `compare` pairs every `X.pdf` with `X.pdf.txt` (pdfbox) or `NAME.pdf` with `NAME.expected.txt` (cyrillic) and
//! prints word-level recall and precision (bag of words, whitespace-normalised, lower-cased, punctuation trimmed
//! from word edges) for dossier and pdftotext side by side, with their times; `*.scan.pdf` files (no text
//! layer) are only checked for not crashing and yielding (almost) no text. `sweep` reads every PDF below the
//! folder and counts ok / partial / failed with reasons. Every file is read in a child process with a time
//! limit, so one crash or hang costs one file, not the measurement. `--flags a,b` picks MuPDF text flags
//! (dehyphenate, preserve-whitespace, preserve-ligatures, segment, clip, inhibit-spaces, none); the default
//! is the reader's.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dossier_document::{Context, Limits, MemorySink, Options, Source};
use dossier_pdf::{PdfReadOptions, TextPageFlags, read_pdf_with};

const TIMEOUT: Duration = Duration::from_secs(60);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flags = args.iter().position(|a| a == "--flags").and_then(|i| args.get(i + 1)).cloned();
    let positional: Vec<&String> = {
        let mut skip_next = false;
        args.iter()
            .filter(|a| {
                if skip_next {
                    skip_next = false;
                    return false;
                }
                if *a == "--flags" {
                    skip_next = true;
                    return false;
                }
                true
            })
            .collect()
    };
    match positional.as_slice() {
        [mode, file] if mode.as_str() == "--one" => read_one(Path::new(file), flags.as_deref()),
        [mode, dir] if mode.as_str() == "compare" => {
            let dir = existing_dir(dir);
            compare(&dir, flags.as_deref());
        }
        [mode, dir] if mode.as_str() == "sweep" => {
            let dir = existing_dir(dir);
            sweep(&dir, flags.as_deref());
        }
        _ => {
            eprintln!("usage: measure compare|sweep <corpus folder> [--flags a,b]");
            std::process::exit(2);
        }
    }
}

fn existing_dir(dir: &str) -> PathBuf {
    let dir = PathBuf::from(dir);
    if !dir.is_dir() {
        eprintln!(
            "corpus folder {} is absent: nothing measured (the corpora live in ../shared/corpus beside the repository)",
            dir.display()
        );
        std::process::exit(1);
    }
    dir
}

fn parse_flags(flags: Option<&str>) -> PdfReadOptions {
    let Some(flags) = flags else {
        return PdfReadOptions::default();
    };
    let mut text_flags = TextPageFlags::empty();
    for name in flags.split(',').filter(|n| !n.is_empty()) {
        text_flags |= match name {
            "none" => TextPageFlags::empty(),
            "dehyphenate" => TextPageFlags::DEHYPHENATE,
            "preserve-whitespace" => TextPageFlags::PRESERVE_WHITESPACE,
            "preserve-ligatures" => TextPageFlags::PRESERVE_LIGATURES,
            "segment" => TextPageFlags::SEGMENT,
            "clip" => TextPageFlags::CLIP,
            "inhibit-spaces" => TextPageFlags::INHIBIT_SPACES,
            "ignore-actualtext" => TextPageFlags::IGNORE_ACTUALTEXT,
            other => {
                eprintln!("unknown flag {other}");
                std::process::exit(2);
            }
        };
    }
    PdfReadOptions { text_flags }
}

/// The child side: reads one file and prints a small header, then the text.
fn read_one(path: &Path, flags: Option<&str>) {
    let options = parse_flags(flags);
    let limits = Limits::default();
    let reader_options = Options { passwords: vec!["password".to_string()], ..Options::default() };
    let mut sink = MemorySink::new(&limits, 0);
    let mut ctx = Context { limits: &limits, options: &reader_options, sink: &mut sink };
    let start = Instant::now();
    let result = read_pdf_with(&Source { path, name: None }, &mut ctx, &options);
    let seconds = start.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "seconds: {seconds}");
    let _ = writeln!(out, "children: {}", sink.children.len());
    match result {
        Err(err) => {
            let _ = writeln!(out, "outcome: failed");
            let _ = writeln!(out, "reason: {}", err.summary());
            let _ = writeln!(out, "error: {err}");
            let _ = writeln!(out, "---");
        }
        Ok(extraction) => {
            let outcome = if extraction.is_partial() { "partial" } else { "ok" };
            let _ = writeln!(out, "outcome: {outcome}");
            let pages = extraction.metadata.get_str("pages").unwrap_or_default();
            let _ = writeln!(out, "pages: {pages}");
            for diagnostic in &extraction.diagnostics {
                let _ = writeln!(out, "diagnostic: {}", diagnostic.replace('\n', " "));
            }
            let _ = writeln!(out, "---");
            let _ = out.write_all(extraction.text.as_bytes());
        }
    }
}

/// What a child run produced.
struct Run {
    status: RunStatus,
    seconds: f64,
    wall_seconds: f64,
    header: HashMap<String, String>,
    diagnostics: Vec<String>,
    text: String,
}

enum RunStatus {
    Finished,
    Crashed(String),
    TimedOut,
}

fn run_child(mut command: Command) -> Run {
    let start = Instant::now();
    let mut child = match command.stdout(Stdio::piped()).stderr(Stdio::null()).spawn() {
        Ok(child) => child,
        Err(err) => {
            return Run {
                status: RunStatus::Crashed(format!("cannot start: {err}")),
                seconds: 0.0,
                wall_seconds: 0.0,
                header: HashMap::new(),
                diagnostics: Vec::new(),
                text: String::new(),
            };
        }
    };
    let mut stdout = child.stdout.take().expect("stdout was piped");
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break RunStatus::Finished,
            Ok(Some(status)) => break RunStatus::Crashed(status.to_string()),
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break RunStatus::TimedOut;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(err) => break RunStatus::Crashed(err.to_string()),
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    let bytes = reader.join().unwrap_or_default();
    Run {
        status,
        seconds,
        wall_seconds: seconds,
        header: HashMap::new(),
        diagnostics: Vec::new(),
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn run_dossier(path: &Path, flags: Option<&str>) -> Run {
    let exe = std::env::current_exe().expect("own executable");
    let mut command = Command::new(exe);
    command.arg("--one").arg(path);
    if let Some(flags) = flags {
        command.arg("--flags").arg(flags);
    }
    let mut run = run_child(command);
    if let RunStatus::Finished = run.status {
        let output = std::mem::take(&mut run.text);
        let (head, text) = output.split_once("---\n").unwrap_or((output.as_str(), ""));
        for line in head.lines() {
            if let Some((key, value)) = line.split_once(": ") {
                if key == "diagnostic" {
                    run.diagnostics.push(value.to_string());
                } else {
                    run.header.insert(key.to_string(), value.to_string());
                }
            }
        }
        // The reader's own time, without process start-up, is the fair figure for a library.
        if let Some(seconds) = run.header.get("seconds").and_then(|s| s.parse().ok()) {
            run.seconds = seconds;
        }
        run.text = text.to_string();
    }
    run
}

fn run_pdftotext(path: &Path) -> Run {
    let mut command = Command::new("pdftotext");
    command.args(["-enc", "UTF-8", "-q"]).arg(path).arg("-");
    run_child(command)
}

fn word_list(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|word| !word.is_empty())
        .collect()
}

fn words(text: &str) -> HashMap<String, usize> {
    let mut bag = HashMap::new();
    for word in word_list(text) {
        *bag.entry(word).or_insert(0) += 1;
    }
    bag
}

/// Pairs of consecutive words: unlike the bag of words, this notices reading order (columns interleaved line
/// by line, a table read across instead of down).
fn bigrams(text: &str) -> HashMap<String, usize> {
    let list = word_list(text);
    let mut bag = HashMap::new();
    for pair in list.windows(2) {
        *bag.entry(format!("{} {}", pair[0], pair[1])).or_insert(0) += 1;
    }
    bag
}

/// (recall, precision) of `actual` against `expected`, as multiset word overlap.
fn recall_precision(expected: &HashMap<String, usize>, actual: &HashMap<String, usize>) -> (f64, f64) {
    let matched: usize = expected.iter().map(|(word, n)| (*n).min(actual.get(word).copied().unwrap_or(0))).sum();
    let n_expected: usize = expected.values().sum();
    let n_actual: usize = actual.values().sum();
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    (ratio(matched, n_expected), ratio(matched, n_actual))
}

fn pdfs_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            pdfs_below(&path, out);
        } else if path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("pdf")) {
            out.push(path);
        }
    }
}

fn expected_text_for(pdf: &Path) -> Option<PathBuf> {
    let name = pdf.file_name()?.to_str()?;
    let pdfbox = pdf.with_file_name(format!("{name}.txt"));
    if pdfbox.is_file() {
        return Some(pdfbox);
    }
    let stem = name.strip_suffix(".pdf")?;
    let cyrillic = pdf.with_file_name(format!("{stem}.expected.txt"));
    cyrillic.is_file().then_some(cyrillic)
}

fn compare(dir: &Path, flags: Option<&str>) {
    let mut pdfs = Vec::new();
    pdfs_below(dir, &mut pdfs);
    println!(
        "{:<48} {:>5} | {:>7} {:>7} {:>8} | {:>7} {:>7} {:>8}",
        "file", "pages", "d.rec", "d.prec", "d.sec", "p.rec", "p.prec", "p.sec"
    );
    let mut totals = Totals::default();
    let mut scans = (0usize, 0usize, 0usize); // files, crashes, files with more than 20 words
    for pdf in &pdfs {
        let name = pdf.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        if name.ends_with(".scan.pdf") {
            let run = run_dossier(pdf, flags);
            scans.0 += 1;
            match run.status {
                RunStatus::Finished => {
                    if words(&run.text).values().sum::<usize>() > 20 {
                        scans.2 += 1;
                    }
                }
                _ => scans.1 += 1,
            }
            continue;
        }
        let Some(expected_path) = expected_text_for(pdf) else {
            continue;
        };
        let expected_text = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let expected = words(&expected_text);
        let dossier = run_dossier(pdf, flags);
        let poppler = run_pdftotext(pdf);
        let pages: usize = dossier.header.get("pages").and_then(|p| p.parse().ok()).unwrap_or(0);
        let (d_rec, d_prec) = recall_precision(&expected, &words(&dossier.text));
        let (p_rec, p_prec) = recall_precision(&expected, &words(&poppler.text));
        let expected_bigrams = bigrams(&expected_text);
        let (d_bigram_rec, _) = recall_precision(&expected_bigrams, &bigrams(&dossier.text));
        let (p_bigram_rec, _) = recall_precision(&expected_bigrams, &bigrams(&poppler.text));
        let note = match (&dossier.status, dossier.header.get("outcome")) {
            (RunStatus::Crashed(why), _) => format!(" CRASH {why}"),
            (RunStatus::TimedOut, _) => " TIMEOUT".to_string(),
            (_, Some(outcome)) if outcome != "ok" => format!(
                " {outcome} {}",
                dossier.header.get("error").or(dossier.diagnostics.first()).cloned().unwrap_or_default()
            ),
            _ => String::new(),
        };
        println!(
            "{:<48} {:>5} | {:>7.3} {:>7.3} {:>8.3} | {:>7.3} {:>7.3} {:>8.3}{note}",
            truncate(name, 48),
            pages,
            d_rec,
            d_prec,
            dossier.seconds,
            p_rec,
            p_prec,
            poppler.seconds
        );
        totals.add(pages, (d_rec, d_prec, dossier.seconds), (p_rec, p_prec, poppler.seconds));
        totals.bigram_recall.0 += d_bigram_rec;
        totals.bigram_recall.1 += p_bigram_rec;
        totals.dossier_wall_seconds += dossier.wall_seconds;
    }
    totals.print();
    if scans.0 > 0 {
        println!(
            "scan-only PDFs: {} read, {} crashed or timed out, {} yielded more than 20 words",
            scans.0, scans.1, scans.2
        );
    }
}

#[derive(Default)]
struct Totals {
    files: usize,
    pages: usize,
    dossier: (f64, f64, f64),
    poppler: (f64, f64, f64),
    /// Mean word-pair recall (dossier, pdftotext).
    bigram_recall: (f64, f64),
    /// The dossier child processes' wall time, start-up included, comparable with pdftotext's.
    dossier_wall_seconds: f64,
}

impl Totals {
    fn add(&mut self, pages: usize, dossier: (f64, f64, f64), poppler: (f64, f64, f64)) {
        self.files += 1;
        self.pages += pages;
        self.dossier = (self.dossier.0 + dossier.0, self.dossier.1 + dossier.1, self.dossier.2 + dossier.2);
        self.poppler = (self.poppler.0 + poppler.0, self.poppler.1 + poppler.1, self.poppler.2 + poppler.2);
    }

    fn print(&self) {
        if self.files == 0 {
            println!("no PDF with an expected text found");
            return;
        }
        let n = self.files as f64;
        println!(
            "MEAN over {} files, {} pages | dossier recall {:.3} precision {:.3} time {:.2} s ({:.0} pages/s) | pdftotext recall {:.3} precision {:.3} time {:.2} s ({:.0} pages/s)",
            self.files,
            self.pages,
            self.dossier.0 / n,
            self.dossier.1 / n,
            self.dossier.2,
            self.pages as f64 / self.dossier.2.max(1e-9),
            self.poppler.0 / n,
            self.poppler.1 / n,
            self.poppler.2,
            self.pages as f64 / self.poppler.2.max(1e-9),
        );
        println!(
            "word-pair (reading order) recall: dossier {:.3}, pdftotext {:.3}; dossier wall time with process start-up {:.2} s",
            self.bigram_recall.0 / n,
            self.bigram_recall.1 / n,
            self.dossier_wall_seconds
        );
    }
}

fn truncate(name: &str, width: usize) -> String {
    if name.chars().count() <= width {
        return name.to_string();
    }
    let tail: String = name.chars().rev().take(width - 1).collect::<Vec<_>>().into_iter().rev().collect();
    format!("…{tail}")
}

fn sweep(dir: &Path, flags: Option<&str>) {
    let mut pdfs = Vec::new();
    pdfs_below(dir, &mut pdfs);
    let mut outcomes: HashMap<String, usize> = HashMap::new();
    let mut reasons: HashMap<String, Vec<String>> = HashMap::new();
    let (mut seconds, mut pages) = (0.0, 0usize);
    for pdf in &pdfs {
        let run = run_dossier(pdf, flags);
        let shown = pdf.strip_prefix(dir).unwrap_or(pdf).display().to_string();
        seconds += run.seconds;
        let outcome = match &run.status {
            RunStatus::Crashed(why) => {
                reasons.entry(format!("CRASH {why}")).or_default().push(shown);
                "crashed".to_string()
            }
            RunStatus::TimedOut => {
                reasons.entry("TIMEOUT".to_string()).or_default().push(shown);
                "timed out".to_string()
            }
            RunStatus::Finished => {
                let outcome = run.header.get("outcome").cloned().unwrap_or_default();
                pages += run.header.get("pages").and_then(|p| p.parse::<usize>().ok()).unwrap_or(0);
                let reason = match outcome.as_str() {
                    "failed" => run.header.get("error").cloned(),
                    "partial" => Some(format!("partial: {}", run.diagnostics.join(" | "))),
                    _ => None,
                };
                if let Some(reason) = reason {
                    reasons.entry(reason).or_default().push(shown);
                }
                outcome
            }
        };
        *outcomes.entry(outcome).or_insert(0) += 1;
    }
    let mut outcomes: Vec<_> = outcomes.into_iter().collect();
    outcomes.sort();
    println!("{} PDFs below {}", pdfs.len(), dir.display());
    for (outcome, n) in outcomes {
        println!("  {outcome}: {n}");
    }
    println!("reader time {seconds:.2} s for {pages} pages ({:.0} pages/s)", pages as f64 / seconds.max(1e-9));
    let mut reasons: Vec<_> = reasons.into_iter().collect();
    reasons.sort();
    for (reason, files) in reasons {
        println!("- {reason}");
        for file in files {
            println!("    {file}");
        }
    }
}
