//! Integration tests of the search index: a small corpus of Russian, Ukrainian and English documents, queried
//! through the real parser as a user types them.

mod fields;
mod lifecycle;
mod morphology;
mod phrases;
mod results;
mod translit;

use dossier_index::{Index, IndexDoc, SearchRequest, SearchResults, Sort};
use dossier_query::{ParseOptions, parse};

/// One document of the test corpus.
pub struct Doc {
    pub id: u64,
    pub path: &'static str,
    pub format: &'static str,
    pub metadata: serde_json::Value,
    pub text: &'static str,
}

pub fn corpus() -> Vec<Doc> {
    vec![
        Doc {
            id: 1,
            path: "/leak/letters/pismo-minoborony.docx",
            format: "docx",
            metadata: serde_json::json!({"title": "О еженедельном отчёте", "author": "Кривенко Олег Петрович", "created": "2023-10-05T09:00:00Z"}),
            text: "Министерство обороны поручает подготовить еженедельный отчёт.\n\nОтчёты направлять в министерство по пятницам. Ответственный: Кривенко О. П.",
        },
        Doc {
            id: 2,
            path: "/leak/letters/lyst-ministerstva.pdf",
            format: "pdf",
            metadata: serde_json::json!({"title": "Лист міністерства", "created": "2023-11-20"}),
            text: "Міністерство оборони доручає підготувати щотижневий звіт.\n\nЗвіти надсилати до міністерства щоп'ятниці. Відповідальний: Кривенко О. П. Ціна м’ясо не змінилася.",
        },
        Doc {
            id: 3,
            path: "/leak/mail/report.eml",
            format: "eml",
            metadata: serde_json::json!({"subject": "Weekly report on recruitment", "from": "\"Oleg Kryvenko\" <o.kryvenko@mil.example.org>", "to": ["analyst@press.example.com"], "date": "2024-01-15T10:30:00+02:00"}),
            text: "Please find the weekly reports attached. The ministry expects the figures by Friday.\nRegards, Oleg Kryvenko",
        },
        Doc {
            id: 4,
            path: "/leak/tables/figures.xlsx",
            format: "xlsx",
            metadata: serde_json::json!({"title": "Показатели по регионам"}),
            text: "Регион\tЧисло\nРостов-на-Дону\t120\nКраснодар\t95\nсмета бюджет расходы",
        },
        Doc {
            id: 5,
            path: "/leak/notes/ёлка.txt",
            format: "text",
            metadata: serde_json::json!({}),
            text: "Ёлка стояла в приёмной министра, рядом с окном. Упомянут Krivenko.",
        },
    ]
}

/// What the analysis would have found in the documents of [`corpus`].
fn entities_of(id: u64) -> Vec<(String, String)> {
    let pairs: &[(&str, &str)] = match id {
        3 => &[("person", "Oleg Kryvenko"), ("email", "o.kryvenko@mil.example.org"), ("phone", "+380441234567")],
        4 => &[("location", "Ростов-на-Дону"), ("location", "Краснодар"), ("inn", "7707083893")],
        5 => &[("organization", "Министерство обороны"), ("person", "Кривенко Олег Петрович")],
        _ => &[],
    };
    pairs.iter().map(|(kind, value)| (kind.to_string(), value.to_string())).collect()
}

/// An index in a temporary folder holding `docs`, committed.
pub fn index_of(docs: &[Doc]) -> (tempfile::TempDir, Index) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut index = Index::open(&dir.path().join("index")).expect("open index");
    let entities: Vec<Vec<(String, String)>> = docs.iter().map(|doc| entities_of(doc.id)).collect();
    let docs: Vec<IndexDoc<'_>> = docs
        .iter()
        .zip(&entities)
        .map(|(doc, entities)| IndexDoc {
            id: doc.id,
            parent_id: None,
            collection: if doc.id == 3 { "mail" } else { "letters" },
            path: doc.path,
            name: doc.path,
            state: "ok",
            format: Some(doc.format),
            metadata: &doc.metadata,
            text: doc.text,
            entities,
        })
        .collect();
    index.add(&docs).expect("add");
    index.commit(docs.len() as i64).expect("commit");
    (dir, index)
}

pub fn search_in(index: &Index, query: &str) -> SearchResults {
    let query = parse(query, &ParseOptions::default()).unwrap_or_else(|err| panic!("{query}: {err}"));
    let request = SearchRequest { query, limit: 100, offset: 0, sort: Sort::Relevance, snippets: 2, facets: true };
    index.search(&request).expect("search")
}

/// The ids a query finds, sorted.
pub fn ids(index: &Index, query: &str) -> Vec<u64> {
    let mut ids: Vec<u64> = search_in(index, query).hits.iter().map(|hit| hit.id).collect();
    ids.sort_unstable();
    ids
}

/// Checks a table of queries against the ids they must find.
pub fn check(cases: &[(&str, &[u64])]) {
    let (_dir, index) = index_of(&corpus());
    let mut failures = Vec::new();
    for (query, expected) in cases {
        let found = ids(&index, query);
        if found != *expected {
            failures.push(format!("{query:?}: found {found:?}, expected {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
