//! The web interface in a real browser: Debian's Chromium, headless, driven through ChromeDriver (WebDriver), against
//! the real `dossier serve` over the example leak. It walks the story of a new user: search in Russian, find the two
//! near-identical letters, open one, jump between the marked words, follow an e-mail's attachment, download an
//! original and check its hash, and look at the collection. All along it checks that nothing leaves this machine:
//! Chromium's proxy is a tripwire that records any request not addressed to loopback, and every page's resources
//! must come from the server's own origin.
//!
//! Marked ignored, so a plain `cargo test` lists it as not run: it needs `chromium` and `chromium-driver`, which
//! `cargo xtask setup` installs. `cargo xtask test` runs it (`cargo test -p dossier-cli --test browser -- --ignored`). Screenshots of every step are kept in
//! `target/browser-artifacts/`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use sha2::Digest;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long a step may wait for the page to show what it expects.
const STEP_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a step of the live ingest may take (a few hundred small files, on a busy machine).
const INGEST_TIMEOUT: Duration = Duration::from_secs(120);

/// A child process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `command` and reads its stdout until a line contains `marker`; returns the process and that line.
fn start_until(mut command: Command, marker: &str) -> (Running, String) {
    command.stdout(Stdio::piped()).stderr(Stdio::inherit());
    let mut child = command.spawn().unwrap_or_else(|err| panic!("cannot start {command:?}: {err}"));
    let stdout = child.stdout.take().expect("piped stdout");
    let mut running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    loop {
        match lines.next() {
            Some(Ok(line)) if line.contains(marker) => {
                // Keep draining stdout so the process never blocks on a full pipe.
                std::thread::spawn(move || for _ in lines {});
                return (running, line);
            }
            Some(Ok(_)) => continue,
            _ => {
                let status = running.0.wait();
                panic!("{command:?} ended before printing {marker:?}: {status:?}");
            }
        }
    }
}

/// ChromeDriver's log endpoint (not in the W3C protocol): the DevTools events of every page since the last call.
#[derive(Debug)]
struct PerformanceLog;

impl fantoccini::wd::WebDriverCompatibleCommand for PerformanceLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type": "performance"}"#.to_string()))
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address").port()
}

/// A proxy that answers nothing and remembers every request sent to it. Chromium sends through it every request
/// that is not for loopback; the test passes only if it stays empty.
struct Tripwire {
    port: u16,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Tripwire {
    fn start() -> Tripwire {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind tripwire");
        let port = listener.local_addr().expect("address").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut stream = stream;
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buffer = [0u8; 1024];
                let n = stream.read(&mut buffer).unwrap_or(0);
                let first_line = String::from_utf8_lossy(&buffer[..n]).lines().next().unwrap_or("").to_string();
                record.lock().expect("tripwire lock").push(first_line);
                let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        Tripwire { port, seen }
    }

    fn requests(&self) -> Vec<String> {
        self.seen.lock().expect("tripwire lock").clone()
    }
}

struct Story {
    client: Client,
    origin: String,
    artifacts: PathBuf,
    step: usize,
}

impl Story {
    /// Takes a screenshot named after the step.
    async fn screenshot(&mut self, name: &str) {
        self.step += 1;
        let png = self.client.screenshot().await.expect("screenshot");
        let path = self.artifacts.join(format!("{:02}-{name}.png", self.step));
        std::fs::write(&path, png).expect("write screenshot");
    }

    async fn open(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.origin)).await.expect("navigate");
    }

    async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(STEP_TIMEOUT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|err| panic!("{css} did not appear: {err}"))
    }

    async fn wait_for_xpath(&self, xpath: &str) -> fantoccini::elements::Element {
        self.wait_for_xpath_within(xpath, STEP_TIMEOUT).await
    }

    async fn wait_for_xpath_within(&self, xpath: &str, timeout: Duration) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(timeout)
            .for_element(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|err| panic!("{xpath} did not appear: {err}"))
    }

    async fn text_of(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.expect("element text")
    }

    async fn script(&self, script: &str) -> serde_json::Value {
        self.client.execute(script, Vec::new()).await.unwrap_or_else(|err| panic!("{script}: {err}"))
    }

    /// The URLs of every request the pages asked for since the last call, from Chromium's DevTools events (which
    /// see page requests only, not the browser's own background services).
    async fn page_requests(&self) -> Vec<String> {
        let entries = self.client.issue_cmd(PerformanceLog).await.expect("the performance log");
        let mut urls = Vec::new();
        for entry in entries.as_array().expect("log entries") {
            let Some(message) = entry["message"].as_str() else { continue };
            let event: serde_json::Value = serde_json::from_str(message).expect("a DevTools event");
            if event["message"]["method"] == "Network.requestWillBeSent" {
                urls.push(event["message"]["params"]["request"]["url"].as_str().unwrap_or("").to_string());
            }
        }
        urls
    }

    /// Every request since the last check went to the server, and every URL the current page loaded (itself,
    /// scripts, styles, images, fetches) is on the server's origin.
    async fn assert_same_origin(&self) {
        let requests = self.page_requests().await;
        assert!(!requests.is_empty(), "the DevTools log shows the page's own requests");
        for url in &requests {
            assert!(url.starts_with(&self.origin), "a page asked for {url}, which is not on {}", self.origin);
        }
        let urls = self
            .script("return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name));")
            .await;
        for url in urls.as_array().expect("a list") {
            let url = url.as_str().expect("a URL");
            assert!(url.starts_with(&self.origin), "the page loaded {url}, which is not on {}", self.origin);
        }
    }
}

/// Runs `work` on a thread of its own and waits for it at most `timeout`, then fails saying `what` did not happen.
/// A thread that never returns (opening a FIFO nobody else opens) is left behind, so the test fails instead of
/// hanging: tokio would wait for a blocking task of its own when the panicking test shuts its runtime down.
async fn on_thread<T: Send + 'static>(timeout: Duration, what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    match tokio::time::timeout(timeout, receiver).await {
        Ok(Ok(value)) => value,
        Ok(Err(_)) => panic!("the thread waiting until {what} stopped"),
        Err(_) => panic!("not within {timeout:?}: {what}"),
    }
}

/// The collection page's count of documents waiting is `n`.
fn pending_is(n: u64) -> String {
    format!("//span[@data-count='pending' and normalize-space(text()) = '{n}']")
}

fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target dir").join("browser-artifacts");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Waits until `dir` holds the finished download `name` (and no partial or temporary file beside it).
fn wait_for_download(dir: &Path, name: &str) -> PathBuf {
    let deadline = Instant::now() + STEP_TIMEOUT;
    let expected = dir.join(name);
    loop {
        let entries: Vec<PathBuf> =
            std::fs::read_dir(dir).map(|read| read.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        if entries == [expected.clone()] {
            return expected;
        }
        assert!(Instant::now() < deadline, "no finished download of {name} in {}: {entries:?}", dir.display());
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and ChromeDriver: cargo xtask browser-tests"]
async fn an_investigator_finds_reads_follows_and_downloads_without_anything_leaving_the_machine() {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(tool).exists(),
            "{tool} is missing: run `cargo xtask setup` (installs chromium, chromium-driver)"
        );
    }
    let work = tempfile::tempdir().expect("temp dir");
    let data_dir = work.path().join("data");
    let downloads = work.path().join("downloads");
    std::fs::create_dir_all(&downloads).expect("downloads dir");
    let artifacts = artifacts_dir();

    // The example leak, ingested by the real binary, and a hostile page beside it.
    let dossier = env!("CARGO_BIN_EXE_dossier");
    let output = Command::new(dossier)
        .arg("--data-dir")
        .arg(&data_dir)
        .args(["demo", "--no-serve", "--no-ocr"])
        .output()
        .expect("dossier demo");
    assert!(output.status.success(), "dossier demo: {}", String::from_utf8_lossy(&output.stderr));
    let hostile = work.path().join("hostile");
    std::fs::create_dir_all(&hostile).expect("hostile dir");
    std::fs::write(
        hostile.join("page.html"),
        "<html><head><title>Протокол</title><script>document.title='pwned'</script>\
         <link rel=stylesheet href='http://evil.example/a.css'></head><body onload=\"window.pwned=1\">\
         <h1>Протокол совещания</h1><img src='http://evil.example/pixel.png'></body></html>",
    )
    .expect("hostile page");
    let output = Command::new(dossier)
        .arg("--data-dir")
        .arg(&data_dir)
        .args(["ingest", "-c", "hostile", "--no-ocr"])
        .arg(&hostile)
        .output()
        .expect("dossier ingest");
    assert!(output.status.success(), "dossier ingest: {}", String::from_utf8_lossy(&output.stderr));

    let mut serve = Command::new(dossier);
    serve.arg("--data-dir").arg(&data_dir).args(["serve", "--addr", "127.0.0.1:0"]);
    let (_server, line) = start_until(serve, "dossier is serving");
    let origin =
        line.split(" at ").nth(1).map(|url| url.trim_end_matches('/').to_string()).expect("the server prints its URL");
    assert!(origin.starts_with("http://127.0.0.1:"), "{origin}");

    let tripwire = Tripwire::start();
    let driver_port = free_port();
    let mut driver = Command::new(CHROMEDRIVER);
    driver.arg(format!("--port={driver_port}"));
    let (_driver, _) = start_until(driver, "started successfully");

    let profile = work.path().join("chromium-profile");
    let capabilities = serde_json::json!({
        "browserName": "chrome",
        "goog:loggingPrefs": { "performance": "ALL" },
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
                "--metrics-recording-only", "--disable-features=OptimizationHints,MediaRouter,Translate",
                "--window-size=1280,900", "--lang=en-US",
                format!("--proxy-server=http://127.0.0.1:{}", tripwire.port),
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads.to_str().expect("UTF-8 path"),
                "download.prompt_for_download": false,
            },
        },
    });
    let capabilities = capabilities.as_object().expect("an object").clone();
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("a WebDriver session in Chromium");
    let mut story = Story { client, origin, artifacts, step: 0 };

    // 0. The request check can fail: a request for another host, blocked by the page's policy, is still seen.
    story.open("/").await;
    story.wait_for("#q").await;
    story.page_requests().await;
    story.script("new Image().src = 'http://canary.invalid/probe.png'; return true;").await;
    let seen = story.page_requests().await;
    assert!(
        seen.iter().any(|url| url.starts_with("http://canary.invalid/")),
        "the canary request was not seen: {seen:?}"
    );

    // 1. The home page lists the collections; "/" puts the cursor in the search box.
    story.open("/").await;
    story.wait_for("a[href='/collections/demo']").await;
    story.assert_same_origin().await;
    story.screenshot("home").await;
    story.client.find(Locator::Css("body")).await.expect("body").send_keys("/").await.expect("press /");
    let focused = story.script("return document.activeElement && document.activeElement.id;").await;
    assert_eq!(focused, "q", "/ focuses the search box");

    // 2. A Russian word in another form finds both near-identical letters.
    let search_box = story.wait_for("#q").await;
    search_box.send_keys("аванс\u{E007}").await.expect("type the query and Enter");
    story.wait_for("ol.hits li.hit").await;
    story.assert_same_origin().await;
    let results = story.text_of("main").await;
    assert!(results.contains("Исх_14-07-2298_Минфин_аванс.docx"), "{results}");
    assert!(results.contains("копия_письма_в_минфин_v2.docx"), "{results}");
    let marks = story.script("return document.querySelectorAll('ol.hits mark').length;").await;
    assert!(marks.as_u64().is_some_and(|n| n > 0), "matched words are marked in the snippets");
    story.screenshot("search-results").await;

    // 3. A facet narrows the query.
    let facet = story.wait_for("aside.facets a[href*='type%3Adocx']").await;
    facet.click().await.expect("click the docx facet");
    story.wait_for_xpath("//input[@id='q' and @value='аванс type:docx']").await;
    assert!(story.client.current_url().await.expect("url").as_str().contains("type%3Adocx"));
    story.screenshot("facet").await;

    // 4. Open a hit: the page opens at the first marked word; n and p move between them.
    let hit = story.wait_for("ol.hits li.hit h2 a").await;
    hit.click().await.expect("open the first hit");
    story.wait_for("pre.text mark.current").await;
    story.assert_same_origin().await;
    let label = story.text_of("[data-hit-label]").await;
    assert!(label.starts_with("Match 1 of"), "{label}");
    let body = story.client.find(Locator::Css("body")).await.expect("body");
    body.send_keys("n").await.expect("press n");
    assert!(story.text_of("[data-hit-label]").await.starts_with("Match 2 of"));
    body.send_keys("p").await.expect("press p");
    assert!(story.text_of("[data-hit-label]").await.starts_with("Match 1 of"));
    let current = story.script("return document.querySelectorAll('pre.text mark.current').length;").await;
    assert_eq!(current, 1, "exactly one mark is the current one");
    story.wait_for("#sha256").await;
    story.screenshot("document").await;

    // 5. An e-mail: its header block, and an attachment followed to its own page, with the parent in the trail.
    story.open(&format!("/search?q={}", "%D0%B4%D0%BE%D0%BA%D1%83%D0%BC%D0%B5%D0%BD%D1%82%D1%8B%20type%3Aeml")).await;
    let mail_link = "//li[contains(., '2024-04-23_документы_по_мосту.eml')]//h2/a";
    story.wait_for_xpath(mail_link).await.click().await.expect("open the e-mail");
    story.wait_for("dl.mail-header").await;
    let header = story.text_of("dl.mail-header").await;
    assert!(header.contains("From") && header.contains("Subject"), "{header}");
    story.screenshot("mail").await;
    story.wait_for("#children a").await.click().await.expect("follow the first attachment");
    // The attachment's page names the mail in its trail, as a link back.
    story
        .wait_for_xpath("//nav[contains(@class, 'breadcrumb')]//a[contains(., '2024-04-23_документы_по_мосту.eml')]")
        .await;
    story.assert_same_origin().await;
    story.screenshot("attachment").await;

    // 6. Download the original: the file's SHA-256 is the one the page shows for citing.
    let shown_sha256 = story.text_of("#sha256").await;
    let download = story.wait_for("#download").await;
    let name = download.attr("download").await.expect("the link's attribute").expect("a file name to save as");
    download.click().await.expect("download the original");
    let downloaded = tokio::task::spawn_blocking(move || wait_for_download(&downloads, &name)).await.expect("download");
    let bytes = std::fs::read(&downloaded).expect("read the download");
    assert_eq!(sha256_hex(&bytes), shown_sha256.trim(), "{}", downloaded.display());
    story.screenshot("downloaded").await;

    // 7. The hostile page is only text: its script did not run, nothing was fetched from evil.example.
    story.open(&format!("/search?q={}", "collection%3Ahostile")).await;
    story.wait_for("ol.hits li.hit h2 a").await.click().await.expect("open the hostile page");
    story.wait_for("pre.text").await;
    let title = story.script("return document.title;").await;
    assert!(title.as_str().is_some_and(|t| !t.contains("pwned")), "{title}");
    assert_eq!(story.script("return window.pwned === undefined;").await, true);
    story.assert_same_origin().await;
    story.screenshot("hostile").await;

    // 8. The collection page, with its live counts filled in by the page's own script.
    story.open("/collections/demo").await;
    story.wait_for("table#formats").await;
    story.wait_for_xpath("//p[@data-live-collection and normalize-space(text()) != '']").await;
    let pending = story.text_of("[data-count=pending]").await;
    assert_eq!(pending, "0");
    story.assert_same_origin().await;
    story.screenshot("collection").await;

    // 9. While an ingest runs in another process, the collection page follows it: documents waiting, a rate, then
    //    nothing waiting. The test holds the ingest at points it chooses (`DOSSIER_TEST_HOLD`, a FIFO the ingest
    //    reads between documents), so what the page shows does not depend on how fast this machine reads.
    let live_input = work.path().join("live");
    for folder in 0..3 {
        let dir = live_input.join(folder.to_string());
        std::fs::create_dir_all(&dir).expect("live input");
        for n in 0..100 {
            std::fs::write(dir.join(format!("{n}.txt")), format!("Записка {folder}-{n}: отчёт о ходе работ.\n"))
                .expect("live file");
        }
    }
    let hold_path = work.path().join("hold");
    let fifo = std::ffi::CString::new(hold_path.to_str().expect("UTF-8 path")).expect("no NUL in the path");
    // SAFETY: a valid C string; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0, "mkfifo {}", hold_path.display());
    let mut live_ingest = Command::new(dossier);
    live_ingest.arg("--data-dir").arg(&data_dir).args(["ingest", "-c", "live", "--no-ocr", "--workers", "1"]);
    live_ingest.arg(&live_input).env("DOSSIER_TEST_HOLD", &hold_path).stdout(Stdio::null()).stderr(Stdio::null());
    let live_ingest = Running(live_ingest.spawn().expect("start an ingest"));
    // Opening our end returns once the ingest has stored every file, read the first one and opened its end; it then
    // waits for a line.
    let opened = on_thread(INGEST_TIMEOUT, "the ingest reached its first document", move || {
        std::fs::OpenOptions::new().write(true).open(hold_path)
    });
    let mut hold = opened.await.expect("open the hold FIFO");
    story.open("/collections/live").await;
    story.wait_for("table#formats").await;
    assert_eq!(story.text_of("[data-count=documents]").await, "300");
    // Every text the live line takes, with the pending count beside it (the page's own poll sets both at once).
    story
        .script(
            "window.liveHistory = []; var live = document.querySelector('p.live'); \
             new MutationObserver(function () { window.liveHistory.push( \
                 [document.querySelector('[data-count=pending]').textContent, live.textContent]); }) \
             .observe(live, { childList: true, characterData: true, subtree: true }); return true;",
        )
        .await;
    // Held after 100 documents: the page shows 200 waiting, and remembers 100 read.
    hold.write_all(b"100\n").expect("let the ingest read 100 documents");
    story.wait_for_xpath_within(&pending_is(200), INGEST_TIMEOUT).await;
    let bar = story.script("var bar = document.querySelector('progress'); return [bar.value, bar.max];").await;
    let bar: Vec<f64> = bar.as_array().expect("two numbers").iter().filter_map(serde_json::Value::as_f64).collect();
    assert_eq!(bar, [100.0, 300.0], "the page showed documents waiting while the ingest ran");
    // Held after 200: between the two, the page saw documents read while others waited, and showed the rate.
    hold.write_all(b"200\n").expect("let the ingest read 200 documents");
    story.wait_for_xpath_within(&pending_is(100), INGEST_TIMEOUT).await;
    let history = story.script("return window.liveHistory;").await;
    let rates: Vec<f64> = history
        .as_array()
        .expect("a list")
        .iter()
        .filter(|entry| entry[0].as_str().and_then(|n| n.parse::<u64>().ok()).is_some_and(|pending| pending > 0))
        .filter_map(|entry| entry[1].as_str()?.strip_prefix("Reading: ")?.split(" documents/s").next()?.parse().ok())
        .collect();
    assert!(rates.iter().any(|&rate| rate > 0.0), "the page showed a reading rate while the ingest ran: {history}");
    story.screenshot("live-ingest").await;
    // Closing our end lets the ingest run to its end; the page follows it there.
    drop(hold);
    story.wait_for_xpath_within(&pending_is(0), INGEST_TIMEOUT).await;
    story
        .wait_for_xpath_within(
            "//p[contains(@class, 'live') and text() = 'Nothing waiting to be read.']",
            INGEST_TIMEOUT,
        )
        .await;
    let mut live_ingest = live_ingest;
    let status = on_thread(INGEST_TIMEOUT, "the ingest ended", move || live_ingest.0.wait()).await;
    let status = status.expect("ingest status");
    assert!(status.success(), "the held ingest ended well: {status}");
    assert_eq!(story.text_of("[data-count=documents]").await, "300");
    // The table of formats follows too (it was rendered when the ingest had barely begun).
    let formats = story.text_of("table#formats tbody").await;
    assert!(formats.starts_with("text 300 300 0 0 0"), "{formats}");
    story.assert_same_origin().await;
    story.screenshot("live-done").await;

    story.client.close().await.expect("close the browser");
    // Chromium's own services (update checks, sign-in) also try the network; the tripwire refused them. They are not
    // the interface's: the DevTools log of every page above had only the server's requests.
    let own_services = tripwire.requests();
    eprintln!(
        "the tripwire proxy refused {} requests of Chromium's own services: {own_services:?}",
        own_services.len()
    );
}
