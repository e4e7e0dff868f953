//! Ingest progress: a bar with files/s, MB/s and ETA on a terminal, a quiet line every few seconds otherwise.
//! Also the two test hooks that run at progress events: kill ingest at a point, or hold it at known points.

use std::io::{BufRead, IsTerminal};
use std::time::{Duration, Instant};

use dossier_core::IngestEvent;
use indicatif::{ProgressBar, ProgressStyle};

pub struct Reporter {
    started: Instant,
    bar: Option<ProgressBar>,
    last_line: Instant,
    kill_at: Option<IngestEvent>,
    hold: Option<Hold>,
}

/// Tests set this to `walked:N` or `extracted:N` to have ingest kill itself with SIGKILL at that point, which is how
/// they prove that an interrupted ingest loses nothing. Not a user feature.
const TEST_KILL_ENV: &str = "DOSSIER_TEST_KILL_AFTER";

fn kill_point() -> Option<IngestEvent> {
    let value = std::env::var(TEST_KILL_ENV).ok()?;
    let (what, n) = value.split_once(':')?;
    let n: u64 = n.parse().ok()?;
    match what {
        "walked" => Some(IngestEvent::Walked { files: n, bytes: 0 }),
        "extracted" => Some(IngestEvent::Extracted { documents: n, bytes: 0, remaining: 0 }),
        _ => None,
    }
}

fn reached(kill_at: &IngestEvent, event: &IngestEvent) -> bool {
    match (kill_at, event) {
        (IngestEvent::Walked { files: at, .. }, IngestEvent::Walked { files, .. }) => files >= at,
        (IngestEvent::Extracted { documents: at, .. }, IngestEvent::Extracted { documents, .. }) => documents >= at,
        _ => false,
    }
}

/// Tests name a FIFO here to hold ingest at points they choose, so that they can look at a running ingest (the web
/// page's live counts) without racing it. Not a user feature. The protocol, one decimal number a line: "read until
/// N documents have been read, then wait for the next line"; the end of the FIFO (the test closed it) lets the ingest
/// run to its end. Ingest waits on a blocking read between two documents, after the first one's result is committed.
const TEST_HOLD_ENV: &str = "DOSSIER_TEST_HOLD";

struct Hold {
    path: std::path::PathBuf,
    /// Opened at the first document, so that ingest waits there for the test to start writing.
    lines: Option<std::io::BufReader<std::fs::File>>,
    /// Documents that may be read before the next line is needed.
    allowed: u64,
}

impl Hold {
    fn from_env() -> Option<Hold> {
        let path = std::env::var_os(TEST_HOLD_ENV)?;
        Some(Hold { path: path.into(), lines: None, allowed: 0 })
    }

    /// Blocks while `documents` have used up what the test allowed, reading the next allowance from the FIFO.
    fn wait(&mut self, documents: u64) {
        while documents >= self.allowed {
            if self.lines.is_none() {
                match std::fs::File::open(&self.path) {
                    Ok(file) => self.lines = Some(std::io::BufReader::new(file)),
                    Err(_) => {
                        self.allowed = u64::MAX;
                        return;
                    }
                }
            }
            let mut line = String::new();
            let read = self.lines.as_mut().map_or(Ok(0), |lines| lines.read_line(&mut line));
            self.allowed = match read {
                Ok(n) if n > 0 => line.trim().parse().unwrap_or(u64::MAX),
                // The test closed its end (or the FIFO broke): run free.
                _ => u64::MAX,
            };
        }
    }
}

const LINE_EVERY: Duration = Duration::from_secs(5);

impl Reporter {
    pub fn new() -> Reporter {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ({per_sec}, ETA {eta})")
                    .expect("the template is valid")
                    .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Reporter {
            started: Instant::now(),
            bar,
            last_line: Instant::now(),
            kill_at: kill_point(),
            hold: Hold::from_env(),
        }
    }

    pub fn event(&mut self, event: &IngestEvent) {
        if self.kill_at.as_ref().is_some_and(|kill_at| reached(kill_at, event)) {
            // SAFETY: sending a signal to our own process.
            unsafe {
                libc::kill(libc::getpid(), libc::SIGKILL);
            }
        }
        if let (Some(hold), IngestEvent::Extracted { documents, .. }) = (&mut self.hold, event) {
            hold.wait(*documents);
        }
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        match (event, &self.bar) {
            (IngestEvent::Walked { files, bytes }, Some(bar)) => {
                bar.set_message(format!("storing originals: {} MB", bytes >> 20));
                bar.set_length(*files);
                bar.set_position(*files);
            }
            (IngestEvent::Extracted { documents, bytes, remaining }, Some(bar)) => {
                if *documents == 1 {
                    self.started = Instant::now();
                }
                bar.set_length(documents + remaining);
                bar.set_position(*documents);
                bar.set_message(format!("reading: {:.1} MB/s", *bytes as f64 / 1e6 / seconds));
            }
            (IngestEvent::Walked { files, bytes }, None) => {
                if self.last_line.elapsed() >= LINE_EVERY {
                    self.last_line = Instant::now();
                    eprintln!("stored {files} files ({:.1} MB)", *bytes as f64 / 1e6);
                }
            }
            (IngestEvent::Extracted { documents, bytes, remaining }, None) => {
                if self.last_line.elapsed() >= LINE_EVERY || *remaining == 0 {
                    self.last_line = Instant::now();
                    let rate = *documents as f64 / seconds;
                    let eta = if rate > 0.0 { *remaining as f64 / rate } else { 0.0 };
                    eprintln!(
                        "read {documents} documents, {remaining} to go ({rate:.1} files/s, {:.1} MB/s, ETA {eta:.0} s)",
                        *bytes as f64 / 1e6 / seconds
                    );
                }
            }
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
