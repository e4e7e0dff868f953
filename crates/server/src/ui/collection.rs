//! The collection page: counts by outcome (followed live while an ingest runs), documents by format, and every
//! failure with its reason.

use axum::extract::State;
use axum::response::Html;
use maud::html;

use super::PagePath;
use super::strings::fill;
use super::{PageError, frame, percent_encode, query_string, render, shown, strings};
use crate::AppState;
use crate::api::{collection_of, failures_of};

/// Failures listed on the page; the API has all of them.
const MAX_FAILURES_SHOWN: usize = 1000;

pub async fn page(State(state): State<AppState>, PagePath(name): PagePath<String>) -> Result<Html<String>, PageError> {
    let s = strings();
    let lookup = name.clone();
    let (collection, failures) =
        state.pool.run(move |dossier| Ok((collection_of(dossier, &lookup)?, failures_of(dossier, &lookup)?))).await?;
    let api_url = format!("/api/v1/collections/{}", percent_encode(&name));
    let failures_url = format!("{api_url}/failures");
    let counts = &collection.counts;
    let title = fill(s.collection_title, &[("name", &name)]);
    let content = html! {
        h1 { (shown(&title)) }
        div.actions {
            a.button.primary href={ "/search?" (query_string(&[("q", ""), ("collection", name.as_str())])) } { (s.search_collection) }
            a.button #entities-link href={ "/collections/" (percent_encode(&name)) "/entities" } { (s.entities_link) }
        }
        div.counts {
            div { span.n data-count="documents" { (counts.documents) } (s.col_documents) }
            div { span.n.state-ok data-count="ok" { (counts.ok) } (s.state_ok) }
            div { span.n.state-partial data-count="partial" { (counts.partial) } (s.state_partial) }
            div { span.n.state-failed data-count="failed" { (counts.failed) } (s.state_failed) }
            div { span.n.state-pending data-count="pending" { (counts.pending) } (s.state_pending) }
        }
        label for="progress" { (s.progress_label) }
        progress #progress data-progress max=(counts.documents.max(1)) value=(counts.documents - counts.pending) {}
        p.live data-live-collection=(api_url) data-template-rate=(s.live_rate) data-template-walk=(s.live_walk)
            data-text-idle=(s.live_idle) data-text-unknown-format=(s.unknown_format) aria-live="polite" {
            @if counts.pending == 0 { (s.live_idle) }
        }
        h2 { (s.by_format) }
        table #formats {
            thead { tr {
                th { (s.col_format) } th.num { (s.col_documents) } th.num { (s.state_ok) }
                th.num { (s.state_partial) } th.num { (s.state_failed) } th.num { (s.state_pending) }
            } }
            tbody {
                @for format in &collection.formats {
                    tr {
                        td { (shown(format.format.as_deref().unwrap_or(s.unknown_format))) }
                        td.num { (format.counts.documents) } td.num { (format.counts.ok) }
                        td.num { (format.counts.partial) } td.num { (format.counts.failed) }
                        td.num { (format.counts.pending) }
                    }
                }
            }
        }
        h2 { (s.failures_title) " (" (failures.len()) ")" }
        @if failures.is_empty() {
            p.empty { (s.no_failures) }
        } @else {
            h3 { (s.failure_reasons) }
            ul {
                @for reason in &collection.failure_reasons { li { (shown(&reason.reason)) ": " (reason.count) } }
            }
            @if failures.len() > MAX_FAILURES_SHOWN {
                p { (fill(s.failures_truncated, &[
                    ("shown", &MAX_FAILURES_SHOWN.to_string()),
                    ("n", &failures.len().to_string()),
                    ("url", &failures_url),
                ])) }
            }
            table #failures {
                thead { tr { th { (s.col_path) } th { (s.col_reason) } th { (s.col_detail) } } }
                tbody {
                    @for failure in failures.iter().take(MAX_FAILURES_SHOWN) {
                        tr {
                            td { a href={ "/documents/" (failure.id) } { (shown(&failure.path)) } }
                            td.state-failed { (shown(&failure.reason)) }
                            td { (shown(&failure.detail)) }
                        }
                    }
                }
            }
        }
    };
    Ok(render(frame(&title, content)))
}
