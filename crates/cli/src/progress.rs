//! Ingest progress: a bar with files/s, MB/s and ETA on a terminal, a quiet line every few seconds otherwise.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use dossier_core::IngestEvent;
use indicatif::{ProgressBar, ProgressStyle};

pub struct Reporter {
    started: Instant,
    bar: Option<ProgressBar>,
    last_line: Instant,
}

const LINE_EVERY: Duration = Duration::from_secs(5);

impl Reporter {
    pub fn new() -> Reporter {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg} [{bar:30}] {pos}/{len} ({per_sec}, ETA {eta})",
                )
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
        }
    }

    pub fn event(&mut self, event: &IngestEvent) {
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        match (event, &self.bar) {
            (IngestEvent::Walked { files, bytes }, Some(bar)) => {
                bar.set_message(format!("storing originals: {} MB", bytes >> 20));
                bar.set_length(*files);
                bar.set_position(*files);
            }
            (
                IngestEvent::Extracted {
                    documents,
                    bytes,
                    remaining,
                },
                Some(bar),
            ) => {
                if *documents == 1 {
                    self.started = Instant::now();
                }
                bar.set_length(documents + remaining);
                bar.set_position(*documents);
                bar.set_message(format!(
                    "reading: {:.1} MB/s",
                    *bytes as f64 / 1e6 / seconds
                ));
            }
            (IngestEvent::Walked { files, bytes }, None) => {
                if self.last_line.elapsed() >= LINE_EVERY {
                    self.last_line = Instant::now();
                    eprintln!("stored {files} files ({:.1} MB)", *bytes as f64 / 1e6);
                }
            }
            (
                IngestEvent::Extracted {
                    documents,
                    bytes,
                    remaining,
                },
                None,
            ) => {
                if self.last_line.elapsed() >= LINE_EVERY || *remaining == 0 {
                    self.last_line = Instant::now();
                    let rate = *documents as f64 / seconds;
                    let eta = if rate > 0.0 {
                        *remaining as f64 / rate
                    } else {
                        0.0
                    };
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
