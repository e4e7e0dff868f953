//! The vault keeps originals byte-identical, and `verify-vault` notices when one is not.

use std::os::unix::fs::PermissionsExt;

use crate::util::{Env, write_demo};

#[test]
fn originals_are_kept_byte_identical_and_tampering_is_reported() {
    let env = Env::new();
    let input = env.input("leak");
    write_demo(&input);
    env.ingest(&input, "leak", &[]);
    let clean = env.run_json(&["verify-vault", "--json"]);
    assert_eq!(clean["problems"], serde_json::json!([]));
    assert!(clean["blobs_checked"].as_u64().expect("count") > 15);

    let list = env.run_json(&["list", "-c", "leak", "--json"]);
    let letter =
        list.as_array().expect("list").iter().find(|d| d["depth"] == 0 && d["format"] == "docx").expect("a letter");
    // Custody: where the original came from, when, and by which command.
    assert!(letter["ingested_at"].as_str().is_some_and(|t| t.starts_with("20")), "{letter}");
    assert!(letter["ingested_by"].as_str().is_some_and(|c| c.contains("ingest")), "{letter}");
    let original = std::fs::read(letter["path"].as_str().expect("path")).expect("original");
    let blake3 = letter["blake3"].as_str().expect("hash");
    let blob = env.data_dir().join("vault/blobs").join(&blake3[..2]).join(&blake3[2..4]).join(blake3);
    assert_eq!(std::fs::read(&blob).expect("blob"), original);

    std::fs::set_permissions(&blob, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    std::fs::write(&blob, b"forged").expect("tamper");
    let output = env.command().args(["verify-vault", "--json"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["problems"][0]["problem"], "mismatch");
    assert_eq!(report["problems"][0]["blake3"], blake3);
}
