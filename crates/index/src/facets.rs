//! Facet counts: how many matching documents fall in each format, language, collection, year, extension and
//! sender domain, counted from the fast fields in the same pass as the ranking.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentReader};

/// The string facets, by field name in the schema, and the name they have in results.
pub const STRING_FACETS: &[(&str, &str)] = &[
    ("format", "type"),
    ("lang", "lang"),
    ("collection", "collection"),
    ("ext", "extension"),
    ("sender_domain", "sender_domain"),
    ("person_facet", "person"),
    ("org_facet", "org"),
    ("loc_facet", "loc"),
];
/// How many values of each facet a result lists (the most frequent ones).
pub const MAX_VALUES_PER_FACET: usize = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u64,
}

/// Facet name → its most frequent values, most frequent first (ties by value).
pub type Facets = Vec<(String, Vec<FacetValue>)>;

pub struct FacetCollector;

pub struct FacetSegmentCollector {
    strings: Vec<Option<(StrColumn, Vec<u64>)>>,
    year: Column<u64>,
    years: HashMap<u64, u64>,
}

/// Counts per value, per facet, merged across segments.
#[derive(Debug, Default)]
pub struct FacetCounts {
    strings: Vec<HashMap<String, u64>>,
    years: HashMap<u64, u64>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(&self, _segment: u32, reader: &SegmentReader) -> tantivy::Result<FacetSegmentCollector> {
        let fast = reader.fast_fields();
        let mut strings = Vec::with_capacity(STRING_FACETS.len());
        for (field, _) in STRING_FACETS {
            strings.push(fast.str(field)?.map(|column| {
                let n_terms = column.num_terms();
                (column, vec![0u64; n_terms])
            }));
        }
        Ok(FacetSegmentCollector { strings, year: fast.u64("year")?, years: HashMap::new() })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut merged = FacetCounts { strings: vec![HashMap::new(); STRING_FACETS.len()], years: HashMap::new() };
        for fruit in fruits {
            for (into, from) in merged.strings.iter_mut().zip(fruit.strings) {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
            }
            for (year, count) in fruit.years {
                *merged.years.entry(year).or_default() += count;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for (column, counts) in self.strings.iter_mut().flatten() {
            for ord in column.term_ords(doc) {
                if let Some(count) = counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
        if let Some(year) = self.year.first(doc) {
            *self.years.entry(year).or_default() += 1;
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut strings = Vec::with_capacity(self.strings.len());
        for facet in self.strings {
            let mut values = HashMap::new();
            if let Some((column, counts)) = facet {
                let mut value = String::new();
                for (ord, count) in counts.into_iter().enumerate() {
                    if count > 0 && column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                        values.insert(value.clone(), count);
                    }
                }
            }
            strings.push(values);
        }
        FacetCounts { strings, years: self.years }
    }
}

impl FacetCounts {
    pub fn into_facets(self) -> Facets {
        let top = |counts: HashMap<String, u64>| {
            let mut values: Vec<FacetValue> =
                counts.into_iter().map(|(value, count)| FacetValue { value, count }).collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            values.truncate(MAX_VALUES_PER_FACET);
            values
        };
        let mut facets: Facets = Vec::with_capacity(STRING_FACETS.len() + 1);
        let mut strings = self.strings.into_iter();
        for (_, name) in STRING_FACETS {
            facets.push((name.to_string(), top(strings.next().unwrap_or_default())));
        }
        let years = self.years.into_iter().map(|(year, count)| (year.to_string(), count)).collect();
        let mut years: Vec<FacetValue> = top(years);
        // Years read best in order.
        years.sort_by(|a, b| b.value.cmp(&a.value));
        facets.push(("year".to_string(), years));
        facets
    }
}
