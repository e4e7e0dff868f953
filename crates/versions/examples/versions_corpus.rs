//! Measures fingerprints and clustering on the real Cyrillic corpus (../shared/corpus/cyrillic: each text rendered
//! in a dozen formats; files sharing the NAME prefix are one text).
//!
//! It reads the texts one of two ways, and says which at the top of its output:
//!
//! - from the project's own extractor, run once beforehand (OCR on, which the scans need): every format, as the
//!   pipeline sees it. This is the measurement that counts.
//!
//!   ```text
//!   target/release/dossier extract ../shared/corpus/cyrillic --json > /tmp/cyrillic.jsonl
//!   cargo run --release -p dossier-versions --example versions_corpus -- /tmp/cyrillic.jsonl
//!   ```
//!
//! - from the corpus folder itself, without the extractor: only the renderings that are text already are read
//!   (`expected.txt`, `utf8.txt`, `cp1251.txt`, `koi8r.txt`, `utf16.txt`, decoded by their known encodings;
//!   `cp1251.html` with its tags stripped and entities decoded; the `text/plain` quoted-printable body of the `eml`,
//!   without its DOCX attachment). Where poppler's `pdftotext` and `pdftoppm` and `tesseract` are installed
//!   (`apt-get install poppler-utils tesseract-ocr tesseract-ocr-rus tesseract-ocr-ukr`), also `pdf` (its text layer
//!   by `pdftotext`) and `scan.pdf` (pages rendered at 150 dpi by `pdftoppm`, read by `tesseract -l rus+ukr`; cached
//!   in the temporary folder, since it takes minutes). Those are other programs' readings, not dossier's, though
//!   tesseract is what dossier's OCR runs too. DOCX, ODT, RTF and DOC are skipped and counted as such: this mode says
//!   nothing about how they fare.
//!
//!   ```text
//!   cargo run --release -p dossier-versions --example versions_corpus -- ../shared/corpus/cyrillic
//!   ```
//!
//! Every node with text counts as a document (an e-mail's body and its attached DOCX are two). It prints, per
//! format: how often the exact hash equals that of NAME.expected.txt, the exact and estimated similarity to it, the
//! exact Jaccard similarity for shingles of 1-4 words (how the shingle width was chosen), the highest similarity
//! between different texts, and pairwise recall and precision of the clustering over all documents.

use std::collections::{BTreeMap, HashMap, HashSet};

use dossier_versions::normalize::normalized_words;
use dossier_versions::{ClusterOptions, Clusterer, Fingerprint, text_similarity};

struct Document {
    /// The text's NAME (the ground truth: one NAME, one text).
    name: String,
    /// What form the text is in: the file name after NAME ("scan.pdf", "cp1251.txt"), "eml/" + child for a part.
    variant: String,
    text: String,
}

fn collect(node: &serde_json::Value, name: &str, variant: &str, out: &mut Vec<Document>) {
    let text = node["text"].as_str().unwrap_or_default();
    if !text.trim().is_empty() {
        out.push(Document { name: name.to_string(), variant: variant.to_string(), text: text.to_string() });
    }
    for child in node["children"].as_array().into_iter().flatten() {
        let child_name = child["name"].as_str().unwrap_or("child");
        let extension = child_name.rsplit('.').next().unwrap_or("child");
        collect(child, name, &format!("{variant}/{extension}"), out);
    }
}

/// The NAME and the variant of a corpus file name: `ru-c5-001.scan.pdf` → (`ru-c5-001`, `scan.pdf`).
fn split_name(file_name: &str) -> (String, String) {
    let mut parts = file_name.splitn(2, '.');
    let name = parts.next().unwrap_or_default().to_string();
    let variant = parts.next().unwrap_or_default().to_string();
    (name, variant)
}

fn shingles(words: &[String], width: usize) -> HashSet<String> {
    let width = width.min(words.len()).max(1);
    words.windows(width).map(|window| window.join(" ")).collect()
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let common = a.intersection(b).count();
    let union = a.len() + b.len() - common;
    if union == 0 { 1.0 } else { common as f64 / union as f64 }
}

#[derive(Default)]
struct Tally {
    n: usize,
    exact_hash_equal: usize,
    exact: Vec<f64>,
    estimated: Vec<f64>,
    by_width: [Vec<f64>; 4],
}

fn summary(values: &[f64]) -> String {
    if values.is_empty() {
        return "-".to_string();
    }
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    format!("{min:.2}/{mean:.2}")
}

/// The documents of `dossier extract --json` output: every node with text.
fn read_jsonl(path: &str) -> Vec<Document> {
    let jsonl = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"));
    let mut documents = Vec::new();
    for line in jsonl.lines().filter(|line| !line.trim().is_empty()) {
        let node: serde_json::Value = serde_json::from_str(line).expect("dossier extract --json writes JSON lines");
        let file_name = std::path::Path::new(node["path"].as_str().unwrap_or_default())
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file_name == "README.md" {
            continue;
        }
        let (name, variant) = split_name(&file_name);
        collect(&node, &name, &variant, &mut documents);
    }
    documents
}

/// The documents of the corpus folder that are text already (see the example's documentation); the others are
/// counted per variant and reported as not read.
fn read_folder(folder: &std::path::Path) -> Vec<Document> {
    let entries = std::fs::read_dir(folder).unwrap_or_else(|error| panic!("cannot read {}: {error}", folder.display()));
    let mut file_names: Vec<String> =
        entries.filter_map(|entry| entry.ok()).map(|entry| entry.file_name().to_string_lossy().into_owned()).collect();
    file_names.sort();
    let mut documents = Vec::new();
    let mut not_read: BTreeMap<String, usize> = BTreeMap::new();
    let has_tools = ["pdftotext", "pdftoppm", "tesseract"]
        .iter()
        .all(|tool| std::process::Command::new(tool).arg("-v").output().is_ok());
    println!(
        "pdf and scan.pdf: {}",
        if has_tools {
            "read by pdftotext, and pdftoppm + tesseract (not dossier's extractor)"
        } else {
            "not read (no poppler-utils or tesseract)"
        }
    );
    for file_name in file_names.iter().filter(|name| name.as_str() != "README.md") {
        let (name, variant) = split_name(file_name);
        let bytes = std::fs::read(folder.join(file_name)).unwrap_or_else(|error| panic!("{file_name}: {error}"));
        let text = match variant.as_str() {
            "expected.txt" | "utf8.txt" => String::from_utf8_lossy(&bytes).into_owned(),
            "cp1251.txt" => decode(encoding_rs::WINDOWS_1251, &bytes),
            "koi8r.txt" => decode(encoding_rs::KOI8_R, &bytes),
            "utf16.txt" => decode(encoding_rs::UTF_16LE, &bytes),
            "cp1251.html" => html_text(&decode(encoding_rs::WINDOWS_1251, &bytes)),
            "eml" => eml_plain_body(&bytes),
            "pdf" if has_tools => pdf_text(&folder.join(file_name)),
            "scan.pdf" if has_tools => ocr_text(&folder.join(file_name)),
            _ => {
                *not_read.entry(variant).or_default() += 1;
                continue;
            }
        };
        if !text.trim().is_empty() {
            documents.push(Document { name, variant, text });
        }
    }
    let skipped: Vec<String> = not_read.iter().map(|(variant, n)| format!("{variant} ({n})")).collect();
    println!("not read (no extractor here): {}", skipped.join(", "));
    documents
}

/// The text layer of a PDF, by poppler's `pdftotext` (reading order as laid out on the page).
fn pdf_text(path: &std::path::Path) -> String {
    let output = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|error| panic!("pdftotext {}: {error}", path.display()));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The OCR'd text of a scanned PDF: each page rendered at 150 dpi (the scan's own resolution) and read by tesseract
/// with the Russian and Ukrainian models, one thread. Cached by file name and size in the temporary folder.
fn ocr_text(path: &std::path::Path) -> String {
    let size = std::fs::metadata(path).map(|metadata| metadata.len()).unwrap_or_default();
    let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let cache = std::env::temp_dir().join("versions_corpus_ocr");
    std::fs::create_dir_all(&cache).unwrap_or_else(|error| panic!("{}: {error}", cache.display()));
    let cached = cache.join(format!("{file_name}.{size}.txt"));
    if let Ok(text) = std::fs::read_to_string(&cached) {
        return text;
    }
    let pages = cache.join(format!("{file_name}.pages"));
    std::fs::create_dir_all(&pages).unwrap_or_else(|error| panic!("{}: {error}", pages.display()));
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-gray", "-png"])
        .arg(path)
        .arg(pages.join("page"))
        .status()
        .unwrap_or_else(|error| panic!("pdftoppm {}: {error}", path.display()));
    assert!(status.success(), "pdftoppm {}: {status}", path.display());
    let mut images: Vec<std::path::PathBuf> = std::fs::read_dir(&pages)
        .unwrap_or_else(|error| panic!("{}: {error}", pages.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    images.sort();
    let mut text = String::new();
    for image in &images {
        let output = std::process::Command::new("tesseract")
            .arg(image)
            .arg("-")
            .args(["-l", "rus+ukr"])
            .env("OMP_THREAD_LIMIT", "1")
            .output()
            .unwrap_or_else(|error| panic!("tesseract {}: {error}", image.display()));
        text.push_str(&String::from_utf8_lossy(&output.stdout));
        text.push('\n');
    }
    std::fs::remove_dir_all(&pages).unwrap_or_else(|error| panic!("{}: {error}", pages.display()));
    std::fs::write(&cached, &text).unwrap_or_else(|error| panic!("{}: {error}", cached.display()));
    text
}

/// Bytes in a known encoding as text; a byte-order mark, where there is one, wins (encoding_rs's rule).
fn decode(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> String {
    encoding.decode(bytes).0.into_owned()
}

/// The text of a simple HTML page: tags out (a paragraph or line break ends a line), the five entities the corpus
/// uses and numeric ones decoded, the head's title dropped.
fn html_text(html: &str) -> String {
    let body = html.find("</head>").map_or(html, |end| &html[end..]);
    let mut text = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else { break };
        let tag = rest[open + 1..open + close].trim_start_matches('/').to_ascii_lowercase();
        if tag.starts_with('p') || tag.starts_with("br") || tag.starts_with("div") {
            text.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(amp) = rest.find('&') {
        decoded.push_str(&rest[..amp]);
        let entity_end = rest[amp..].find(';').filter(|&end| end <= 10);
        let replacement = entity_end.and_then(|end| match &rest[amp + 1..amp + end] {
            "quot" => Some('"'),
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some('\u{A0}'),
            "apos" => Some('\''),
            numeric => numeric.strip_prefix('#').and_then(|number| number.parse::<u32>().ok()).and_then(char::from_u32),
        });
        match (replacement, entity_end) {
            (Some(ch), Some(end)) => {
                decoded.push(ch);
                rest = &rest[amp + end + 1..];
            }
            _ => {
                decoded.push('&');
                rest = &rest[amp + 1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded
}

/// The first `text/plain` part of a MIME message, quoted-printable decoded, in its declared charset (cp1251 or
/// UTF-8 in this corpus). Attachments are not read.
fn eml_plain_body(bytes: &[u8]) -> String {
    let message = String::from_utf8_lossy(bytes);
    let Some(part_start) = message.find("Content-Type: text/plain") else { return String::new() };
    let part = &message[part_start..];
    let Some(header_end) = part.find("\n\n") else { return String::new() };
    let (headers, body) = (part[..header_end].to_ascii_lowercase(), &part[header_end + 2..]);
    let body = body.split("\n--").next().unwrap_or_default();
    let raw: Vec<u8> =
        if headers.contains("quoted-printable") { quoted_printable(body) } else { body.bytes().collect() };
    if headers.contains("1251") {
        decode(encoding_rs::WINDOWS_1251, &raw)
    } else {
        String::from_utf8_lossy(&raw).into_owned()
    }
}

fn quoted_printable(body: &str) -> Vec<u8> {
    let bytes = body.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'=' if bytes.get(index + 1) == Some(&b'\n') => index += 2,
            b'=' if bytes.get(index + 1) == Some(&b'\r') && bytes.get(index + 2) == Some(&b'\n') => index += 3,
            b'=' if index + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).unwrap_or_default();
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        index += 3;
                    }
                    Err(_) => {
                        out.push(b'=');
                        index += 1;
                    }
                }
            }
            byte => {
                out.push(byte);
                index += 1;
            }
        }
    }
    out
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "/tmp/cyrillic.jsonl".to_string());
    let mut documents = if std::path::Path::new(&path).is_dir() {
        println!(
            "texts read from the corpus folder {path} without dossier's extractor (see the example's documentation)"
        );
        read_folder(std::path::Path::new(&path))
    } else {
        println!("texts read from the extractor's output {path}");
        read_jsonl(&path)
    };
    documents.sort_by(|x, y| (&x.name, &x.variant).cmp(&(&y.name, &y.variant)));
    let fingerprints: Vec<Fingerprint> = documents.iter().map(|document| Fingerprint::of(&document.text)).collect();
    let words: Vec<Vec<String>> = documents.iter().map(|document| normalized_words(&document.text)).collect();
    let expected: HashMap<&str, usize> = documents
        .iter()
        .enumerate()
        .filter(|(_, document)| document.variant == "expected.txt")
        .map(|(index, document)| (document.name.as_str(), index))
        .collect();
    println!("{} documents from {} texts", documents.len(), expected.len());

    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    for (index, document) in documents.iter().enumerate() {
        let Some(&reference) = expected.get(document.name.as_str()) else { continue };
        if reference == index {
            continue;
        }
        let tally = tallies.entry(&document.variant).or_default();
        tally.n += 1;
        tally.exact_hash_equal += usize::from(fingerprints[index].exact_hash() == fingerprints[reference].exact_hash());
        tally.exact.push(text_similarity(&document.text, &documents[reference].text));
        tally.estimated.push(f64::from(fingerprints[index].similarity(&fingerprints[reference])));
        for width in 1..=4 {
            let similarity = jaccard(&shingles(&words[index], width), &shingles(&words[reference], width));
            tally.by_width[width - 1].push(similarity);
        }
    }
    println!("\nsimilarity to NAME.expected.txt, min/mean (exact Jaccard of shingles of k words; MinHash estimate)");
    println!(
        "{:<22} {:>3} {:>9} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9}",
        "variant", "n", "same hash", "exact", "estimate", "k=1", "k=2", "k=3", "k=4"
    );
    for (variant, tally) in &tallies {
        println!(
            "{:<22} {:>3} {:>9} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9}",
            variant,
            tally.n,
            tally.exact_hash_equal,
            summary(&tally.exact),
            summary(&tally.estimated),
            summary(&tally.by_width[0]),
            summary(&tally.by_width[1]),
            summary(&tally.by_width[2]),
            summary(&tally.by_width[3]),
        );
    }

    // The margin on the other side: the most similar pair of different texts, per shingle width (expected texts).
    let references: Vec<usize> = expected.values().copied().collect();
    print!("\nhighest similarity between different texts (expected.txt):");
    for width in 1..=4 {
        let sets: Vec<HashSet<String>> = references.iter().map(|&index| shingles(&words[index], width)).collect();
        let mut highest: f64 = 0.0;
        for i in 0..sets.len() {
            for j in i + 1..sets.len() {
                highest = highest.max(jaccard(&sets[i], &sets[j]));
            }
        }
        print!(" k={width}: {highest:.3}");
    }
    let mut highest_estimate: f32 = 0.0;
    for i in 0..documents.len() {
        for j in i + 1..documents.len() {
            if documents[i].name != documents[j].name {
                highest_estimate = highest_estimate.max(fingerprints[i].similarity(&fingerprints[j]));
            }
        }
    }
    println!("; estimated over all documents: {highest_estimate:.3}");

    let mut clusterer = Clusterer::new(ClusterOptions::default());
    for (index, fingerprint) in fingerprints.iter().enumerate() {
        clusterer.add(index as u64, fingerprint);
    }
    let clustering = clusterer.clusters();
    let mut cluster_of = vec![usize::MAX; documents.len()];
    for (number, cluster) in clustering.clusters.iter().enumerate() {
        for &member in &cluster.members {
            cluster_of[member as usize] = number;
        }
    }
    // Pairwise: every pair of documents, counted overall and per variant (a pair counts for both its variants).
    let (mut true_pairs, mut predicted_pairs, mut correct_pairs) = (0u64, 0u64, 0u64);
    let mut missed_by_variant: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for i in 0..documents.len() {
        for j in i + 1..documents.len() {
            let same_text = documents[i].name == documents[j].name;
            let clustered = cluster_of[i] != usize::MAX && cluster_of[i] == cluster_of[j];
            true_pairs += u64::from(same_text);
            predicted_pairs += u64::from(clustered);
            correct_pairs += u64::from(same_text && clustered);
            if same_text {
                for variant in [&documents[i].variant, &documents[j].variant] {
                    let entry = missed_by_variant.entry(variant).or_default();
                    entry.0 += 1;
                    entry.1 += u64::from(!clustered);
                }
            }
            if clustered && !same_text {
                println!(
                    "wrongly clustered: {}.{} with {}.{}",
                    documents[i].name, documents[i].variant, documents[j].name, documents[j].variant
                );
            }
        }
    }
    println!(
        "\nclustering ({} clusters, threshold {}): pairwise recall {:.4} ({correct_pairs}/{true_pairs}), precision {:.4} ({correct_pairs}/{predicted_pairs})",
        clustering.clusters.len(),
        ClusterOptions::default().threshold,
        correct_pairs as f64 / true_pairs.max(1) as f64,
        correct_pairs as f64 / predicted_pairs.max(1) as f64
    );
    for (variant, (pairs, missed)) in &missed_by_variant {
        if *missed > 0 {
            println!("  {variant}: {missed} of {pairs} pairs missed");
        }
    }
    for (index, document) in documents.iter().enumerate() {
        if cluster_of[index] == usize::MAX {
            println!("  alone: {}.{} ({} words)", document.name, document.variant, fingerprints[index].n_words());
        }
    }
}
