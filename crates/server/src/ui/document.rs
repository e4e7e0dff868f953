//! The document page: where it came from (the chain of parents), what it is (metadata, e-mail headers, hashes for
//! citing), what is inside it (children), its original, and its text in parts with the query's words marked.

use axum::extract::State;
use axum::response::Html;
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::entities::{legend, marks_of, panel};
use super::strings::fill;
use super::{PageError, frame, human_size, query_string, render, shown, shown_plain, state_label, strings};
use super::{PagePath, PageQuery};
use crate::AppState;
use crate::api::{DEFAULT_TEXT_PART, DocumentView, SearchParams, document_view, text_part};
use crate::entities::{DocumentEntities, document_entities_of};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DocumentForm {
    /// The query the reader came from: its words are marked in the text.
    #[serde(default)]
    pub q: String,
    pub translit: Option<String>,
    /// 1-based part of the text.
    pub part: Option<usize>,
}

impl DocumentForm {
    fn translit(&self) -> bool {
        self.translit.as_deref().is_some_and(|value| !matches!(value, "" | "0" | "false" | "off"))
    }
}

/// What the page shows of the text: one part, the marks in it, and where the other marks are.
struct TextView {
    /// Byte ranges of every part.
    parts: Vec<(usize, usize)>,
    /// The part shown, 0-based.
    current: usize,
    /// Marks in the shown part, relative to its start.
    marks: Vec<(usize, usize)>,
    /// The entities in the shown part (byte ranges relative to its start, with their family).
    entities: Vec<(usize, usize, &'static str)>,
    /// Marks in the whole text (as far as they were looked for).
    total_marks: usize,
    previous_part_with_marks: Option<usize>,
    next_part_with_marks: Option<usize>,
}

pub async fn page(
    State(state): State<AppState>,
    PagePath(id): PagePath<i64>,
    PageQuery(form): PageQuery<DocumentForm>,
) -> Result<Html<String>, PageError> {
    let search = SearchParams { q: form.q.clone(), translit: form.translit(), ..SearchParams::default() };
    // A query that does not parse marks nothing; the page is still shown.
    let query = search.query().ok().filter(|_| !form.q.trim().is_empty());
    let part = form.part.unwrap_or(1).max(1) - 1;
    let (view, text_view, entities) = state
        .pool
        .run(move |dossier| {
            let view = document_view(dossier, id)?;
            let marks = match &query {
                Some(query) => dossier.highlight(query, &view.text)?,
                None => Vec::new(),
            };
            let entities = document_entities_of(dossier, id)?;
            let mut text_view = text_view(&view.text, &marks, part);
            let (start, end) = text_view.parts[text_view.current];
            text_view.entities = marks_of(&view.text, &entities)
                .into_iter()
                .filter(|&(a, b, _)| a >= start && b <= end)
                .map(|(a, b, family)| (a - start, b - start, family))
                .collect();
            Ok((view, text_view, entities))
        })
        .await?;
    let title = dossier_core::title_of(&view.record);
    Ok(render(frame(&title, document_page(&view, &text_view, &entities, &form, &title))))
}

fn text_view(text: &str, marks: &[(usize, usize)], requested: usize) -> TextView {
    let mut parts = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let (start, end) = text_part(text, at, DEFAULT_TEXT_PART);
        parts.push((start, end));
        at = end;
    }
    if parts.is_empty() {
        parts.push((0, 0));
    }
    let current = requested.min(parts.len() - 1);
    let (start, end) = parts[current];
    let marks_in = |(from, to): (usize, usize)| marks.iter().filter(move |&&(a, b)| a >= from && b <= to);
    let has_marks = |index: &usize| marks_in(parts[*index]).next().is_some();
    TextView {
        marks: marks_in((start, end)).map(|&(a, b)| (a - start, b - start)).collect(),
        entities: Vec::new(),
        total_marks: marks.len(),
        previous_part_with_marks: (0..current).rev().find(has_marks),
        next_part_with_marks: (current + 1..parts.len()).find(has_marks),
        parts,
        current,
    }
}

fn document_page(
    view: &DocumentView,
    text: &TextView,
    entities: &DocumentEntities,
    form: &DocumentForm,
    title: &str,
) -> Markup {
    let s = strings();
    let record = &view.record;
    let (state_class, state_word) = state_label(record.state.as_str());
    let back = if form.q.is_empty() {
        None
    } else {
        let translit = if form.translit() { "on" } else { "" };
        Some(format!("/search?{}", query_string(&[("q", form.q.as_str()), ("translit", translit)])))
    };
    html! {
        nav.breadcrumb aria-label="Where this document came from" {
            ol {
                li { a href={ "/collections/" (super::percent_encode(&record.collection)) } { (shown(&record.collection)) } }
                @for parent in &view.parents {
                    li { a href=(link_keeping_query(parent.id, form)) { (shown(&display_name(parent))) } }
                }
                li aria-current="page" { (shown(&display_name(record))) }
            }
        }
        h1 { (shown(title)) }
        div.actions {
            @if let Some(damage) = &record.damage {
                div.query-error #damaged role="alert" {
                    strong { (s.original_damaged) } " " (s.original_damaged_detail) " (" (damage.detected_by) ", " (damage.detected_at) ")"
                }
            } @else if let Some(original) = &view.original {
                a.button.primary #download href={ "/api/v1/documents/" (record.id) "/original" } download=(original.file_name) {
                    (s.download_original) " (" (human_size(original.size)) ")"
                }
            } @else {
                span.empty { (s.no_original) }
            }
            @if let Some(back) = &back { a.button href=(back) { (s.back_to_results) } }
        }
        div.doc-layout {
            section aria-label=(s.text_title) {
                (mail_header(record))
                @if let Some(reason) = &record.reason {
                    div.query-error role="note" { strong { (s.failure_title) ": " } span.(state_class) { (shown(reason)) } }
                }
                (text_section(view, text, entities, form))
            }
            aside {
                h2 { (s.citation_title) }
                table.meta {
                    tr { th { (s.field_id) } td { (record.id) } }
                    tr { th { (s.field_collection) } td { (shown(&record.collection)) } }
                    tr { th { (s.field_path) } td { (shown(&record.path)) } }
                    tr { th { (s.field_format) } td { (shown(record.format.as_deref().unwrap_or("–"))) } }
                    tr { th { (s.field_state) } td.(state_class) { (state_word) } }
                    @if let Some(size) = record.size {
                        tr { th { (s.field_size) } td { (human_size(size)) " (" (size) " bytes)" } }
                    }
                    @if record.damage.is_some() { tr { th { (s.field_integrity) } td.failed { (s.original_damaged) } } }
                    @if let Some(raw) = &record.raw_path { tr { th { (s.field_raw_path) } td.hash { (shown(raw)) } } }
                    @if let Some(sha256) = &record.sha256 { tr { th { (s.field_sha256) } td.hash #sha256 { (sha256) } } }
                    @if let Some(blake3) = &record.blake3 { tr { th { (s.field_blake3) } td.hash #blake3 { (blake3) } } }
                    @if let Some(at) = &record.ingested_at { tr { th { (s.field_ingested_at) } td { (at) } } }
                    @if let Some(by) = &record.ingested_by { tr { th { (s.field_ingested_by) } td { (shown(by)) } } }
                }
                (children_section(view, form))
                div #entities-panel { (panel(entities, &record.collection)) }
                h2 { (s.metadata_title) }
                (metadata_table(&record.metadata))
                @if !record.diagnostics.is_empty() {
                    h2 { (s.diagnostics_title) }
                    ul { @for diagnostic in &record.diagnostics { li { (shown(diagnostic)) } } }
                }
            }
        }
    }
}

/// From/To/Cc/Date/Subject of an e-mail, as a mail program shows them.
fn mail_header(record: &dossier_core::DocRecord) -> Markup {
    let s = strings();
    let is_mail = matches!(record.format.as_deref(), Some("eml" | "msg"));
    let value = |key: &str| metadata_text(record.metadata.get(key));
    let rows = [
        (s.mail_from, value("from")),
        (s.mail_to, value("to")),
        (s.mail_cc, value("cc")),
        (s.mail_date, value("date")),
        (s.mail_subject, value("subject")),
    ];
    html! {
        @if is_mail && rows.iter().any(|(_, value)| !value.is_empty()) {
            dl.mail-header.panel {
                @for (name, value) in &rows {
                    @if !value.is_empty() { dt { (name) } dd { (shown(value)) } }
                }
            }
        }
    }
}

fn text_section(view: &DocumentView, text: &TextView, entities: &DocumentEntities, form: &DocumentForm) -> Markup {
    let s = strings();
    let (start, end) = text.parts[text.current];
    let part_url = |index: usize, anchor: &str| {
        let part = (index + 1).to_string();
        let translit = if form.translit() { "on" } else { "" };
        let query = query_string(&[("q", form.q.as_str()), ("translit", translit), ("part", part.as_str())]);
        format!("/documents/{}?{query}{anchor}", view.record.id)
    };
    let n_parts = text.parts.len();
    html! {
        h2 { (s.text_title) }
        @if view.text.is_empty() {
            p.empty { (s.no_text) }
        } @else {
            @if !form.q.trim().is_empty() {
                div.hit-nav
                    data-next-part=[text.next_part_with_marks.map(|i| part_url(i, "#first-hit"))]
                    data-previous-part=[text.previous_part_with_marks.map(|i| part_url(i, "#last-hit"))] {
                    @if text.total_marks == 0 {
                        span { (s.no_hits_in_text) }
                    } @else {
                        button.button type="button" data-previous-hit { (s.hit_previous) }
                        button.button type="button" data-next-hit { (s.hit_next) }
                        span data-hit-label data-template=(s.hit_position) aria-live="polite" {
                            (fill(s.hits_in_text, &[("n", &text.total_marks.to_string())]))
                            @if n_parts > 1 { " · " (fill(s.hits_in_part, &[("n", &text.marks.len().to_string())])) }
                        }
                        span.empty { (s.keyboard_hint) }
                    }
                }
            }
            @if n_parts > 1 { (part_links(text.current, n_parts, &part_url)) }
            div.marked-text {
                (legend(entities))
                pre.text #text { (PreEscaped(marked_html(&view.text[start..end], &text.marks, &text.entities))) }
            }
            @if n_parts > 1 { (part_links(text.current, n_parts, &part_url)) }
        }
    }
}

fn part_links(current: usize, n_parts: usize, part_url: &dyn Fn(usize, &str) -> String) -> Markup {
    let s = strings();
    html! {
        nav.pages aria-label=(s.text_title) {
            @if current > 0 { a rel="prev" href=(part_url(current - 1, "")) { (s.part_previous) } }
            span aria-current="page" {
                (fill(s.text_part, &[("i", &(current + 1).to_string()), ("n", &n_parts.to_string())]))
            }
            @if current + 1 < n_parts { a rel="next" href=(part_url(current + 1, "")) { (s.part_next) } }
        }
    }
}

/// `text` escaped for HTML, with the byte ranges `marks` (sorted, not overlapping) in `<mark>`, and the entities
/// (sorted, not overlapping byte ranges with their family) in `<span class="ent ent-FAMILY">`. A mark is never
/// split (the page counts and steps through marks); an entity that crosses a mark's edge is marked in pieces.
pub fn marked_html(text: &str, marks: &[(usize, usize)], entities: &[(usize, usize, &str)]) -> String {
    let valid =
        |start: usize, end: usize| end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end);
    let mut kept_marks = Vec::with_capacity(marks.len());
    for &(start, end) in marks {
        if start >= kept_marks.last().map_or(0, |&(_, e)| e) && start < end && valid(start, end) {
            kept_marks.push((start, end));
        }
    }
    let mut kept_entities = Vec::with_capacity(entities.len());
    for &(start, end, family) in entities {
        if start >= kept_entities.last().map_or(0, |&(_, e, _)| e) && start < end && valid(start, end) {
            kept_entities.push((start, end, family));
        }
    }
    let mut cuts: Vec<usize> = vec![0, text.len()];
    cuts.extend(kept_marks.iter().flat_map(|&(a, b)| [a, b]));
    cuts.extend(kept_entities.iter().flat_map(|&(a, b, _)| [a, b]));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(text.len() + marks.len() * 13 + entities.len() * 40);
    let (mut mark, mut entity) = (0, 0);
    for piece in cuts.windows(2) {
        let (from, to) = (piece[0], piece[1]);
        while kept_marks.get(mark).is_some_and(|&(_, end)| end <= from) {
            mark += 1;
        }
        while kept_entities.get(entity).is_some_and(|&(_, end, _)| end <= from) {
            entity += 1;
        }
        let in_mark = kept_marks.get(mark).filter(|&&(start, _)| start <= from);
        if in_mark.is_some_and(|&(start, _)| start == from) {
            out.push_str("<mark>");
        }
        match kept_entities.get(entity).filter(|&&(start, _, _)| start <= from) {
            Some((_, _, family)) => {
                out.push_str("<span class=\"ent ent-");
                out.push_str(family);
                out.push_str("\">");
                escape_into(&text[from..to], &mut out);
                out.push_str("</span>");
            }
            None => escape_into(&text[from..to], &mut out),
        }
        if in_mark.is_some_and(|&(_, end)| end == to) {
            out.push_str("</mark>");
        }
    }
    out
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

fn children_section(view: &DocumentView, form: &DocumentForm) -> Markup {
    let s = strings();
    html! {
        @if !view.children.is_empty() {
            h2 { (s.children_title) " (" (view.children.len()) ")" }
            table #children {
                thead { tr {
                    th { (s.col_name) } th { (s.col_kind) } th { (s.col_format) } th.num { (s.col_size) } th { (s.col_state) }
                } }
                tbody {
                    @for child in &view.children {
                        @let (class, word) = state_label(child.state.as_str());
                        tr {
                            td { a href=(link_keeping_query(child.id, form)) { (shown(&child.name)) } }
                            td { (shown(child.child_kind.as_deref().unwrap_or(""))) }
                            td { (shown(child.format.as_deref().unwrap_or(""))) }
                            td.num { (child.size.map(human_size).unwrap_or_default()) }
                            td.(class) title=[child.reason.as_deref().map(shown_plain)] { (word) }
                        }
                    }
                }
            }
        }
    }
}

fn link_keeping_query(id: i64, form: &DocumentForm) -> String {
    let translit = if form.translit() { "on" } else { "" };
    let query = query_string(&[("q", form.q.as_str()), ("translit", translit)]);
    if query.is_empty() { format!("/documents/{id}") } else { format!("/documents/{id}?{query}") }
}

fn display_name(record: &dossier_core::DocRecord) -> String {
    if record.parent_id.is_some() {
        record.name.clone()
    } else {
        record.path.rsplit(['/', '\\']).next().unwrap_or(&record.path).to_string()
    }
}

fn metadata_table(metadata: &serde_json::Value) -> Markup {
    let s = strings();
    let entries: Vec<(&String, String)> = match metadata.as_object() {
        Some(object) => object.iter().map(|(key, value)| (key, metadata_text(Some(value)))).collect(),
        None => Vec::new(),
    };
    html! {
        @if entries.is_empty() {
            p.empty { (s.no_metadata) }
        } @else {
            table.meta #metadata {
                @for (key, value) in &entries { tr { th { (shown(key)) } td { (shown(value)) } } }
            }
        }
    }
}

/// A metadata value as text: strings as they are, lists one per line, anything else as JSON.
fn metadata_text(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(serde_json::Value::Array(values)) => {
            values.iter().map(|value| metadata_text(Some(value))).collect::<Vec<_>>().join("\n")
        }
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{marked_html, text_view};

    #[test]
    fn marks_are_placed_and_everything_else_escaped() {
        let text = "<b>Отчёт</b> & отчёты";
        let start = text.find("Отчёт").expect("word");
        let later = text.find("отчёты").expect("word");
        let html = marked_html(text, &[(start, start + "Отчёт".len()), (later, later + "отчёты".len())], &[]);
        assert_eq!(html, "&lt;b&gt;<mark>Отчёт</mark>&lt;/b&gt; &amp; <mark>отчёты</mark>");
        // Ranges that are out of order or not on character boundaries are skipped, not a panic.
        assert_eq!(marked_html("ёж", &[(1, 2), (0, 9)], &[(1, 2, "person"), (0, 9, "org")]), "ёж");
    }

    #[test]
    fn entities_are_marked_inside_and_around_query_marks_without_splitting_a_mark() {
        let text = "И. П. Соколов-Ветров <подписал>";
        let name = (0, "И. П. Соколов-Ветров".len());
        let surname = text.find("Соколов").expect("surname");
        let html = marked_html(text, &[(surname, surname + "Соколов".len())], &[(name.0, name.1, "person")]);
        assert_eq!(
            html,
            "<span class=\"ent ent-person\">И. П. </span><mark><span class=\"ent ent-person\">Соколов</span></mark>\
             <span class=\"ent ent-person\">-Ветров</span> &lt;подписал&gt;"
        );
        // A mark wider than the entity stays one element.
        let html = marked_html(text, &[(0, text.len())], &[(surname, surname + "Соколов".len(), "person")]);
        assert_eq!(html.matches("<mark>").count(), 1);
        assert!(html.starts_with("<mark>И. П. <span class=\"ent ent-person\">Соколов</span>-Ветров"), "{html}");
    }

    #[test]
    fn long_texts_are_shown_in_parts_and_marks_found_across_them() {
        let line = "слово ".repeat(20) + "\n";
        let text = line.repeat(10_000); // about 2.3 MB
        let marks = vec![(0, 10), (text.len() - line.len(), text.len() - line.len() + 10)];
        let view = text_view(&text, &marks, 0);
        assert!(view.parts.len() > 5);
        assert_eq!(view.parts.first().map(|p| p.0), Some(0));
        assert_eq!(view.parts.last().map(|p| p.1), Some(text.len()));
        assert!(view.parts.windows(2).all(|pair| pair[0].1 == pair[1].0), "parts are contiguous");
        assert_eq!((view.marks.len(), view.total_marks), (1, 2));
        assert_eq!(view.next_part_with_marks, Some(view.parts.len() - 1));
        let last = text_view(&text, &marks, 10_000);
        assert_eq!(last.current, last.parts.len() - 1);
        assert_eq!(last.previous_part_with_marks, Some(0));
    }
}
