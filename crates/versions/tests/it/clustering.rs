//! Clustering: planted versions are found among unrelated texts, identical and short texts are handled by their
//! exact hash, and a giant bucket of boilerplate costs linear work.

use dossier_versions::{ClusterOptions, Clusterer, Fingerprint};

use crate::fingerprints::russian_text;

fn edit(text: &str, every: usize, tag: usize) -> String {
    text.split(' ')
        .enumerate()
        .map(|(index, word)| if index % every == every / 2 { format!("правка{tag}") } else { word.to_string() })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn planted_versions_are_clustered_and_nothing_else() {
    let mut clusterer = Clusterer::new(ClusterOptions::default());
    // 200 unrelated texts; texts 0..20 each get two versions: one with every 25th word changed, one in capitals.
    for id in 0..200u64 {
        clusterer.add(id, &Fingerprint::of(&russian_text(300, id)));
    }
    for id in 0..20u64 {
        let text = russian_text(300, id);
        clusterer.add(1000 + id, &Fingerprint::of(&edit(&text, 25, id as usize)));
        clusterer.add(2000 + id, &Fingerprint::of(&text.to_uppercase()));
    }
    let clustering = clusterer.clusters();
    assert_eq!(clustering.clusters.len(), 20);
    for cluster in &clustering.clusters {
        let base = cluster.members[0];
        assert_eq!(cluster.members, [base, 1000 + base, 2000 + base]);
        assert_eq!(cluster.pairs.len(), 3);
        let identical = cluster.pairs.iter().find(|pair| pair.a == base && pair.b == 2000 + base).expect("listed");
        assert!(identical.identical && identical.similarity == 1.0);
        assert!(cluster.pairs.iter().all(|pair| pair.similarity > 0.5));
    }
    assert_eq!(clustering.stats.documents, 240);
    assert_eq!(clustering.stats.distinct_texts, 220);
}

#[test]
fn short_texts_are_clustered_only_when_identical() {
    let mut clusterer = Clusterer::new(ClusterOptions::default());
    clusterer.add(1, &Fingerprint::of("Приложение 1"));
    clusterer.add(2, &Fingerprint::of("ПРИЛОЖЕНИЕ 1."));
    clusterer.add(3, &Fingerprint::of("Приложение 2"));
    let clustering = clusterer.clusters();
    assert_eq!(clustering.clusters.len(), 1);
    assert_eq!(clustering.clusters[0].members, [1, 2]);
    assert_eq!(clustering.stats.short_documents, 3);
}

#[test]
fn a_giant_bucket_of_form_letters_is_compared_in_linear_work() {
    // 3000 copies of one form, each with a different name and number: one cluster, found through buckets far larger
    // than max_bucket, with a number of comparisons linear in the copies (not 4.5 million pairs).
    let form = russian_text(200, 7);
    let mut clusterer = Clusterer::new(ClusterOptions::default());
    for id in 0..3000u64 {
        clusterer.add(id, &Fingerprint::of(&format!("Уважаемый {id} {} номер {}", form, id * 7)));
    }
    let clustering = clusterer.clusters();
    assert_eq!(clustering.clusters.len(), 1);
    assert_eq!(clustering.clusters[0].members.len(), 3000);
    assert!(clustering.stats.saturated_buckets > 0);
    assert!(clustering.stats.compared_pairs < 3000 * 32 * 8, "{:?}", clustering.stats);
    // Too many members to list every pair: each against the first.
    assert_eq!(clustering.clusters[0].pairs.len(), 2999);
}

#[test]
fn clusters_can_be_asked_for_again_after_more_documents() {
    let mut clusterer = Clusterer::new(ClusterOptions::default());
    let text = russian_text(300, 9);
    clusterer.add(1, &Fingerprint::of(&text));
    assert!(clusterer.clusters().clusters.is_empty());
    clusterer.extend([(2, Fingerprint::of(&edit(&text, 30, 1)))]);
    assert_eq!(clusterer.clusters().clusters[0].members, [1, 2]);
}

#[test]
fn the_clustering_is_json() {
    let mut clusterer = Clusterer::new(ClusterOptions::default());
    let text = russian_text(300, 11);
    clusterer.add(5, &Fingerprint::of(&text));
    clusterer.add(6, &Fingerprint::of(&text));
    let json = serde_json::to_value(clusterer.clusters()).expect("serialisable");
    assert_eq!(json["clusters"][0]["members"], serde_json::json!([5, 6]));
    assert_eq!(json["clusters"][0]["pairs"][0]["identical"], true);
}
