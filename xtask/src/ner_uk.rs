//! The Ukrainian NER model (`dossier-tagger`), trained by our own code at setup time: `cargo xtask train-ner-uk`
//! (also run by `setup` when the model is missing) and its measure, `cargo xtask ner-uk-eval`.
//!
//! 1. The dictionary: pymorphy3 and pymorphy3-dicts-uk (GPL-3.0) are installed from PyPI into a throwaway venv under
//!    `target/`, and `ner_uk/dump_forms.py` writes every word form with its name classes and parts of speech as text
//!    (`target/uk-dict/forms-<version>.tsv`, kept as a cache: about 100 MB). dossier never runs Python.
//! 2. The model: the `ner_uk` example of dossier-tagger, built in release mode, compiles that text into `words.fst`
//!    and trains `weights.bin` on the DEV part of ner-uk (`../shared/corpus/ner/ner-uk/v2.0/data`, CC BY-NC-SA 4.0)
//!    with a fixed seed: the same inputs give the same files, byte for byte.
//! 3. Both go to `target/models/ner-uk.partial` with a LICENSE, renamed to `target/models/ner-uk` at the end.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};

use crate::{cargo, run};

const MODEL_FOLDER: &str = "ner-uk";
const PYMORPHY: &str = "pymorphy3==2.0.6";
const DICTIONARY_VERSION: &str = "2.4.1.1.1663094765";
const DUMP_SCRIPT: &str = include_str!("ner_uk/dump_forms.py");

const LICENSE: &str = "\
dossier's Ukrainian NER model (dossier-tagger), made by `cargo xtask train-ner-uk`.

weights.bin: weights trained on the ner-uk corpus (lang-uk, https://github.com/lang-uk/ner-uk, v2.0, the DEV part
of its dev-test split). The corpus is licensed under Creative Commons Attribution-NonCommercial-ShareAlike 4.0
International (CC BY-NC-SA 4.0, https://creativecommons.org/licenses/by-nc-sa/4.0/), and so are these weights, a work
derived from it: credit ner-uk's authors, no commercial use, share alike. Delete or replace this file to use
another model; dossier's code does not contain it.

words.fst: every word form of pymorphy3-dicts-uk (PyPI) with its name classes (first name, surname, patronymic,
abbreviation) and parts of speech, as a finite-state map. The dictionary is licensed under the GNU General Public
License, version 3 (GPL-3.0, https://www.gnu.org/licenses/gpl-3.0.html); this map is GPL-3.0 as well.

dossier's own code, which reads both files, is AGPL-3.0-or-later.
";

fn corpus(root: &Path) -> PathBuf {
    root.parent().expect("the repository has a parent folder").join("shared/corpus/ner/ner-uk/v2.0/data")
}

/// `setup`'s part: trains the model if `target/models/ner-uk` is missing. Without the corpus it says so and goes on:
/// Ukrainian text is then read by the Russian model.
pub fn install(root: &Path) -> anyhow::Result<()> {
    let model = root.join("target/models").join(MODEL_FOLDER);
    if model.is_dir() {
        // A model of other feature templates (or damaged) is trained again.
        cargo(&["build", "--quiet", "--release", "-p", "dossier-tagger", "--example", "ner_uk"])?;
        let check = Command::new(root.join("target/release/examples/ner_uk"))
            .arg("check")
            .arg("--model")
            .arg(&model)
            .output()
            .context("running the ner_uk example")?;
        if check.status.success() {
            return Ok(());
        }
        eprintln!(
            "xtask: the Ukrainian NER model must be trained again: {}",
            String::from_utf8_lossy(&check.stderr).trim()
        );
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

/// Makes `target/models/ner-uk` from scratch (the dictionary's forms are reused from the cache when there).
pub fn train(root: &Path) -> anyhow::Result<()> {
    let corpus = corpus(root);
    if !corpus.is_dir() {
        bail!("the ner-uk corpus is not at {}", corpus.display());
    }
    let began = std::time::Instant::now();
    let forms = dictionary_forms(root)?;
    let models = root.join("target/models");
    let partial = models.join("ner-uk.partial");
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial)?;
    std::fs::write(partial.join("LICENSE"), LICENSE)?;
    cargo(&["build", "--release", "-p", "dossier-tagger", "--example", "ner_uk"])?;
    let trained = std::time::Instant::now();
    run(Command::new(root.join("target/release/examples/ner_uk"))
        .arg("train")
        .arg("--corpus")
        .arg(&corpus)
        .arg("--names")
        .arg(&forms)
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

/// `target/uk-dict/forms-<version>.tsv`, written by the dump script in a throwaway venv unless already there.
fn dictionary_forms(root: &Path) -> anyhow::Result<PathBuf> {
    let dir = root.join("target/uk-dict");
    let forms = dir.join(format!("forms-{DICTIONARY_VERSION}.tsv"));
    if forms.exists() {
        return Ok(forms);
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
    let script = dir.join("dump_forms.py");
    std::fs::write(&script, DUMP_SCRIPT)?;
    let partial = dir.join("forms.tsv.partial");
    eprintln!("xtask: writing the word forms of the Ukrainian dictionary (about a minute)");
    run(Command::new(&python).arg(&script).arg(&partial))?;
    std::fs::rename(&partial, &forms)?;
    Ok(forms)
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
