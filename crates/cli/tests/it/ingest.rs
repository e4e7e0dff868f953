//! Ingest accounts for every file, says why files failed, and is idempotent.

use crate::util::{Env, write_demo};

#[test]
fn every_file_is_accounted_and_failures_have_specific_reasons() {
    let env = Env::new();
    let input = env.input("leak");
    let n_demo = write_demo(&input);
    std::fs::write(input.join("empty.txt"), b"").expect("write");
    std::fs::write(input.join("broken.pdf"), b"%PDF-1.7\nthis is not a PDF").expect("write");
    std::fs::write(input.join("scan.djvu"), b"AT&TFORM\x00\x00\x01\x00DJVMDIRM").expect("write");
    std::os::unix::fs::symlink("/etc/passwd", input.join("link-to-passwd")).expect("symlink");

    let summary = env.ingest(&input, "leak", &[]);
    assert_eq!(summary["files_walked"], n_demo as u64 + 4);
    assert_eq!(summary["counts"]["pending"], 0);

    let status = env.run_json(&["status", "--json"]);
    let counts = &status["collections"][0];
    assert_eq!(counts["name"], "leak");
    let documents = counts["documents"].as_u64().expect("count");
    let sum = ["ok", "partial", "failed", "pending"].iter().map(|k| counts[k].as_u64().expect("count")).sum::<u64>();
    assert_eq!(documents, sum);
    assert!(documents > n_demo as u64 + 4, "archive members and attachments are documents too");

    let mut reasons: Vec<String> = status["failure_reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| format!("{} x{}", r["reason"].as_str().expect("reason"), r["count"]))
        .collect();
    reasons.sort();
    assert_eq!(
        reasons,
        [
            "empty file x1",
            "symbolic link (not followed) x1",
            "truncated pdf x1",
            "unsupported format image/vnd.djvu x1"
        ]
    );

    let failures = env.run_json(&["failures", "-c", "leak", "--json"]);
    let link = failures
        .as_array()
        .expect("list")
        .iter()
        .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with("link-to-passwd")));
    assert_eq!(link.expect("the symlink is listed")["detail"], "symbolic link (not followed): points to /etc/passwd");
}

#[test]
fn a_second_run_changes_nothing() {
    let env = Env::new();
    let input = env.input("leak");
    write_demo(&input);
    env.ingest(&input, "leak", &[]);
    let before = env.canonical_list("leak");
    let again = env.ingest(&input, "leak", &[]);
    assert_eq!(again["files_new"], 0);
    assert_eq!(again["documents_extracted"], 0);
    assert_eq!(env.canonical_list("leak"), before);
}

#[test]
fn retry_failed_reads_only_the_failures_again() {
    let env = Env::new();
    let input = env.input("leak");
    write_demo(&input);
    std::fs::write(input.join("broken.pdf"), b"%PDF-1.7\nthis is not a PDF").expect("write");
    env.ingest(&input, "leak", &[]);
    let retried = env.ingest(&input, "leak", &["--retry-failed"]);
    assert_eq!(retried["documents_extracted"], 1, "only the broken PDF is read again");
    assert_eq!(retried["counts"]["failed"], 1);
}

#[test]
fn demo_text_comes_out_in_the_right_charset() {
    let env = Env::new();
    let input = env.input("leak");
    write_demo(&input);
    env.ingest(&input, "leak", &[]);
    let list = env.run_json(&["list", "-c", "leak", "--json", "--text"]);
    let docs = list.as_array().expect("list");
    // The nested ZIP's member names are cp866 without the UTF-8 flag, as Russian Windows archivers write them.
    assert!(docs.iter().any(|d| d["name"] == "СМЕТЫ/Смета_Студёная_2024.txt"), "cp866 member names decoded");
    // Every text member of the demo is Cyrillic: none may come out as mojibake.
    for doc in docs.iter().filter(|d| d["format"] == "text") {
        let text = doc["text"].as_str().expect("text");
        assert!(text.chars().any(|c| ('а'..='я').contains(&c)), "{}: {text:.80}", doc["path"]);
        assert!(!text.contains('\u{fffd}') && !text.contains("Ð"), "{}: {text:.80}", doc["path"]);
    }
}
