//! The worker side: reads requests on stdin, extracts, answers on a private copy of stdout.

use std::fs::File;
use std::io::{BufRead, Write};
use std::os::fd::FromRawFd;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use dossier_document::{Context, ExtractError, Source};
use dossier_entities::{Analyser, Analysis};
use dossier_versions::Fingerprint;

use crate::protocol::{EXTEND_PREFIX, Job};
use crate::{AnalyseRequest, Analysed, DirSink, Request, Response};

/// When this variable is `1`, requests named `dossier-test-fault:crash|hang|oom|oom-unless-cheaper…|oom-if-analysed…` make the worker
/// misbehave on purpose, so that tests can prove the parent survives it. Without it such names are ordinary names.
pub const TEST_FAULTS_ENV: &str = "DOSSIER_TEST_FAULTS";

/// Runs the worker loop until stdin closes. Returns the process exit code.
pub fn worker_main() -> i32 {
    // Answers go to a duplicate of stdout, and stdout itself is pointed at stderr: whatever a C library prints
    // cannot corrupt the protocol.
    // SAFETY: dup and dup2 on the standard descriptors, which exist for the life of the process; the duplicate is
    // owned by exactly one File below.
    let answers = unsafe {
        let protocol_fd = libc::dup(1);
        if protocol_fd < 0 || libc::dup2(2, 1) < 0 {
            eprintln!("dossier worker: cannot set up the protocol channel");
            return 2;
        }
        File::from_raw_fd(protocol_fd)
    };
    let answers = Arc::new(Mutex::new(answers));
    let hook_answers = Arc::clone(&answers);
    dossier_document::set_deadline_hook(Box::new(move |by: Duration| {
        if let Ok(mut answers) = hook_answers.lock() {
            let _ = writeln!(answers, "{}{}}}", EXTEND_PREFIX, by.as_secs().max(1));
            let _ = answers.flush();
        }
    }));
    let test_faults = std::env::var(TEST_FAULTS_ENV).is_ok_and(|value| value == "1");
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { return 2 };
        let job: Job = match serde_json::from_str(&line) {
            Ok(job) => job,
            Err(err) => {
                eprintln!("dossier worker: bad request: {err}");
                return 2;
            }
        };
        // Written through a buffer straight into the pipe: a system call per 64 KiB rather than per JSON token, and
        // no second copy of a long text in memory (a 100 MB text would otherwise be held twice over, which a worker's
        // memory limit does not allow beside the models).
        // The answer is made before the channel is locked: the reader asks for more time through it meanwhile.
        let answer = match job {
            Job::Extract(request) => {
                if test_faults {
                    inject_fault(&request);
                }
                Answer::Extracted(handle(&request))
            }
            Job::Analyse(request) => Answer::Analysed(reanalyse(&request)),
        };
        let Ok(mut answers) = answers.lock() else { return 2 };
        let mut out = std::io::BufWriter::with_capacity(64 << 10, &mut *answers);
        let serialised = match &answer {
            Answer::Extracted(response) => serde_json::to_writer(&mut out, response),
            Answer::Analysed(analysis) => serde_json::to_writer(&mut out, analysis),
        };
        if serialised.is_err() {
            return 2;
        }
        let written = out.write_all(b"\n").and_then(|()| out.flush());
        if written.is_err() {
            return 2; // the parent has gone away
        }
    }
    0
}

enum Answer {
    Extracted(Response),
    Analysed(Result<Analysed, String>),
}

fn handle(request: &Request) -> Response {
    let len = std::fs::metadata(&request.path).map(|m| m.len()).unwrap_or(0);
    let mut sink = DirSink::new(request.staging_dir.clone(), &request.limits, len);
    let src = Source { path: &request.path, name: request.name.as_deref() };
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut ctx = Context { limits: &request.limits, options: &request.options, sink: &mut sink };
        dossier_extract::extract(&src, &mut ctx)
    }));
    let (format, result) = outcome.unwrap_or_else(|panic| {
        let message = panic_message(panic.as_ref());
        let format = dossier_extract::detect_file(&request.path).ok();
        let name = format.map_or("file", |format| format.name());
        (format, Err(ExtractError::malformed(name, format!("reader panicked: {message}"))))
    });
    let children = sink.into_children();
    if result.is_err() {
        for child in &children {
            let _ = std::fs::remove_file(&child.path);
        }
        return Response { format, result, children: Vec::new(), analysis: None, fingerprint: None };
    }
    let (analysis, fingerprint) = match &result {
        Ok(extraction) => (request.analyse.then(|| analyse(&extraction.text)), Some(Fingerprint::of(&extraction.text))),
        Err(_) => (None, None),
    };
    Response { format, result, children, analysis, fingerprint }
}

/// The analyser, loaded on first use and kept for the worker's life (loading the models takes about a second). The
/// models are found as `dossier-ner` looks for them: `$DOSSIER_MODELS`, or beside the executable.
fn analyser() -> &'static Analyser {
    static ANALYSER: OnceLock<Analyser> = OnceLock::new();
    ANALYSER.get_or_init(|| Analyser::load(None))
}

/// The mentions in `text`; a panic in the analysis is reported, not fatal to the extraction it follows. The
/// analysis asks the parent for time in proportion to the text and stops when it is spent, keeping what it found
/// (a text of 128 MiB must not cost the extraction it follows).
fn analyse(text: &str) -> Result<Analysis, String> {
    let budget = analysis_budget(text.len());
    dossier_document::extend_deadline(budget);
    let deadline = std::time::Instant::now() + budget;
    std::panic::catch_unwind(AssertUnwindSafe(|| analyser().analysis_until(text, Some(deadline))))
        .map_err(|panic| format!("the analysis failed: {}", panic_message(panic.as_ref())))
}

/// Time for analysing `bytes` of text: 30 s, and 1 s per 50 KB (the Russian model reads some 400 KB a second on
/// one core, so this leaves room for slow machines and debug builds), at most 30 min.
fn analysis_budget(bytes: usize) -> Duration {
    Duration::from_secs((30 + bytes as u64 / 50_000).min(1800))
}

fn reanalyse(request: &AnalyseRequest) -> Result<Analysed, String> {
    let bytes = std::fs::read(&request.text_path)
        .map_err(|err| format!("cannot read the text at {}: {err}", request.text_path.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| "the stored text is not UTF-8".to_string())?;
    Ok(Analysed { analysis: analyse(&text)?, fingerprint: Fingerprint::of(&text) })
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

fn inject_fault(request: &Request) {
    let fault = request.name.as_deref().and_then(|name| name.strip_prefix("dossier-test-fault:"));
    // A file that exhausts the worker's memory when read normally and reads fine in the cheaper mode, as an image
    // bomb does: the second attempt reads the file's real content.
    let fault = match fault {
        Some(name) if name.starts_with("oom-unless-cheaper") && !request.cheaper => Some("oom"),
        // A file that reads fine, but not beside the name models (a worker holds them once it has analysed a text).
        Some(name) if name.starts_with("oom-if-analysed") && request.analyse => Some("oom"),
        other => other,
    };
    match fault {
        Some("crash") => std::process::abort(),
        Some("hang") => loop {
            std::thread::park();
        },
        Some("oom") => {
            let mut hog: Vec<Vec<u8>> = Vec::new();
            loop {
                hog.push(vec![1u8; 64 << 20]);
            }
        }
        _ => {}
    }
}
