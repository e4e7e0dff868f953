//! The parent side: starts sandboxed workers, sends requests, enforces the wall-clock limit.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::protocol::EXTEND_PREFIX;
use crate::{Request, Response};

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
    /// A groupable reason for the catalog and the full one.
    pub fn reason(&self, config: &SandboxConfig) -> (String, String) {
        match self {
            SandboxFailure::TimedOut { seconds } => {
                let reason = format!("timed out after {seconds} s");
                (reason.clone(), reason)
            }
            SandboxFailure::Crashed { memory_exhausted: true, stderr_tail, .. } => {
                let limit = config.memory_limit_bytes.map_or(String::new(), |b| format!(" of {} MiB", b >> 20));
                (
                    "limit exceeded: worker memory".to_string(),
                    format!("limit exceeded: worker memory{limit} ({})", last_line(stderr_tail)),
                )
            }
            SandboxFailure::Crashed { signal: Some(signal), stderr_tail, .. } => {
                let reason = format!("worker crashed on signal {}", signal_name(*signal));
                let detail = match last_line(stderr_tail) {
                    "" => reason.clone(),
                    line => format!("{reason} ({line})"),
                };
                (reason, detail)
            }
            SandboxFailure::Crashed { exit_code, stderr_tail, .. } => {
                let reason = format!("worker exited with code {}", exit_code.unwrap_or(-1));
                (reason.clone(), format!("{reason} ({})", last_line(stderr_tail)))
            }
            SandboxFailure::Protocol(detail) => ("worker protocol error".to_string(), detail.clone()),
            SandboxFailure::Spawn(detail) => ("worker could not start".to_string(), detail.clone()),
        }
    }
}

fn last_line(text: &str) -> &str {
    text.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("").trim()
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
}

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
        let mut worker = match self.worker.take() {
            Some(worker) => worker,
            None => spawn(&self.config).map_err(|err| SandboxFailure::Spawn(err.to_string()))?,
        };
        if let Ok(mut tail) = worker.stderr_tail.lock() {
            tail.clear();
        }
        let mut line = serde_json::to_vec(request).map_err(|err| SandboxFailure::Protocol(err.to_string()))?;
        line.push(b'\n');
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
                    return match serde_json::from_str::<Response>(&answer) {
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

/// The seconds asked for by an extension line, if `answer` is one.
fn extension(answer: &str) -> Option<u64> {
    answer.strip_prefix(EXTEND_PREFIX)?.strip_suffix('}')?.parse().ok()
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(worker) = self.worker.take() {
            // Closing stdin ends the worker's loop; wait so that no zombie is left.
            let Worker { mut child, stdin, .. } = worker;
            drop(stdin);
            let _ = child.wait();
        }
    }
}

fn kill(mut worker: Worker) {
    let _ = worker.child.kill();
    let _ = worker.child.wait();
}

/// Waits for a worker that stopped answering and says how it died.
fn reap(mut worker: Worker) -> SandboxFailure {
    let status = worker.child.wait();
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
    let memory_limit = config.memory_limit_bytes;
    // SAFETY: the closure runs between fork and exec and only makes async-signal-safe system calls.
    unsafe {
        command.pre_exec(move || confine(memory_limit));
    }
    let mut child = command.spawn()?;
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
    Ok(Worker { child, stdin, answers, stderr_tail })
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
