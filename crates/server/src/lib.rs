//! `dossier serve`: the web interface and the REST API over a data folder.
//!
//! Everything the browser loads comes from this server: pages are rendered here (`ui`), the little JavaScript and
//! CSS there is are compiled into the binary (`assets`), and a strict Content-Security-Policy forbids anything
//! else. The server binds loopback by default and, wherever it is bound, refuses requests whose `Host` is not a name
//! of this machine or one the operator allowed (`host`), so that a web page elsewhere cannot read it through DNS
//! rebinding. Nothing it serves can change the evidence (vault, catalog);
//! at most a search brings the derived index up to date with the catalog.
//!
//! Invariants:
//! - Document text, names and metadata are always escaped into pages; originals are only ever sent as downloads.
//! - No page or response refers to another origin; the server makes no outbound requests.
//! - A malformed request gets a 4xx; only a failure of dossier itself is a 500.

mod api;
mod assets;
mod entities;
mod error;
mod export;
mod host;
mod pool;
mod ui;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use api::text_part;
pub use entities::entities_csv;
pub use error::ApiError;
pub use export::{CSV_COLUMNS, push_csv_row};

/// The Content-Security-Policy of every response: our own scripts, styles and images only, no framing, no forms
/// sent elsewhere, no plugins.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub data_dir: PathBuf,
    /// The address the server is bound to. Only requests addressed to this machine are answered: its loopback names,
    /// this address (every interface's, for `0.0.0.0`), its host name, and `allowed_hosts`.
    pub addr: SocketAddr,
    /// More names requests may be addressed to (`--allow-host`), e.g. a DNS name of this machine in the newsroom.
    pub allowed_hosts: Vec<String>,
    /// Open handles on the data folder (concurrent requests that read it).
    pub handles: usize,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pool: Arc<pool::Pool>,
    openapi: Arc<String>,
}

/// The whole application: pages, assets and the API, with the security headers and the host check.
pub fn router(config: &ServerConfig) -> Result<Router, dossier_core::CoreError> {
    let pool = Arc::new(pool::Pool::open(config.data_dir.clone(), config.handles)?);
    let api_routes = api::routes();
    let openapi = api::openapi_json(&api_routes);
    let state = AppState { pool, openapi };
    let (api_router, _) = api_routes.split_for_parts();
    let api_router = api_router
        .route("/api/v1/openapi.json", get(openapi_document))
        .method_not_allowed_fallback(api::method_not_allowed);
    let app = Router::new()
        .merge(ui::routes())
        .merge(assets::routes())
        .merge(api_router)
        .nest("/api", Router::new().fallback(api::not_found))
        .fallback(ui::not_found)
        .with_state(state)
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn_with_state(
            host::HostCheck::new(config.addr, &config.allowed_hosts),
            check_host,
        ));
    Ok(app)
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

async fn openapi_document(State(state): State<AppState>) -> Response {
    let mut response = state.openapi.as_str().to_owned().into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

async fn security_headers(request: Request, next: Next) -> Response {
    let is_asset = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    headers.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    // Leaked material should not linger in the browser's disk cache; the assets are the same for every page.
    let cache = if is_asset { "private, max-age=3600" } else { "no-store" };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

async fn check_host(State(check): State<host::HostCheck>, request: Request, next: Next) -> Response {
    // HTTP/2 names the host in the request's authority rather than a Host header.
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .or_else(|| request.uri().authority().map(|authority| authority.as_str()));
    if check.allows(host) {
        return next.run(request).await;
    }
    // A rebinding page can read this answer: it names nothing of this machine, only what the request said.
    let named = host.and_then(host::host_name);
    let message = match &named {
        Some(name) => format!(
            "this dossier server does not answer requests addressed to {name:?}, which is not a name of this \
             computer; if it is one, start the server with --allow-host {name}"
        ),
        None => "this dossier server answers only requests that name this computer in their Host header".to_string(),
    };
    ApiError::new(StatusCode::MISDIRECTED_REQUEST, "wrong_host", message).into_response()
}
