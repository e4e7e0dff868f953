//! Tests of the confinement itself, run on ordinary programs rather than on a worker.

use super::*;

fn confined_bash(script: &str, memory_limit: Option<u64>) -> std::process::Output {
    let mut command = Command::new("bash");
    command.args(["-c", script]);
    // SAFETY: as in `spawn`.
    unsafe {
        command.pre_exec(move || confine(memory_limit));
    }
    command.output().expect("bash runs")
}

#[test]
fn confined_process_cannot_reach_the_parents_loopback() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = listener.local_addr().expect("addr").port();
    let reach = format!("echo hi > /dev/tcp/127.0.0.1/{port}");
    let unconfined = Command::new("bash").args(["-c", &reach]).output().expect("bash runs");
    assert!(unconfined.status.success(), "the test itself must be able to connect when not confined");
    let confined = confined_bash(&reach, None);
    assert!(!confined.status.success(), "a confined process reached the network");
}

#[test]
fn memory_limit_applies_to_the_confined_process() {
    // Reading 300 MB into one bash variable needs far more than a 200 MB address space.
    let output = confined_bash("x=$(head -c 300000000 /dev/zero | tr '\\0' a); echo ${#x}", Some(200 << 20));
    assert!(!output.status.success() || String::from_utf8_lossy(&output.stdout).trim() != "300000000");
}

/// Regression: after a worker hit its memory limit, a failure reason ended in the Rust runtime's "run with
/// `RUST_BACKTRACE=full`" note. Reasons are ours; the detail keeps only the worker's own last words.
#[test]
fn a_failure_reason_carries_no_runtime_noise() {
    let config = SandboxConfig {
        program: PathBuf::from("/nonexistent"),
        args: Vec::new(),
        memory_limit_bytes: Some(192 << 20),
        timeout: Duration::from_secs(1),
        max_extension: Duration::from_secs(1),
        env: Vec::new(),
        scratch_dir: None,
    };
    let panicked = "thread 'main' (4242) panicked at crates/office/src/xlsx.rs:88:14:\n\
                    capacity overflow\n\
                    stack backtrace:\n   0: std::panicking::begin_panic\n             at /rustc/59807616/library/std/src/panicking.rs:1:1\n\
                    note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.\n";
    let crashed = SandboxFailure::Crashed {
        signal: Some(libc::SIGABRT),
        exit_code: None,
        memory_exhausted: false,
        stderr_tail: panicked.to_string(),
    };
    assert_eq!(
        crashed.reason(&config),
        (
            "worker crashed on signal SIGABRT (6)".to_string(),
            "worker crashed on signal SIGABRT (6) (capacity overflow)".to_string()
        )
    );
    let out_of_memory = SandboxFailure::Crashed {
        signal: Some(libc::SIGABRT),
        exit_code: None,
        memory_exhausted: true,
        stderr_tail: format!("{panicked}memory allocation of 1073741824 bytes failed\n"),
    };
    assert_eq!(
        out_of_memory.reason(&config),
        (
            "limit exceeded: worker memory".to_string(),
            "limit exceeded: worker memory of 192 MiB (an allocation of 1073741824 bytes failed)".to_string()
        )
    );
    let only_noise = SandboxFailure::Crashed {
        signal: None,
        exit_code: Some(101),
        memory_exhausted: false,
        stderr_tail: "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n".to_string(),
    };
    assert_eq!(only_noise.reason(&config).1, "worker exited with code 101");
}
