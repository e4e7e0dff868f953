//! The benchmark's documents: real Russian, Ukrainian and English paragraphs from the shared test corpus, assembled
//! deterministically into documents with a realistic length distribution and metadata.
//!
//! Document `i` depends only on the seed and `i` (its own random stream), so the same document can be generated
//! again for the second index without keeping millions of documents in memory.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// The languages the documents are written in; a document is in one language, as most real files are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Ru,
    Uk,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ru, Lang::Uk, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Uk => "uk",
            Lang::En => "en",
        }
    }
}

/// A small xorshift64* generator: deterministic across platforms and Rust versions, which is all a benchmark needs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so that neighbouring seeds (document numbers) give unrelated streams.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Paragraphs of real text, by language.
pub struct Paragraphs {
    pub ru: Vec<String>,
    pub uk: Vec<String>,
    pub en: Vec<String>,
}

impl Paragraphs {
    pub fn of(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Ru => &self.ru,
            Lang::Uk => &self.uk,
            Lang::En => &self.en,
        }
    }
}

/// Reads the paragraphs from the shared corpus folder. Fails with a clear message when it is absent.
pub fn load_paragraphs(corpus: &Path) -> anyhow::Result<Paragraphs> {
    if !corpus.join("README.md").exists() {
        bail!(
            "the shared corpus is absent: {} has no README.md. The benchmark builds its documents from the real texts \
             there (ner/, text/, formats/); nothing was measured.",
            corpus.display()
        );
    }
    let mut ru_texts = Vec::new();
    for dir in ["ner/collection5/collection5", "ner/factRuEval-2016/devset"] {
        ru_texts.extend(read_txt_files(&corpus.join(dir))?);
    }
    for zip_path in files_with_extension(&corpus.join("text/rurebus/train_data"), "zip")? {
        ru_texts.extend(read_zip_texts(&zip_path)?);
    }
    let uk_texts = read_txt_files(&corpus.join("ner/ner-uk/v2.0/data/bruk"))?;
    let mut en_texts = Vec::new();
    for file in walk(&corpus.join("formats/pdfbox"))?.into_iter().chain(walk(&corpus.join("formats/tika"))?) {
        if file.extension().is_some_and(|ext| ext == "txt") {
            en_texts.push(std::fs::read(&file).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())?);
        }
    }
    for file in walk(&corpus.join("email"))? {
        if file.extension().is_some_and(|ext| ext == "eml") {
            let bytes = std::fs::read(&file)?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            // The body only: headers are not prose. MIME parts with base64 are dropped by the script filter below.
            if let Some((_, body)) = text.split_once("\n\n").or_else(|| text.split_once("\r\n\r\n")) {
                en_texts.push(body.to_string());
            }
        }
    }
    let paragraphs = Paragraphs {
        ru: split_paragraphs(&ru_texts, Script::Cyrillic),
        uk: split_paragraphs(&uk_texts, Script::Cyrillic),
        en: split_paragraphs(&en_texts, Script::Latin),
    };
    for lang in Lang::ALL {
        if paragraphs.of(lang).len() < 50 {
            bail!("too few {} paragraphs in {} ({})", lang.code(), corpus.display(), paragraphs.of(lang).len());
        }
    }
    Ok(paragraphs)
}

fn read_txt_files(dir: &Path) -> anyhow::Result<Vec<String>> {
    files_with_extension(dir, "txt")?
        .iter()
        .map(|file| {
            let bytes = std::fs::read(file).with_context(|| file.display().to_string())?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

fn read_zip_texts(path: &Path) -> anyhow::Result<Vec<String>> {
    let file = std::fs::File::open(path).with_context(|| path.display().to_string())?;
    let mut archive = zip::ZipArchive::new(file).with_context(|| path.display().to_string())?;
    let mut texts = Vec::new();
    for index in 0..archive.len() {
        let mut member = archive.by_index(index)?;
        if !member.name().ends_with(".txt") || member.size() > 16 << 20 {
            continue;
        }
        let mut bytes = Vec::new();
        member.read_to_end(&mut bytes)?;
        texts.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    Ok(texts)
}

fn files_with_extension(dir: &Path, extension: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| dir.display().to_string())?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    // Sorted so that the paragraph order, and so every document, is the same on every machine.
    files.sort();
    Ok(files)
}

fn walk(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Cyrillic,
    Latin,
}

/// Splits texts into paragraphs of prose: lines are joined until a blank line or until the paragraph is long enough;
/// paragraphs that are mostly not letters of the expected script (tables, base64, markup) are dropped.
fn split_paragraphs(texts: &[String], script: Script) -> Vec<String> {
    let mut out = Vec::new();
    for text in texts {
        let mut current = String::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || current.len() > 700 {
                push_paragraph(&mut out, &mut current, script);
            }
            if !line.is_empty() {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(line);
            }
        }
        push_paragraph(&mut out, &mut current, script);
    }
    out
}

fn push_paragraph(out: &mut Vec<String>, current: &mut String, script: Script) {
    let paragraph = std::mem::take(current);
    // Control characters mean binary bytes read as text (a UTF-16 part of an e-mail body): not prose, and a file
    // holding them is rightly not text.
    if paragraph.chars().count() < 60 || paragraph.chars().any(|c| c.is_control() && c != '\t') {
        return;
    }
    let (mut letters, mut wanted, mut total) = (0usize, 0usize, 0usize);
    for c in paragraph.chars() {
        total += 1;
        if c.is_alphabetic() {
            letters += 1;
            let cyrillic = ('\u{400}'..='\u{4FF}').contains(&c);
            if (script == Script::Cyrillic) == cyrillic {
                wanted += 1;
            }
        }
    }
    if letters * 10 >= total * 6 && wanted * 10 >= letters * 9 && paragraph.contains(' ') {
        out.push(paragraph);
    }
}

/// One generated document.
pub struct GeneratedDoc {
    pub id: u64,
    pub lang: Lang,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub format: &'static str,
    pub collection: &'static str,
    pub author: &'static str,
    pub path: String,
    pub text: String,
}

pub const FORMATS: [&str; 4] = ["pdf", "docx", "eml", "xlsx"];
pub const COLLECTIONS: [&str; 3] = ["leak-2023", "minfin-mail", "scans"];
pub const AUTHORS: [&str; 10] = [
    "Кривенко Олег Петрович",
    "Іваненко Марія",
    "Сидоров А. В.",
    "Петрова Елена Игоревна",
    "Шевчук Тарас",
    "John Miller",
    "Anna Kowalska",
    "o.kryvenko@mil.example.org",
    "Коваленко Ю. М.",
    "Smirnov Dmitry",
];

/// Builds document number `number` (0-based; its id is `number + 1`).
pub fn generate(paragraphs: &Paragraphs, seed: u64, number: u64) -> GeneratedDoc {
    let mut rng = Rng::new(seed ^ number.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let lang = match rng.below(10) {
        0..=4 => Lang::Ru,
        5..=7 => Lang::Uk,
        _ => Lang::En,
    };
    let target = target_length(&mut rng);
    let pool = paragraphs.of(lang);
    let mut text = String::with_capacity(target + 1024);
    // Consecutive paragraphs from a random start read like one real text; a jump now and then mixes sources.
    let mut at = rng.below(pool.len() as u64) as usize;
    while text.len() < target {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&pool[at % pool.len()]);
        at = if rng.below(5) == 0 { rng.below(pool.len() as u64) as usize } else { at + 1 };
    }
    let title: String = text.lines().next().unwrap_or("").chars().take(80).collect();
    let days = rng.below(6 * 365 + 1) as i64;
    let (year, month, day) = civil_from_days(days_from_2020(days));
    let format = FORMATS[rng.below(FORMATS.len() as u64) as usize];
    let collection = COLLECTIONS[rng.below(COLLECTIONS.len() as u64) as usize];
    let author = AUTHORS[rng.below(AUTHORS.len() as u64) as usize];
    GeneratedDoc {
        id: number + 1,
        lang,
        title,
        date: format!("{year:04}-{month:02}-{day:02}"),
        format,
        collection,
        author,
        path: format!("/{collection}/{}/{:07}.{format}", lang.code(), number + 1),
        text,
    }
}

/// Bytes of text: most documents 0.5-5 KB, some around 50 KB, a few around 500 KB (letters, reports, dumps).
fn target_length(rng: &mut Rng) -> usize {
    let roll = rng.below(1000);
    let (low, high) = match roll {
        0..=1 => (300_000, 700_000),
        2..=21 => (20_000, 80_000),
        22..=119 => (5_000, 20_000),
        _ => (500, 5_000),
    };
    // Log-uniform inside the band: short documents are commoner than long ones in every band.
    let (low, high) = ((low as f64).ln(), (high as f64).ln());
    (low + (high - low) * rng.unit()).exp() as usize
}

/// Days since 1970-01-01 of day `offset` after 2020-01-01.
fn days_from_2020(offset: i64) -> i64 {
    18_262 + offset
}

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's civil-from-days).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_pool() -> Paragraphs {
        let make = |word: &str| (0..60).map(|n| format!("{word} {n} ")).map(|s| s.repeat(10)).collect();
        Paragraphs { ru: make("министерство"), uk: make("міністерство"), en: make("ministry") }
    }

    #[test]
    fn documents_are_deterministic_and_dated_2020_to_2025() {
        let pool = tiny_pool();
        for number in 0..500 {
            let a = generate(&pool, 7, number);
            let b = generate(&pool, 7, number);
            assert_eq!(a.text, b.text);
            assert_eq!(a.date, b.date);
            let year: i32 = a.date[..4].parse().expect("year");
            assert!((2020..=2025).contains(&year), "{}", a.date);
            assert!(!a.title.is_empty());
        }
        assert_ne!(generate(&pool, 7, 1).text, generate(&pool, 8, 1).text);
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(days_from_2020(0)), (2020, 1, 1));
        assert_eq!(civil_from_days(days_from_2020(366)), (2021, 1, 1));
    }

    #[test]
    fn paragraphs_keep_only_prose_of_the_script() {
        let texts = vec![
            "Министерство обороны поручает подготовить отчёт к пятнице, как обычно, без задержек.\n\n\
             dGhpcyBpcyBiYXNlNjQgZGF0YSB0aGF0IHNob3VsZCBiZSBkcm9wcGVkIGZyb20gdGhlIHBvb2wgb2YgcGFyYWdyYXBocw==\n\nshort"
                .to_string(),
        ];
        let out = split_paragraphs(&texts, Script::Cyrillic);
        assert_eq!(out.len(), 1);
        assert!(out[0].starts_with("Министерство"));
        // A UTF-16 MIME part read as UTF-8 has letters enough, but its NULs are not prose.
        let utf16 =
            vec!["The test message follows in the next part, T\0e\0s\0t\0 \0m\0e\0s\0s\0a\0g\0e\0 here".to_string()];
        assert!(split_paragraphs(&utf16, Script::Latin).is_empty());
        assert_eq!(split_paragraphs(&[utf16[0].replace('\0', "")], Script::Latin).len(), 1);
    }
}
