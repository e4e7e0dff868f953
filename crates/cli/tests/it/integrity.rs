//! Defects of the evidence layer found by hostile testing (issue 12), each pinned by a test named after what broke:
//! damaged originals, two writers, walk failures, names that are not UTF-8, the nesting limit under retries, the data
//! folder inside the input, and commands pointed at a folder that is not a data folder.

use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use crate::util::Env;

fn blob_path(env: &Env, blake3: &str) -> PathBuf {
    env.data_dir().join("vault/blobs").join(&blake3[..2]).join(&blake3[2..4]).join(blake3)
}

fn flip_a_byte(path: &Path, at: usize) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let mut bytes = std::fs::read(path).expect("read blob");
    bytes[at] ^= 0x01;
    std::fs::write(path, bytes).expect("tamper");
}

/// GET `uri` from a server over the env's data folder: status and body, or the error that cut the body short.
async fn get(env: &Env, uri: &str) -> (StatusCode, Result<Vec<u8>, String>) {
    let config = dossier_server::ServerConfig {
        data_dir: env.data_dir(),
        addr: "127.0.0.1:8080".parse().expect("address"),
        allowed_hosts: Vec::new(),
        handles: 2,
    };
    let app = dossier_server::router(&config).expect("router");
    let request = Request::get(uri).header("host", "127.0.0.1:8080").body(Body::empty()).expect("request");
    let response = app.oneshot(request).await.expect("response");
    let status = response.status();
    let body = response.into_body().collect().await.map(|body| body.to_bytes().to_vec()).map_err(|err| err.to_string());
    (status, body)
}

fn only_document(env: &Env, collection: &str) -> Value {
    let list = env.run_json(&["list", "-c", collection, "--json"]);
    let docs = list.as_array().expect("a list");
    assert_eq!(docs.len(), 1, "{list:#}");
    docs[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupted_blob_is_not_served_as_genuine_and_reingest_repairs_it() {
    let env = Env::new();
    let input = env.input("leak");
    // Larger than one read chunk, so that the damage sits after bytes a download has already received.
    let original: Vec<u8> = (0..600_000u32).map(|i| b"0123456789 abcdefghij\n"[(i % 22) as usize]).collect();
    std::fs::write(input.join("figures.txt"), &original).expect("write");
    env.ingest(&input, "leak", &["--no-ocr"]);
    let doc = only_document(&env, "leak");
    let (id, blake3) = (doc["id"].as_i64().expect("id"), doc["blake3"].as_str().expect("hash").to_string());
    let uri = format!("/api/v1/documents/{id}/original");
    let (status, body) = get(&env, &uri).await;
    assert_eq!((status, body.as_deref().ok()), (StatusCode::OK, Some(&original[..])));

    flip_a_byte(&blob_path(&env, &blake3), 550_000);
    let (status, body) = get(&env, &uri).await;
    assert_eq!(status, StatusCode::OK, "the damage is only seen while streaming");
    match body {
        Ok(bytes) => panic!("a damaged original was served whole ({} bytes)", bytes.len()),
        Err(err) => assert!(!err.is_empty()),
    }
    // The download recorded the damage: the document now says so, and the original is refused up front.
    let (status, body) = get(&env, &format!("/api/v1/documents/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let shown: Value = serde_json::from_slice(&body.expect("body")).expect("JSON");
    assert_eq!(shown["document"]["damage"]["detected_by"], "download", "{shown:#}");
    let (status, body) = get(&env, &uri).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(String::from_utf8_lossy(&body.expect("body")).contains("original_damaged"));
    let (_, page) = get(&env, &format!("/documents/{id}")).await;
    let page = String::from_utf8(page.expect("page")).expect("UTF-8 page");
    assert!(page.contains("id=\"damaged\"") && !page.contains("id=\"download\""), "{page}");

    // verify-vault names the document and where its blob is.
    let output = env.command().args(["verify-vault"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(3));
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(report.contains(&format!("original of document {id} in leak: ")), "{report}");
    assert!(report.contains(&blob_path(&env, &blake3).display().to_string()), "{report}");

    // Ingesting the true original again replaces the damaged copy and says so in the custody log.
    env.ingest(&input, "leak", &["--no-ocr"]);
    assert_eq!(std::fs::read(blob_path(&env, &blake3)).expect("blob"), original);
    let verified = env.run_json(&["verify-vault", "--json"]);
    assert_eq!(verified["problems"], serde_json::json!([]));
    let (status, body) = get(&env, &format!("/api/v1/documents/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let shown: Value = serde_json::from_slice(&body.expect("body")).expect("JSON");
    assert!(shown["document"].get("damage").is_none(), "{shown:#}");
    let events: Vec<&str> =
        shown["custody"].as_array().expect("custody").iter().filter_map(|event| event["event"].as_str()).collect();
    assert_eq!(events, ["ingested", "blob-repaired"], "{shown:#}");
    let (status, body) = get(&env, &uri).await;
    assert_eq!((status, body.as_deref().ok()), (StatusCode::OK, Some(&original[..])));
}

#[test]
fn a_second_writer_is_refused_and_leaves_the_first_ones_files_alone() {
    let env = Env::new();
    let input = env.input("leak");
    std::fs::write(input.join("a.txt"), "первый документ").expect("write");
    env.ingest(&input, "leak", &["--no-ocr"]);
    // Another writer holds the data folder, half-way through storing a file.
    let dossier = dossier_core::Dossier::open(&env.data_dir()).expect("open");
    let lock = dossier.lock_for_writing("dossier ingest /elsewhere").expect("lock");
    let unfinished = env.data_dir().join("vault/tmp/4242-0.part");
    std::fs::write(&unfinished, b"half a file").expect("write tmp");

    std::fs::write(input.join("b.txt"), "второй документ").expect("write");
    let output = env.command().args(["ingest", input.to_str().expect("UTF-8"), "-c", "leak"]).output().expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("another dossier process is writing") && stderr.contains("dossier ingest /elsewhere"),
        "{stderr}"
    );
    assert!(unfinished.exists(), "the refused ingest cleaned up the other writer's file");
    let refused = env.command().arg("reindex").output().expect("runs");
    assert!(!refused.status.success(), "reindex writes too");
    // Readers go on meanwhile.
    assert_eq!(env.run_json(&["status", "--json"])["documents"], 1);
    assert_eq!(env.run_json(&["search", "документ", "--json"])["total"], 1);

    drop(lock);
    let summary = env.ingest(&input, "leak", &["--no-ocr"]);
    assert_eq!(summary["counts"]["documents"], 2);
    assert!(!unfinished.exists(), "a writer cleans up unfinished files once it holds the lock");
}

fn make_fifo(path: &Path) {
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path and a mode; mkfifo touches nothing else.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0, "mkfifo");
}

#[test]
fn a_path_that_failed_at_the_walk_is_one_document_that_moves_on() {
    let env = Env::new();
    let input = env.input("leak");
    let path = input.join("letter.txt");
    // Not a regular file when first walked (as root, a permission error cannot be provoked).
    make_fifo(&path);
    let first = env.ingest(&input, "leak", &["--no-ocr"]);
    assert_eq!((first["counts"]["documents"].as_u64(), first["counts"]["failed"].as_u64()), (Some(1), Some(1)));

    std::fs::remove_file(&path).expect("remove fifo");
    std::fs::write(&path, "письмо министерства").expect("write");
    // `--retry-failed` tries it again even when the run names other paths.
    let elsewhere = env.input("empty");
    let retried = env.ingest(&elsewhere, "leak", &["--no-ocr", "--retry-failed"]);
    assert_eq!(
        retried["counts"],
        serde_json::json!({"documents": 1, "ok": 1, "partial": 0, "failed": 0, "pending": 0})
    );
    let doc = only_document(&env, "leak");
    assert_eq!((doc["path"].as_str(), doc["state"].as_str()), (path.to_str(), Some("ok")));
    // Walking it again changes nothing.
    let again = env.ingest(&input, "leak", &["--no-ocr"]);
    assert_eq!(again["counts"]["documents"], 1);
}

/// Each document's path as shown and its exact bytes (escaped) when they are not UTF-8, sorted.
fn shown_and_raw_paths(env: &Env, collection: &str) -> Vec<(String, Option<String>)> {
    let list = env.run_json(&["list", "-c", collection, "--json"]);
    let mut paths: Vec<(String, Option<String>)> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|doc| (doc["path"].as_str().expect("path").to_string(), doc["raw_path"].as_str().map(str::to_string)))
        .collect();
    paths.sort();
    paths
}

#[test]
fn names_that_are_not_utf8_are_kept_exactly_and_apart() {
    let env = Env::new();
    let input = env.input("leak");
    for name in [&b"a.txt"[..], b"a\xff.txt", b"a\xfe.txt"] {
        let path = input.join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, "одно и то же содержание").expect("write");
    }
    let summary = env.ingest(&input, "leak", &["--no-ocr"]);
    assert_eq!((summary["files_walked"].as_u64(), summary["counts"]["documents"].as_u64()), (Some(3), Some(3)));
    let paths = shown_and_raw_paths(&env, "leak");
    let input = input.to_str().expect("UTF-8 temp path");
    assert_eq!(
        paths,
        vec![
            (format!("{input}/a.txt"), None),
            (format!("{input}/a\\xFE.txt"), Some(format!("{input}/a\\xFE.txt"))),
            (format!("{input}/a\\xFF.txt"), Some(format!("{input}/a\\xFF.txt"))),
        ]
    );
}

/// A file named by a Russian Windows tool (`Приказ.txt` in windows-1251) showed as `\xCF\xF0...`. The legacy name
/// is shown decoded, with its exact bytes beside it (`raw_path`, the page's "Path bytes"), which still tell it apart
/// from a UTF-8 twin: the two stay two documents, and a second run adds none.
#[test]
fn a_cp1251_file_name_is_shown_in_cyrillic_and_kept_apart_from_its_utf8_twin() {
    let env = Env::new();
    let input = env.input("leak");
    // "Приказ.txt" in windows-1251.
    let cp1251 = b"\xcf\xf0\xe8\xea\xe0\xe7.txt";
    std::fs::write(input.join(std::ffi::OsStr::from_bytes(cp1251)), "приказ, записанный Windows").expect("write");
    std::fs::write(input.join("Приказ.txt"), "приказ, записанный здесь").expect("write");
    let first = env.ingest(&input, "leak", &["--no-ocr"]);
    assert_eq!(first["counts"]["documents"].as_u64(), Some(2), "{first:#}");
    let again = env.ingest(&input, "leak", &["--no-ocr"]);
    assert_eq!(again["counts"]["documents"].as_u64(), Some(2), "{again:#}");
    let paths = shown_and_raw_paths(&env, "leak");
    let input = input.to_str().expect("UTF-8 temp path");
    assert_eq!(
        paths,
        vec![
            (format!("{input}/Приказ.txt"), None),
            (format!("{input}/Приказ.txt"), Some(format!("{input}/\\xCF\\xF0\\xE8\\xEA\\xE0\\xE7.txt"))),
        ]
    );
}

/// A zip holding a zip holding a zip... `levels` deep, a text at the bottom.
fn nested_zip(levels: usize) -> Vec<u8> {
    let mut inner = b"the bottom".to_vec();
    let mut name = "bottom.txt".to_string();
    for level in 0..levels {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).expect("entry");
        zip.write_all(&inner).expect("write entry");
        zip.finish().expect("finish zip");
        inner = out.into_inner();
        name = format!("level{level}.zip");
    }
    inner
}

#[test]
fn retry_failed_does_not_unpack_past_the_nesting_depth() {
    let env = Env::new();
    let input = env.input("leak");
    std::fs::write(input.join("deep.zip"), nested_zip(16)).expect("write");
    let first = env.ingest(&input, "leak", &["--no-ocr"]);
    let documents = first["counts"]["documents"].as_u64().expect("count");
    for _ in 0..2 {
        let retried = env.ingest(&input, "leak", &["--no-ocr", "--retry-failed"]);
        assert_eq!(retried["counts"]["documents"].as_u64(), Some(documents), "{retried:#}");
    }
    let failures = env.run_json(&["failures", "-c", "leak", "--json"]);
    let failures = failures.as_array().expect("failures");
    assert_eq!(failures.len(), 1, "{failures:#?}");
    assert_eq!(failures[0]["reason"], "limit exceeded: nesting depth");
    let deepest = env.run_json(&["list", "-c", "leak", "--json"]);
    let max_depth = deepest.as_array().expect("list").iter().filter_map(|doc| doc["depth"].as_u64()).max();
    assert_eq!(max_depth, Some(13), "one level past the limit is recorded as refused, none deeper");
}

#[test]
fn ingesting_a_folder_that_holds_the_data_folder_skips_it() {
    let env = Env::new();
    let input = env.input("leak");
    std::fs::write(input.join("a.txt"), "письмо").expect("write");
    // The data folder sits inside the folder being ingested (as with `dossier ingest ~` and the default data folder).
    let root = env.dir.path().to_str().expect("UTF-8").to_string();
    for _ in 0..2 {
        let summary = env.ingest(Path::new(&root), "home", &["--no-ocr"]);
        assert_eq!(summary["counts"]["documents"], 1, "{summary:#}");
        assert_eq!(summary["skipped"][0]["path"], env.data_dir().to_str().expect("UTF-8"), "{summary:#}");
    }
    let list = env.run_json(&["list", "-c", "home", "--json"]);
    assert!(list.as_array().expect("list").iter().all(|doc| !doc["path"].as_str().unwrap_or("").contains("/data/")));
}

#[test]
fn commands_that_only_read_refuse_a_folder_that_is_not_a_data_folder() {
    let env = Env::new();
    let typo = env.dir.path().join("dat");
    for args in [
        &["verify-vault"][..],
        &["status"],
        &["list"],
        &["failures"],
        &["search", "письмо"],
        &["reindex"],
        &["serve", "--addr", "127.0.0.1:0"],
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--data-dir")
            .arg(&typo)
            .args(args)
            .output()
            .expect("runs");
        assert!(!output.status.success(), "dossier {args:?} succeeded on a folder that is not a data folder");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("is not a dossier data folder"), "{args:?}: {stderr}");
        assert!(!typo.exists(), "dossier {args:?} created the folder");
    }
}

/// Runs the dossier binary as a user who cannot write the data folder: `nobody` when the tests run as root (whom
/// permissions do not stop), else the current user, since the folder is made read-only for everyone.
fn as_reader(env: &Env) -> std::process::Command {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut command = if root {
        let mut command = std::process::Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_dossier")]);
        command
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
    };
    command.arg("--data-dir").arg(env.data_dir()).env_remove("DOSSIER_DATA_DIR");
    command
}

fn make_read_only(path: &Path) {
    let meta = std::fs::symlink_metadata(path).expect("meta");
    let mode = if meta.is_dir() { 0o555 } else { 0o444 };
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).expect("read dir") {
            make_read_only(&entry.expect("entry").path());
        }
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[test]
fn a_read_only_data_folder_can_still_be_searched_and_served() {
    let env = Env::new();
    let input = env.input("leak");
    std::fs::write(input.join("a.txt"), "служебная записка о закупке").expect("write");
    env.ingest(&input, "leak", &["--no-ocr"]);
    make_read_only(&env.dir.path().join("data"));
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod temp dir");

    let output = as_reader(&env).args(["search", "закупки", "--json"]).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let results: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(results["total"], 1, "{results:#}");
    let output = as_reader(&env).args(["status", "--json"]).output().expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let mut server = as_reader(&env)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut first_line = String::new();
    // Kept open until the server is stopped: it prints more, and a closed pipe would end it.
    let mut stdout = std::io::BufReader::new(server.stdout.take().expect("stdout"));
    std::io::BufRead::read_line(&mut stdout, &mut first_line).expect("read address");
    let address = first_line.split("http://").nth(1).and_then(|rest| rest.split('/').next()).map(str::to_string);
    let answer = address.as_deref().map(|address| {
        let mut stream = std::net::TcpStream::connect(address).expect("connect");
        write!(stream, "GET /api/v1/search?q=%D0%B7%D0%B0%D0%BA%D1%83%D0%BF%D0%BA%D0%B0 HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")
            .expect("request");
        let mut answer = String::new();
        std::io::Read::read_to_string(&mut stream, &mut answer).expect("answer");
        answer
    });
    let _ = server.kill();
    let stderr =
        server.wait_with_output().map(|out| String::from_utf8_lossy(&out.stderr).into_owned()).unwrap_or_default();
    let answer = answer.unwrap_or_else(|| panic!("the server did not start: {first_line} {stderr}"));
    assert!(answer.starts_with("HTTP/1.1 200") && answer.contains("\"total\":1"), "{answer}\n{stderr}");
}
