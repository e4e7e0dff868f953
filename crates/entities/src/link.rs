//! Linking the mentions of a collection into entities.

use std::collections::BTreeMap;

use serde::Serialize;

/// Mentions of one kind sharing a key and a value, counted over a collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub key: String,
    pub value: String,
    pub mentions: u64,
}

/// One entity: the (key, value) pairs it gathers, and why they were gathered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Linked {
    /// Stable within a collection and the analyser's version; safe in a URL path segment once percent-encoded.
    pub id: String,
    /// The form shown: the most frequent value.
    pub name: String,
    pub members: Vec<(String, String)>,
    pub mentions: u64,
    /// In words, why the members are one entity.
    pub why: Vec<String>,
}

/// Gathers `rows` of one kind into entities: rows with the same key are one entity.
pub fn link(_kind: &str, rows: &[Named]) -> Vec<Linked> {
    let mut by_key: BTreeMap<&str, Vec<&Named>> = BTreeMap::new();
    for row in rows {
        by_key.entry(&row.key).or_default().push(row);
    }
    by_key
        .into_iter()
        .map(|(key, rows)| {
            let name = rows
                .iter()
                .max_by(|a, b| a.mentions.cmp(&b.mentions).then_with(|| b.value.cmp(&a.value)))
                .map(|row| row.value.clone())
                .unwrap_or_default();
            let why = if rows.len() > 1 {
                vec![format!("{} forms with the same words in dictionary form ({key})", rows.len())]
            } else {
                Vec::new()
            };
            Linked {
                id: key.to_string(),
                name,
                members: rows.iter().map(|row| (row.key.clone(), row.value.clone())).collect(),
                mentions: rows.iter().map(|row| row.mentions).sum(),
                why,
            }
        })
        .collect()
}
