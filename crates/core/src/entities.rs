//! Who and what the collection names: each document's stored analysis, the entities it links across documents,
//! and `reanalyse`, which recomputes analyses of another version from the stored texts in sandboxed workers.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};

use dossier_catalog::{DocId, DocMention, EntityFilter, EntityRow, StoredAnalysis};
use dossier_entities::link::{Linked, Named, link};
use dossier_sandbox::{AnalyseRequest, Sandbox, SandboxConfig};
use serde::Serialize;

use crate::{CoreError, Dossier};

/// One entity of a collection: the mentions of one kind that [`link`] gathered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    pub kind: String,
    /// Unique within the kind (and the analyser's version).
    pub id: String,
    pub name: String,
    pub mentions: u64,
    pub documents: u64,
    /// The (key, value) forms it gathers.
    pub members: Vec<(String, String)>,
    /// Why the forms are one entity, in words (empty for a single form).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<String>,
    /// For identifiers, phones and dates: whether any mention's own check failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
}

/// An entity with where it is mentioned and what else those documents name.
#[derive(Debug, Clone, Serialize)]
pub struct EntityDetail {
    #[serde(flatten)]
    pub entity: Entity,
    pub document_ids: Vec<DocId>,
    /// Up to [`MENTIONS_SHOWN`] mentions, in document and text order.
    pub mentions_shown: Vec<DocMention>,
    /// Entities named in the same documents, most shared documents first.
    pub cooccurring: Vec<Cooccurring>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cooccurring {
    pub kind: String,
    pub id: String,
    pub name: String,
    /// Documents that name both.
    pub documents: u64,
}

/// How many mentions an entity's detail carries.
pub const MENTIONS_SHOWN: usize = 500;
/// How many co-occurring entities an entity's detail lists.
const COOCCURRING_SHOWN: usize = 50;

/// The totals of one `reanalyse` run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReanalyseSummary {
    pub version: String,
    /// What the analyser could not load (names of those languages were not looked for).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    pub documents_analysed: u64,
    pub mentions: u64,
    /// Documents whose analysis failed, with the reason; their earlier analysis (if any) is kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<(DocId, String)>,
    pub documents_indexed: u64,
}

impl Dossier {
    /// The document's stored analysis.
    pub fn analysis(&mut self, doc: DocId) -> Result<Option<StoredAnalysis>, CoreError> {
        Ok(self.catalog.analysis(doc)?)
    }

    /// Every entity of the collection (or of all), of one kind or all, most mentioned first.
    pub fn entities(&mut self, collection: Option<&str>, kind: Option<&str>) -> Result<Vec<Entity>, CoreError> {
        let rows = self.catalog.entity_rows(collection, kind)?;
        let mut entities = Vec::new();
        for (kind, rows) in by_kind(rows) {
            let documents: HashMap<(String, String), (u64, Option<String>)> =
                rows.iter().map(|row| ((row.key.clone(), row.value.clone()), (row.documents, None))).collect();
            let named: Vec<Named> = rows
                .iter()
                .map(|row| Named { key: row.key.clone(), value: row.value.clone(), mentions: row.mentions })
                .collect();
            for linked in link(&kind, &named) {
                let documents = match linked.members.as_slice() {
                    [member] => documents.get(member).map_or(0, |(n, _)| *n),
                    members => {
                        let filter = EntityFilter { collection, kind: &kind, members };
                        self.catalog.entity_documents(&filter)?.len() as u64
                    }
                };
                entities.push(entity(&kind, linked, documents));
            }
        }
        if entities.iter().any(|e| is_checked(&e.kind)) {
            self.mark_invalid(collection, &mut entities)?;
        }
        entities.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| (&a.kind, &a.name).cmp(&(&b.kind, &b.name))));
        Ok(entities)
    }

    /// Identifiers and phones any of whose mentions failed its own check say so.
    fn mark_invalid(&mut self, collection: Option<&str>, entities: &mut [Entity]) -> Result<(), CoreError> {
        for entity in entities.iter_mut().filter(|e| is_checked(&e.kind)) {
            let filter = EntityFilter { collection, kind: &entity.kind, members: &entity.members };
            let mentions = self.catalog.entity_mentions(&filter, MENTIONS_SHOWN)?;
            let checks: Vec<&str> = mentions.iter().filter_map(|m| m.mention.checksum.as_deref()).collect();
            entity.checksum = if checks.contains(&"invalid") {
                Some("invalid".to_string())
            } else if checks.contains(&"valid") {
                Some("valid".to_string())
            } else {
                None
            };
        }
        Ok(())
    }

    /// One entity by kind and id, with its documents, mentions and the entities named beside it.
    pub fn entity(
        &mut self,
        collection: Option<&str>,
        kind: &str,
        id: &str,
    ) -> Result<Option<EntityDetail>, CoreError> {
        let all = self.entities(collection, None)?;
        let Some(entity) = all.iter().find(|e| e.kind == kind && e.id == id).cloned() else { return Ok(None) };
        let filter = EntityFilter { collection, kind, members: &entity.members };
        let document_ids = self.catalog.entity_documents(&filter)?;
        let mentions_shown = self.catalog.entity_mentions(&filter, MENTIONS_SHOWN)?;
        // Which entity each (kind, key, value) belongs to, to count what the same documents name.
        let owner: HashMap<(&str, &str, &str), usize> = all
            .iter()
            .enumerate()
            .flat_map(|(n, e)| e.members.iter().map(move |(k, v)| ((e.kind.as_str(), k.as_str(), v.as_str()), n)))
            .collect();
        let mut shared: BTreeMap<usize, u64> = BTreeMap::new();
        for &doc in &document_ids {
            let Some(analysis) = self.catalog.analysis(doc)? else { continue };
            let mut seen: Vec<usize> = analysis
                .mentions
                .iter()
                .filter_map(|m| owner.get(&(m.kind.as_str(), m.key.as_str(), m.value.as_str())).copied())
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for n in seen {
                *shared.entry(n).or_default() += 1;
            }
        }
        let mut cooccurring: Vec<Cooccurring> = shared
            .into_iter()
            .filter(|&(n, _)| !(all[n].kind == kind && all[n].id == id))
            .map(|(n, documents)| Cooccurring {
                kind: all[n].kind.clone(),
                id: all[n].id.clone(),
                name: all[n].name.clone(),
                documents,
            })
            .collect();
        cooccurring.sort_by(|a, b| b.documents.cmp(&a.documents).then_with(|| a.name.cmp(&b.name)));
        cooccurring.truncate(COOCCURRING_SHOWN);
        Ok(Some(EntityDetail { entity, document_ids, mentions_shown, cooccurring }))
    }

    /// The documents that name both entities, given as (kind, id).
    pub fn cooccurrence(
        &mut self,
        collection: Option<&str>,
        a: (&str, &str),
        b: (&str, &str),
    ) -> Result<Option<Vec<DocId>>, CoreError> {
        let all = self.entities(collection, None)?;
        let find = |(kind, id): (&str, &str)| all.iter().find(|e| e.kind == kind && e.id == id);
        let (Some(a), Some(b)) = (find(a), find(b)) else { return Ok(None) };
        let docs_a = self.catalog.entity_documents(&EntityFilter { collection, kind: &a.kind, members: &a.members })?;
        let docs_b = self.catalog.entity_documents(&EntityFilter { collection, kind: &b.kind, members: &b.members })?;
        Ok(Some(docs_a.into_iter().filter(|doc| docs_b.binary_search(doc).is_ok()).collect()))
    }

    /// Analyses again, in `workers` sandboxed workers, every finished document (of the collection, or of all) whose
    /// stored analysis is missing or
    /// of another version than the workers' analyser, from its stored text: no file is read again. Holds the writer
    /// lock; brings the search index up to date at the end.
    pub fn reanalyse(
        &mut self,
        collection: Option<&str>,
        sandbox: &SandboxConfig,
        workers: usize,
        on_progress: &mut dyn FnMut(u64, u64),
    ) -> Result<ReanalyseSummary, CoreError> {
        let _lock = self.lock_for_writing("dossier reanalyse")?;
        let staging = self.data_dir.join("staging").join("reanalyse");
        std::fs::create_dir_all(&staging).map_err(|source| CoreError::Io { path: staging.clone(), source })?;
        let config = SandboxConfig { scratch_dir: Some(staging.join("tmp")), ..sandbox.clone() };
        // The workers' analyser says what version it is: ask one with an empty text.
        let probe = write_text(&staging, 0, "")?;
        let answer = Sandbox::new(config.clone()).analyse(&AnalyseRequest { text_path: probe.clone() });
        let _ = std::fs::remove_file(&probe);
        let probe = match answer {
            Ok(Ok(analysed)) => analysed.analysis,
            Ok(Err(error)) => return Err(CoreError::Analysis(error)),
            Err(failure) => return Err(CoreError::Analysis(failure.reason(&config).1)),
        };
        let mut summary =
            ReanalyseSummary { version: probe.version.clone(), missing: probe.missing, ..ReanalyseSummary::default() };
        let total = self.catalog.count_to_analyse(&summary.version, collection)?;
        let (jobs, job_receiver) = mpsc::channel::<(DocId, PathBuf)>();
        let job_receiver = Arc::new(Mutex::new(job_receiver));
        type Answer = Result<dossier_sandbox::Analysed, String>;
        let (done, answers) = mpsc::channel::<(DocId, PathBuf, Answer)>();
        let mut threads = Vec::new();
        for _ in 0..workers.max(1) {
            let (job_receiver, done, config) = (Arc::clone(&job_receiver), done.clone(), config.clone());
            threads.push(std::thread::spawn(move || {
                let mut sandbox = Sandbox::new(config.clone());
                loop {
                    let job = match job_receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => break,
                    };
                    let Ok((doc, path)) = job else { break };
                    let answer = sandbox
                        .analyse(&AnalyseRequest { text_path: path.clone() })
                        .unwrap_or_else(|failure| Err(failure.reason(&config).1));
                    if done.send((doc, path, answer)).is_err() {
                        break;
                    }
                }
            }));
        }
        drop(done);
        let window = workers.max(1) * 2;
        let (mut cursor, mut in_flight) = (0, 0usize);
        let result = (|| -> Result<(), CoreError> {
            loop {
                if in_flight < window {
                    for doc in self.catalog.to_analyse(&summary.version, collection, cursor, window - in_flight)? {
                        cursor = doc;
                        let text = self.catalog.text(doc)?.unwrap_or_default();
                        let path = write_text(&staging, doc, &text)?;
                        if jobs.send((doc, path)).is_err() {
                            break;
                        }
                        in_flight += 1;
                    }
                }
                if in_flight == 0 {
                    return Ok(());
                }
                let Ok((doc, path, answer)) = answers.recv() else { return Ok(()) };
                in_flight -= 1;
                let _ = std::fs::remove_file(&path);
                match answer {
                    Ok(analysed) => {
                        summary.mentions += analysed.analysis.mentions.len() as u64;
                        self.catalog.replace_fingerprint(doc, &analysed.fingerprint)?;
                        self.catalog.replace_analysis(doc, &analysed.analysis)?;
                        summary.documents_analysed += 1;
                    }
                    Err(reason) => summary.failures.push((doc, reason)),
                }
                on_progress(summary.documents_analysed + summary.failures.len() as u64, total);
            }
        })();
        drop(jobs);
        for thread in threads {
            let _ = thread.join();
        }
        let _ = std::fs::remove_dir_all(&staging);
        result?;
        summary.documents_indexed = self.sync_index()?.documents_indexed;
        self.close_index_writer()?;
        Ok(summary)
    }
}

fn write_text(staging: &std::path::Path, doc: DocId, text: &str) -> Result<PathBuf, CoreError> {
    let path = staging.join(format!("{doc}.txt"));
    std::fs::write(&path, text).map_err(|source| CoreError::Io { path: path.clone(), source })?;
    Ok(path)
}

fn by_kind(rows: Vec<EntityRow>) -> BTreeMap<String, Vec<EntityRow>> {
    let mut kinds: BTreeMap<String, Vec<EntityRow>> = BTreeMap::new();
    for row in rows {
        kinds.entry(row.kind.clone()).or_default().push(row);
    }
    kinds
}

/// Kinds whose mentions carry their own check.
fn is_checked(kind: &str) -> bool {
    !matches!(kind, "person" | "organization" | "location" | "email" | "url" | "document_number" | "amount")
}

fn entity(kind: &str, linked: Linked, documents: u64) -> Entity {
    Entity {
        kind: kind.to_string(),
        id: linked.id,
        name: linked.name,
        mentions: linked.mentions,
        documents,
        members: linked.members,
        why: linked.why,
        checksum: None,
    }
}
