//! Clustering fingerprints into versions without comparing all pairs.
//!
//! Documents whose normalised texts are identical (same exact hash) form one group and are stored once. Groups with a
//! signature are split into bands of [`ROWS_PER_BAND`] slots; two groups are candidates when they agree on every slot
//! of some band (probability 1 - (1 - J^r)^b for similarity J), and a candidate pair becomes an edge when its estimated
//! similarity reaches the threshold. Edges are joined by union-find, so a cluster is a chain of versions (each close to
//! another, not necessarily to all).
//!
//! Each band is one sort of (band value, group) pairs, not a hash map of buckets: memory stays at a few bytes per
//! document beyond the signatures themselves, and time at one sort per band. A bucket (groups sharing a band value)
//! of at most `max_bucket` groups compares all its pairs. A larger one, which is what boilerplate, templates and
//! empty forms make, is sorted by whole signature and each group is compared with its `giant_bucket_window`
//! neighbours only: near-identical texts sort next to each other, and the cost stays linear. Such buckets are counted
//! in [`ClusterStats::saturated_buckets`].

use std::collections::HashMap;

use serde::Serialize;

use crate::fingerprint::{Fingerprint, N_HASHES, signature_similarity};

/// An opaque document identifier chosen by the caller (the catalog's document id).
pub type DocId = u64;

/// Signature slots per LSH band. With 64 slots, 32 bands of 2: a pair at similarity 0.3 becomes a candidate with
/// probability 0.95, at 0.5 with 0.9999, at 0.05 (unrelated texts sharing common phrases) with 0.08.
pub const ROWS_PER_BAND: usize = 2;
const N_BANDS: usize = N_HASHES / ROWS_PER_BAND;

/// How clusters are made and reported.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterOptions {
    /// Estimated similarity at or above which two documents are versions of one text.
    pub threshold: f32,
    /// Buckets of up to this many groups compare all their pairs.
    pub max_bucket: usize,
    /// In a larger bucket, each group is compared with this many following groups in signature order.
    pub giant_bucket_window: usize,
    /// Clusters of up to this many members list the similarity of every pair; larger ones list each member against
    /// the first only (a cluster of 10 000 copies of a form would otherwise list 50 million pairs).
    pub max_pairwise_members: usize,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions { threshold: 0.3, max_bucket: 32, giant_bucket_window: 8, max_pairwise_members: 32 }
    }
}

/// Collects fingerprints one at a time (or in bulk through `Extend`) and clusters them on demand.
#[derive(Debug, Default)]
pub struct Clusterer {
    options: ClusterOptions,
    /// Per document, in the order added: its id and its exact group.
    documents: Vec<(DocId, u32)>,
    /// The first 8 bytes of the exact hash → group: identical texts are stored once.
    groups_by_hash: HashMap<u64, u32>,
    /// Per group, the index of its signature in `signatures`, or `NO_SIGNATURE` for a short text.
    group_signature: Vec<u32>,
    signatures: Vec<[u16; N_HASHES]>,
    /// Per signature, its group.
    signature_group: Vec<u32>,
    short_documents: usize,
}

const NO_SIGNATURE: u32 = u32::MAX;

/// Clusters of versions: every document that has at least one other version, in clusters of two or more.
#[derive(Debug, Clone, Serialize)]
pub struct Clustering {
    pub clusters: Vec<Cluster>,
    pub stats: ClusterStats,
}

/// Documents holding one text in different forms or with small changes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cluster {
    /// Member ids, ascending.
    pub members: Vec<DocId>,
    /// Estimated similarity of every pair of members (or of each member with the first, for large clusters; see
    /// [`ClusterOptions::max_pairwise_members`]), in member order.
    pub pairs: Vec<PairSimilarity>,
}

/// How alike two members of a cluster are.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct PairSimilarity {
    pub a: DocId,
    pub b: DocId,
    /// Estimated Jaccard similarity of their shingle sets (see [`Fingerprint::similarity`]); exact values come from
    /// [`crate::text_similarity`] over the two texts.
    pub similarity: f32,
    /// Whether their normalised texts are identical (same exact hash).
    pub identical: bool,
}

/// What clustering did, for reports and benchmarks.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ClusterStats {
    pub documents: usize,
    /// Distinct normalised texts.
    pub distinct_texts: usize,
    /// Documents too short for a signature: clustered with identical texts only.
    pub short_documents: usize,
    /// Candidate pairs whose signatures were compared.
    pub compared_pairs: u64,
    /// Pairs that reached the threshold (edges of the union-find that joined two clusters).
    pub joined_pairs: u64,
    /// Buckets larger than `max_bucket`, compared by signature-order neighbours only.
    pub saturated_buckets: u64,
    pub largest_bucket: usize,
}

impl Clusterer {
    pub fn new(options: ClusterOptions) -> Clusterer {
        Clusterer { options, ..Clusterer::default() }
    }

    /// Adds one document. The fingerprint is not kept: a document whose text was seen before costs a few bytes.
    pub fn add(&mut self, id: DocId, fingerprint: &Fingerprint) {
        let key = u64::from_le_bytes(fingerprint.exact_hash()[..8].try_into().expect("eight bytes"));
        let next_group = u32::try_from(self.group_signature.len()).expect("fewer than 4 billion texts");
        let group = *self.groups_by_hash.entry(key).or_insert(next_group);
        if group == next_group {
            match fingerprint.signature() {
                Some(signature) => {
                    let index = u32::try_from(self.signatures.len()).expect("fewer than 4 billion texts");
                    self.group_signature.push(index);
                    self.signatures.push(*signature);
                    self.signature_group.push(group);
                }
                None => self.group_signature.push(NO_SIGNATURE),
            }
        }
        if fingerprint.is_short() {
            self.short_documents += 1;
        }
        self.documents.push((id, group));
    }

    /// Documents added so far.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Clusters everything added so far. O(n log n) time (one sort per band) and O(n) memory; it can be called again
    /// after more documents are added.
    pub fn clusters(&self) -> Clustering {
        let mut stats = ClusterStats {
            documents: self.documents.len(),
            distinct_texts: self.group_signature.len(),
            short_documents: self.short_documents,
            ..ClusterStats::default()
        };
        let mut sets = UnionFind::new(self.group_signature.len());
        let mut band_values: Vec<(u32, u32)> = Vec::with_capacity(self.signatures.len());
        for band in 0..N_BANDS {
            band_values.clear();
            for (index, signature) in self.signatures.iter().enumerate() {
                let rows = &signature[band * ROWS_PER_BAND..(band + 1) * ROWS_PER_BAND];
                let value = rows.iter().fold(0u32, |value, &row| value.rotate_left(16) ^ u32::from(row));
                band_values.push((value, index as u32));
            }
            band_values.sort_unstable();
            for bucket in band_values.chunk_by(|x, y| x.0 == y.0) {
                if bucket.len() > 1 {
                    self.compare_bucket(bucket, &mut sets, &mut stats);
                }
            }
        }
        let clusters = self.assemble(&mut sets);
        Clustering { clusters, stats }
    }

    fn compare_bucket(&self, bucket: &[(u32, u32)], sets: &mut UnionFind, stats: &mut ClusterStats) {
        stats.largest_bucket = stats.largest_bucket.max(bucket.len());
        let mut compare = |x: u32, y: u32, sets: &mut UnionFind| {
            let (group_x, group_y) = (self.signature_group[x as usize], self.signature_group[y as usize]);
            if sets.find(group_x) == sets.find(group_y) {
                return;
            }
            stats.compared_pairs += 1;
            let similarity = signature_similarity(&self.signatures[x as usize], &self.signatures[y as usize]);
            if similarity >= self.options.threshold {
                stats.joined_pairs += 1;
                sets.union(group_x, group_y);
            }
        };
        if bucket.len() <= self.options.max_bucket {
            for (i, &(_, x)) in bucket.iter().enumerate() {
                for &(_, y) in &bucket[i + 1..] {
                    compare(x, y, sets);
                }
            }
            return;
        }
        stats.saturated_buckets += 1;
        let mut members: Vec<u32> = bucket.iter().map(|&(_, index)| index).collect();
        members.sort_unstable_by(|&x, &y| self.signatures[x as usize].cmp(&self.signatures[y as usize]));
        for (i, &x) in members.iter().enumerate() {
            for &y in members.iter().skip(i + 1).take(self.options.giant_bucket_window) {
                compare(x, y, sets);
            }
        }
    }

    fn assemble(&self, sets: &mut UnionFind) -> Vec<Cluster> {
        let mut by_root: Vec<(u32, DocId, u32)> =
            self.documents.iter().map(|&(id, group)| (sets.find(group), id, group)).collect();
        by_root.sort_unstable();
        let mut clusters: Vec<Cluster> = by_root
            .chunk_by(|x, y| x.0 == y.0)
            .filter(|members| members.len() > 1)
            .map(|members| self.cluster_of(members))
            .collect();
        clusters.sort_by(|x, y| y.members.len().cmp(&x.members.len()).then_with(|| x.members.cmp(&y.members)));
        clusters
    }

    fn cluster_of(&self, members: &[(u32, DocId, u32)]) -> Cluster {
        let similarity = |x: &(u32, DocId, u32), y: &(u32, DocId, u32)| {
            let identical = x.2 == y.2;
            let similarity = if identical {
                1.0
            } else {
                match (self.group_signature[x.2 as usize], self.group_signature[y.2 as usize]) {
                    (NO_SIGNATURE, _) | (_, NO_SIGNATURE) => 0.0,
                    (i, j) => signature_similarity(&self.signatures[i as usize], &self.signatures[j as usize]),
                }
            };
            PairSimilarity { a: x.1, b: y.1, similarity, identical }
        };
        let mut pairs = Vec::new();
        if members.len() <= self.options.max_pairwise_members {
            for (i, x) in members.iter().enumerate() {
                for y in &members[i + 1..] {
                    pairs.push(similarity(x, y));
                }
            }
        } else {
            pairs.extend(members[1..].iter().map(|y| similarity(&members[0], y)));
        }
        Cluster { members: members.iter().map(|member| member.1).collect(), pairs }
    }
}

impl Extend<(DocId, Fingerprint)> for Clusterer {
    fn extend<I: IntoIterator<Item = (DocId, Fingerprint)>>(&mut self, documents: I) {
        for (id, fingerprint) in documents {
            self.add(id, &fingerprint);
        }
    }
}

impl<'a> Extend<(DocId, &'a Fingerprint)> for Clusterer {
    fn extend<I: IntoIterator<Item = (DocId, &'a Fingerprint)>>(&mut self, documents: I) {
        for (id, fingerprint) in documents {
            self.add(id, fingerprint);
        }
    }
}

/// Disjoint sets over group indices, with path halving and union by size.
struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind { parent: (0..n as u32).collect(), size: vec![1; n] }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x
    }

    fn union(&mut self, x: u32, y: u32) {
        let (mut x, mut y) = (self.find(x), self.find(y));
        if x == y {
            return;
        }
        if self.size[x as usize] < self.size[y as usize] {
            std::mem::swap(&mut x, &mut y);
        }
        self.parent[y as usize] = x;
        self.size[x as usize] += self.size[y as usize];
    }
}
