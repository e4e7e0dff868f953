//! Measures dossier-lang on the real corpus beside the repository (../shared/corpus): language-detection accuracy on
//! Russian (collection5, factRuEval-2016) and Ukrainian (ner-uk bruk) paragraphs and snippets, the n-gram detector in
//! high- and low-accuracy mode on the texts letters cannot decide, and tokenizer throughput on the Russian texts.
//!
//! `cargo run --release -p dossier-lang --example lang_measure`

use std::path::{Path, PathBuf};
use std::time::Instant;

use dossier_lang::{Lang, StemTokenizer, WordTokenizer, detect_language};
use lingua::{Language, LanguageDetectorBuilder};
use tantivy_tokenizer_api::{TokenStream, Tokenizer};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            text_files(&path, out);
        } else if path.extension().is_some_and(|extension| extension == "txt") {
            out.push(path);
        }
    }
}

fn read_texts(dirs: &[&str]) -> Vec<String> {
    let mut paths = Vec::new();
    for dir in dirs {
        text_files(&corpus_dir().join(dir), &mut paths);
    }
    paths.sort();
    paths.iter().filter_map(|path| std::fs::read_to_string(path).ok()).collect()
}

fn has_decisive_letter(text: &str) -> bool {
    text.chars().any(|ch| "іїєґыэъёўІЇЄҐЫЭЪЁЎ".contains(ch))
}

fn has_cyrillic(text: &str) -> bool {
    text.chars().any(|ch| ('\u{0400}'..='\u{04FF}').contains(&ch))
}

#[derive(Default)]
struct Tally {
    right: usize,
    total: usize,
}

impl Tally {
    fn add(&mut self, right: bool) {
        self.total += 1;
        self.right += usize::from(right);
    }
    fn show(&self) -> String {
        if self.total == 0 {
            return "n/a (0)".to_string();
        }
        format!("{:.3} on {}", self.right as f64 / self.total as f64, self.total)
    }
}

fn first_words(text: &str, count: usize) -> String {
    text.split_whitespace().take(count).collect::<Vec<_>>().join(" ")
}

fn measure_accuracy(name: &str, texts: &[String], expected: Lang, undecided: &mut Vec<(String, Lang)>) {
    let mut documents = Tally::default();
    let mut short = Tally::default();
    let mut medium = Tally::default();
    let mut long = Tally::default();
    let mut snippets = [Tally::default(), Tally::default(), Tally::default()];
    let mut wrong_examples = Vec::new();
    for text in texts {
        documents.add(detect_language(text) == Some(expected));
        for paragraph in text.lines().map(str::trim).filter(|line| has_cyrillic(line)) {
            let right = detect_language(paragraph) == Some(expected);
            if !right && wrong_examples.len() < 5 {
                wrong_examples.push(format!(
                    "{:?} → {:?}",
                    paragraph.chars().take(80).collect::<String>(),
                    detect_language(paragraph)
                ));
            }
            match paragraph.chars().count() {
                0..60 => short.add(right),
                60..300 => medium.add(right),
                _ => long.add(right),
            }
            for (tally, words) in snippets.iter_mut().zip([2, 4, 8]) {
                let snippet = first_words(paragraph, words);
                tally.add(detect_language(&snippet) == Some(expected));
            }
            if !has_decisive_letter(paragraph) {
                undecided.push((paragraph.to_string(), expected));
            }
        }
    }
    println!("{name} ({}): documents {}", expected.code(), documents.show());
    println!("  paragraphs < 60 chars {}; 60..300 {}; >= 300 {}", short.show(), medium.show(), long.show());
    println!(
        "  first 2 words {}; first 4 words {}; first 8 words {}",
        snippets[0].show(),
        snippets[1].show(),
        snippets[2].show()
    );
    for example in wrong_examples {
        println!("  wrong: {example}");
    }
}

fn compare_ngram_modes(undecided: &[(String, Lang)]) {
    let languages = [Language::Russian, Language::Ukrainian, Language::Belarusian, Language::English];
    for (mode, detector) in [
        ("high accuracy", LanguageDetectorBuilder::from_languages(&languages).build()),
        ("low accuracy", LanguageDetectorBuilder::from_languages(&languages).with_low_accuracy_mode().build()),
    ] {
        // Warm up: load the models outside the timing.
        let _ = detector.detect_language_of("проверка");
        let mut tally = Tally::default();
        let started = Instant::now();
        for (paragraph, expected) in undecided {
            let found = match detector.detect_language_of(paragraph.as_str()) {
                Some(Language::Russian) => Some(Lang::Russian),
                Some(Language::Ukrainian) => Some(Lang::Ukrainian),
                _ => None,
            };
            tally.add(found == Some(*expected));
        }
        let per_call = started.elapsed().as_secs_f64() * 1e6 / undecided.len().max(1) as f64;
        println!("  lingua {mode}: {} paragraphs without decisive letters, {per_call:.0} µs each", tally.show());
    }
}

/// CPU seconds this thread has used: unlike wall time, it does not count the time other processes hold the core.
fn thread_cpu_seconds() -> f64 {
    let mut time = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec we pass, which lives for the call.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    if status != 0 {
        return 0.0;
    }
    time.tv_sec as f64 + time.tv_nsec as f64 / 1e9
}

fn throughput<T: Tokenizer>(name: &str, mut tokenizer: T, texts: &[String]) {
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut best_wall = f64::MAX;
    let mut best_cpu = f64::MAX;
    let mut n_tokens = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let cpu_started = thread_cpu_seconds();
        n_tokens = 0;
        for text in texts {
            let mut stream = tokenizer.token_stream(text);
            while stream.advance() {
                n_tokens += 1;
            }
        }
        best_wall = best_wall.min(started.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(thread_cpu_seconds() - cpu_started);
    }
    println!(
        "{name}: {:.1} MB/s of CPU time, {:.1} MB/s wall ({n_tokens} tokens, {:.1} MB)",
        bytes as f64 / 1e6 / best_cpu,
        bytes as f64 / 1e6 / best_wall,
        bytes as f64 / 1e6,
    );
}

/// Each Ukrainian text followed by a Russian one in one document: how many Cyrillic words get their own language's
/// stem (counting only words whose Russian and Ukrainian stems differ, where the choice matters).
fn mixed_documents(ukrainian: &[String], russian: &[String]) {
    let mut tally = [Tally::default(), Tally::default()];
    for (ukrainian_text, russian_text) in ukrainian.iter().zip(russian) {
        let document = format!("{ukrainian_text}\n\n{russian_text}");
        let boundary = ukrainian_text.len();
        let mut tokenizer = StemTokenizer;
        let mut stream = tokenizer.token_stream(&document);
        while stream.advance() {
            let token = stream.token();
            let folded = dossier_lang::fold(&document[token.offset_from..token.offset_to]);
            if dossier_lang::word_script(&folded) != dossier_lang::Script::Cyrillic {
                continue;
            }
            let russian_stem = dossier_lang::stem(Some(Lang::Russian), &folded);
            let ukrainian_stem = dossier_lang::stem(Some(Lang::Ukrainian), &folded);
            if russian_stem == ukrainian_stem {
                continue;
            }
            let (expected, slot) = if token.offset_from < boundary { (ukrainian_stem, 0) } else { (russian_stem, 1) };
            tally[slot].add(token.text == expected);
        }
    }
    println!(
        "mixed documents (a Ukrainian text then a Russian one): words stemmed in their own language: uk part {}, ru part {}",
        tally[0].show(),
        tally[1].show()
    );
}

fn cold_pass(name: &str, texts: &[String]) {
    let bytes: usize = texts.iter().map(String::len).sum();
    let cpu_started = thread_cpu_seconds();
    let mut tokenizer = StemTokenizer;
    for text in texts {
        let mut stream = tokenizer.token_stream(text);
        while stream.advance() {}
    }
    println!("{name}: {:.1} MB/s of CPU time", bytes as f64 / 1e6 / (thread_cpu_seconds() - cpu_started));
}

fn stemming_alone(name: &str, texts: &[String], lang: Lang) {
    let words: Vec<String> = texts.iter().flat_map(|text| tokens_of(WordTokenizer, text)).collect();
    let started = Instant::now();
    let mut total = 0;
    for word in &words {
        total += dossier_lang::stem(Some(lang), &dossier_lang::fold(word)).len();
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{name}: {:.0} ns a word ({} words, {total} bytes of stems)",
        elapsed * 1e9 / words.len() as f64,
        words.len()
    );
}

fn tokens_of<T: Tokenizer>(mut tokenizer: T, text: &str) -> Vec<String> {
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

fn main() {
    let corpus = corpus_dir();
    if !corpus.is_dir() {
        eprintln!("corpus absent: {} (nothing measured)", corpus.display());
        return;
    }
    let russian = read_texts(&["ner/collection5", "ner/factRuEval-2016"]);
    let ukrainian = read_texts(&["ner/ner-uk"]);
    println!("corpus: {} Russian texts, {} Ukrainian texts", russian.len(), ukrainian.len());
    let started = Instant::now();
    let _ = detect_language("Що робити");
    println!("first n-gram detection (loads the models): {:.0} ms", started.elapsed().as_secs_f64() * 1e3);

    // `lang_measure throughput` skips the (slow) accuracy part, for profiling the tokenizers.
    if std::env::args().nth(1).as_deref() != Some("throughput") {
        let mut undecided = Vec::new();
        measure_accuracy("collection5 + factRuEval-2016", &russian, Lang::Russian, &mut undecided);
        measure_accuracy("ner-uk bruk", &ukrainian, Lang::Ukrainian, &mut undecided);
        compare_ngram_modes(&undecided);
    }

    mixed_documents(&ukrainian, &russian);

    println!("throughput, Russian texts, one token stream per text (single core):");
    throughput("  WordTokenizer", WordTokenizer, &russian);
    throughput("  StemTokenizer", StemTokenizer, &russian);
    // The stem cache is per thread: a fresh thread shows the first pass over words never seen before.
    std::thread::scope(|scope| {
        scope.spawn(|| cold_pass("  StemTokenizer, first pass on a fresh thread (cold stem cache)", &russian));
    });
    let joined = russian.join("\n\n");
    let big: Vec<String> = vec![joined.repeat(4)];
    throughput("  StemTokenizer, one 4x-joined text", StemTokenizer, &big);
    throughput("  StemTokenizer, Ukrainian texts", StemTokenizer, &ukrainian);
    stemming_alone("  fold + stem(ru) alone, Russian words", &russian, Lang::Russian);
    stemming_alone("  fold + stem(uk) alone, Ukrainian words", &ukrainian, Lang::Ukrainian);
    let started = Instant::now();
    let lang = detect_language(&big[0]);
    println!(
        "detect_language on {:.0} MB: {lang:?} in {:.2} ms",
        big[0].len() as f64 / 1e6,
        started.elapsed().as_secs_f64() * 1e3
    );
}
