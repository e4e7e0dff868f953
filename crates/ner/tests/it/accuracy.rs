//! Accuracy on the real corpora, scored exactly as `examples/compare.rs` scores (exact spans, natasha's own mapping of
//! the gold types). The floors sit just under what natasha 1.6.0 itself scores on the same texts, which this port
//! reproduces span for span: a drop means the port no longer computes what natasha computes.

use dossier_ner::Kind;

use crate::gold::{self, Counts, Document, Span};

fn scores(documents: &[Document]) -> Vec<(Option<Kind>, Counts)> {
    let model = crate::model();
    let predicted: Vec<Vec<Span>> = documents
        .iter()
        .map(|document| {
            let entities = model.entities(&document.text);
            entities.iter().map(|e| Span { start: e.start, end: e.end, kind: e.kind }).collect()
        })
        .collect();
    [Some(Kind::Person), Some(Kind::Organization), Some(Kind::Location), None]
        .into_iter()
        .map(|kind| {
            let mut counts = Counts::default();
            for (document, predicted) in documents.iter().zip(&predicted) {
                counts.add(&document.gold, predicted, kind);
            }
            (kind, counts)
        })
        .collect()
}

fn check(documents: &[Document], floors: [f64; 4]) {
    let scores = scores(documents);
    let report: Vec<String> = scores
        .iter()
        .map(|(kind, counts)| format!("{} F1 {:.4} ({counts:?})", kind.map_or("all", Kind::code), counts.f1()))
        .collect();
    for ((_, counts), floor) in scores.iter().zip(floors) {
        assert!(counts.f1() >= floor, "under the floors {floors:?}: {report:#?}");
    }
}

#[test]
fn the_factrueval_devset_scores_as_natasha_does() {
    // natasha 1.6.0 on them: PER 0.9262, ORG 0.7298, LOC 0.9053, all 0.8680.
    let documents = gold::load_factrueval(&crate::corpus().join("factRuEval-2016/devset")).expect("factRuEval");
    assert_eq!(documents.len(), 122);
    check(&documents, [0.925, 0.728, 0.904, 0.867]);
}

#[test]
fn collection5_scores_as_natasha_does() {
    // The first 150 texts (a quarter of a million characters) keep the test short. natasha 1.6.0 on them:
    // PER 0.9785, ORG 0.9180, LOC 0.9751, all 0.9579.
    let mut documents = gold::load_collection5(&crate::corpus().join("collection5/collection5")).expect("collection5");
    documents.truncate(150);
    check(&documents, [0.977, 0.917, 0.974, 0.957]);
}
