//! The parent side: starts sandboxed workers, sends requests, enforces the wall-clock limit.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::protocol::EXTEND_PREFIX;
use crate::{AnalyseRequest, Analysed, Request, Response};

/// How to start a worker and what it may use.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// The executable (normally the running `dossier` binary) and its arguments (`worker`).
    pub program: PathBuf,
    pub args: Vec<OsString>,
    /// Address-space limit per worker, in bytes.
    pub memory_limit_bytes: Option<u64>,
    /// Wall-clock limit per request.
    pub timeout: Duration,
    /// The most extra time a reader may ask for on top of `timeout` (for OCR of many pages).
    pub max_extension: Duration,
    /// Extra environment for the worker.
    pub env: Vec<(OsString, OsString)>,
    /// Where workers keep temporary files (pages rendered for OCR, what readpst and unar unpack): each worker gets
    /// a folder of its own inside, as its `TMPDIR`, removed when the worker ends. Inside a data folder this is
    /// part of its scratch space, which ingest also empties when it starts, so files left by a killed run go then.
    /// `None` leaves workers the system's temporary folder.
    pub scratch_dir: Option<PathBuf>,
}

/// Why a request produced no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SandboxFailure {
    TimedOut {
        seconds: u64,
    },
    /// The worker died. `memory_exhausted` is set when it said so before dying.
    Crashed {
        signal: Option<i32>,
        exit_code: Option<i32>,
        memory_exhausted: bool,
        stderr_tail: String,
    },
    /// The worker answered something that is not a response.
    Protocol(String),
    Spawn(String),
}

impl SandboxFailure {
    /// A groupable reason for the catalog and the full one. Both are in our words: of what the worker printed
    /// before dying, the detail keeps at most one line of the worker's own message ([`worker_message`]), never the
    /// Rust runtime's notes and backtraces.
    pub fn reason(&self, config: &SandboxConfig) -> (String, String) {
        match self {
            SandboxFailure::TimedOut { seconds } => {
                let reason = format!("timed out after {seconds} s");
                (reason.clone(), reason)
            }
            SandboxFailure::Crashed { memory_exhausted: true, stderr_tail, .. } => {
                let limit = config.memory_limit_bytes.map_or(String::new(), |b| format!(" of {} MiB", b >> 20));
                let reason = "limit exceeded: worker memory".to_string();
                let detail = with_message(format!("{reason}{limit}"), stderr_tail);
                (reason, detail)
            }
            SandboxFailure::Crashed { signal: Some(signal), stderr_tail, .. } => {
                let reason = format!("worker crashed on signal {}", signal_name(*signal));
                (reason.clone(), with_message(reason, stderr_tail))
            }
            SandboxFailure::Crashed { exit_code, stderr_tail, .. } => {
                let reason = format!("worker exited with code {}", exit_code.unwrap_or(-1));
                (reason.clone(), with_message(reason, stderr_tail))
            }
            SandboxFailure::Protocol(detail) => ("worker protocol error".to_string(), detail.clone()),
            SandboxFailure::Spawn(detail) => ("worker could not start".to_string(), detail.clone()),
        }
    }

    /// Whether the worker died because it ran out of memory.
    pub fn is_memory_exhausted(&self) -> bool {
        matches!(self, SandboxFailure::Crashed { memory_exhausted: true, .. })
    }
}

fn with_message(reason: String, stderr_tail: &str) -> String {
    match worker_message(stderr_tail) {
        Some(message) => format!("{reason} ({message})"),
        None => reason,
    }
}

/// The most a worker's message adds to a failure's detail.
const MAX_MESSAGE_CHARS: usize = 200;

/// The last line of a dead worker's stderr that is the worker's (or a library's) own message, in plain printable
/// text: the Rust runtime's lines (panic headers and notes, backtraces, "fatal runtime error") are skipped, and an
/// allocation failure is said in our words.
fn worker_message(stderr_tail: &str) -> Option<String> {
    let line = stderr_tail.lines().map(str::trim).rev().find(|line| !line.is_empty() && !is_runtime_noise(line))?;
    let line = match allocation_failure(line) {
        Some(bytes) => format!("an allocation of {bytes} bytes failed"),
        None => line.to_string(),
    };
    let mut message: String = line.chars().filter(|c| !c.is_control()).take(MAX_MESSAGE_CHARS).collect();
    if line.chars().count() > MAX_MESSAGE_CHARS {
        message.push('…');
    }
    Some(message)
}

/// Lines the Rust runtime prints around a panic or an abort, which say nothing about the file.
fn is_runtime_noise(line: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "note:",
        "stack backtrace:",
        "fatal runtime error:",
        "thread caused non-unwinding panic",
        "at /rustc/",
        "at ./",
        "at src/",
        "at /",
    ];
    if PREFIXES.iter().any(|prefix| line.starts_with(prefix)) || line.contains("RUST_BACKTRACE") {
        return true;
    }
    // "thread 'main' (123) panicked at crates/x/src/y.rs:1:2:"
    if line.starts_with("thread '") && line.contains("panicked at") {
        return true;
    }
    // Backtrace frames: "  12: std::panicking::begin_panic".
    line.split_once(": ").is_some_and(|(number, _)| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

/// The size in "memory allocation of N bytes failed", Rust's message before it aborts for lack of memory.
fn allocation_failure(line: &str) -> Option<&str> {
    line.strip_prefix("memory allocation of ")?.strip_suffix(" bytes failed")
}

fn signal_name(signal: i32) -> String {
    let name = match signal {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGFPE => "SIGFPE",
        libc::SIGILL => "SIGILL",
        libc::SIGKILL => "SIGKILL",
        libc::SIGTERM => "SIGTERM",
        _ => return signal.to_string(),
    };
    format!("{name} ({signal})")
}

/// One worker slot: holds a running worker and replaces it whenever it dies or is killed.
pub struct Sandbox {
    config: SandboxConfig,
    worker: Option<Worker>,
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<std::io::Result<String>>,
    stderr_tail: Arc<Mutex<VecDeque<u8>>>,
    /// The worker's own temporary folder, removed once it has exited.
    scratch: Option<PathBuf>,
}

impl Worker {
    /// Removes what the worker left in its temporary folder; call after it has exited.
    fn remove_scratch(&self) {
        if let Some(dir) = &self.scratch {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Numbers the workers' temporary folders within one process.
static NEXT_SCRATCH: AtomicU64 = AtomicU64::new(0);

const STDERR_TAIL_BYTES: usize = 4096;

impl Sandbox {
    pub fn new(config: SandboxConfig) -> Sandbox {
        Sandbox { config, worker: None }
    }

    pub fn config(&self) -> &SandboxConfig {
        &self.config
    }

    /// Runs one request in a worker, starting one if needed.
    pub fn run(&mut self, request: &Request) -> Result<Response, SandboxFailure> {
        self.exchange("extract", request)
    }

    /// Analyses a text already extracted, in a worker: its mentions and fingerprint, or in words why the analysis
    /// failed.
    pub fn analyse(&mut self, request: &AnalyseRequest) -> Result<Result<Analysed, String>, SandboxFailure> {
        self.exchange("analyse", request)
    }

    /// Sends `{"<job>": request}` and waits for the answer within the wall-clock limit.
    fn exchange<Q: Serialize, A: DeserializeOwned>(&mut self, job: &str, request: &Q) -> Result<A, SandboxFailure> {
        let mut worker = match self.worker.take() {
            Some(worker) => worker,
            None => spawn(&self.config).map_err(|err| SandboxFailure::Spawn(err.to_string()))?,
        };
        if let Ok(mut tail) = worker.stderr_tail.lock() {
            tail.clear();
        }
        let mut line = format!("{{\"{job}\":").into_bytes();
        serde_json::to_writer(&mut line, request).map_err(|err| SandboxFailure::Protocol(err.to_string()))?;
        line.extend_from_slice(b"}\n");
        if worker.stdin.write_all(&line).and_then(|()| worker.stdin.flush()).is_err() {
            return Err(reap(worker));
        }
        let started = Instant::now();
        let mut deadline = started + self.config.timeout;
        let latest = started + self.config.timeout + self.config.max_extension;
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            match worker.answers.recv_timeout(wait) {
                Ok(Ok(answer)) => {
                    if let Some(seconds) = extension(&answer) {
                        deadline = (deadline + Duration::from_secs(seconds)).min(latest);
                        continue;
                    }
                    return match serde_json::from_str::<A>(&answer) {
                        Ok(response) => {
                            self.worker = Some(worker);
                            Ok(response)
                        }
                        Err(err) => {
                            kill(worker);
                            Err(SandboxFailure::Protocol(format!("unreadable answer: {err}")))
                        }
                    };
                }
                Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => return Err(reap(worker)),
                Err(RecvTimeoutError::Timeout) => {
                    kill(worker);
                    return Err(SandboxFailure::TimedOut { seconds: started.elapsed().as_secs() });
                }
            }
        }
    }
}

impl Sandbox {
    /// [`Sandbox::run`], and when the worker died for lack of memory, once more in the cheaper mode
    /// ([`Request::cheaper`]) in a fresh worker. What that reads is returned with a first diagnostic saying so
    /// (the document is then `partial`, never `ok`); if the second attempt fails too, the first failure is returned.
    ///
    /// A worker that analyses texts keeps the name models in memory from its first analysis on, which leaves less room
    /// for reading the next file: a file whose worker ran out of memory with analysis asked for is first read again
    /// exactly as asked but without the analysis, in a fresh worker that never loads the models; the document says
    /// so, and `dossier reanalyse` finds its names later.
    pub fn run_with_fallback(&mut self, request: &Request) -> Result<Response, SandboxFailure> {
        let failure = match self.run(request) {
            Err(failure) if failure.is_memory_exhausted() => failure,
            outcome => return outcome,
        };
        let limit = self.config.memory_limit_bytes.map_or(String::new(), |b| format!(" of {} MiB", b >> 20));
        let request = &if request.analyse {
            let _ = std::fs::remove_dir_all(&request.staging_dir);
            let plain = Request { analyse: false, ..request.clone() };
            match self.run(&plain) {
                Err(again) if again.is_memory_exhausted() => plain,
                Err(again) => return Err(again),
                Ok(mut response) => {
                    if let Ok(extraction) = &mut response.result {
                        extraction.diagnostics.insert(
                            0,
                            format!(
                                "the worker ran out of memory (limit{limit}) with the name models loaded; read again \
                                 without them: names and identifiers not looked for (`dossier reanalyse` can)"
                            ),
                        );
                    }
                    return Ok(response);
                }
            }
        } else {
            request.clone()
        };
        let Some(cheaper) = request.cheaper(self.config.memory_limit_bytes) else {
            return Err(failure);
        };
        // Children the dying worker had staged belong to the attempt that failed.
        let _ = std::fs::remove_dir_all(&request.staging_dir);
        let mut response = match self.run(&cheaper.request) {
            Ok(response) => response,
            Err(_) => {
                let _ = std::fs::remove_dir_all(&request.staging_dir);
                return Err(failure);
            }
        };
        if let Ok(extraction) = &mut response.result {
            extraction.diagnostics.insert(
                0,
                format!(
                    "the worker ran out of memory (limit{limit}); read again in a cheaper mode: {}",
                    cheaper.description
                ),
            );
        }
        Ok(response)
    }
}

/// The seconds asked for by an extension line, if `answer` is one.
fn extension(answer: &str) -> Option<u64> {
    answer.strip_prefix(EXTEND_PREFIX)?.strip_suffix('}')?.parse().ok()
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(worker) = self.worker.take() {
            // Closing stdin ends the worker's loop; wait so that no zombie is left.
            let Worker { mut child, stdin, scratch, .. } = worker;
            drop(stdin);
            let _ = child.wait();
            if let Some(dir) = scratch {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

fn kill(mut worker: Worker) {
    let _ = worker.child.kill();
    let _ = worker.child.wait();
    worker.remove_scratch();
}

/// Waits for a worker that stopped answering and says how it died.
fn reap(mut worker: Worker) -> SandboxFailure {
    let status = worker.child.wait();
    worker.remove_scratch();
    let stderr_tail = worker
        .stderr_tail
        .lock()
        .map(|tail| String::from_utf8_lossy(&tail.iter().copied().collect::<Vec<u8>>()).into_owned())
        .unwrap_or_default();
    // Rust reports a failed allocation on stderr before aborting; MuPDF and others fail more quietly.
    let memory_exhausted = stderr_tail.contains("memory allocation of") || stderr_tail.contains("out of memory");
    match status {
        Ok(status) => {
            SandboxFailure::Crashed { signal: status.signal(), exit_code: status.code(), memory_exhausted, stderr_tail }
        }
        Err(err) => {
            SandboxFailure::Crashed { signal: None, exit_code: None, memory_exhausted, stderr_tail: err.to_string() }
        }
    }
}

fn spawn(config: &SandboxConfig) -> std::io::Result<Worker> {
    let mut command = Command::new(&config.program);
    command.args(&config.args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (key, value) in &config.env {
        command.env(key, value);
    }
    let scratch = match &config.scratch_dir {
        Some(root) => {
            let dir = root.join(format!("worker-{}", NEXT_SCRATCH.fetch_add(1, Ordering::Relaxed)));
            std::fs::create_dir_all(&dir)?;
            command.env("TMPDIR", &dir);
            Some(dir)
        }
        None => None,
    };
    let memory_limit = config.memory_limit_bytes;
    // SAFETY: the closure runs between fork and exec and only makes async-signal-safe system calls.
    unsafe {
        command.pre_exec(move || confine(memory_limit));
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(err) => {
            if let Some(dir) = &scratch {
                let _ = std::fs::remove_dir_all(dir);
            }
            return Err(err);
        }
    };
    let stdin = child.stdin.take().expect("stdin was piped");
    let stdout = child.stdout.take().expect("stdout was piped");
    let mut stderr = child.stderr.take().expect("stderr was piped");

    let (sender, answers) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let stderr_tail = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_TAIL_BYTES)));
    let tail = Arc::clone(&stderr_tail);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            let Ok(mut tail) = tail.lock() else { break };
            tail.extend(&buf[..n]);
            let excess = tail.len().saturating_sub(STDERR_TAIL_BYTES);
            tail.drain(..excess);
        }
    });
    Ok(Worker { child, stdin, answers, stderr_tail, scratch })
}

/// Restricts the process about to become a worker. Runs after fork, before exec.
fn confine(memory_limit: Option<u64>) -> std::io::Result<()> {
    // SAFETY: plain system calls on this process with valid arguments.
    unsafe {
        // Die with the parent: a killed ingest leaves no orphan workers behind.
        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let no_core = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        if let Some(bytes) = memory_limit {
            let limit = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        // An empty network namespace: the worker can reach nothing, not even loopback. Without privileges, a user
        // namespace makes the network namespace possible; where neither is allowed the worker still has no reason
        // to use the network, and the readers make no network calls.
        if libc::unshare(libc::CLONE_NEWNET) != 0 {
            libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
