//! Every hit of a search as a download, CSV or JSON Lines, streamed as the index yields them: an export of a
//! million hits never sits in memory whole.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use dossier_core::CoreError;
use serde::Deserialize;
use tokio::sync::mpsc;
use utoipa::IntoParams;

use crate::AppState;
use crate::api::{ApiQuery, HitDto, SearchParams, attachment};
use crate::error::{ApiError, ErrorBody};

/// Rows buffered between the index and the connection.
const CHANNEL_ROWS: usize = 256;

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    #[default]
    Csv,
    /// One JSON object per line, the hit as `/api/v1/search` gives it (with one snippet).
    Jsonl,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// The query, as for `/api/v1/search`.
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub translit: bool,
    pub collection: Option<String>,
    /// `csv` (the default) or `jsonl`.
    pub format: Option<ExportFormat>,
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 9] = ["id", "collection", "path", "title", "format", "lang", "date", "score", "snippet"];

/// Every hit of a query, best first, as a CSV or JSON Lines download. No paging, no cap.
#[utoipa::path(get, path = "/api/v1/search/export", tag = "search", params(ExportParams),
    responses((status = 200, description = "Every hit: CSV with a header row, or JSON Lines",
               content((String = "text/csv"), (String = "application/jsonl"))),
              (status = 400, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let search = SearchParams {
        q: params.q.clone(),
        translit: params.translit,
        collection: params.collection.clone(),
        ..SearchParams::default()
    };
    let query = search.query()?;
    let format = params.format.unwrap_or_default();
    let (sender, mut receiver) = mpsc::channel::<Vec<u8>>(CHANNEL_ROWS);
    if format == ExportFormat::Csv {
        let mut header_row = String::new();
        push_csv_row(&mut header_row, CSV_COLUMNS.iter().map(|c| c.to_string()));
        sender.try_send(header_row.into_bytes()).map_err(|_| ApiError::internal("export channel closed"))?;
    }
    // Counted first: a query that cannot run is a 400 before any byte is sent, and the total goes in a header.
    let count_request = dossier_core::SearchRequest {
        query: query.clone(),
        limit: 0,
        offset: 0,
        sort: dossier_core::Sort::Relevance,
        snippets: 0,
        facets: false,
    };
    let total = state.pool.run(move |dossier| Ok(dossier.search(&count_request)?.total)).await?;
    let pool = state.pool.clone();
    // The search runs on a blocking thread and hands rows to the connection; when the client goes away the channel
    // closes, the next send fails and the search stops.
    tokio::spawn(async move {
        let outcome = pool
            .run(move |dossier| {
                dossier.for_each_hit(&query, 1, &mut |hit| {
                    let row = match format {
                        ExportFormat::Csv => csv_row(&hit),
                        ExportFormat::Jsonl => jsonl_row(hit),
                    };
                    sender.blocking_send(row).map_err(|_| CoreError::Io {
                        path: "<export connection>".into(),
                        source: std::io::Error::from(std::io::ErrorKind::BrokenPipe),
                    })
                })?;
                Ok(())
            })
            .await;
        if let Err(err) = outcome
            && err.status.is_server_error()
        {
            eprintln!("dossier serve: export stopped: {}", err.message);
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| {
        receiver.poll_recv(cx).map(|row| row.map(Ok::<_, std::convert::Infallible>))
    });
    let mut response = Body::from_stream(stream).into_response();
    let (media_type, file_name) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "dossier-search.csv"),
        ExportFormat::Jsonl => ("application/jsonl; charset=utf-8", "dossier-search.jsonl"),
    };
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    response.headers_mut().insert(header::CONTENT_DISPOSITION, attachment(file_name));
    response.headers_mut().insert("x-total-count", HeaderValue::from(total));
    Ok(response)
}

fn jsonl_row(hit: dossier_core::Hit) -> Vec<u8> {
    let mut row = serde_json::to_vec(&HitDto::from(hit)).unwrap_or_default();
    row.push(b'\n');
    row
}

fn csv_row(hit: &dossier_core::Hit) -> Vec<u8> {
    let snippet = hit.snippets.first().map(|snippet| snippet.text.clone()).unwrap_or_default();
    let mut row = String::new();
    push_csv_row(
        &mut row,
        [
            hit.id.to_string(),
            hit.collection.clone(),
            hit.path.clone(),
            hit.title.clone(),
            hit.format.clone().unwrap_or_default(),
            hit.lang.clone().unwrap_or_default(),
            hit.date.clone().unwrap_or_default(),
            hit.score.map(|score| format!("{score:.4}")).unwrap_or_default(),
            snippet,
        ]
        .into_iter(),
    );
    row.into_bytes()
}

/// Appends one CSV record (RFC 4180, CRLF). A field a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab,
/// carriage return first) gets a leading apostrophe: leaked titles must not run formulas on the reporter's machine.
pub fn push_csv_row(out: &mut String, fields: impl Iterator<Item = String>) {
    for (n, field) in fields.enumerate() {
        if n > 0 {
            out.push(',');
        }
        let guarded = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{field}") } else { field };
        if guarded.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&guarded.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&guarded);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::push_csv_row;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        let mut out = String::new();
        let fields = ["plain", "a,b", "say \"hi\"", "two\nlines", "=HYPERLINK(\"x\")", "-5", "Кривенко"];
        push_csv_row(&mut out, fields.iter().map(|f| f.to_string()));
        assert_eq!(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"'=HYPERLINK(\"\"x\"\")\",'-5,Кривенко\r\n");
    }
}
