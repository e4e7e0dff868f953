//! End to end with tantivy: documents indexed with both tokenizers are found by a query word in another form,
//! another language's spelling, another script, and by phrase, the way the index crate will query them.

use dossier_lang::{StemTokenizer, WordTokenizer, fold, query_stems, translit};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

struct Fixture {
    index: Index,
    exact: Field,
    stemmed: Field,
}

const DOCUMENTS: &[&str] = &[
    "Міністерство фінансів України перевірило компанію Кривенко.",
    "Министерству финансов России направлен запрос о проверке. Вы это видели?",
    "The Ministry of Finance audited Holdings Limited in Kyiv.",
    "М’ясо та п'ять; ёлки для Хрущёва.",
];

fn text_field(builder: &mut tantivy::schema::SchemaBuilder, name: &str, tokenizer: &str) -> Field {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(tokenizer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    builder.add_text_field(name, TextOptions::default().set_indexing_options(indexing))
}

fn fixture() -> Fixture {
    let mut builder = Schema::builder();
    let exact = text_field(&mut builder, "exact", "dossier_word");
    let stemmed = text_field(&mut builder, "stemmed", "dossier_stem");
    let index = Index::create_in_ram(builder.build());
    index.tokenizers().register("dossier_word", TextAnalyzer::from(WordTokenizer));
    index.tokenizers().register("dossier_stem", TextAnalyzer::from(StemTokenizer));
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, 15_000_000).expect("writer");
    for text in DOCUMENTS {
        let mut document = TantivyDocument::default();
        document.add_text(exact, text);
        document.add_text(stemmed, text);
        writer.add_document(document).expect("add document");
    }
    writer.commit().expect("commit");
    Fixture { index, exact, stemmed }
}

/// Indexes of the documents (in insertion order: one thread, one segment) that `query` finds.
fn found(fixture: &Fixture, query: &dyn Query) -> Vec<u32> {
    let searcher = fixture.index.reader().expect("reader").searcher();
    let mut hits: Vec<u32> = searcher
        .search(query, &TopDocs::with_limit(10).order_by_score())
        .expect("search")
        .into_iter()
        .map(|(_, address)| address.doc_id)
        .collect();
    hits.sort();
    hits
}

fn any_of(field: Field, terms: &[String]) -> BooleanQuery {
    let clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|term| {
            let query: Box<dyn Query> =
                Box::new(TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::Basic));
            (Occur::Should, query)
        })
        .collect();
    BooleanQuery::new(clauses)
}

fn stem_query(fixture: &Fixture, word: &str) -> Vec<u32> {
    found(fixture, &any_of(fixture.stemmed, &query_stems(&fold(word))))
}

#[test]
fn other_word_forms_are_found_through_the_stem_field() {
    let fixture = fixture();
    assert_eq!(stem_query(&fixture, "міністерства"), [0]);
    assert_eq!(stem_query(&fixture, "Министерство"), [1]);
    assert_eq!(stem_query(&fixture, "фінансами"), [0]);
    assert_eq!(stem_query(&fixture, "финансами"), [1]);
    assert_eq!(stem_query(&fixture, "ministries"), [2]);
    assert_eq!(stem_query(&fixture, "holding"), [2]);
    assert_eq!(stem_query(&fixture, "ёлка"), [3]);
    assert_eq!(stem_query(&fixture, "мʼясо"), [3]);
}

#[test]
fn names_are_found_in_the_other_script_through_the_exact_field() {
    let fixture = fixture();
    let translit_query = |word: &str| found(&fixture, &any_of(fixture.exact, &translit::variants(word)));
    assert_eq!(translit_query("Kryvenko"), [0]);
    assert_eq!(translit_query("Krivenko"), [0]);
    assert_eq!(translit_query("Київ"), [2]);
    assert_eq!(translit_query("Khrushcheva"), [3]);
}

#[test]
fn phrases_match_on_the_exact_field_across_apostrophe_variants() {
    let fixture = fixture();
    let phrase = |words: &[&str]| {
        let terms = words.iter().map(|word| Term::from_field_text(fixture.exact, &fold(word))).collect();
        found(&fixture, &PhraseQuery::new(terms))
    };
    assert_eq!(phrase(&["мʼясо", "та", "пʼять"]), [3]);
    assert_eq!(phrase(&["финансов", "России"]), [1]);
    assert!(phrase(&["России", "финансов"]).is_empty());
}
