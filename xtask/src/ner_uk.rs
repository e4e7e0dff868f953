//! The Ukrainian NER model (`dossier-tagger`), trained by our own code at setup time: `cargo xtask train-ner-uk`
//! (also run by `setup` when the model is missing) and its measure, `cargo xtask ner-uk-eval`.
//!
//! 1. The name lists: pymorphy3 and pymorphy3-dicts-uk (GPL-3.0) are installed from PyPI into a throwaway venv under
//!    `target/`, and `ner_uk/dump_names.py` writes the word forms that can be names to `names.tsv` (cached in
//!    `target/uk-dict/` by the dictionary's version). dossier never runs Python.
//! 2. The weights: the `ner_uk` example of dossier-tagger, built in release mode, trains on the DEV part of ner-uk
//!    (`../shared/corpus/ner/ner-uk/v2.0/data`, CC BY-NC-SA 4.0) with a fixed seed: the same inputs give the same
//!    `weights.bin`, byte for byte.
//! 3. Both go to `target/models/ner-uk.partial` with a LICENSE, renamed to `target/models/ner-uk` at the end.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};

use crate::{cargo, run};

const MODEL_FOLDER: &str = "ner-uk";
const PYMORPHY: &str = "pymorphy3==2.0.6";
const DICTIONARY_VERSION: &str = "2.4.1.1.1663094765";
const DUMP_SCRIPT: &str = include_str!("ner_uk/dump_names.py");

const LICENSE: &str = "\
dossier's Ukrainian NER model (dossier-tagger), made by `cargo xtask train-ner-uk`.

weights.bin: weights trained on the ner-uk corpus (lang-uk, https://github.com/lang-uk/ner-uk, v2.0, the DEV part
of its dev-test split). The corpus is licensed under Creative Commons Attribution-NonCommercial-ShareAlike 4.0
International (CC BY-NC-SA 4.0, https://creativecommons.org/licenses/by-nc-sa/4.0/), and so are these weights, a work
derived from it: credit ner-uk's authors, no commercial use, share alike. Delete or replace this file to use
another model; dossier's code does not contain it.

names.tsv: word forms that can be names (first names, surnames, patronymics, abbreviations), taken from
pymorphy3-dicts-uk (PyPI), which is licensed under the GNU General Public License, version 3 (GPL-3.0,
https://www.gnu.org/licenses/gpl-3.0.html); this list is GPL-3.0 as well.

dossier's own code, which reads both files, is AGPL-3.0-or-later.
";

fn corpus(root: &Path) -> PathBuf {
    root.parent().expect("the repository has a parent folder").join("shared/corpus/ner/ner-uk/v2.0/data")
}

/// `setup`'s part: trains the model if `target/models/ner-uk` is missing. Without the corpus it says so and goes on:
/// Ukrainian text is then read by the Russian model.
pub fn install(root: &Path) -> anyhow::Result<()> {
    if root.join("target/models").join(MODEL_FOLDER).join("weights.bin").exists() {
        return Ok(());
    }
    if !corpus(root).is_dir() {
        eprintln!(
            "xtask: no Ukrainian NER model: the ner-uk corpus is not at {} (Ukrainian names will be read by the \
             Russian model; `cargo xtask train-ner-uk` trains it once the corpus is there)",
            corpus(root).display()
        );
        return Ok(());
    }
    train(root)
}

/// Makes `target/models/ner-uk` from scratch (the name lists are reused from the cache when there).
pub fn train(root: &Path) -> anyhow::Result<()> {
    let corpus = corpus(root);
    if !corpus.is_dir() {
        bail!("the ner-uk corpus is not at {}", corpus.display());
    }
    let began = std::time::Instant::now();
    let names = names_list(root)?;
    let models = root.join("target/models");
    let partial = models.join("ner-uk.partial");
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial)?;
    std::fs::copy(&names, partial.join("names.tsv")).with_context(|| format!("copying {}", names.display()))?;
    std::fs::write(partial.join("LICENSE"), LICENSE)?;
    cargo(&["build", "--release", "-p", "dossier-tagger", "--example", "ner_uk"])?;
    let trained = std::time::Instant::now();
    run(Command::new(root.join("target/release/examples/ner_uk"))
        .arg("train")
        .arg("--corpus")
        .arg(&corpus)
        .arg("--names")
        .arg(partial.join("names.tsv"))
        .arg("--out")
        .arg(&partial))?;
    let target = models.join(MODEL_FOLDER);
    let _ = std::fs::remove_dir_all(&target);
    std::fs::rename(&partial, &target)
        .with_context(|| format!("renaming {} to {}", partial.display(), target.display()))?;
    eprintln!(
        "xtask: the Ukrainian NER model is in {} (training {:.0} s, all of train-ner-uk {:.0} s)",
        target.display(),
        trained.elapsed().as_secs_f64(),
        began.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `target/uk-dict/names-<version>.tsv`, written by the dump script in a throwaway venv unless already there.
fn names_list(root: &Path) -> anyhow::Result<PathBuf> {
    let dir = root.join("target/uk-dict");
    let names = dir.join(format!("names-{DICTIONARY_VERSION}.tsv"));
    if names.exists() {
        return Ok(names);
    }
    std::fs::create_dir_all(&dir)?;
    let venv = dir.join("venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        eprintln!("xtask: installing {PYMORPHY} and pymorphy3-dicts-uk=={DICTIONARY_VERSION} (GPL-3.0) from PyPI");
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        run(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            PYMORPHY,
            &format!("pymorphy3-dicts-uk=={DICTIONARY_VERSION}"),
        ]))?;
    }
    let script = dir.join("dump_names.py");
    std::fs::write(&script, DUMP_SCRIPT)?;
    let partial = dir.join("names.tsv.partial");
    eprintln!("xtask: writing the name forms of the Ukrainian dictionary (about a minute)");
    run(Command::new(&python).arg(&script).arg(&partial))?;
    std::fs::rename(&partial, &names)?;
    Ok(names)
}

/// Scores the model on ner-uk's TEST part beside natasha's Russian model (dossier-ner) on the same texts.
pub fn eval(root: &Path) -> anyhow::Result<()> {
    crate::models::install_ner_model(root)?;
    if !root.join("target/models").join(MODEL_FOLDER).is_dir() {
        train(root)?;
    }
    cargo(&["build", "--release", "-p", "dossier-tagger", "--example", "ner_uk"])?;
    run(Command::new(root.join("target/release/examples/ner_uk"))
        .arg("eval")
        .arg("--corpus")
        .arg(corpus(root))
        .arg("--model")
        .arg(root.join("target/models").join(MODEL_FOLDER))
        .arg("--ru-model")
        .arg(root.join("target/models/ner-ru")))
}
