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
