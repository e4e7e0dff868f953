//! Who and what a text names: people, organisations and places, identifiers, dates and amounts.
//!
//! [`Analyser::analyse`] reads an extracted text once and returns its [`Mention`]s in text order, with offsets in
//! Unicode scalar values. Names come from the model for each paragraph's language (`dossier-ner` for Russian,
//! `dossier-tagger` for Ukrainian and English); identifiers (with their check digits), contacts, document numbers,
//! dates and amounts come from `dossier-patterns`. Every mention carries a normal `value` (the name in its dictionary form, digits of an
//! identifier, E.164 of a phone, ISO 8601 of a date) and a `key`: mentions with equal kind and key are the same entity
//! wherever they occur, which is how a collection's mentions are linked ([`link`] refines that for people, whose
//! initials and full names must be reconciled across documents).
//!
//! This is derived data: the analysis of a text depends on the text and on [`Analyser::version`] only, so a better
//! model re-runs it over stored texts without reading any file again.
//!
//! The crate knows text only: no storage, no processes, no documents.

mod bodies;
mod given_names;
pub mod link;
mod names;
mod paragraphs;
mod person;
mod skeleton;
mod trim;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

pub use names::{name_forms, name_key, name_value};

/// The version of this crate's own rules (which kinds are kept, how values and keys are made). It is part of
/// [`Analyser::version`] with the versions of the models loaded; bump it whenever the same text would give other
/// mentions.
pub const RULES_VERSION: u32 = 3;

/// What a mention names. Names are `person`, `organization` and `location`; the other kinds are those of
/// `dossier-patterns` (`inn`, `phone`, `email`, `date`, `amount`...).
pub type Kind = String;

pub const PERSON: &str = "person";
pub const ORGANIZATION: &str = "organization";
pub const LOCATION: &str = "location";

/// One thing named in a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub kind: Kind,
    /// The mention as written.
    pub text: String,
    /// Offsets in Unicode scalar values (chars) into the text.
    pub start: usize,
    pub end: usize,
    /// The normal form: a name in its dictionary form (`Соколов-Ветров И. П.`), digits of an identifier, E.164 of a
    /// phone, ISO 8601 of a date, the exact amount and currency.
    pub value: String,
    /// Mentions of the same kind with the same key are one entity (before [`link`] reconciles people).
    pub key: String,
    /// The kind's own check (`valid` or `invalid`), where it has one: check digits of identifiers, the numbering
    /// plan of phones, the existence of a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
    /// The word in the text that said what this is (`ИНН`, `Исх.`), when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The language of the paragraph a name was found in, whose model found it (`ru`, `uk`, `en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// What a pattern holds beyond its value (a date's parts, an amount's currency, a document number's direction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<serde_json::Value>,
}

/// The analysis of one text: its mentions and the version of what found them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// [`Analyser::version`]: results of another version are recomputed by `dossier reanalyse`.
    pub version: String,
    pub mentions: Vec<Mention>,
    /// What could not run ([`Analyser::missing`]): names of those languages were not looked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// Mentions kept per text at most (in whole runs): a text that names things this often (a register, a phone book)
/// would otherwise hold more memory in mentions than in text. What was left is said in `missing`.
pub const MAX_MENTIONS: usize = 50_000;

/// Kinds of `dossier-patterns` that are figures rather than things named: they belong to the figures of a
/// document, not to its entities.
const FIGURES: &[dossier_patterns::Kind] =
    &[dossier_patterns::Kind::Number, dossier_patterns::Kind::Count, dossier_patterns::Kind::Percent];

/// The models and rules that find mentions. Loading takes about a second; an analyser is immutable and can be
/// shared between threads.
pub struct Analyser {
    russian: Option<dossier_ner::Model>,
    /// dossier-tagger trained on ner-uk; Ukrainian runs fall back to the Russian model without it.
    ukrainian: Option<dossier_tagger::Model>,
    /// dossier-tagger's rules and name lists for English; English names are not found without them.
    english: Option<dossier_tagger::EnglishModel>,
    /// What could not be loaded, in words: names in those languages are not found.
    missing: Vec<String>,
}

impl Analyser {
    /// Loads the name models from `models` (the folder that holds `ner-ru/`, `ner-uk/` and `ner-en/`), or where
    /// `dossier-ner` looks by default when `None` (the Ukrainian and English ones beside the Russian one). A model
    /// that is missing or damaged is not an error: its names are not found (Ukrainian ones are read by the Russian
    /// model instead), and [`Analyser::missing`] and the version say so.
    pub fn load(models: Option<&Path>) -> Analyser {
        let mut missing = Vec::new();
        let explicit: Option<PathBuf> = models.map(|dir| dir.join(dossier_ner::MODEL_FOLDER));
        let russian_dir = dossier_ner::find_model_dir(explicit.as_deref());
        let models_dir: Option<PathBuf> = match (models, &russian_dir) {
            (Some(dir), _) => Some(dir.to_path_buf()),
            (None, Ok(russian)) => russian.parent().map(Path::to_path_buf),
            (None, Err(_)) => None,
        };
        let ukrainian_dir = models_dir.as_ref().map(|dir| dir.join(dossier_tagger::MODEL_FOLDER));
        let english_dir = models_dir.as_ref().map(|dir| dir.join(dossier_tagger::english::ENGLISH_FOLDER));
        let russian = match russian_dir.and_then(|dir| dossier_ner::Model::load(&dir)) {
            Ok(model) => Some(model),
            Err(err) => {
                missing.push(format!("Russian names: {err}"));
                None
            }
        };
        let ukrainian = match ukrainian_dir.as_deref().map(dossier_tagger::Model::load) {
            Some(Ok(model)) => Some(model),
            Some(Err(err)) => {
                missing.push(format!("Ukrainian names (read by the Russian model instead): {err}"));
                None
            }
            None => {
                missing.push("Ukrainian names: no models folder found for ner-uk".to_string());
                None
            }
        };
        let english = match english_dir.as_deref().map(dossier_tagger::EnglishModel::load) {
            Some(Ok(model)) => Some(model),
            Some(Err(err)) => {
                missing.push(format!("English names: {err}"));
                None
            }
            None => {
                missing.push("English names: no models folder found for ner-en".to_string());
                None
            }
        };
        Analyser { russian, ukrainian, english, missing }
    }

    /// An analyser without name models: identifiers, dates and amounts only.
    pub fn patterns_only() -> Analyser {
        Analyser { russian: None, ukrainian: None, english: None, missing: vec!["names: no model loaded".to_string()] }
    }

    /// What could not be loaded, one sentence each; empty when every model is there.
    pub fn missing(&self) -> &[String] {
        &self.missing
    }

    /// The analysis's version, stored with every result: the rules' version and each model's name, or `none`.
    pub fn version(&self) -> String {
        let russian = if self.russian.is_some() { dossier_ner::MODEL_NAME } else { "none" };
        let ukrainian = self.ukrainian.as_ref().map_or("none", dossier_tagger::Model::name);
        let english = self.english.as_ref().map_or("none", dossier_tagger::EnglishModel::name);
        format!(
            "entities/{RULES_VERSION} ner-ru/{russian} ner-uk/{ukrainian} ner-en/{english} patterns/{}",
            dossier_patterns::VERSION
        )
    }

    /// [`Analyser::analyse`] with the version and what was missing.
    pub fn analysis(&self, text: &str) -> Analysis {
        self.analysis_until(text, None)
    }

    /// [`Analyser::analysis`] that stops at `deadline`: the text is read in runs of at most a few hundred KB, and
    /// when the deadline has passed before a run, the mentions found so far are returned and `missing` says where
    /// the analysis stopped.
    pub fn analysis_until(&self, text: &str, deadline: Option<Instant>) -> Analysis {
        let mut missing = self.missing.clone();
        let mut mentions = Vec::new();
        let total = text.chars().count();
        for run in paragraphs::runs(text) {
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                missing.push(format!(
                    "everything after character {} of {total}: the analysis stopped at its time limit",
                    run.chars_before
                ));
                break;
            }
            if mentions.len() >= MAX_MENTIONS {
                missing.push(format!(
                    "everything after character {} of {total}: the text has more than {MAX_MENTIONS} mentions",
                    run.chars_before
                ));
                break;
            }
            self.names_in(text, &run, &mut mentions);
            mentions.extend(patterns(&text[run.bytes.clone()], run.chars_before));
        }
        mentions.sort_by(|a, b| (a.start, a.end, &a.kind).cmp(&(b.start, b.end, &b.kind)));
        Analysis { version: self.version(), mentions, missing }
    }

    /// Every mention in `text`, in text order (by start, then by end).
    pub fn analyse(&self, text: &str) -> Vec<Mention> {
        self.analysis(text).mentions
    }

    fn names_in(&self, text: &str, run: &paragraphs::Run, mentions: &mut Vec<Mention>) {
        let run_text = &text[run.bytes.clone()];
        // Ukrainian and English text is read by its own model when it is there (English names are not found
        // without it). Belarusian text, and Ukrainian text without its model, is read by the Russian model, which
        // finds about half of their names.
        let entities = match (run.lang, &self.ukrainian, &self.english, &self.russian) {
            (Some(dossier_lang::Lang::English), _, Some(english), _) => english.entities(run_text),
            (Some(dossier_lang::Lang::English), _, None, _) => return,
            (Some(dossier_lang::Lang::Ukrainian), Some(ukrainian), _, _) => ukrainian.entities(run_text),
            (_, _, _, Some(russian)) => russian.entities(run_text),
            (_, _, _, None) => return,
        };
        let lang = run.lang.unwrap_or(dossier_lang::Lang::Russian);
        // Entities come in text order: one cursor turns their char offsets into bytes.
        let mut cursor = (0usize, 0usize);
        for mut entity in entities {
            let skipped = run_text[cursor.1..].char_indices().nth(entity.start - cursor.0);
            let Some((bytes, _)) = skipped else { continue };
            cursor = (entity.start, cursor.1 + bytes);
            if !trim_entity(run_text, cursor.1, &mut entity) {
                continue;
            }
            let kind = match entity.kind {
                dossier_ner::Kind::Person => PERSON,
                dossier_ner::Kind::Organization => ORGANIZATION,
                dossier_ner::Kind::Location => LOCATION,
            };
            let (value, key) = name_forms(kind, &entity.text, Some(lang));
            mentions.push(Mention {
                kind: kind.to_string(),
                value,
                key,
                text: entity.text,
                start: run.chars_before + entity.start,
                end: run.chars_before + entity.end,
                checksum: None,
                label: None,
                lang: Some(lang.code().to_string()),
                detail: None,
            });
        }
    }
}

/// Cuts `entity` (found in `text`) to the name it holds ([`trim::name_span`]); `false` when nothing is left.
fn trim_entity(text: &str, byte_start: usize, entity: &mut dossier_ner::Entity) -> bool {
    let byte_end = byte_start + entity.text.len();
    let span = trim::name_span(&entity.text, &text[byte_end.min(text.len())..]);
    if span.is_empty() {
        return false;
    }
    if span != (0..entity.text.len()) {
        entity.start += entity.text[..span.start].chars().count();
        entity.end = entity.start + entity.text[span.clone()].chars().count();
        entity.text = entity.text[span].to_string();
    }
    true
}

/// The matches of `dossier-patterns` in `text` that are things named, with offsets moved by `chars_before`.
fn patterns(text: &str, chars_before: usize) -> impl Iterator<Item = Mention> + '_ {
    dossier_patterns::find(text).into_iter().filter(|m| !FIGURES.contains(&m.kind)).map(move |m| {
        let detail = match &m.detail {
            dossier_patterns::Detail::None => None,
            detail => serde_json::to_value(detail).ok(),
        };
        Mention {
            kind: m.kind.as_str().to_string(),
            key: m.value.clone(),
            value: m.value,
            text: m.text,
            start: chars_before + m.start,
            end: chars_before + m.end,
            checksum: m.checksum.map(|c| {
                match c {
                    dossier_patterns::Checksum::Valid => "valid",
                    dossier_patterns::Checksum::Invalid => "invalid",
                }
                .to_string()
            }),
            label: m.label,
            lang: None,
            detail,
        }
    })
}

#[cfg(test)]
mod tests;
