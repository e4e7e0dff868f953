//! The web interface and the REST API, driven in-process (no socket) over the example leak ingested by the real
//! binary, plus a hostile HTML page. Every route is asked, with good and bad input; JSON bodies are snapshots.

use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::util::{Env, write_demo};

/// The data folder every test reads (ingested once; the server only reads).
struct Fixture {
    env: Env,
    /// The text that replaces the temporary folder's path in snapshots.
    data_prefix: String,
}

/// A page that tries everything a hostile leaked page could: script, event handlers, remote images and styles.
const HOSTILE_HTML: &str = r#"<html><head><title>Протокол <script>alert("title")</script></title>
<link rel="stylesheet" href="http://evil.example/x.css"></head>
<body onload="alert('onload')"><h1>Протокол совещания</h1>
<p>Решение принято.<script>document.title = "pwned"</script></p>
<img src="http://evil.example/pixel.png" onerror="alert('img')">
<p>&lt;b&gt;escaped&lt;/b&gt; and "quotes" &amp; 'apostrophes'</p></body></html>"#;

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let env = Env::new();
        let input = env.input("leak");
        write_demo(&input);
        // One worker: documents get the same ids on every run, so snapshots are stable.
        env.ingest(&input, "demo", &["--no-ocr", "--workers", "1"]);
        let hostile = env.input("hostile");
        std::fs::write(hostile.join("protokol.html"), HOSTILE_HTML).expect("write hostile page");
        std::fs::write(hostile.join("broken.pdf"), b"%PDF-1.7\nthis is not a PDF").expect("write broken pdf");
        std::fs::write(hostile.join("long.txt"), long_text()).expect("write long text");
        env.ingest(&hostile, "hostile", &["--no-ocr", "--workers", "1"]);
        let data_prefix = env.dir.path().to_str().expect("UTF-8 temp path").to_string();
        Fixture { env, data_prefix }
    })
}

/// About 3 MB of Russian text with one rare word near the end: a long document is shown in parts.
fn long_text() -> String {
    let line = "Протокол заседания комиссии по вопросам дорожного хозяйства, пункт повестки дня.\n";
    let mut text = line.repeat(20_000);
    text.push_str("Здесь упомянут Кривошеев.\n");
    text.push_str(&line.repeat(100));
    text
}

fn app() -> Router {
    app_bound_to("127.0.0.1:8080", &[])
}

/// The application as `dossier serve --addr ADDR --allow-host NAME...` builds it.
fn app_bound_to(addr: &str, allowed_hosts: &[&str]) -> Router {
    app_over(&fixture().env, addr, allowed_hosts)
}

fn app_over(env: &Env, addr: &str, allowed_hosts: &[&str]) -> Router {
    let config = dossier_server::ServerConfig {
        data_dir: env.data_dir(),
        addr: addr.parse().expect("address"),
        allowed_hosts: allowed_hosts.iter().map(|name| name.to_string()).collect(),
        handles: 2,
    };
    dossier_server::router(&config).expect("router")
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    /// The body as JSON with the temporary folder's path replaced, for snapshots.
    fn json(&self) -> serde_json::Value {
        let text =
            self.text().replace(env!("CARGO_BIN_EXE_dossier"), "[dossier]").replace(&fixture().data_prefix, "[TMP]");
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("not JSON ({err}): {text}"))
    }

    /// The body as text with the temporary folder's path and ingest times replaced, for snapshots of pages.
    fn page(&self) -> String {
        let text =
            self.text().replace(env!("CARGO_BIN_EXE_dossier"), "[dossier]").replace(&fixture().data_prefix, "[TMP]");
        // Custody times (`2026-12-02T16:09:45.820Z`) change on every run.
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find("Ingested at</th><td>") {
            let start = at + "Ingested at</th><td>".len();
            out.push_str(&rest[..start]);
            out.push_str("[time]");
            rest = &rest[start..];
            rest = &rest[rest.find('<').unwrap_or(rest.len())..];
        }
        out.push_str(rest);
        // One tag a line: diffs of the snapshot stay readable.
        out.replace("><", ">\n<")
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or("")
    }
}

async fn request(method: Method, uri: &str, host: &str) -> Reply {
    request_to(app(), method, uri, host).await
}

async fn request_to(app: Router, method: Method, uri: &str, host: &str) -> Reply {
    let request =
        Request::builder().method(method).uri(uri).header(header::HOST, host).body(Body::empty()).expect("request");
    let response = app.oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.expect("body").to_bytes().to_vec();
    Reply { status, headers, body }
}

async fn get(uri: &str) -> Reply {
    request(Method::GET, uri, "127.0.0.1:8080").await
}

/// The id of the document whose path ends with `suffix`.
async fn id_of(suffix: &str) -> i64 {
    let collection = if suffix.ends_with("protokol.html") || suffix.ends_with("long.txt") { "hostile" } else { "demo" };
    let listed = fixture().env.run_json(&["list", "-c", collection, "--json"]);
    listed
        .as_array()
        .expect("list")
        .iter()
        .find(|doc| doc["path"].as_str().is_some_and(|path| path.ends_with(suffix)))
        .and_then(|doc| doc["id"].as_i64())
        .unwrap_or_else(|| panic!("no document ends with {suffix}"))
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    for uri in
        ["/", "/search?q=%D0%B0%D0%B2%D0%B0%D0%BD%D1%81", "/api/v1/status", "/nope", "/api/v1/nope", "/assets/app.js"]
    {
        let reply = get(uri).await;
        let csp = reply.header(header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("http:"), "{uri}: {csp}");
        assert_eq!(reply.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{uri}");
        assert_eq!(reply.header(header::X_FRAME_OPTIONS), "DENY", "{uri}");
        assert_eq!(reply.header(header::REFERRER_POLICY), "no-referrer", "{uri}");
    }
    assert_eq!(get("/").await.header(header::CACHE_CONTROL), "no-store");
}

#[tokio::test]
async fn requests_for_another_host_are_refused() {
    // A page on evil.example that rebinds its name to 127.0.0.1 still sends "Host: evil.example".
    let reply = request(Method::GET, "/api/v1/status", "evil.example").await;
    assert_eq!(reply.status, StatusCode::MISDIRECTED_REQUEST);
    assert_eq!(reply.json()["code"], "wrong_host");
    for host in ["localhost:8080", "127.0.0.1", "[::1]:8080"] {
        assert_eq!(request(Method::GET, "/api/v1/status", host).await.status, StatusCode::OK, "{host}");
    }
}

#[tokio::test]
async fn a_server_bound_off_loopback_still_refuses_a_rebinding_name() {
    // `dossier serve --addr 0.0.0.0:8080 --allow-host dossier.newsroom.example`: reachable from the newsroom, and
    // still not readable by a page on evil.example rebound to one of this computer's addresses.
    for addr in ["0.0.0.0:8080", "[::]:8080", "192.0.2.7:8080"] {
        let app = || app_bound_to(addr, &["dossier.newsroom.example"]);
        let refused = request_to(app(), Method::GET, "/api/v1/status", "evil.example:8080").await;
        assert_eq!(refused.status, StatusCode::MISDIRECTED_REQUEST, "{addr}");
        assert_eq!(refused.json()["code"], "wrong_host", "{addr}");
        let message = refused.json()["message"].as_str().unwrap_or_default().to_string();
        assert!(message.contains("--allow-host evil.example"), "{addr}: the refusal says what to do: {message}");
        let page = request_to(app(), Method::GET, "/", "evil.example").await;
        assert_eq!(page.status, StatusCode::MISDIRECTED_REQUEST, "{addr}: pages too");
        for host in ["dossier.newsroom.example:8080", "DOSSIER.newsroom.example.", "localhost:8080", "127.0.0.1"] {
            let reply = request_to(app(), Method::GET, "/api/v1/status", host).await;
            assert_eq!(reply.status, StatusCode::OK, "{addr}: {host}");
        }
    }
    let bound = request_to(app_bound_to("192.0.2.7:8080", &[]), Method::GET, "/", "192.0.2.7:8080").await;
    assert_eq!(bound.status, StatusCode::OK, "the address the server is bound to");
}

#[tokio::test]
async fn home_lists_the_collections() {
    let reply = get("/").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header(header::CONTENT_TYPE).starts_with("text/html"));
    let html = reply.text();
    assert!(html.contains(r#"<a href="/collections/demo">demo</a>"#), "{html}");
    assert!(html.contains(r#"<a href="/collections/hostile">hostile</a>"#));
    assert!(html.contains(r#"<form class="search" role="search" method="get" action="/search">"#));
    assert!(html.contains("date:2023-10-01..2023-10-31"), "the syntax help is on the page");
    // Our own assets only.
    assert!(html.contains(r#"<script src="/assets/app.js" defer>"#));
    assert!(!html.contains("http://") && !html.contains("https://"), "no absolute URL in the page");
}

#[tokio::test]
async fn search_page_finds_both_near_identical_letters_with_marks_and_facets() {
    let reply = get(&format!("/search?q={}", encode("аванса"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(html.contains("Исх_14-07-2298_Минфин_аванс.docx"), "{html}");
    assert!(html.contains("копия_письма_в_минфин_v2.docx"), "{html}");
    assert!(html.contains("<mark>аванса</mark>") || html.contains("<mark>Аванса</mark>"), "{html}");
    assert!(html.contains(r#"href="/search?q=%D0%B0%D0%B2%D0%B0%D0%BD%D1%81%D0%B0%20type%3Adocx""#), "facet link");
    assert!(
        html.contains("/api/v1/search/export?q=%D0%B0%D0%B2%D0%B0%D0%BD%D1%81%D0%B0&amp;format=csv"),
        "export link"
    );
}

#[tokio::test]
async fn pages_as_a_reader_gets_them() {
    insta::assert_snapshot!("page_search_avans", get(&format!("/search?q={}", encode("аванса"))).await.page());
    let letter = id_of("letters/Исх_14-07-2298_Минфин_аванс.docx").await;
    insta::assert_snapshot!(
        "page_document_letter",
        get(&format!("/documents/{letter}?q={}", encode("аванса"))).await.page()
    );
    insta::assert_snapshot!("page_collection_hostile", get("/collections/hostile").await.page());
    insta::assert_snapshot!("page_not_found", get("/documents/999999").await.page());
}

#[tokio::test]
async fn search_page_shows_a_syntax_error_where_it_is() {
    let reply = get("/search?q=%28%D0%B0%D0%B2%D0%B0%D0%BD%D1%81").await; // "(аванс"
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(html.contains(r#"class="query-error" role="alert""#), "{html}");
    assert!(html.contains("(аванс\n") && html.contains('^'), "{html}");
    assert!(!html.contains("documents match"), "an error is not '0 results'");
}

#[tokio::test]
async fn search_page_pages_and_sorts() {
    let first = get("/search?q=&sort=newest").await.text();
    assert!(first.contains(r#"<span aria-current="page">1</span>"#), "{first}");
    assert!(first.contains(r#"<option value="newest" selected>"#));
    let second = get("/search?q=&sort=newest&page=2").await.text();
    assert!(second.contains(r#"<span aria-current="page">2</span>"#));
    assert!(get("/search?page=abc").await.status.is_client_error());
}

#[tokio::test]
async fn document_page_shows_mail_header_attachments_hashes_and_marked_text() {
    let id = id_of("2024-04-23_документы_по_мосту.eml").await;
    let reply = get(&format!("/documents/{id}?q={}", encode("мост"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(html.contains(r#"<dl class="mail-header panel">"#), "{html}");
    assert!(html.contains("<dt>From</dt>") && html.contains("<dt>Subject</dt>"));
    assert!(html.contains(r#"<table id="children">"#), "attachments are listed");
    assert!(html.contains(r#"<td class="hash" id="sha256">"#) && html.contains(r#"<td class="hash" id="blake3">"#));
    assert!(html.contains("<mark>"), "query words are marked in the text");
    assert!(html.contains(&format!(r#"href="/api/v1/documents/{id}/original""#)));
    // A child links back to its parent, keeping the query.
    let child = html
        .split(r#"<table id="children">"#)
        .nth(1)
        .and_then(|rest| rest.split("href=\"/documents/").nth(1))
        .and_then(|rest| rest.split(['?', '"']).next())
        .expect("a child link")
        .to_string();
    let child_page = get(&format!("/documents/{child}?q={}", encode("мост"))).await.text();
    assert!(child_page.contains(&format!(r#"<a href="/documents/{id}?q=%D0%BC%D0%BE%D1%81%D1%82">"#)), "{child_page}");
}

#[tokio::test]
async fn hostile_html_is_shown_as_text_and_never_runs() {
    let id = id_of("protokol.html").await;
    let html = get(&format!("/documents/{id}")).await.text();
    assert!(!html.contains("<script>alert") && !html.contains("<script>document"), "{html}");
    assert!(!html.contains("onload=\"alert") && !html.contains("<img src=\"http://evil"), "{html}");
    assert!(!html.contains("evil.example/x.css\">"), "{html}");
    // The only script element is our own.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    let results = get(&format!("/search?q={}", encode("протокол"))).await.text();
    assert_eq!(results.matches("<script").count(), 1, "{results}");
    // The original is a download of the exact bytes, with a policy that forbids running anything.
    let original = get(&format!("/api/v1/documents/{id}/original")).await;
    assert_eq!(original.body, HOSTILE_HTML.as_bytes());
    assert_eq!(original.header(header::CONTENT_TYPE), "text/html");
    assert!(original.header(header::CONTENT_DISPOSITION).starts_with("attachment; filename=\"protokol.html\""));
    assert!(original.header(header::CONTENT_SECURITY_POLICY).starts_with("sandbox"));
}

#[tokio::test]
async fn a_long_text_is_shown_in_parts_and_the_page_leads_to_the_part_with_the_match() {
    let id = id_of("long.txt").await;
    let first = get(&format!("/documents/{id}?q={}", encode("Кривошеев"))).await;
    assert_eq!(first.status, StatusCode::OK);
    let html = first.text();
    assert!(html.len() < 1 << 20, "a part, not the whole 3 MB text: {} bytes", html.len());
    let n_parts = html.split("Part 1 of ").nth(1).and_then(|rest| rest.split('<').next()).expect("part count");
    let n_parts: usize = n_parts.trim().parse().expect("a number");
    assert!(n_parts >= 10, "{n_parts} parts");
    assert!(html.contains("1 matches in the text"), "the match is counted over the whole text");
    let next = format!(
        r#"data-next-part="/documents/{id}?q=%D0%9A%D1%80%D0%B8%D0%B2%D0%BE%D1%88%D0%B5%D0%B5%D0%B2&amp;part={n_parts}#first-hit""#
    );
    assert!(html.contains(&next), "the next match is in the last part");
    let last = get(&format!("/documents/{id}?q={}&part={n_parts}", encode("Кривошеев"))).await.text();
    // The name is marked as the query's word, and inside the mark as a person the analysis found.
    let marked = last.contains("<mark>Кривошеев</mark>")
        || last.contains("<mark><span class=\"ent ent-person\">Кривошеев</span></mark>");
    assert!(marked, "{}", last.chars().take(2000).collect::<String>());
    assert!(last.contains(&format!("Part {n_parts} of {n_parts}")));
    let beyond = get(&format!("/documents/{id}?part=9999")).await;
    assert_eq!(beyond.status, StatusCode::OK, "a part beyond the end shows the last one");
    assert!(beyond.text().contains(&format!("Part {n_parts} of {n_parts}")));
}

#[tokio::test]
async fn document_page_errors() {
    assert_eq!(get("/documents/999999").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get("/documents/abc").await.status, StatusCode::BAD_REQUEST);
    let bad_query = get(&format!("/documents/{}?q=%28", id_of("README.txt").await)).await;
    assert_eq!(bad_query.status, StatusCode::OK, "a query that does not parse marks nothing");
}

#[tokio::test]
async fn page_routes_answer_malformed_addresses_with_a_page() {
    for (uri, status) in [
        ("/documents/abc", StatusCode::BAD_REQUEST),
        ("/documents/99999999999999999999", StatusCode::BAD_REQUEST),
        ("/documents/1?part=abc", StatusCode::BAD_REQUEST),
        ("/search?page=abc", StatusCode::BAD_REQUEST),
        ("/search?sort=sideways", StatusCode::BAD_REQUEST),
        ("/no/such/page", StatusCode::NOT_FOUND),
        ("/documents/1/more", StatusCode::NOT_FOUND),
    ] {
        let reply = get(uri).await;
        assert_eq!(reply.status, status, "{uri}");
        assert!(reply.header(header::CONTENT_TYPE).starts_with("text/html"), "{uri}: {}", reply.text());
        assert!(reply.text().contains("<h1>") && reply.text().contains("href=\"/search\""), "{uri}: a whole page");
    }
    let post = request(Method::POST, "/search", "127.0.0.1:8080").await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(post.header(header::CONTENT_TYPE).starts_with("text/html"), "{}", post.text());
    // The API's own routes keep answering JSON.
    for uri in ["/api/v1/documents/abc", "/api/v1/search?limit=abc", "/api/v1/nope"] {
        let reply = get(uri).await;
        assert!(reply.status.is_client_error(), "{uri}");
        assert!(reply.json()["code"].is_string(), "{uri}");
    }
}

#[tokio::test]
async fn a_facet_link_for_a_collection_named_with_quotes_finds_its_documents() {
    let env = Env::new();
    let input = env.input("quoted");
    std::fs::write(input.join("memo.txt"), "Служебная записка: отчёт о поставках.").expect("write memo");
    let name = r#"say "hi" \ there"#;
    env.ingest(&input, name, &["--no-ocr", "--workers", "1"]);
    let app = || app_over(&env, "127.0.0.1:8080", &[]);
    let results = request_to(app(), Method::GET, &format!("/search?q={}", encode("отчёт")), "localhost").await.text();
    assert!(results.contains(r#"data-total="1""#), "{results}");
    let href = results
        .split("href=\"")
        .map(|rest| rest.split('"').next().unwrap_or(""))
        .find(|href| href.contains("collection%3A"))
        .unwrap_or_else(|| panic!("no collection facet link: {results}"))
        .replace("&amp;", "&");
    let narrowed = request_to(app(), Method::GET, &href, "localhost").await.text();
    assert!(narrowed.contains(r#"data-total="1""#), "{href} finds the collection's document: {narrowed}");
    assert!(narrowed.contains(r#"value="отчёт collection:&quot;say \&quot;hi\&quot; \\ there&quot;""#), "{narrowed}");
}

#[tokio::test]
async fn a_damaged_search_index_tells_to_run_reindex() {
    let env = Env::new();
    let input = env.input("memos");
    for n in 0..3 {
        std::fs::write(input.join(format!("{n}.txt")), format!("Записка {n}: отчёт о поставках.")).expect("write");
    }
    env.ingest(&input, "memos", &["--no-ocr", "--workers", "1"]);
    // Two kinds of damage: the index's list of segments cut short, a segment's file cut short.
    for ending in ["meta.json", ".term"] {
        let damaged = std::fs::read_dir(env.data_dir().join("index"))
            .expect("the index folder")
            .flatten()
            .map(|entry| entry.path())
            .find(|path| path.to_string_lossy().ends_with(ending))
            .unwrap_or_else(|| panic!("an index file ending in {ending}"));
        let bytes = std::fs::read(&damaged).expect("read an index file");
        std::fs::write(&damaged, &bytes[..bytes.len() - 12]).expect("damage it");
        let output = env.command().args(["search", "отчёт"]).output().expect("dossier runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{}", damaged.display());
        assert!(stderr.contains("`dossier reindex`"), "{}: {stderr}", damaged.display());
        let app = || app_over(&env, "127.0.0.1:8080", &[]);
        let api = request_to(app(), Method::GET, &format!("/api/v1/search?q={}", encode("отчёт")), "localhost").await;
        assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(api.json()["code"], "index_damaged", "{}", api.text());
        assert!(api.json()["message"].as_str().is_some_and(|m| m.contains("`dossier reindex`")), "{}", api.text());
        let page = request_to(app(), Method::GET, &format!("/search?q={}", encode("отчёт")), "localhost").await;
        assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(page.text().contains("<code>dossier reindex</code>") || page.text().contains("`dossier reindex`"));
        // The advice is true: reindex repairs it.
        env.run(&["reindex"]);
        assert_eq!(env.run_json(&["search", "отчёт", "--json"])["total"], 3, "{}", damaged.display());
    }
}

#[tokio::test]
async fn collection_page_counts_formats_and_failures() {
    let html = get("/collections/demo").await.text();
    assert!(html.contains(r#"data-live-collection="/api/v1/collections/demo""#), "{html}");
    assert!(html.contains(r#"<table id="formats">"#) && html.contains("<td>docx</td>"));
    let hostile = get("/collections/hostile").await.text();
    assert!(hostile.contains(r#"<table id="failures">"#), "{hostile}");
    assert!(hostile.contains("broken.pdf"));
    assert_eq!(get("/collections/nope").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn assets_and_unknown_pages() {
    let css = get("/assets/app.css").await;
    assert_eq!((css.status, css.header(header::CONTENT_TYPE)), (StatusCode::OK, "text/css; charset=utf-8"));
    let js = get("/assets/app.js").await;
    assert_eq!((js.status, js.header(header::CONTENT_TYPE)), (StatusCode::OK, "text/javascript; charset=utf-8"));
    assert!(!js.text().contains("http://") && !js.text().contains("https://"));
    let missing = get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.header(header::CONTENT_TYPE).starts_with("text/html"));
}

#[tokio::test]
async fn api_status_and_collections() {
    let status = get("/api/v1/status").await;
    assert_eq!(status.status, StatusCode::OK);
    insta::assert_json_snapshot!("api_status", status.json());
    insta::assert_json_snapshot!("api_collections", get("/api/v1/collections").await.json());
    insta::assert_json_snapshot!("api_collection_demo", get("/api/v1/collections/demo").await.json());
    insta::assert_json_snapshot!("api_failures_hostile", get("/api/v1/collections/hostile/failures").await.json());
    let missing = get("/api/v1/collections/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    insta::assert_json_snapshot!("api_collection_missing", missing.json());
    assert_eq!(get("/api/v1/collections/nope/failures").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn api_search_matches_the_command_line() {
    let reply = get(&format!("/api/v1/search?q={}&limit=50", encode("министерству"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    let api = reply.json();
    let cli_output = fixture().env.run(&["search", "министерству", "--json", "--limit", "50"]);
    let cli: serde_json::Value =
        serde_json::from_str(&cli_output.replace(&fixture().data_prefix, "[TMP]")).expect("CLI JSON");
    if api != cli {
        let dump = |value: &serde_json::Value| serde_json::to_string_pretty(value).expect("JSON");
        let (api, cli) = (dump(&api), dump(&cli));
        let first = api.lines().zip(cli.lines()).position(|(a, c)| a != c).unwrap_or(0);
        let around = |text: &str| text.lines().skip(first.saturating_sub(3)).take(7).collect::<Vec<_>>().join("\n");
        panic!(
            "the API differs from `dossier search --json` at line {first}:\n{}\n---\n{}",
            around(&api),
            around(&cli)
        );
    }
    insta::assert_json_snapshot!("api_search_ministry", api);
}

#[tokio::test]
async fn api_search_filters_sorts_and_pages() {
    let page = get("/api/v1/search?q=&collection=demo&sort=oldest&limit=3&offset=3").await.json();
    assert_eq!(page["offset"], 3);
    assert_eq!(page["hits"].as_array().expect("hits").len(), 3);
    assert!(
        page["hits"].as_array().expect("hits").iter().all(|hit| hit["collection"] == "demo" && hit["score"].is_null())
    );
    let translit = get(&format!("/api/v1/search?q={}&translit=true", encode("Sokolov"))).await.json();
    assert!(translit["total"].as_u64().expect("total") > 0, "Sokolov finds Соколов: {translit}");
}

#[tokio::test]
async fn api_search_refuses_bad_input_with_json_errors() {
    let bad_query = get("/api/v1/search?q=%22unclosed").await;
    assert_eq!(bad_query.status, StatusCode::BAD_REQUEST);
    insta::assert_json_snapshot!("api_search_bad_query", bad_query.json());
    for uri in [
        "/api/v1/search?limit=5000",
        "/api/v1/search?limit=abc",
        "/api/v1/search?sort=sideways",
        "/api/v1/search?offset=-1",
    ] {
        let reply = get(uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(reply.json()["code"], "bad_request", "{uri}");
    }
    // Found by schemathesis: a query of symbols only (here NEL, ®, @) was a 500; it is the searcher's mistake.
    let symbols = get("/api/v1/search?q=%C2%85%C2%AE%40").await;
    assert_eq!(symbols.status, StatusCode::BAD_REQUEST);
    assert_eq!(symbols.json()["code"], "bad_query");
    assert_eq!(get("/api/v1/search/export?q=%C2%AE").await.status, StatusCode::BAD_REQUEST);
    // Found by schemathesis: an offset of billions made the index reserve memory for that many hits and abort.
    let far = get("/api/v1/search?q=&offset=18446744073709551615").await;
    assert_eq!(far.status, StatusCode::OK);
    assert_eq!(far.json()["hits"].as_array().map(Vec::len), Some(0));
    assert_eq!(get("/search?q=&page=18446744073709551615").await.status, StatusCode::OK);
    let post = request(Method::POST, "/api/v1/search", "localhost").await;
    assert_eq!(post.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(post.json()["code"], "method_not_allowed");
    let unknown = get("/api/v1/nothing/here").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["code"], "not_found");
}

#[tokio::test]
async fn api_export_streams_every_hit_as_csv_and_json_lines() {
    let total = get("/api/v1/search?q=&limit=0").await.json()["total"].as_u64().expect("total");
    let csv = get("/api/v1/search/export?q=&format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
    assert!(csv.header(header::CONTENT_DISPOSITION).starts_with("attachment"));
    assert_eq!(csv.headers.get("x-total-count").and_then(|v| v.to_str().ok()), Some(total.to_string().as_str()));
    let text = csv.text();
    assert!(text.starts_with("id,collection,path,title,format,lang,date,score,snippet\r\n"), "{text}");
    // Records end with CRLF; a line break inside a quoted field is a bare LF.
    assert_eq!(text.matches("\r\n").count() as u64, total + 1);
    let jsonl = get("/api/v1/search/export?q=&format=jsonl").await.text();
    let hits: Vec<serde_json::Value> =
        jsonl.lines().map(|line| serde_json::from_str(line).expect("JSON line")).collect();
    assert_eq!(hits.len() as u64, total);
    let mut ids: Vec<u64> = hits.iter().map(|hit| hit["id"].as_u64().expect("id")).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len() as u64, total, "every hit once");
    assert_eq!(get("/api/v1/search/export?q=%28").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(get("/api/v1/search/export?format=xml").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn api_document_with_parents_children_and_text_parts() {
    let id = id_of("archive/leak_materials_2024-05.zip").await;
    let reply = get(&format!("/api/v1/documents/{id}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let document = reply.json();
    insta::assert_json_snapshot!("api_document_zip", document, {
        ".document.ingested_at" => "[time]",
        ".document.ingested_by" => "[command]",
        ".custody[].at" => "[time]",
        ".custody[].command" => "[command]",
    });
    let child = document["children"][0]["id"].as_i64().expect("a member");
    let member = get(&format!("/api/v1/documents/{child}")).await.json();
    assert_eq!(member["parents"][0]["id"].as_i64(), Some(id));

    let letter = id_of("letters/Исх_14-07-2298_Минфин_аванс.docx").await;
    let whole = get(&format!("/api/v1/documents/{letter}/text")).await.json();
    let text = whole["text"].as_str().expect("text").to_string();
    assert_eq!(whole["total_length"].as_u64(), Some(text.len() as u64));
    assert!(whole["next_offset"].is_null());
    // Small parts put back together give the whole text, each cut on a character boundary.
    let mut joined = String::new();
    let mut offset = Some(0u64);
    while let Some(at) = offset {
        let part = get(&format!("/api/v1/documents/{letter}/text?offset={at}&length=97")).await.json();
        joined.push_str(part["text"].as_str().expect("part"));
        offset = part["next_offset"].as_u64();
    }
    assert_eq!(joined, text);
    for uri in [
        format!("/api/v1/documents/{letter}/text?offset=99999999"),
        format!("/api/v1/documents/{letter}/text?length=0"),
        format!("/api/v1/documents/{letter}/text?length=99999999"),
        "/api/v1/documents/abc".to_string(),
    ] {
        let reply = get(&uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(reply.json()["code"], "bad_request");
    }
    assert_eq!(get("/api/v1/documents/999999").await.json()["code"], "not_found");
    assert_eq!(get("/api/v1/documents/999999/text").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn api_original_is_the_exact_file_as_a_download() {
    let path_suffix = "reports/Сводка_платежей_2024.xlsx";
    let id = id_of(path_suffix).await;
    let reply = get(&format!("/api/v1/documents/{id}/original")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let source = fixture().env.dir.path().join("input/leak").join(path_suffix);
    assert_eq!(reply.body, std::fs::read(&source).expect("source file"), "byte-identical");
    assert_eq!(reply.header(header::CONTENT_TYPE), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let disposition = reply.header(header::CONTENT_DISPOSITION);
    assert!(
        disposition.starts_with("attachment; filename=\"________________2024.xlsx\"; filename*=UTF-8''%D0%A1"),
        "{disposition}"
    );
    assert_eq!(get("/api/v1/documents/999999/original").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn openapi_describes_every_route() {
    let reply = get("/api/v1/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_TYPE), "application/json");
    let spec = reply.json();
    let mut paths: Vec<&str> = spec["paths"].as_object().expect("paths").keys().map(String::as_str).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "/api/v1/collections",
            "/api/v1/collections/{name}",
            "/api/v1/collections/{name}/failures",
            "/api/v1/documents/{id}",
            "/api/v1/documents/{id}/entities",
            "/api/v1/documents/{id}/original",
            "/api/v1/documents/{id}/text",
            "/api/v1/entities",
            "/api/v1/entities/both",
            "/api/v1/entities/export",
            "/api/v1/entities/{kind}/{id}",
            "/api/v1/search",
            "/api/v1/search/export",
            "/api/v1/status",
        ]
    );
    // Each documented path answers (with a real id where one is needed).
    let id = id_of("README.txt").await;
    let inn = get("/api/v1/entities?kind=inn&limit=1").await.json();
    let (inn_kind, inn_id) = (inn[0]["kind"].as_str().expect("kind"), inn[0]["id"].as_str().expect("id"));
    for path in paths {
        let uri = match path {
            "/api/v1/entities/{kind}/{id}" => format!("/api/v1/entities/{inn_kind}/{}", encode(inn_id)),
            "/api/v1/entities/both" => {
                let entity = format!("{inn_kind}:{inn_id}");
                format!("{path}?a={}&b={}", encode(&entity), encode(&entity))
            }
            _ => path.replace("{name}", "demo").replace("{id}", &id.to_string()),
        };
        assert_eq!(get(&uri).await.status, StatusCode::OK, "{uri}");
    }
    insta::assert_json_snapshot!("openapi", spec);
}
