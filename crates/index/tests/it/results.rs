//! What a search returns: totals, paging, ordering, facets and snippets.

use dossier_index::{SearchRequest, Sort};
use dossier_query::{ParseOptions, parse};

use crate::{corpus, index_of, search_in};

fn request(query: &str, limit: usize, offset: usize, sort: Sort) -> SearchRequest {
    SearchRequest {
        query: parse(query, &ParseOptions::default()).expect("parse"),
        limit,
        offset,
        sort,
        snippets: 1,
        facets: true,
    }
}

#[test]
fn total_counts_every_hit_and_pages_cover_them_once() {
    let (_dir, index) = index_of(&corpus());
    let all = index.search(&request("", 100, 0, Sort::Relevance)).expect("all");
    assert_eq!(all.total, 5);
    let mut seen = Vec::new();
    for offset in [0, 2, 4] {
        let page = index.search(&request("", 2, offset, Sort::Relevance)).expect("page");
        assert_eq!(page.total, 5);
        seen.extend(page.hits.iter().map(|hit| hit.id));
    }
    seen.sort_unstable();
    assert_eq!(seen, vec![1, 2, 3, 4, 5]);
    let mut streamed = Vec::new();
    let n = index
        .for_each_hit::<dossier_index::IndexError>(
            &parse("", &ParseOptions::default()).expect("parse"),
            0,
            &mut |hit| {
                streamed.push(hit.id);
                Ok(())
            },
        )
        .expect("stream");
    assert_eq!(n, 5);
    streamed.sort_unstable();
    assert_eq!(streamed, vec![1, 2, 3, 4, 5]);
}

#[test]
fn title_matches_rank_first() {
    let (_dir, index) = index_of(&corpus());
    let results = search_in(&index, "report");
    assert_eq!(results.hits[0].id, 3);
    assert!(results.hits[0].score.is_some_and(|score| score > 0.0));
}

#[test]
fn date_order_puts_undated_documents_last() {
    let (_dir, index) = index_of(&corpus());
    let newest: Vec<u64> =
        index.search(&request("", 10, 0, Sort::Newest)).expect("newest").hits.iter().map(|h| h.id).collect();
    assert_eq!(&newest[..3], &[3, 2, 1]);
    let oldest: Vec<u64> =
        index.search(&request("", 10, 0, Sort::Oldest)).expect("oldest").hits.iter().map(|h| h.id).collect();
    assert_eq!(&oldest[..3], &[1, 2, 3]);
    assert_eq!(
        index.search(&request("", 10, 0, Sort::Newest)).expect("newest").hits[0].date.as_deref(),
        Some("2024-01-15T08:30:00Z")
    );
}

#[test]
fn facets_count_the_matching_documents() {
    let (_dir, index) = index_of(&corpus());
    let results = search_in(&index, "кривенко OR kryvenko");
    let facet = |name: &str| -> Vec<(String, u64)> {
        results
            .facets
            .iter()
            .find(|(facet, _)| facet == name)
            .map(|(_, values)| values.iter().map(|v| (v.value.clone(), v.count)).collect())
            .unwrap_or_default()
    };
    assert_eq!(results.total, 3);
    assert_eq!(facet("type"), vec![("docx".into(), 1), ("eml".into(), 1), ("pdf".into(), 1)]);
    assert_eq!(facet("lang"), vec![("en".into(), 1), ("ru".into(), 1), ("uk".into(), 1)]);
    assert_eq!(facet("collection"), vec![("letters".into(), 2), ("mail".into(), 1)]);
    assert_eq!(facet("year"), vec![("2024".into(), 1), ("2023".into(), 2)]);
    assert_eq!(facet("sender_domain"), vec![("mil.example.org".into(), 1)]);
    assert_eq!(facet("extension"), vec![("docx".into(), 1), ("eml".into(), 1), ("pdf".into(), 1)]);
    assert_eq!(facet("person"), vec![("Oleg Kryvenko".into(), 1)]);
    let all = search_in(&index, "ёлка OR регион");
    let all_facet = |name: &str| -> Vec<(String, u64)> {
        let values = all.facets.iter().find(|(facet, _)| facet == name).map(|(_, v)| v.clone()).unwrap_or_default();
        values.into_iter().map(|v| (v.value, v.count)).collect()
    };
    assert_eq!(all_facet("loc"), vec![("Краснодар".into(), 1), ("Ростов-на-Дону".into(), 1)]);
    assert_eq!(all_facet("org"), vec![("Министерство обороны".into(), 1)]);
}

#[test]
fn snippets_mark_the_inflected_forms_found() {
    let (_dir, index) = index_of(&corpus());
    let results = search_in(&index, "министерство");
    let snippet = &results.hits[0].snippets[0];
    assert_eq!(
        snippet.marked("[", "]"),
        "[Министерство] обороны поручает подготовить еженедельный отчёт. Отчёты направлять в [министерство] по пятницам. Ответственный:…"
    );
    // Negated words are not marked.
    let results = search_in(&index, "кривенко -министерство");
    assert!(results.hits.iter().all(|hit| hit.snippets.iter().all(|s| !s.marked("[", "]").contains("[Міністерство]"))));
}

#[test]
fn a_query_of_punctuation_only_is_an_error_not_zero_results() {
    let (_dir, index) = index_of(&corpus());
    let err = index.search(&request("—", 10, 0, Sort::Relevance)).expect_err("nothing to search");
    assert!(err.to_string().contains("no searchable word"), "{err}");
}

#[test]
fn highlight_marks_every_form_of_the_query_words_in_a_whole_text() {
    let (_dir, index) = index_of(&corpus());
    let text = corpus().into_iter().find(|doc| doc.id == 1).expect("document 1").text;
    let query = parse("министерство отчёт", &ParseOptions::default()).expect("parse");
    let marked: Vec<&str> =
        index.highlight(&query, text).expect("highlight").iter().map(|&(start, end)| &text[start..end]).collect();
    assert_eq!(marked, ["Министерство", "отчёт", "Отчёты", "министерство"]);
    let exact = parse("\"отчёт\"", &ParseOptions::default()).expect("parse");
    let marked: Vec<&str> =
        index.highlight(&exact, text).expect("highlight").iter().map(|&(start, end)| &text[start..end]).collect();
    assert_eq!(marked, ["отчёт"]);
    let nothing = parse("", &ParseOptions::default()).expect("parse");
    assert!(index.highlight(&nothing, text).expect("highlight").is_empty());
}

#[test]
fn an_absurd_offset_or_limit_is_an_empty_page_not_an_allocation() {
    // Found by schemathesis: an offset of billions made tantivy reserve a heap of that size and the process abort.
    let (_dir, index) = index_of(&corpus());
    let page = index.search(&request("", 10, usize::MAX / 2, Sort::Relevance)).expect("search");
    assert_eq!((page.total, page.hits.len()), (5, 0));
    let all = index.search(&request("", usize::MAX / 2, 0, Sort::Newest)).expect("search");
    assert_eq!(all.hits.len(), 5);
}
