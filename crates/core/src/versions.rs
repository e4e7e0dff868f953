//! Versions of one text across a collection: the documents whose fingerprints cluster (the same text in another
//! format, an OCR of a scan, a copy with a few words changed), and the word diff of two documents' texts.

use std::sync::Arc;

use dossier_catalog::DocId;
use dossier_versions::{ClusterOptions, ClusterStats, Clusterer, Diff, PairSimilarity};
use serde::Serialize;

use crate::{CoreError, Dossier};

/// The versions found in a collection (or in all).
#[derive(Debug, Clone, Serialize)]
pub struct Versions {
    /// Clusters of two or more documents; those with differences first, then the larger, then by first member.
    pub clusters: Vec<VersionCluster>,
    pub stats: ClusterStats,
    /// Finished documents without a fingerprint of this dossier's version (read by an older one): not compared.
    /// `dossier reanalyse` makes them.
    pub without_fingerprint: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionCluster {
    pub members: Vec<VersionMember>,
    /// Estimated similarity of pairs of members (of every pair in small clusters; of each with the first in large
    /// ones).
    pub pairs: Vec<PairSimilarity>,
    /// Whether every member holds the same normalised text.
    pub identical: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionMember {
    pub id: DocId,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

/// The last clustering made, and the catalog state it was made from.
pub(crate) struct VersionsCache {
    collection: Option<String>,
    last_seq: i64,
    versions: Arc<Versions>,
}

impl Dossier {
    /// The versions of the collection's texts (or of all collections'). Clustering reads every fingerprint once; the
    /// result is kept until a document is finished or analysed again.
    pub fn versions(&mut self, collection: Option<&str>) -> Result<Arc<Versions>, CoreError> {
        let last_seq = self.catalog.last_seq()?;
        if let Some(cache) = &self.versions_cache
            && cache.last_seq == last_seq
            && cache.collection.as_deref() == collection
        {
            return Ok(Arc::clone(&cache.versions));
        }
        let mut clusterer = Clusterer::new(ClusterOptions::default());
        let without_fingerprint = self.catalog.for_each_fingerprint(collection, &mut |doc, fingerprint| {
            // A document without words (an image not read by OCR, an empty file) is not a version of anything.
            if fingerprint.n_words() > 0 {
                clusterer.add(doc as u64, &fingerprint);
            }
        })?;
        let clustering = clusterer.clusters();
        drop(clusterer);
        let mut clusters = Vec::with_capacity(clustering.clusters.len());
        for cluster in clustering.clusters {
            let mut members = Vec::with_capacity(cluster.members.len());
            for id in cluster.members {
                let id = id as DocId;
                let record = self.catalog.document(id)?;
                members.push(VersionMember {
                    id,
                    path: record.as_ref().map(|r| r.path.clone()).unwrap_or_default(),
                    format: record.and_then(|r| r.format),
                });
            }
            let identical = cluster.pairs.iter().all(|pair| pair.identical);
            clusters.push(VersionCluster { members, pairs: cluster.pairs, identical });
        }
        clusters.sort_by(|a, b| {
            (a.identical, std::cmp::Reverse(a.members.len()), a.members[0].id).cmp(&(
                b.identical,
                std::cmp::Reverse(b.members.len()),
                b.members[0].id,
            ))
        });
        let versions = Arc::new(Versions { clusters, stats: clustering.stats, without_fingerprint });
        self.versions_cache = Some(VersionsCache {
            collection: collection.map(str::to_string),
            last_seq,
            versions: Arc::clone(&versions),
        });
        Ok(versions)
    }

    /// The cluster of versions the document belongs to in its collection, if it has other versions.
    pub fn versions_of(&mut self, doc: DocId) -> Result<Option<VersionCluster>, CoreError> {
        let Some(record) = self.catalog.document(doc)? else { return Ok(None) };
        let versions = self.versions(Some(&record.collection))?;
        Ok(versions.clusters.iter().find(|cluster| cluster.members.iter().any(|m| m.id == doc)).cloned())
    }

    /// The word diff of two documents' texts (`None` when either has no text).
    pub fn diff(&mut self, a: DocId, b: DocId) -> Result<Option<Diff>, CoreError> {
        let (Some(text_a), Some(text_b)) = (self.catalog.text(a)?, self.catalog.text(b)?) else { return Ok(None) };
        Ok(Some(dossier_versions::diff(&text_a, &text_b)))
    }
}
