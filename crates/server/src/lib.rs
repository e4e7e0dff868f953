//! `dossier serve`: the web interface and the REST API over a data folder.
//!
//! Everything the browser loads comes from this server: pages are rendered here (`ui`), the little JavaScript and
//! CSS there is are compiled into the binary (`assets`), and a strict Content-Security-Policy forbids anything
//! else. The server binds loopback by default and refuses requests whose `Host` is not this machine's (so that a web
//! page elsewhere cannot reach it through DNS rebinding). Nothing it serves can change the evidence (vault, catalog);
//! at most a search brings the derived index up to date with the catalog.
//!
//! Invariants:
//! - Document text, names and metadata are always escaped into pages; originals are only ever sent as downloads.
//! - No page or response refers to another origin; the server makes no outbound requests.
//! - A malformed request gets a 4xx; only a failure of dossier itself is a 500.

mod api;
mod assets;
mod error;
mod export;
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
    /// The address the server is bound to: on loopback, only requests addressed to this machine are answered.
    pub addr: SocketAddr,
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
        .layer(axum::middleware::from_fn_with_state(HostCheck::for_addr(config.addr), check_host));
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

/// Which `Host` headers the server answers.
#[derive(Debug, Clone)]
enum HostCheck {
    /// Bound to loopback: only names of this machine.
    Loopback,
    /// Bound to another interface: the operator chose to be reachable; any host.
    Any,
}

impl HostCheck {
    fn for_addr(addr: SocketAddr) -> HostCheck {
        if addr.ip().is_loopback() { HostCheck::Loopback } else { HostCheck::Any }
    }

    fn allows(&self, host: Option<&str>) -> bool {
        match self {
            HostCheck::Any => true,
            HostCheck::Loopback => host.is_some_and(is_loopback_host),
        }
    }
}

/// `localhost`, `127.0.0.1`, `[::1]` (any port, any 127.x address).
fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':')
            .map_or(host, |(name, port)| if port.bytes().all(|b| b.is_ascii_digit()) { name } else { host })
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

async fn check_host(State(check): State<HostCheck>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|value| value.to_str().ok());
    if check.allows(host) {
        return next.run(request).await;
    }
    ApiError::new(
        StatusCode::MISDIRECTED_REQUEST,
        "wrong_host",
        "this dossier server only answers requests addressed to localhost",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::is_loopback_host;

    #[test]
    fn only_names_of_this_machine_are_loopback_hosts() {
        for host in ["localhost", "localhost:8080", "127.0.0.1:8080", "127.1.2.3", "[::1]:8080", "[::1]", "LOCALHOST."]
        {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "10.0.0.1:8080", "[::2]", ""] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
