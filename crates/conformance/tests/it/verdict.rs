//! The exit code and verdict line for a clean set, an unaccounted file, a crash, and an absent corpus.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A temporary corpus with one set ("hostile", which has no ground truth) holding `files`, and a fake dossier whose
/// `list` prints `documents` (paths relative to the set folder, made absolute here).
struct Fixture {
    root: tempfile::TempDir,
}

impl Fixture {
    fn new(files: &[&str], documents: &[(&str, u32, &str, Option<&str>)]) -> Fixture {
        let root = tempfile::tempdir().expect("temp dir");
        let set_folder = root.path().join("corpus/hostile");
        std::fs::create_dir_all(&set_folder).expect("set folder");
        let set_folder = set_folder.canonicalize().expect("canonical set folder");
        for file in files {
            std::fs::write(set_folder.join(file), b"content").expect("corpus file");
        }
        let list: Vec<serde_json::Value> = documents
            .iter()
            .enumerate()
            .map(|(index, (path, depth, state, reason))| {
                serde_json::json!({
                    "id": index + 1,
                    "path": set_folder.join(path).to_string_lossy(),
                    "format": "text",
                    "state": state,
                    "reason": reason,
                    "depth": depth,
                    "parent_id": if *depth == 0 { None } else { Some(1) },
                    "metadata": {},
                    "diagnostics": [],
                    "text": "words",
                })
            })
            .collect();
        let list_path = root.path().join("list.json");
        std::fs::write(&list_path, serde_json::to_vec(&list).expect("json")).expect("list file");
        std::fs::write(root.path().join("thresholds.json"), b"{}").expect("thresholds file");
        let script = format!(
            "#!/bin/sh\ncase \" $* \" in\n  *\" ingest \"*) echo '{{}}' ;;\n  *\" list \"*) cat '{}' ;;\nesac\n",
            list_path.display()
        );
        let dossier = root.path().join("dossier");
        std::fs::write(&dossier, script).expect("fake dossier");
        std::fs::set_permissions(&dossier, std::fs::Permissions::from_mode(0o755)).expect("executable");
        Fixture { root }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    fn run(&self, corpus: &Path, extra: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_dossier-conformance"))
            .arg("--dossier")
            .arg(self.path("dossier"))
            .arg("--corpus")
            .arg(corpus)
            .args(["--only", "hostile", "--thresholds"])
            .arg(self.path("thresholds.json"))
            .args(extra)
            .output()
            .expect("running dossier-conformance")
    }
}

fn check(output: &Output, want_exit_code: i32, want_in_stdout: &[&str]) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(want_exit_code), "stdout:\n{stdout}\nstderr:\n{stderr}");
    for wanted in want_in_stdout {
        assert!(stdout.contains(wanted), "{wanted:?} missing from stdout:\n{stdout}\nstderr:\n{stderr}");
    }
}

#[test]
fn every_file_accounted_for_passes() {
    let fixture = Fixture::new(
        &["a.txt", "b.zip"],
        &[("a.txt", 0, "ok", None), ("b.zip", 0, "failed", Some("limit exceeded")), ("b.zip!/x", 1, "ok", None)],
    );
    let output = fixture.run(&fixture.path("corpus"), &[]);
    check(&output, 0, &["1 sets, 2 files, 3 documents, 0 unaccounted, 0 crashes, 0 hangs", ": PASS", "limit exceeded"]);
}

#[test]
fn a_file_without_document_fails_and_is_named() {
    let fixture = Fixture::new(&["a.txt", "forgotten.txt"], &[("a.txt", 0, "ok", None)]);
    let output = fixture.run(&fixture.path("corpus"), &[]);
    check(&output, 1, &["missing (file with no top-level document): 1", "forgotten.txt", "1 unaccounted", ": FAIL"]);
}

#[test]
fn a_crash_a_hang_and_a_pending_child_fail() {
    let fixture = Fixture::new(
        &["a.txt", "b.txt"],
        &[
            ("a.txt", 0, "failed", Some("worker crashed on signal SIGSEGV (11)")),
            ("b.txt", 0, "failed", Some("timed out after 60 s")),
            ("b.txt!/c", 1, "pending", None),
        ],
    );
    let output = fixture.run(&fixture.path("corpus"), &[]);
    check(&output, 1, &["1 unaccounted, 1 crashes, 1 hangs", "a.txt: worker crashed on signal SIGSEGV (11)", ": FAIL"]);
}

#[test]
fn a_max_failed_threshold_is_enforced() {
    let fixture = Fixture::new(&["a.txt"], &[("a.txt", 0, "failed", Some("unsupported format"))]);
    std::fs::write(fixture.path("thresholds.json"), br#"{"max_failed": {"hostile": 0}}"#).expect("thresholds");
    let output = fixture.run(&fixture.path("corpus"), &[]);
    check(&output, 1, &["hostile: 1 failed top-level files, more than the maximum 0", ": FAIL"]);
}

#[test]
fn absent_corpus_fails_unless_allowed() {
    let fixture = Fixture::new(&[], &[]);
    let absent = fixture.path("no-such-corpus");
    let output = fixture.run(&absent, &[]);
    check(&output, 1, &[]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("is absent"), "{output:?}");
    let output = fixture.run(&absent, &["--allow-missing-corpus"]);
    check(&output, 0, &["corpus absent: conformance NOT run"]);
}
