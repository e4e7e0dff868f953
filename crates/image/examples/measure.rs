//! Measures the image reader on the shared corpus (not part of the repository; `DOSSIER_CORPUS` overrides where).
//!
//! `cargo run --release -p dossier-image --example measure -- formats` reads every image under
//! ../shared/corpus/formats and prints one line per file plus the ok/partial/failed totals;
//! `... -- ocr NAME...` renders NAME.scan.pdf from ../shared/corpus/cyrillic at 300 dpi with `pdftoppm`, recognises
//! it with `dossier_ocr::recognize_file` and prints word recall against NAME.expected.txt and seconds per page;
//! `... -- dump FILE...` prints the golden dump of any image.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use dossier_document::{OcrOptions, golden};

const IMAGE_EXTENSIONS: [&str; 8] = ["jpg", "jpeg", "png", "tif", "tiff", "gif", "bmp", "webp"];

fn corpus() -> PathBuf {
    let dir = match std::env::var_os("DOSSIER_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    };
    if !dir.is_dir() {
        eprintln!("corpus not found at {} (it is not part of the repository)", dir.display());
        std::process::exit(2);
    }
    dir
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("formats") => measure_formats(&corpus().join("formats")),
        Some("ocr") => measure_ocr(&corpus().join("cyrillic"), &args[1..]),
        Some("dump") => {
            for file in &args[1..] {
                let (result, children) = golden::run(dossier_image::read_image, Path::new(file));
                println!("== {file}\n{}", golden::dump(&result, &children));
            }
        }
        _ => eprintln!("usage: measure formats | measure ocr NAME... | measure dump FILE..."),
    }
}

fn images_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            images_under(&path, found);
        } else if let Some(extension) = path.extension().and_then(|e| e.to_str())
            && IMAGE_EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str())
        {
            found.push(path);
        }
    }
}

fn measure_formats(dir: &Path) {
    let mut files = Vec::new();
    images_under(dir, &mut files);
    files.sort();
    let mut totals: HashMap<&str, usize> = HashMap::new();
    for file in &files {
        let started = Instant::now();
        let (result, _) = golden::run(dossier_image::read_image, file);
        let seconds = started.elapsed().as_secs_f64();
        let name = file.strip_prefix(dir).unwrap_or(file).display();
        match result {
            Ok(extraction) => {
                let outcome = if extraction.is_partial() { "partial" } else { "ok" };
                *totals.entry(outcome).or_default() += 1;
                let keys: Vec<&str> = extraction.metadata.iter().map(|(key, _)| key.as_str()).collect();
                println!(
                    "{outcome:7} {seconds:5.2}s {name}: {} chars of text; {}; {}",
                    extraction.text.chars().count(),
                    keys.join(","),
                    extraction.diagnostics.join(" | ")
                );
            }
            Err(err) => {
                *totals.entry("failed").or_default() += 1;
                println!("failed  {seconds:5.2}s {name}: {err}");
            }
        }
    }
    println!(
        "{} images: ok {}, partial {}, failed {}",
        files.len(),
        totals.get("ok").unwrap_or(&0),
        totals.get("partial").unwrap_or(&0),
        totals.get("failed").unwrap_or(&0)
    );
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_lowercase()).collect()
}

fn measure_ocr(dir: &Path, names: &[String]) {
    let scratch = std::env::temp_dir().join(format!("dossier-ocr-measure-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let options = OcrOptions::default();
    let (mut total_found, mut total_expected, mut total_seconds, mut total_pages) = (0usize, 0usize, 0.0, 0usize);
    for name in names {
        let pdf = dir.join(format!("{name}.scan.pdf"));
        let expected = std::fs::read_to_string(dir.join(format!("{name}.expected.txt"))).unwrap_or_default();
        let prefix = scratch.join(name);
        let status = std::process::Command::new("pdftoppm").args(["-r", "300", "-png"]).arg(&pdf).arg(&prefix).status();
        if !matches!(status, Ok(s) if s.success()) {
            println!("{name}: pdftoppm failed");
            continue;
        }
        let mut pages: Vec<PathBuf> = std::fs::read_dir(&scratch)
            .expect("scratch folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(name.as_str())))
            .collect();
        pages.sort();
        let mut recognised = String::new();
        let started = Instant::now();
        for page in &pages {
            match dossier_ocr::recognize_file(page, &options) {
                Ok(page_text) => recognised.push_str(&page_text.text),
                Err(err) => println!("{name}: {err}"),
            }
            recognised.push('\u{c}');
        }
        let seconds = started.elapsed().as_secs_f64();
        let mut pool: HashMap<String, usize> = HashMap::new();
        for word in words(&recognised) {
            *pool.entry(word).or_default() += 1;
        }
        let expected_words = words(&expected);
        let found = expected_words
            .iter()
            .filter(|word| match pool.get_mut(*word) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    true
                }
                _ => false,
            })
            .count();
        println!(
            "{name}: recall {:.1}% ({found}/{}), {} page(s), {:.1} s/page",
            100.0 * found as f64 / expected_words.len().max(1) as f64,
            expected_words.len(),
            pages.len(),
            seconds / pages.len().max(1) as f64
        );
        total_found += found;
        total_expected += expected_words.len();
        total_seconds += seconds;
        total_pages += pages.len();
    }
    println!(
        "total: recall {:.1}% ({total_found}/{total_expected}), {:.1} s/page over {total_pages} page(s)",
        100.0 * total_found as f64 / total_expected.max(1) as f64,
        total_seconds / total_pages.max(1) as f64
    );
    let _ = std::fs::remove_dir_all(&scratch);
}
