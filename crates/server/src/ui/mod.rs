//! The web interface: server-rendered pages (maud escapes everything interpolated), a page frame, and errors as
//! pages. Routes: `/` (collections and the search box), `/search`, `/documents/{id}`, `/collections/{name}`,
//! `/collections/{name}/entities`, `/entities/{kind}/{id}` and `/entities/lookup` (a form's entity). Every
//! error of a page route, a malformed address included, is answered with a page; the API's are JSON.

mod collection;
mod document;
mod entities;
mod search;
mod strings;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};

use crate::AppState;
use crate::api::{ApiPath, ApiQuery};
use crate::error::ApiError;
use strings::{EN, Strings};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(search::home))
        .route("/search", get(search::results))
        .route("/documents/{id}", get(document::page))
        .route("/collections/{name}", get(collection::page))
        .route("/collections/{name}/entities", get(entities::list))
        .route("/entities/lookup", get(entities::lookup))
        .route("/entities/{kind}/{id}", get(entities::page))
        .method_not_allowed_fallback(method_not_allowed)
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
                title { (shown_plain(title)) " · " (s.app_name) }
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
        let title = match self.0.status {
            StatusCode::NOT_FOUND => s.not_found_title,
            status if status.is_client_error() => s.bad_request_title,
            _ => s.error_title,
        };
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

async fn method_not_allowed() -> PageError {
    PageError(ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", strings().method_not_allowed))
}

/// A path parameter of a page; one of the wrong type (`/documents/abc`) is a 400 error page.
pub struct PagePath<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for PagePath<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let ApiPath(value) = ApiPath::from_request_parts(parts, state).await.map_err(malformed_address)?;
        Ok(PagePath(value))
    }
}

/// The query string of a page; a malformed one (`/search?page=abc`) is a 400 error page.
pub struct PageQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let ApiQuery(value) = ApiQuery::from_request_parts(parts, state).await.map_err(malformed_address)?;
        Ok(PageQuery(value))
    }
}

fn malformed_address(err: ApiError) -> PageError {
    let message = format!("{} ({})", strings().bad_address, err.message);
    PageError(ApiError { message, ..err })
}

/// Whether `c` would act on the text around it instead of showing: the catalog's [`dossier_core::is_control`]
/// (bidi embeddings, overrides, isolates and marks: `invoice\u{202e}fdp.exe` reads as `invoiceexe.pdf`; line and
/// paragraph separators; control characters) except line breaks and tabs, which HTML shows as spaces.
fn is_hidden_control(c: char) -> bool {
    dossier_core::is_control(c) && !matches!(c, '\n' | '\t' | '\r')
}

/// How a hidden control is shown: `\u{202E}`, `\x1B`, in the notation of the CLI and of undecodable name bytes.
fn control_label(c: char) -> String {
    let mut buffer = [0u8; 4];
    dossier_core::escape_controls(c.encode_utf8(&mut buffer), |_, _| false).into_owned()
}

/// Text from the evidence (a name, a path, a title, a metadata value) in a page: escaped as every interpolation, and
/// with hidden controls shown as a marked `\u{202E}` instead of reordering or hiding the text around them.
fn shown(text: &str) -> Markup {
    if !text.chars().any(is_hidden_control) {
        return html! { (text) };
    }
    let s = strings();
    let mut pieces = Vec::new();
    let mut plain = String::new();
    for c in text.chars() {
        if is_hidden_control(c) {
            pieces.push((std::mem::take(&mut plain), Some(c)));
        } else {
            plain.push(c);
        }
    }
    html! {
        @for (before, control) in &pieces {
            (before)
            @if let Some(c) = control { span.control title=(s.hidden_control) { (control_label(*c)) } }
        }
        (plain)
    }
}

/// [`shown`] where no markup can go (the page's title, an option, an attribute): the label without its mark.
fn shown_plain(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden_control(c) { out.push_str(&control_label(c)) } else { out.push(c) }
    }
    std::borrow::Cow::Owned(out)
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
pub(crate) fn percent_encode(value: &str) -> String {
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
    use super::{human_size, percent_encode, query_string, shown, shown_plain};

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_size(12), "12 bytes");
        assert_eq!(human_size(34_000), "34.0 KB");
        assert_eq!(human_size(1_234_567), "1.2 MB");
    }

    #[test]
    fn bidi_overrides_in_names_are_shown_not_obeyed() {
        let name = "invoice\u{202e}fdp.exe <b>";
        assert_eq!(
            shown(name).into_string(),
            "invoice<span class=\"control\" title=\"An invisible control character, shown here so that it cannot \
             reorder or hide the text around it\">\\u{202E}</span>fdp.exe &lt;b&gt;"
        );
        assert_eq!(shown_plain("a\u{2066}b\u{1b}c\nd"), "a\\u{2066}b\\x1Bc\nd");
        assert_eq!(shown("Исх_14-07.docx\n").into_string(), "Исх_14-07.docx\n");
    }

    #[test]
    fn query_strings_are_encoded_and_skip_empty_values() {
        assert_eq!(percent_encode("отчёт & \"a\""), "%D0%BE%D1%82%D1%87%D1%91%D1%82%20%26%20%22a%22");
        assert_eq!(query_string(&[("q", "a b"), ("sort", ""), ("page", "2")]), "q=a%20b&page=2");
    }
}
