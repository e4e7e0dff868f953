//! Measures OCR of scanned PDFs: word recall and precision against the expected texts, seconds per page, and
//! that PDFs with a good text layer are never sent to OCR.
//!
//! ```text
//! cargo run --release -p dossier-pdf --example pdf_measure_ocr -- scans ../shared/corpus/cyrillic [--dpi 300] [--shim]
//! cargo run --release -p dossier-pdf --example pdf_measure_ocr -- text ../shared/corpus/cyrillic ../shared/corpus/formats/pdfbox
//! ```
//!
//! `scans` reads every `NAME.scan.pdf` with `read_pdf` (OCR on, at `--dpi`) and compares its text with
//! `NAME.expected.txt` (bag of words, lower-cased, punctuation trimmed from word edges). `--shim` stands in for
//! dossier-ocr while it is not written: pages are rendered here the way the reader renders them (grey, no
//! alpha, at `--dpi`) and given to the `tesseract` command directly. `text` reads every other PDF below the
//! folders twice, with OCR on and off, and reports how many pages were OCR'd (must be 0) and whether the text
//! differs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use dossier_document::{Context, Extraction, Limits, MemorySink, OcrOptions, Options, Source};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dpi = args.iter().position(|a| a == "--dpi").and_then(|i| args.get(i + 1)).and_then(|d| d.parse().ok());
    let shim = args.iter().any(|a| a == "--shim");
    let positional: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            let is_dpi_value = *i > 0 && args[i - 1] == "--dpi";
            !a.starts_with("--") && !is_dpi_value
        })
        .map(|(_, a)| a)
        .collect();
    match positional.as_slice() {
        [mode, dir] if mode.as_str() == "scans" => scans(&existing_dir(dir), dpi.unwrap_or(300), shim),
        [mode, dirs @ ..] if mode.as_str() == "text" && !dirs.is_empty() => {
            let dirs: Vec<PathBuf> = dirs.iter().map(|d| existing_dir(d)).collect();
            text_pdfs(&dirs);
        }
        _ => {
            eprintln!("usage: pdf_measure_ocr scans <folder> [--dpi N] [--shim] | text <folder>...");
            std::process::exit(2);
        }
    }
}

fn existing_dir(dir: &str) -> PathBuf {
    let dir = PathBuf::from(dir);
    if !dir.is_dir() {
        eprintln!("corpus folder {} is absent: nothing measured", dir.display());
        std::process::exit(1);
    }
    dir
}

fn read(path: &Path, ocr: OcrOptions) -> Result<Extraction, dossier_document::ExtractError> {
    let limits = Limits::default();
    let options = Options { ocr, ..Options::default() };
    let mut sink = MemorySink::new(&limits, 0);
    let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
    dossier_pdf::read_pdf(&Source { path, name: None }, &mut ctx)
}

fn words(text: &str) -> HashMap<String, usize> {
    let mut bag = HashMap::new();
    for word in text.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if !word.is_empty() {
            *bag.entry(word).or_insert(0) += 1;
        }
    }
    bag
}

fn recall_precision(expected: &HashMap<String, usize>, actual: &HashMap<String, usize>) -> (f64, f64) {
    let matched: usize = expected.iter().map(|(word, n)| (*n).min(actual.get(word).copied().unwrap_or(0))).sum();
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    (ratio(matched, expected.values().sum()), ratio(matched, actual.values().sum()))
}

fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_below(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The stand-in for dossier-ocr: the reader's rendering, then the tesseract command on the PNG.
fn shim_text(path: &Path, dpi: u32, languages: &str) -> (String, usize) {
    let doc = mupdf::pdf::PdfDocument::open(path).expect("scan opens");
    let pages = doc.page_count().expect("page count");
    let mut text = String::new();
    for index in 0..pages {
        let page = doc.load_page(index).expect("page loads");
        let scale = dpi as f32 / 72.0;
        let pixmap = page
            .to_pixmap(&mupdf::Matrix::new_scale(scale, scale), &mupdf::Colorspace::device_gray(), false, false)
            .expect("page renders");
        let mut png = Vec::new();
        pixmap.write_to(&mut png, mupdf::ImageFormat::PNG).expect("PNG encodes");
        let image = std::env::temp_dir().join(format!("pdf_measure_ocr_{}.png", std::process::id()));
        std::fs::write(&image, &png).expect("temp PNG");
        let output = Command::new("tesseract")
            .arg(&image)
            .arg("stdout")
            .args(["-l", languages, "--dpi", &dpi.to_string()])
            .output()
            .expect("tesseract runs (apt-get install -y tesseract-ocr tesseract-ocr-rus tesseract-ocr-ukr)");
        let _ = std::fs::remove_file(&image);
        text.push_str(&String::from_utf8_lossy(&output.stdout));
        text.push('\u{c}');
    }
    (text, pages.max(0) as usize)
}

fn scans(dir: &Path, dpi: u32, shim: bool) {
    let mut files = Vec::new();
    files_below(dir, &mut files);
    let ocr = OcrOptions { dpi, ..OcrOptions::default() };
    let languages = ocr.languages.join("+");
    println!("{:<32} {:>5} {:>7} {:>7} {:>8}", "file", "pages", "recall", "prec", "s/page");
    let (mut n, mut recall_sum, mut precision_sum, mut seconds_sum, mut pages_sum) = (0usize, 0.0, 0.0, 0.0, 0usize);
    let (mut matched, mut expected_total, mut actual_total) = (0.0, 0usize, 0usize);
    for pdf in files.iter().filter(|p| p.to_string_lossy().ends_with(".scan.pdf")) {
        let name = pdf.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let expected_path = pdf.with_file_name(format!("{}.expected.txt", name.trim_end_matches(".scan.pdf")));
        let Ok(expected_text) = std::fs::read_to_string(&expected_path) else {
            continue;
        };
        let start = Instant::now();
        let (text, pages, note) = if shim {
            let (text, pages) = shim_text(pdf, dpi, &languages);
            (text, pages, String::new())
        } else {
            match read(pdf, ocr.clone()) {
                Ok(extraction) => {
                    let pages = extraction.metadata.get_str("pages").and_then(|p| p.parse().ok()).unwrap_or(0);
                    let ocr_pages = extraction.metadata.get_str("ocr_pages").unwrap_or_default();
                    (extraction.text, pages, format!(" ocr_pages={ocr_pages} {:?}", extraction.diagnostics))
                }
                Err(err) => (String::new(), 0, format!(" FAILED {err}")),
            }
        };
        let seconds = start.elapsed().as_secs_f64();
        let expected = words(&expected_text);
        let actual = words(&text);
        let (recall, precision) = recall_precision(&expected, &actual);
        println!(
            "{:<32} {:>5} {:>7.3} {:>7.3} {:>8.2}{note}",
            name,
            pages,
            recall,
            precision,
            seconds / pages.max(1) as f64
        );
        n += 1;
        recall_sum += recall;
        precision_sum += precision;
        seconds_sum += seconds;
        pages_sum += pages;
        let n_expected: usize = expected.values().sum();
        matched += recall * n_expected as f64;
        expected_total += n_expected;
        actual_total += actual.values().sum::<usize>();
    }
    if n == 0 {
        println!("no NAME.scan.pdf with NAME.expected.txt below {}", dir.display());
        return;
    }
    println!(
        "MEAN over {n} scans, {pages_sum} pages at {dpi} dpi{}: recall {:.3} precision {:.3} (pooled: recall {:.3} precision {:.3}); {:.2} s/page, {:.1} s total",
        if shim { " (tesseract shim)" } else { "" },
        recall_sum / n as f64,
        precision_sum / n as f64,
        matched / expected_total.max(1) as f64,
        matched / actual_total.max(1) as f64,
        seconds_sum / pages_sum.max(1) as f64,
        seconds_sum
    );
}

fn text_pdfs(dirs: &[PathBuf]) {
    let (mut files, mut pages, mut ocr_pages, mut changed, mut failed_differently) = (0, 0usize, 0usize, 0, 0);
    let (mut seconds_on, mut seconds_off) = (0.0, 0.0);
    for dir in dirs {
        let mut all = Vec::new();
        files_below(dir, &mut all);
        for pdf in all.iter().filter(|p| {
            p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) && !p.to_string_lossy().ends_with(".scan.pdf")
        }) {
            files += 1;
            let start = Instant::now();
            let off = read(pdf, OcrOptions { enabled: false, ..OcrOptions::default() });
            seconds_off += start.elapsed().as_secs_f64();
            let start = Instant::now();
            let on = read(pdf, OcrOptions::default());
            seconds_on += start.elapsed().as_secs_f64();
            match (&off, &on) {
                (Ok(off), Ok(on)) => {
                    pages += on.metadata.get_str("pages").and_then(|p| p.parse().ok()).unwrap_or(0);
                    let ocrd: usize = on.metadata.get_str("ocr_pages").and_then(|p| p.parse().ok()).unwrap_or(0);
                    ocr_pages += ocrd;
                    if off.text != on.text {
                        changed += 1;
                    }
                    if ocrd > 0 || off.text != on.text {
                        println!("{}: {ocrd} pages OCR'd, diagnostics {:?}", pdf.display(), on.diagnostics);
                    }
                }
                (Err(a), Err(b)) if a == b => {}
                _ => {
                    failed_differently += 1;
                    println!(
                        "{}: OCR off {:?} / on {:?}",
                        pdf.display(),
                        off.as_ref().err(),
                        on.as_ref().map(|e| &e.diagnostics)
                    );
                }
            }
        }
    }
    println!(
        "{files} text PDFs, {pages} pages: {ocr_pages} pages OCR'd, {changed} files with a different text, {failed_differently} with a different outcome; reader time OCR off {seconds_off:.2} s, on {seconds_on:.2} s"
    );
}
