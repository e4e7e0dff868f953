//! The home page (collections and the search box) and the results page: hits with marked snippets, facets that
//! narrow the query when clicked, paging, order, and the export of every hit.

use axum::extract::State;
use axum::response::Html;
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::PageQuery;
use super::strings::fill;
use super::{PageError, frame, percent_encode, query_string, render, shown, shown_plain, strings};
use crate::AppState;
use crate::api::{CollectionSummary, SearchParams, SortParam};
use crate::error::ApiError;

/// Hits per page of results.
const PAGE_SIZE: usize = 20;
/// Page links shown around the current one.
const PAGE_LINKS: usize = 4;
/// The highest page number honoured (20 million hits deep).
const MAX_PAGE: usize = 1_000_000;

/// The query string of the results page, as the search form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    pub q: String,
    /// 1-based.
    pub page: Option<usize>,
    pub sort: Option<SortParam>,
    /// A checkbox: present (`on`) or absent.
    pub translit: Option<String>,
    pub collection: Option<String>,
}

impl SearchForm {
    fn translit(&self) -> bool {
        self.translit.as_deref().is_some_and(|value| !matches!(value, "" | "0" | "false" | "off"))
    }

    /// The page asked for, 1-based, within reason: past the last page a page is simply empty.
    fn page(&self) -> usize {
        self.page.unwrap_or(1).clamp(1, MAX_PAGE)
    }

    fn collection(&self) -> Option<&str> {
        self.collection.as_deref().filter(|name| !name.is_empty())
    }

    fn sort_name(&self) -> &'static str {
        match self.sort.unwrap_or_default() {
            SortParam::Relevance => "",
            SortParam::Newest => "newest",
            SortParam::Oldest => "oldest",
        }
    }

    /// The URL of the results for `q` with this form's other settings, on `page`.
    fn url_for(&self, q: &str, page: usize) -> String {
        let page = if page > 1 { page.to_string() } else { String::new() };
        let translit = if self.translit() { "on" } else { "" };
        let pairs = [
            ("q", q),
            ("sort", self.sort_name()),
            ("translit", translit),
            ("collection", self.collection().unwrap_or("")),
            ("page", page.as_str()),
        ];
        format!("/search?{}", query_string(&pairs))
    }

    fn api_params(&self) -> SearchParams {
        SearchParams {
            q: self.q.clone(),
            limit: Some(PAGE_SIZE),
            offset: Some((self.page() - 1) * PAGE_SIZE),
            sort: self.sort,
            translit: self.translit(),
            collection: self.collection().map(str::to_string),
        }
    }
}

pub async fn home(State(state): State<AppState>) -> Result<Html<String>, PageError> {
    let s = strings();
    let collections = state.pool.run(|dossier| Ok(crate::api::status_of(dossier)?.collections)).await?;
    let content = html! {
        h1 { (s.search_title) }
        p { (s.home_intro) }
        (search_form(&SearchForm::default(), &collections, true))
        h2 #collections { (s.collections_title) }
        (collections_table(&collections))
    };
    Ok(render(frame(s.search_title, content)))
}

pub async fn results(
    State(state): State<AppState>,
    PageQuery(form): PageQuery<SearchForm>,
) -> Result<Html<String>, PageError> {
    let s = strings();
    let params = form.api_params();
    let parsed = params.request(3);
    let request = match parsed {
        Ok(request) => Some(request),
        Err(ApiError { code: "bad_query", .. }) => None,
        Err(other) => return Err(other.into()),
    };
    let (collections, results, named) = state
        .pool
        .run(move |dossier| {
            let collections = crate::api::status_of(dossier)?.collections;
            let results = match request {
                Some(request) => Some(dossier.search(&request)?),
                None => None,
            };
            let mut named = std::collections::HashMap::new();
            for hit in results.iter().flat_map(|results| &results.hits) {
                named.insert(hit.id, super::entities::named_in(dossier, hit.id as i64)?);
            }
            Ok((collections, results, named))
        })
        .await?;
    let title =
        if form.q.trim().is_empty() { s.search_title.to_string() } else { format!("{} · {}", form.q, s.search_title) };
    let content = html! {
        h1.visually-hidden { (s.search_title) }
        (search_form(&form, &collections, false))
        @match (&results, params.query()) {
            (_, Err(err)) => (query_error(&form.q, &err)),
            (Some(results), Ok(_)) => (results_view(&form, results, &named)),
            (None, Ok(_)) => {},
        }
    };
    Ok(render(frame(&title, content)))
}

fn search_form(form: &SearchForm, collections: &[CollectionSummary], autofocus: bool) -> Markup {
    let s = strings();
    let sort = form.sort.unwrap_or_default();
    html! {
        form.search role="search" method="get" action="/search" {
            label.visually-hidden for="q" { (s.search_label) }
            input #q type="search" name="q" value=(form.q) placeholder=(s.search_placeholder)
                autocomplete="off" spellcheck="false" autofocus[autofocus] aria-describedby="syntax";
            label {
                span.visually-hidden { (s.sort_label) }
                select name="sort" aria-label=(s.sort_label) {
                    option value="relevance" selected[sort == SortParam::Relevance] { (s.sort_relevance) }
                    option value="newest" selected[sort == SortParam::Newest] { (s.sort_newest) }
                    option value="oldest" selected[sort == SortParam::Oldest] { (s.sort_oldest) }
                }
            }
            @if collections.len() > 1 || form.collection().is_some() {
                select name="collection" aria-label=(s.collection_label) {
                    option value="" { (s.all_collections) }
                    @for collection in collections {
                        option value=(collection.name) selected[form.collection() == Some(collection.name.as_str())] {
                            (shown_plain(&collection.name))
                        }
                    }
                }
            }
            label { input type="checkbox" name="translit" checked[form.translit()]; (s.translit_label) }
            button type="submit" { (s.search_button) }
        }
        details.syntax #syntax {
            summary { (s.syntax_help) }
            pre { (dossier_query::SYNTAX_HELP) }
        }
    }
}

fn query_error(q: &str, err: &ApiError) -> Markup {
    let s = strings();
    let position = err.position.unwrap_or(0);
    html! {
        div.query-error role="alert" {
            strong { (s.query_error) } " " (err.message)
            pre { (q) "\n" (" ".repeat(position)) "^" }
        }
    }
}

fn results_view(
    form: &SearchForm,
    results: &dossier_core::SearchResults,
    named: &std::collections::HashMap<u64, Vec<(String, &'static str)>>,
) -> Markup {
    let s = strings();
    let page = form.page();
    let n_pages = (results.total as usize).div_ceil(PAGE_SIZE).max(1);
    let shown_from = results.offset + 1;
    let shown_to = results.offset + results.hits.len();
    let export = |format: &str| {
        let translit = if form.translit() { "on" } else { "" };
        let pairs = [
            ("q", form.q.as_str()),
            ("translit", translit),
            ("collection", form.collection().unwrap_or("")),
            ("format", format),
        ];
        format!("/api/v1/search/export?{}", query_string(&pairs))
    };
    html! {
        div.results-layout {
            section aria-label=(s.search_title) {
                p.summary-line {
                    strong #total data-total=(results.total) { (fill(s.hits_total, &[("n", &results.total.to_string())])) }
                    @if !results.hits.is_empty() {
                        span { (fill(s.hits_showing, &[("from", &shown_from.to_string()), ("to", &shown_to.to_string())])) }
                    }
                }
                @if results.hits.is_empty() {
                    p.panel { (s.no_hits) }
                }
                ol.hits start=(shown_from) {
                    @for hit in &results.hits {
                        li.hit data-id=(hit.id) {
                            h2 {
                                a href=(document_url(hit.id, form)) { (shown(&hit.title)) }
                                span.badges {
                                    @if let Some(format) = &hit.format { span.badge { (shown(format)) } }
                                    @if let Some(lang) = &hit.lang { span.badge { (shown(lang)) } }
                                    @if let Some(date) = &hit.date { span.badge { (shown(date)) } }
                                }
                            }
                            div.hit-path {
                                (shown(&hit.path)) " · " (shown(&fill(s.in_collection, &[("collection", &hit.collection)])))
                            }
                            @for snippet in &hit.snippets {
                                @let names = named.get(&hit.id).map_or(&[][..], Vec::as_slice);
                                p.snippet lang=[hit.lang.as_deref()] { (PreEscaped(super::entities::snippet_html(snippet, names))) }
                            }
                        }
                    }
                }
                @if n_pages > 1 { (pages(form, page, n_pages)) }
            }
            aside.facets aria-label=(s.facets_title) {
                h2 { (s.export_title) }
                div.export {
                    a.button href=(export("csv")) download { (s.export_csv) }
                    a.button href=(export("jsonl")) download { (s.export_json) }
                }
                @for (name, values) in &results.facets {
                    @if !values.is_empty() {
                        h2 { (facet_title(name)) }
                        ul {
                            @for value in values {
                                li {
                                    a href=(form.url_for(&narrowed(&form.q, name, &value.value), 1)) { (shown(&value.value)) }
                                    span.count { (value.count) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn pages(form: &SearchForm, page: usize, n_pages: usize) -> Markup {
    let s = strings();
    let first = page.saturating_sub(PAGE_LINKS).max(1);
    let last = (page + PAGE_LINKS).min(n_pages);
    html! {
        nav.pages aria-label=(s.pages_label) {
            @if page > 1 { a rel="prev" href=(form.url_for(&form.q, page - 1)) { (s.page_previous) } }
            @for number in first..=last {
                @if number == page {
                    span aria-current="page" { (number) }
                } @else {
                    a href=(form.url_for(&form.q, number)) { (number) }
                }
            }
            @if page < n_pages { a rel="next" href=(form.url_for(&form.q, page + 1)) { (s.page_next) } }
        }
    }
}

fn facet_title(name: &str) -> &'static str {
    let s = strings();
    match name {
        "type" => s.facet_type,
        "lang" => s.facet_lang,
        "collection" => s.facet_collection,
        "year" => s.facet_year,
        "extension" => s.facet_extension,
        "sender_domain" => s.facet_sender_domain,
        "person" => s.facet_person,
        "org" => s.facet_org,
        "loc" => s.facet_loc,
        _ => "",
    }
}

/// The query narrowed to one facet value: `q type:pdf`, `q date:2023`, `q collection:"leak 2023"`. The filter
/// parses back to exactly the value, whatever characters it holds (a collection may be named `say "hi"`).
pub fn narrowed(q: &str, facet: &str, value: &str) -> String {
    use dossier_query::Field;
    let filter = match facet {
        "type" => field_filter(Field::Type, value),
        "lang" => field_filter(Field::Lang, value),
        "collection" => field_filter(Field::Collection, value),
        "year" => format!("date:{value}"),
        "extension" => field_filter(Field::Ext, value),
        "sender_domain" => field_filter(Field::From, value),
        "person" => field_filter(Field::Person, value),
        "org" => field_filter(Field::Org, value),
        "loc" => field_filter(Field::Loc, value),
        _ => return q.to_string(),
    };
    let q = q.trim();
    if q.is_empty() { filter } else { format!("{q} {filter}") }
}

/// `field:value` in the query language, read back by the parser as exactly `value`: bare when the value is one
/// plain word (`type:pdf`), else a quoted phrase with `"` and `\` escaped (`collection:"say \"hi\""`), else, when
/// a phrase would not keep its spacing (runs of spaces, tabs), one word with every special character escaped.
/// Written by the query crate's own renderer, so it follows the syntax the parser reads.
pub fn field_filter(field: dossier_query::Field, value: &str) -> String {
    use dossier_query::{Query, Word, render};
    let word =
        Query::Word { field, word: Word { text: value.to_string(), prefix: false, fuzzy: None, translit: false } };
    let as_word = render(&word);
    let bare = format!("{}:{value}", field.name());
    let words: Vec<String> = value.split_whitespace().map(str::to_string).collect();
    if as_word == bare && field != dossier_query::Field::From {
        as_word
    } else if !words.is_empty() && words.join(" ") == value {
        render(&Query::Phrase { field, words, slop: 0 })
    } else {
        as_word
    }
}

fn document_url(id: u64, form: &SearchForm) -> String {
    let translit = if form.translit() { "on" } else { "" };
    let query = query_string(&[("q", form.q.as_str()), ("translit", translit)]);
    if query.is_empty() { format!("/documents/{id}") } else { format!("/documents/{id}?{query}#first-hit") }
}

pub fn collections_table(collections: &[CollectionSummary]) -> Markup {
    let s = strings();
    html! {
        @if collections.is_empty() {
            p.panel { (s.no_collections) }
        } @else {
            table {
                thead { tr {
                    th { (s.col_collection) }
                    th.num { (s.col_documents) }
                    th.num { (s.state_ok) }
                    th.num { (s.state_partial) }
                    th.num { (s.state_failed) }
                    th.num { (s.state_pending) }
                } }
                tbody {
                    @for collection in collections {
                        tr {
                            td { a href={ "/collections/" (percent_encode(&collection.name)) } { (shown(&collection.name)) } }
                            td.num { (collection.counts.documents) }
                            td.num { (collection.counts.ok) }
                            td.num { (collection.counts.partial) }
                            td.num { (collection.counts.failed) }
                            td.num { (collection.counts.pending) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::narrowed;

    #[test]
    fn facet_values_narrow_the_query() {
        assert_eq!(narrowed("", "type", "pdf"), "type:pdf");
        assert_eq!(narrowed("отчёт", "year", "2023"), "отчёт date:2023");
        assert_eq!(narrowed("a", "collection", "leak 2023"), "a collection:\"leak 2023\"");
        assert_eq!(narrowed("a", "sender_domain", "mail.ru"), "a from:\"mail.ru\"");
        assert_eq!(narrowed("a", "extension", "-x"), "a ext:\"-x\"");
        assert_eq!(narrowed("", "collection", r#"say "hi" \ there"#), r#"collection:"say \"hi\" \\ there""#);
    }

    #[test]
    fn a_facet_value_with_quotes_or_backslashes_narrows_to_exactly_that_value() {
        use dossier_query::{Field, ParseOptions, Query, parse};
        let values =
            [r#"say "hi""#, r#"C:\Users\ivan"#, "a\\", "\"", "two  spaces", " lead", "tab\tin", "AND", "-x", "a:b"];
        for (facet, field) in [("collection", Field::Collection), ("type", Field::Type), ("sender_domain", Field::From)]
        {
            for value in values {
                let text = narrowed("", facet, value);
                let parsed = parse(&text, &ParseOptions::default()).unwrap_or_else(|err| panic!("{text}: {err}"));
                let read = match parsed {
                    Query::Word { field: f, word } if f == field => word.text,
                    Query::Phrase { field: f, words, slop: 0 } if f == field => words.join(" "),
                    other => panic!("{text} parsed as {other:?}"),
                };
                assert_eq!(read, value, "{facet}: {text}");
            }
        }
    }
}
