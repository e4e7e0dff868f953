//! The entity pages: a collection's names and identifiers (`/collections/{name}/entities`), one entity with every
//! mention in context, its documents and its neighbours (`/entities/{kind}/{id}`), and the pieces the document page
//! shows (the side panel of a document's entities, the marks of its text and their legend).

use axum::extract::State;
use axum::response::Html;
use maud::{Markup, html};
use serde::Deserialize;

use super::strings::fill;
use super::{PageError, PagePath, PageQuery, frame, percent_encode, query_string, render, shown, strings};
use crate::AppState;
use crate::entities::{DocumentEntities, EntityDto, entity_detail, entity_url};

/// The word for a kind (`Person`, `INN`), or the kind itself.
pub fn kind_label(kind: &str) -> &str {
    strings().kind_labels.iter().find(|(k, _)| *k == kind).map_or(kind, |(_, label)| label)
}

/// The family a kind is marked with in the text: one colour and one toggle each.
pub fn family(kind: &str) -> &'static str {
    match kind {
        "person" => "person",
        "organization" => "org",
        "location" => "loc",
        "date" | "date_range" | "week" | "amount" => "figure",
        _ => "id",
    }
}

/// The families in the legend's order.
const FAMILIES: [&str; 5] = ["person", "org", "loc", "id", "figure"];

fn family_label(family: &str) -> &'static str {
    let s = strings();
    match family {
        "person" => s.facet_person,
        "org" => s.facet_org,
        "loc" => s.facet_loc,
        "id" => s.legend_identifiers,
        _ => s.legend_figures,
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListForm {
    pub kind: Option<String>,
}

/// Entities listed on a collection's page at most; the API and the exports have all of them.
const MAX_LISTED: usize = 2000;

pub async fn list(
    State(state): State<AppState>,
    PagePath(name): PagePath<String>,
    PageQuery(form): PageQuery<ListForm>,
) -> Result<Html<String>, PageError> {
    let s = strings();
    let (collection, kind) = (name.clone(), form.kind.clone().filter(|kind| !kind.is_empty()));
    let (entities, kinds) = state
        .pool
        .run(move |dossier| {
            crate::api::collection_of(dossier, &collection)?;
            let all = dossier.entities(Some(&collection), None)?;
            let mut kinds: Vec<(String, usize)> = Vec::new();
            for entity in &all {
                match kinds.iter_mut().find(|(k, _)| *k == entity.kind) {
                    Some((_, n)) => *n += 1,
                    None => kinds.push((entity.kind.clone(), 1)),
                }
            }
            let chosen: Vec<EntityDto> = all
                .into_iter()
                .filter(|entity| kind.as_deref().is_none_or(|k| entity.kind == k))
                .take(MAX_LISTED)
                .map(|entity| EntityDto::of(entity, Some(&collection)))
                .collect();
            Ok((chosen, kinds))
        })
        .await?;
    let title = fill(s.entities_in, &[("name", &name)]);
    let base = format!("/collections/{}/entities", percent_encode(&name));
    let export = |format: &str| {
        format!("/api/v1/entities/export?{}", query_string(&[("collection", name.as_str()), ("format", format)]))
    };
    let content = html! {
        h1 { (shown(&title)) }
        div.actions {
            a.button href=(export("ftm")) download { (s.export_ftm) }
            a.button href=(export("csv")) download { (s.export_csv) }
        }
        nav.kinds aria-label=(s.all_kinds) {
            a href=(base) aria-current=[form.kind.is_none().then_some("page")] { (s.all_kinds) }
            @for (kind, n) in &kinds {
                a href={ (base) "?kind=" (percent_encode(kind)) }
                    aria-current=[(form.kind.as_deref() == Some(kind.as_str())).then_some("page")] {
                    (kind_label(kind)) " (" (n) ")"
                }
            }
        }
        @if entities.is_empty() {
            p.empty { (s.no_entities) }
        } @else {
            table #entities {
                thead { tr {
                    th { (s.col_kind) } th { (s.col_name) } th.num { (s.col_mentions) } th.num { (s.col_documents) }
                } }
                tbody {
                    @for entity in &entities {
                        tr {
                            td { span class={ "ent ent-" (family(&entity.kind)) } { (kind_label(&entity.kind)) } }
                            td {
                                a href=(entity.url) { (shown(&entity.name)) }
                                @if entity.checksum.as_deref() == Some("invalid") {
                                    " " span.state-failed { (s.checksum_invalid) }
                                }
                            }
                            td.num { (entity.mentions) }
                            td.num { (entity.documents) }
                        }
                    }
                }
            }
        }
    };
    Ok(render(frame(&title, content)))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct EntityForm {
    pub collection: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    PagePath((kind, id)): PagePath<(String, String)>,
    PageQuery(form): PageQuery<EntityForm>,
) -> Result<Html<String>, PageError> {
    let s = strings();
    let collection = form.collection.clone().filter(|c| !c.is_empty());
    let lookup = collection.clone();
    let detail = state.pool.run(move |dossier| entity_detail(dossier, lookup.as_deref(), &kind, &id)).await?;
    let entity = &detail.entity;
    let search = match entity.kind.as_str() {
        "person" | "organization" | "location" => {
            let field = match entity.kind.as_str() {
                "person" => dossier_query::Field::Person,
                "organization" => dossier_query::Field::Org,
                _ => dossier_query::Field::Loc,
            };
            Some(super::search::field_filter(field, &entity.name))
        }
        _ => None,
    };
    let title = format!("{} · {}", entity.name, kind_label(&entity.kind));
    let content = html! {
        h1 { span class={ "ent ent-" (family(&entity.kind)) } { (kind_label(&entity.kind)) } " " (shown(&entity.name)) }
        div.actions {
            @if let Some(search) = &search {
                @let collection = collection.as_deref().unwrap_or("");
                a.button.primary href={ "/search?" (query_string(&[("q", search.as_str()), ("collection", collection)])) } { (s.search_button) }
            }
            @if let Some(check) = &entity.checksum {
                span class=(if check == "invalid" { "state-failed" } else { "state-ok" }) {
                    (if check == "invalid" { s.checksum_invalid } else { s.checksum_valid })
                }
            }
        }
        div.doc-layout {
            section {
                h2 { (s.entity_mentions) " (" (entity.mentions) ")" }
                @if (detail.mentions.len() as u64) < entity.mentions {
                    p.empty { (fill(s.entity_mentions_shown, &[("shown", &detail.mentions.len().to_string()), ("n", &entity.mentions.to_string())])) }
                }
                ol #mentions {
                    @for mention in &detail.mentions {
                        li {
                            a href={ "/documents/" (mention.document) } { "#" (mention.document) }
                            " … " (shown(&mention.before))
                            mark { (shown(&mention.mention.text)) }
                            (shown(&mention.after)) " …"
                        }
                    }
                }
            }
            aside {
                h2 { (s.entity_forms) }
                ul #forms { @for form in &entity.forms { li { (shown(form)) } } }
                @if !entity.why.is_empty() {
                    h2 { (s.entity_why) }
                    ul #why { @for why in &entity.why { li { (shown(why)) } } }
                }
                h2 { (s.entity_documents) " (" (detail.documents.len()) ")" }
                ul #documents {
                    @for doc in &detail.documents { li { a href={ "/documents/" (doc.id) } { (shown(&doc.path)) } } }
                }
                @if !detail.cooccurring.is_empty() {
                    h2 { (s.entity_cooccurring) }
                    table #cooccurring {
                        tbody {
                            @for other in &detail.cooccurring {
                                tr {
                                    td { span class={ "ent ent-" (family(&other.kind)) } { (kind_label(&other.kind)) } }
                                    td { a href=(other.url) { (shown(&other.name)) } }
                                    td.num { (other.documents) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(render(frame(&title, content)))
}

/// The legend of the marks: one checkbox per family, which the stylesheet reads (no script needed).
pub fn legend(entities: &DocumentEntities) -> Markup {
    let s = strings();
    let present: Vec<&str> =
        FAMILIES.into_iter().filter(|f| entities.mentions.iter().any(|m| family(&m.kind) == *f)).collect();
    html! {
        @if !present.is_empty() {
            div.legend role="group" aria-label=(s.legend_label) {
                span { (s.legend_label) }
                @for f in &present {
                    input type="checkbox" id={ "show-" (f) } checked;
                    label for={ "show-" (f) } class={ "ent ent-" (f) } { (family_label(f)) }
                }
            }
        }
    }
}

/// One form in the side panel: key, value, mentions, whether any failed its check.
type Form<'a> = (&'a str, &'a str, usize, bool);

/// The side panel of a document's entities, grouped by kind, each linking to its entity page.
pub fn panel(entities: &DocumentEntities, collection: &str) -> Markup {
    let s = strings();
    let mut kinds: Vec<(&str, Vec<Form<'_>>)> = Vec::new();
    for mention in &entities.mentions {
        let group = match kinds.iter_mut().find(|(kind, _)| *kind == mention.kind) {
            Some((_, group)) => group,
            None => {
                kinds.push((&mention.kind, Vec::new()));
                &mut kinds.last_mut().expect("just pushed").1
            }
        };
        let invalid = mention.checksum.as_deref() == Some("invalid");
        match group.iter_mut().find(|(key, value, _, _)| *key == mention.key && *value == mention.value) {
            Some(entry) => {
                entry.2 += 1;
                entry.3 |= invalid;
            }
            None => group.push((&mention.key, &mention.value, 1, invalid)),
        }
    }
    let order = |kind: &str| FAMILIES.iter().position(|f| *f == family(kind)).unwrap_or(FAMILIES.len());
    kinds.sort_by_key(|(kind, _)| order(kind));
    html! {
        h2 { (s.entities_panel) }
        @if !entities.analysed {
            p.empty { (s.entities_not_analysed) }
        } @else if entities.mentions.is_empty() {
            p.empty { (s.no_entities) }
        }
        @for missing in &entities.missing { p.empty { (fill(s.entities_missing, &[("what", missing)])) } }
        @for (kind, group) in &kinds {
            h3 { span class={ "ent ent-" (family(kind)) } { (kind_label(kind)) } }
            ul.entities {
                @for (key, value, n, invalid) in group {
                    li {
                        a href=(lookup_url(kind, key, value, collection)) { (shown(value)) }
                        @if *n > 1 { " ×" (n) }
                        @if *invalid { " " span.state-failed { (s.checksum_invalid) } }
                    }
                }
            }
        }
        @if let Some(version) = &entities.version {
            p.empty { (fill(s.entities_analysed_by, &[("version", version)])) }
        }
    }
}

/// The entity page of one (kind, key, value) form, found through `/entities/lookup`: which entity a form belongs
/// to depends on the whole collection, so the document page does not work it out for every form it lists.
fn lookup_url(kind: &str, key: &str, value: &str, collection: &str) -> String {
    format!(
        "/entities/lookup?{}",
        query_string(&[("kind", kind), ("key", key), ("value", value), ("collection", collection)])
    )
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LookupForm {
    pub kind: String,
    pub key: String,
    pub value: String,
    pub collection: Option<String>,
}

pub async fn lookup(
    State(state): State<AppState>,
    PageQuery(form): PageQuery<LookupForm>,
) -> Result<axum::response::Redirect, PageError> {
    let collection = form.collection.clone().filter(|c| !c.is_empty());
    let url = state
        .pool
        .run(move |dossier| {
            let entities = dossier.entities(collection.as_deref(), Some(&form.kind))?;
            let found = entities
                .into_iter()
                .find(|entity| entity.members.iter().any(|(key, value)| *key == form.key && *value == form.value));
            match found {
                Some(entity) => Ok(entity_url(&entity.kind, &entity.id, collection.as_deref())),
                None => Err(crate::error::ApiError::not_found("there is no such entity")),
            }
        })
        .await?;
    Ok(axum::response::Redirect::to(&url))
}

/// Character ranges of the mentions turned into byte ranges of `text`, with their family, sorted and without
/// overlaps (a mention inside another is left unmarked).
pub fn marks_of(text: &str, entities: &DocumentEntities) -> Vec<(usize, usize, &'static str)> {
    let mut spans: Vec<(usize, usize, &'static str)> = Vec::with_capacity(entities.mentions.len());
    let mut wanted: Vec<(u64, u64, &'static str)> =
        entities.mentions.iter().map(|m| (m.start, m.end, family(&m.kind))).collect();
    wanted.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
    // One pass over the text: chars to bytes for the offsets asked for, in order.
    let mut bytes_at = Vec::with_capacity(wanted.len() * 2);
    let mut points: Vec<u64> = wanted.iter().flat_map(|&(a, b, _)| [a, b]).collect();
    points.sort_unstable();
    points.dedup();
    let mut chars = text.char_indices().map(|(byte, _)| byte).chain(std::iter::once(text.len())).enumerate();
    for point in points {
        for (n, byte) in chars.by_ref() {
            if n as u64 == point {
                bytes_at.push((point, byte));
                break;
            }
        }
    }
    let byte = |point: u64| bytes_at.binary_search_by_key(&point, |&(p, _)| p).ok().map(|i| bytes_at[i].1);
    let mut last_end = 0;
    for (start, end, family) in wanted {
        let (Some(a), Some(b)) = (byte(start), byte(end)) else { continue };
        if a >= last_end && b > a {
            spans.push((a, b, family));
            last_end = b;
        }
    }
    spans
}

/// What a document names, as written, with the family each is marked with: for marking them in its snippets.
pub fn named_in(
    dossier: &mut dossier_core::Dossier,
    id: i64,
) -> Result<Vec<(String, &'static str)>, crate::error::ApiError> {
    let mut named: Vec<(String, &'static str)> = Vec::new();
    if let Some(analysis) = dossier.analysis(id)? {
        for mention in analysis.mentions {
            let text = mention.text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.chars().count() > 1 && !named.iter().any(|(known, _)| *known == text) {
                named.push((text, family(&mention.kind)));
            }
        }
    }
    // Longer names first, so that a name is marked whole rather than a shorter one inside it.
    named.sort_by_key(|(text, _)| std::cmp::Reverse(text.len()));
    Ok(named)
}

/// A search snippet as HTML: the query's matches in `<mark>`, and what the document names (found in the snippet as
/// written) marked by family, as in the document's text.
pub fn snippet_html(snippet: &dossier_core::Snippet, named: &[(String, &'static str)]) -> String {
    let text = &snippet.text;
    let byte_at = |char_index: usize| text.char_indices().nth(char_index).map_or(text.len(), |(byte, _)| byte);
    let marks: Vec<(usize, usize)> = snippet.highlights.iter().map(|&[a, b]| (byte_at(a), byte_at(b))).collect();
    let mut spans: Vec<(usize, usize, &str)> = Vec::new();
    for (name, family) in named {
        for (at, _) in text.match_indices(name.as_str()) {
            let end = at + name.len();
            let whole_word = !text[..at].chars().next_back().is_some_and(char::is_alphanumeric)
                && !text[end..].chars().next().is_some_and(char::is_alphanumeric);
            if whole_word && !spans.iter().any(|&(a, b, _)| at < b && a < end) {
                spans.push((at, end, family));
            }
        }
    }
    spans.sort_unstable();
    super::document::marked_html(text, &marks, &spans)
}

#[cfg(test)]
mod tests {
    use super::{marks_of, snippet_html};
    use crate::entities::{DocumentEntities, MentionDto};

    #[test]
    fn a_snippet_marks_the_query_and_the_names_the_document_holds_whole_words_only() {
        let snippet = dossier_core::Snippet {
            text: "Министерство поручило И. П. Соколову-Ветрову и ООО «Ромашка»; ромашкам не поручало.".into(),
            highlights: vec![[0, 12]],
        };
        let named = vec![("И. П. Соколову-Ветрову".to_string(), "person"), ("Ромашка".to_string(), "org")];
        assert_eq!(
            snippet_html(&snippet, &named),
            "<mark>Министерство</mark> поручило <span class=\"ent ent-person\">И. П. Соколову-Ветрову</span> и ООО \
             «<span class=\"ent ent-org\">Ромашка</span>»; ромашкам не поручало."
        );
    }

    #[test]
    fn mentions_in_characters_become_byte_ranges_without_overlaps() {
        let text = "ИНН 7707083893, Тверская область";
        let mention = |kind: &str, start: u64, end: u64| MentionDto {
            kind: kind.into(),
            text: text.chars().skip(start as usize).take((end - start) as usize).collect(),
            start,
            end,
            value: String::new(),
            key: String::new(),
            checksum: None,
            label: None,
            lang: None,
            detail: None,
        };
        let entities = DocumentEntities {
            document: 1,
            analysed: true,
            version: None,
            analysed_at: None,
            missing: vec![],
            mentions: vec![mention("inn", 4, 14), mention("location", 16, 32), mention("person", 16, 24)],
        };
        let marks = marks_of(text, &entities);
        let shown: Vec<(&str, &str)> = marks.iter().map(|&(a, b, family)| (&text[a..b], family)).collect();
        assert_eq!(shown, [("7707083893", "id"), ("Тверская область", "loc")]);
    }
}
