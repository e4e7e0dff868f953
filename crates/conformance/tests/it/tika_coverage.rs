//! `tika-coverage` end to end with stand-ins: a shell-script `dossier` that lists canned documents and a shell-script
//! `python` that "runs Tika" by copying canned JSON lines to the `--output` path, so the join, the tables and the work
//! list are checked without Tika or the real pipeline.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

fn executable(path: &Path, script: &str) {
    std::fs::write(path, script).expect("script");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("executable");
}

/// A folder with a.txt (both read it), b.doc (only Tika), c.zip (dossier reads it through a child) and d.png
/// (only dossier; Tika timed out).
fn run_report(extra: &[&str]) -> (Output, tempfile::TempDir) {
    let root = tempfile::tempdir().expect("temp dir");
    let folder = root.path().join("set");
    std::fs::create_dir(&folder).expect("folder");
    let folder = folder.canonicalize().expect("canonical folder");
    for name in ["a.txt", "b.doc", "c.zip", "d.png"] {
        std::fs::write(folder.join(name), b"content").expect("file");
    }
    let path = |name: &str| folder.join(name).to_string_lossy().into_owned();
    let documents = serde_json::json!([
        {"id": 1, "path": path("a.txt"), "state": "ok", "depth": 0, "text": "one two three"},
        {"id": 2, "path": path("b.doc"), "state": "failed", "reason": "unsupported format doc", "depth": 0},
        {"id": 3, "path": path("c.zip"), "state": "ok", "depth": 0, "text": ""},
        {"id": 4, "path": format!("{}//x.txt", path("c.zip")), "state": "ok", "depth": 1, "parent_id": 3,
         "text": "zipped words"},
        {"id": 5, "path": path("d.png"), "state": "ok", "depth": 0, "text": "ocr text"},
    ]);
    let list_path = root.path().join("list.json");
    std::fs::write(&list_path, serde_json::to_vec(&documents).expect("json")).expect("list");
    let tika_lines = [
        serde_json::json!({"path": path("a.txt"), "ok": true, "text": "one two three", "seconds": 0.1}),
        serde_json::json!({"path": path("b.doc"), "ok": true, "text": "legacy words here", "seconds": 0.1}),
        serde_json::json!({"path": path("c.zip"), "ok": true, "text": "x.txt zipped words", "seconds": 0.1}),
        serde_json::json!({"path": path("d.png"), "ok": false, "error": "timeout", "seconds": 60.0}),
    ]
    .iter()
    .map(|line| line.to_string() + "\n")
    .collect::<String>();
    let tika_path = root.path().join("tika.jsonl");
    std::fs::write(&tika_path, tika_lines).expect("tika lines");
    executable(
        &root.path().join("dossier"),
        &format!(
            "#!/bin/sh\ncase \" $* \" in\n  *\" --version \"*) echo 'dossier 0.0-test' ;;\n  *\" ingest \"*) echo '{{}}' ;;\n  *\" list \"*) cat '{}' ;;\nesac\n",
            list_path.display()
        ),
    );
    executable(
        &root.path().join("python"),
        &format!(
            "#!/bin/sh\nif [ \"$1\" = -c ]; then echo 9.9-test; exit 0; fi\nwhile [ $# -gt 0 ]; do\n  if [ \"$1\" = --output ]; then cp '{}' \"$2\"; fi\n  shift\ndone\n",
            tika_path.display()
        ),
    );
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dossier-conformance"))
        .arg("tika-coverage")
        .arg("--dossier")
        .arg(root.path().join("dossier"))
        .arg("--python")
        .arg(root.path().join("python"))
        .arg("--folder")
        .arg(&folder)
        .args(extra)
        .output()
        .expect("run dossier-conformance");
    (output, root)
}

fn row<'a>(stdout: &'a str, first_column: &str) -> Vec<&'a str> {
    stdout
        .lines()
        .map(str::split_whitespace)
        .map(Iterator::collect::<Vec<&str>>)
        .find(|columns| columns.first() == Some(&first_column))
        .unwrap_or_else(|| panic!("no row {first_column} in\n{stdout}"))
}

#[test]
fn report_joins_both_tools_and_lists_the_work() {
    let (output, _root) = run_report(&[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "stdout:\n{stdout}\nstderr:\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("extractous 9.9-test"), "{stdout}");
    // ext files tika-err tika dossier both only-tika only-dossier agreement
    assert_eq!(row(&stdout, "TOTAL"), ["TOTAL", "4", "1", "3", "3", "2", "1", "1", "0.833"]);
    assert_eq!(row(&stdout, "zip"), ["zip", "1", "0", "1", "1", "1", "0", "0", "0.667"]);
    assert_eq!(row(&stdout, "png"), ["png", "1", "1", "0", "1", "0", "0", "1", "-"]);
    assert!(stdout.contains("dossier yields text on 66.7% of files where Tika does (2 of 3; goal >= 99%: NOT met)"));
    let work_list = stdout.split("only-tika files (1)").nth(1).expect("work list");
    assert!(work_list.contains("b.doc") && work_list.contains("failed: unsupported format doc"), "{stdout}");
    assert!(stdout.contains("only-dossier files (1)"));
}

#[test]
fn a_python_without_extractous_is_an_error() {
    let root = tempfile::tempdir().expect("temp dir");
    executable(&root.path().join("python"), "#!/bin/sh\necho 'No module named extractous' >&2\nexit 1\n");
    executable(&root.path().join("dossier"), "#!/bin/sh\necho 'dossier 0.0-test'\n");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dossier-conformance"))
        .args(["tika-coverage", "--folder"])
        .arg(root.path())
        .arg("--dossier")
        .arg(root.path().join("dossier"))
        .arg("--python")
        .arg(root.path().join("python"))
        .output()
        .expect("run dossier-conformance");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot import extractous"));
}
