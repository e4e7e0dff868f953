//! Installs the model weights dossier runs with, at setup time, from a package registry (never from a model hub,
//! never at run time).
//!
//! The Russian NER model (`dossier-ner`) is natasha's: its PyPI wheel (MIT) carries the navec embeddings and the
//! slovnet NER network as two tar files. `pip download` fetches the wheel without installing it; the files the
//! crate reads are unpacked into `target/models/ner-ru/` (layout in crates/ner/README.md).

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use sha2::Digest as _;

/// The natasha release whose wheel carries the model (and which `ner-compare` runs beside dossier-ner).
pub const NATASHA: &str = "natasha==1.6.0";
const WHEEL: &str = "natasha-1.6.0-py3-none-any.whl";
/// The wheel's SHA-256 as PyPI lists it: another file is refused rather than unpacked.
const WHEEL_SHA256: &str = "e12b130d05a0b4d2eb6442092ed5b5769a68a311c17f2095b1aa739fb8d6dc78";

/// The tars inside the wheel, the folder each goes to, and the members the crate reads.
const TARS: &[(&str, &str, &[&str])] = &[
    ("natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar", "navec", &["meta.json", "vocab.bin", "pq.bin"]),
    (
        "natasha/data/model/slovnet_ner_news_v1.tar",
        "slovnet",
        &["meta.json", "model.json", "vocabs/shape.gz", "vocabs/tag.gz", "arrays/"],
    ),
];

/// `target/models/ner-ru`, unless already there.
pub fn install_ner_model(root: &Path) -> anyhow::Result<()> {
    let models = root.join("target/models");
    let target = models.join("ner-ru");
    if target.is_dir() {
        return Ok(());
    }
    let wheel_dir = models.join("wheel");
    let wheel = wheel_dir.join(WHEEL);
    if !wheel.exists() {
        eprintln!("xtask: downloading {NATASHA} from PyPI (its wheel carries the Russian NER model, MIT)");
        let status = Command::new("python3")
            .args(["-m", "pip", "download", "--quiet", "--no-deps", NATASHA, "-d"])
            .arg(&wheel_dir)
            .status()
            .context("starting python3 -m pip (python3 with pip is needed to fetch the NER model)")?;
        if !status.success() {
            bail!("python3 -m pip download {NATASHA} failed: {status}");
        }
    }
    let bytes = std::fs::read(&wheel).with_context(|| format!("reading {}", wheel.display()))?;
    let digest = hex::encode(sha2::Sha256::digest(&bytes));
    if digest != WHEEL_SHA256 {
        bail!("{} has SHA-256 {digest}, not PyPI's {WHEEL_SHA256}: delete it and run setup again", wheel.display());
    }
    // Unpack beside the target and rename at the end, so that an interrupted setup leaves no half model behind.
    let partial = models.join("ner-ru.partial");
    let _ = std::fs::remove_dir_all(&partial);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).context("the natasha wheel is not a zip")?;
    for (tar_name, folder, members) in TARS {
        let mut tar_bytes = Vec::new();
        archive
            .by_name(tar_name)
            .with_context(|| format!("the natasha wheel has no {tar_name}"))?
            .read_to_end(&mut tar_bytes)
            .with_context(|| format!("reading {tar_name} from the wheel"))?;
        let unpacked =
            unpack(&tar_bytes, members, &partial.join(folder)).with_context(|| format!("unpacking {tar_name}"))?;
        if unpacked < members.len() {
            bail!("{tar_name} lacks some of {members:?}");
        }
    }
    let mut licence = String::new();
    archive
        .by_name("natasha-1.6.0.dist-info/LICENSE")
        .context("the natasha wheel has no LICENSE")?
        .read_to_string(&mut licence)?;
    std::fs::write(partial.join("LICENSE"), licence)?;
    std::fs::rename(&partial, &target)
        .with_context(|| format!("renaming {} to {}", partial.display(), target.display()))?;
    eprintln!("xtask: the Russian NER model is in {}", target.display());
    Ok(())
}

/// Writes the tar's members that `members` names (a name ending in `/` takes a folder's files) under `dir`;
/// returns how many of `members` were found. Names are matched against the list, never used as paths otherwise.
fn unpack(tar_bytes: &[u8], members: &[&str], dir: &Path) -> anyhow::Result<usize> {
    let mut found = vec![false; members.len()];
    let mut archive = tar::Archive::new(tar_bytes);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.to_string_lossy().trim_start_matches("./").to_string();
        let wanted = members.iter().position(|member| match member.strip_suffix('/') {
            Some(folder) => {
                name.strip_prefix(folder).and_then(|rest| rest.strip_prefix('/')).is_some_and(is_plain_file_name)
            }
            None => name == *member,
        });
        let Some(wanted) = wanted else { continue };
        found[wanted] = true;
        let path: PathBuf = dir.join(&name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents)?;
        std::fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(found.iter().filter(|&&found| found).count())
}

fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('/') && name != "." && name != ".."
}
