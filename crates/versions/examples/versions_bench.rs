//! Measures fingerprinting and clustering on synthetic collections: time, peak memory, the work LSH did, and pairwise
//! recall and precision against the planted versions.
//!
//! `cargo run --release -p dossier-versions --example versions_bench -- 100000 1000000`
//!
//! Each collection is generated on the fly from a seed (texts are never all in memory at once, as in the pipeline,
//! where each document's fingerprint is computed by the worker that read it): words drawn from a Zipf distribution
//! over a 50 000-word vocabulary, 20-1500 words per text. Of the documents, 8% are versions of an earlier one with
//! 0.5-12% of their words replaced, 1% also have a paragraph added or removed, 4% are exact copies in another case
//! and spacing, 3% are short (under 20 words), and 2% are one form letter filled in with a name and a number
//! (boilerplate: the giant LSH buckets).

use std::collections::HashMap;
use std::time::Instant;

use dossier_versions::{ClusterOptions, Clusterer, Fingerprint};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new(size: usize) -> Vocabulary {
        const SYLLABLES: [&str; 32] = [
            "ка", "ро", "ми", "сто", "ве", "ла", "на", "до", "го", "за", "пре", "ли", "то", "ры", "ше", "вы", "бо",
            "ну", "жи", "да", "ско", "ре", "ци", "ях", "ин", "ом", "ест", "ва", "ку", "по", "ра", "ть",
        ];
        let mut words = Vec::with_capacity(size);
        let mut seen = std::collections::HashSet::new();
        let mut rng = Rng(0x1234_5678_9abc_def1);
        while words.len() < size {
            let n = 1 + rng.below(4) as usize;
            let word: String = (0..n).map(|_| SYLLABLES[rng.below(32) as usize]).collect();
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=size)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().expect("non-empty vocabulary");
        let target = rng.unit() * total;
        let rank = self.cumulative.partition_point(|&value| value < target).min(self.words.len() - 1);
        &self.words[rank]
    }

    fn text(&self, seed: u64, n_words: usize) -> Vec<&str> {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        (0..n_words).map(|_| self.word(&mut rng)).collect()
    }
}

/// What document `id` of a collection is: its text and the seed it was made from, which is the planted truth:
/// documents from one seed text are versions of each other (a document `original` is that seed's text only if its
/// own roll made it a plain text). Short texts have a seed of their own words; form letters share `u64::MAX`.
fn document(vocabulary: &Vocabulary, id: u64, rng: &mut Rng, form: &[&str]) -> (String, u64) {
    let roll = rng.below(1000);
    let original_text = |original: u64| {
        let mut length_rng = Rng(original.wrapping_mul(31) | 1);
        let n_words = 20 + length_rng.below(480) as usize + if length_rng.below(10) == 0 { 1000 } else { 0 };
        vocabulary.text(original, n_words)
    };
    if id > 100 && roll < 80 {
        let original = rng.below(id);
        let mut words = original_text(original);
        let rate = 0.005 + rng.unit() * 0.115;
        for word in words.iter_mut() {
            if rng.unit() < rate {
                *word = vocabulary.word(rng);
            }
        }
        if roll < 10 {
            // A seed no document has: `id ^ 0xabcd` was another document's id, whose opening 60 words this paragraph then was.
            let paragraph = vocabulary.text(id | 1 << 62, 60);
            if rng.below(2) == 0 {
                words.extend(paragraph);
            } else {
                let keep = words.len().saturating_sub(40).max(20);
                words.truncate(keep);
            }
        }
        return (words.join(" "), original);
    }
    if id > 100 && roll < 120 {
        let original = rng.below(id);
        let text = original_text(original).join("  ").to_uppercase();
        return (text, original);
    }
    if roll < 150 {
        // Two short texts of common words are sometimes the same words (at 1M, a few dozen): the same text, so their
        // truth is their words, not their id.
        let text = vocabulary.text(id, 3 + rng.below(15) as usize).join(" ");
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        std::hash::Hash::hash(&text, &mut hasher);
        return (text, std::hash::Hasher::finish(&hasher) | 1 << 63);
    }
    if roll < 170 {
        return (format!("Уважаемый {} {} номер {}", vocabulary.word(rng), form.join(" "), id), u64::MAX);
    }
    (original_text(id).join(" "), id)
}

fn peak_rss_mb() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}

fn current_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn cpu_seconds() -> f64 {
    // SAFETY: as above.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let seconds = |time: libc::timeval| time.tv_sec as f64 + time.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

fn run(n_docs: u64, vocabulary: &Vocabulary) {
    // The form's seed must not be a document id: document 0xf0f0 (61 680) would otherwise hold the form's own words,
    // a real near-copy of every form letter that the planted truth calls unrelated.
    let form = vocabulary.text(u64::MAX - 1, 250);
    let mut rng = Rng(0xdead_beef ^ n_docs);
    let mut clusterer = Clusterer::new(ClusterOptions::default());
    // The planted truth: per document, the seed text it was made from.
    let mut truth: Vec<u64> = Vec::with_capacity(n_docs as usize);
    let (mut n_words, mut n_bytes) = (0usize, 0usize);
    let rss_before = current_rss_mb();
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let mut fingerprint_seconds = 0.0;
    for id in 0..n_docs {
        let (text, seed) = document(vocabulary, id, &mut rng, &form);
        n_bytes += text.len();
        let started = Instant::now();
        let fingerprint = Fingerprint::of(&text);
        fingerprint_seconds += started.elapsed().as_secs_f64();
        n_words += fingerprint.n_words() as usize;
        clusterer.add(id, &fingerprint);
        truth.push(seed);
    }
    let generate_and_add = wall.elapsed().as_secs_f64();
    let rss_added = current_rss_mb();
    let (wall, cpu_cluster) = (Instant::now(), cpu_seconds());
    let clustering = clusterer.clusters();
    let cluster_seconds = wall.elapsed().as_secs_f64();
    let cluster_cpu = cpu_seconds() - cpu_cluster;
    let peak = peak_rss_mb();

    // Pairwise recall and precision: pairs of documents in one predicted cluster against pairs with one planted root.
    // Short texts only cluster when identical, and a short planted original's versions are not expected to cluster.
    let mut predicted_of = vec![u32::MAX; n_docs as usize];
    for (index, cluster) in clustering.clusters.iter().enumerate() {
        for &member in &cluster.members {
            predicted_of[member as usize] = index as u32;
        }
    }
    let (true_pairs, predicted_pairs, correct_pairs) = pairwise(&predicted_of, &truth, |_| true);
    // The 2% form letters are one planted text: their pairs (n²/2) outweigh all the others together, so the figures
    // are also given without them.
    let (true_other, predicted_other, correct_other) = pairwise(&predicted_of, &truth, |seed| seed != u64::MAX);
    let stats = &clustering.stats;
    println!("documents                      {n_docs}");
    println!(
        "words (normalised)             {n_words} ({:.0} per document, {:.0} MB of text)",
        n_words as f64 / n_docs as f64,
        n_bytes as f64 / 1e6
    );
    println!("generate + fingerprint + add   {generate_and_add:.1} s wall, {:.1} s CPU", cpu_cluster - cpu);
    println!(
        "  of which Fingerprint::of     {fingerprint_seconds:.1} s ({:.1} µs per document, {:.0} MB/s)",
        fingerprint_seconds * 1e6 / n_docs as f64,
        n_bytes as f64 / 1e6 / fingerprint_seconds
    );
    println!(
        "clusterer memory after add     {:.0} MB ({:.0} bytes per document)",
        rss_added - rss_before,
        (rss_added - rss_before) * 1048576.0 / n_docs as f64
    );
    println!("Clusterer::clusters            {cluster_seconds:.2} s wall, {cluster_cpu:.2} s CPU");
    println!("peak RSS of the process        {peak:.0} MB");
    println!(
        "distinct texts {} | short {} | compared pairs {} ({:.1} per document) | joined {} | saturated buckets {} | largest bucket {}",
        stats.distinct_texts,
        stats.short_documents,
        stats.compared_pairs,
        stats.compared_pairs as f64 / n_docs as f64,
        stats.joined_pairs,
        stats.saturated_buckets,
        stats.largest_bucket
    );
    println!(
        "clusters {} | pairwise recall {:.4} ({correct_pairs}/{true_pairs}) | precision {:.4} ({correct_pairs}/{predicted_pairs})",
        clustering.clusters.len(),
        correct_pairs as f64 / true_pairs.max(1) as f64,
        correct_pairs as f64 / predicted_pairs.max(1) as f64,
    );
    println!(
        "without the form letters       pairwise recall {:.4} ({correct_other}/{true_other}) | precision {:.4} ({correct_other}/{predicted_other})",
        correct_other as f64 / true_other.max(1) as f64,
        correct_other as f64 / predicted_other.max(1) as f64,
    );
    println!();
}

/// Pairs of documents (among those whose planted seed `include` accepts) with one planted seed, pairs in one predicted
/// cluster, and pairs that are both.
fn pairwise(predicted_of: &[u32], truth: &[u64], include: impl Fn(u64) -> bool) -> (u64, u64, u64) {
    let mut truth_sizes: HashMap<u64, u64> = HashMap::new();
    let mut predicted_sizes: HashMap<u32, u64> = HashMap::new();
    let mut cell_sizes: HashMap<(u32, u64), u64> = HashMap::new();
    for (&predicted, &seed) in predicted_of.iter().zip(truth).filter(|&(_, &seed)| include(seed)) {
        *truth_sizes.entry(seed).or_default() += 1;
        if predicted != u32::MAX {
            *predicted_sizes.entry(predicted).or_default() += 1;
            *cell_sizes.entry((predicted, seed)).or_default() += 1;
        }
    }
    let sum = |sizes: &mut dyn Iterator<Item = u64>| sizes.map(pairs).sum::<u64>();
    (sum(&mut truth_sizes.into_values()), sum(&mut predicted_sizes.into_values()), sum(&mut cell_sizes.into_values()))
}

fn main() {
    let sizes: Vec<u64> = std::env::args().skip(1).filter_map(|arg| arg.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![100_000] } else { sizes };
    let vocabulary = Vocabulary::new(50_000);
    for n_docs in sizes {
        run(n_docs, &vocabulary);
    }
}
