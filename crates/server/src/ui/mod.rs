//! The web interface: server-rendered pages (maud escapes everything interpolated), a page frame, and errors as
//! pages. Routes: `/` (collections and the search box), `/search`, `/documents/{id}`, `/collections/{name}`.

mod collection;
mod document;
mod search;
mod strings;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};

use crate::AppState;
use crate::error::ApiError;
use strings::{EN, Strings};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(search::home))
        .route("/search", get(search::results))
        .route("/documents/{id}", get(document::page))
        .route("/collections/{name}", get(collection::page))
}

/// The interface's strings (English until translations arrive).
fn strings() -> &'static Strings {
    &EN
}

/// A whole page: header with the search box's home, the content, the footer.
fn frame(title: &str, content: Markup) -> Markup {
    let s = strings();
    html! {
        (DOCTYPE)
        html lang=(s.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · " (s.app_name) }
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/app.js" defer {}
            }
            body {
                a.skip-link href="#content" { (s.skip_to_content) }
                header.site {
                    a.brand href="/" { (s.app_name) }
                    nav aria-label="Main" {
                        a href="/search" { (s.nav_search) }
                        a href="/#collections" { (s.nav_collections) }
                        a href="/api/v1/openapi.json" { (s.nav_api) }
                    }
                    span.where { (s.local_only) }
                }
                main #content tabindex="-1" { (content) }
                footer.site { (s.footer) }
            }
        }
    }
}

/// An error shown as a page, with the status the API would give.
pub struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(err: ApiError) -> PageError {
        PageError(err)
    }
}

impl From<dossier_core::CoreError> for PageError {
    fn from(err: dossier_core::CoreError) -> PageError {
        PageError(ApiError::from(err))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let s = strings();
        let title = if self.0.status == StatusCode::NOT_FOUND { s.not_found_title } else { s.error_title };
        let page = frame(
            title,
            html! {
                h1 { (title) }
                p.panel { (self.0.message) }
            },
        );
        (self.0.status, Html(page.into_string())).into_response()
    }
}

pub async fn not_found() -> PageError {
    PageError(ApiError::not_found(strings().not_found_text))
}

/// A page's HTML as a response.
fn render(markup: Markup) -> Html<String> {
    Html(markup.into_string())
}

/// The CSS class and the word for a document's outcome.
fn state_label(state: &str) -> (&'static str, &'static str) {
    let s = strings();
    match state {
        "ok" => ("state-ok", s.state_ok),
        "partial" => ("state-partial", s.state_partial),
        "failed" => ("state-failed", s.state_failed),
        _ => ("state-pending", s.state_pending),
    }
}

/// `1.2 MB`, `340 KB`, `12 bytes`.
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A query string built from pairs, percent-encoded (`q=a%20b&page=2`).
fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs.iter().filter(|(_, value)| !value.is_empty()) {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(&percent_encode(value));
    }
    out
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for query values and path segments.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{human_size, percent_encode, query_string};

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_size(12), "12 bytes");
        assert_eq!(human_size(34_000), "34.0 KB");
        assert_eq!(human_size(1_234_567), "1.2 MB");
    }

    #[test]
    fn query_strings_are_encoded_and_skip_empty_values() {
        assert_eq!(percent_encode("отчёт & \"a\""), "%D0%BE%D1%82%D1%87%D1%91%D1%82%20%26%20%22a%22");
        assert_eq!(query_string(&[("q", "a b"), ("sort", ""), ("page", "2")]), "q=a%20b&page=2");
    }
}
