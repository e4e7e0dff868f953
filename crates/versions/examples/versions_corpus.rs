//! Measures fingerprints and clustering on the real Cyrillic corpus (../shared/corpus/cyrillic: each text rendered
//! in a dozen formats; files sharing the NAME prefix are one text).
//!
//! The texts come from the project's own extractor, run once beforehand (OCR on, which the scans need):
//!
//! ```text
//! target/release/dossier extract ../shared/corpus/cyrillic --json > /tmp/cyrillic.jsonl
//! cargo run --release -p dossier-versions --example versions_corpus -- /tmp/cyrillic.jsonl
//! ```
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

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "/tmp/cyrillic.jsonl".to_string());
    let jsonl = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"));
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
