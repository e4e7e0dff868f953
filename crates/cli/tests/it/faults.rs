//! A worker that crashes, hangs or eats memory costs that one file, with a reason that says what happened.

use std::io::Write;

use crate::util::Env;

#[test]
fn crash_hang_and_memory_exhaustion_cost_one_file_each() {
    let env = Env::new();
    let input = env.input("faults");
    for name in ["dossier-test-fault:crash", "dossier-test-fault:hang", "dossier-test-fault:oom", "z-normal.txt"] {
        std::fs::write(input.join(name), "Письмо № 14-07/2231").expect("write");
    }
    let output = env
        .command()
        .args(["ingest", input.to_str().expect("UTF-8"), "-c", "faults", "--json", "--timeout", "3"])
        .args(["--memory-limit", "512"])
        .env(dossier_sandbox::TEST_FAULTS_ENV, "1")
        .output()
        .expect("dossier runs");
    crate::util::assert_success(&output, &["ingest faults"]);

    let list = env.run_json(&["list", "-c", "faults", "--json", "--text"]);
    let reason_of = |suffix: &str| -> String {
        let doc = list
            .as_array()
            .expect("list")
            .iter()
            .find(|d| d["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
            .unwrap_or_else(|| panic!("{suffix} is listed"));
        doc["reason"].as_str().unwrap_or("").to_string()
    };
    assert_eq!(reason_of("crash"), "worker crashed on signal SIGABRT (6)");
    assert_eq!(reason_of("hang"), "timed out after 3 s");
    assert!(reason_of("oom").starts_with("limit exceeded: worker memory of 512 MiB"), "{}", reason_of("oom"));
    let normal =
        list.as_array().expect("list").iter().find(|d| d["name"].as_str().is_some_and(|n| n.ends_with("z-normal.txt")));
    let normal = normal.expect("normal file listed");
    assert_eq!(normal["state"], "ok");
    assert_eq!(normal["text"], "Письмо № 14-07/2231");
}

/// Regression: a file that exhausted its worker's memory (a JBIG2 bomb drove one to 2.4 GB) failed, its text lost,
/// although it reads in a cheaper mode. Such a file is read once more in that mode and recorded partial.
#[test]
fn a_worker_out_of_memory_reads_its_file_again_in_a_cheaper_mode() {
    let env = Env::new();
    let input = env.input("retry");
    std::fs::write(input.join("dossier-test-fault:oom-unless-cheaper.txt"), "Письмо № 14-07/2231").expect("write");
    std::fs::write(input.join("dossier-test-fault:oom"), "never readable").expect("write");
    let output = env
        .command()
        .args(["ingest", input.to_str().expect("UTF-8"), "-c", "retry", "--json", "--memory-limit", "256"])
        // The runtime's backtrace notes must not reach a failure reason either.
        .env("RUST_BACKTRACE", "full")
        .env(dossier_sandbox::TEST_FAULTS_ENV, "1")
        .output()
        .expect("dossier runs");
    crate::util::assert_success(&output, &["ingest retry"]);

    let list = env.run_json(&["list", "-c", "retry", "--json", "--text"]);
    let doc = |suffix: &str| {
        list.as_array()
            .expect("list")
            .iter()
            .find(|d| d["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
            .unwrap_or_else(|| panic!("{suffix} is listed"))
            .clone()
    };
    let retried = doc("oom-unless-cheaper.txt");
    assert_eq!(retried["state"], "partial", "{retried}");
    assert_eq!(retried["text"], "Письмо № 14-07/2231");
    let diagnostics = retried["diagnostics"].to_string();
    assert!(
        diagnostics.contains("ran out of memory (limit of 256 MiB); read again in a cheaper mode"),
        "{diagnostics}"
    );

    let failed = doc("dossier-test-fault:oom");
    let reason = failed["reason"].as_str().expect("a reason");
    assert!(reason.starts_with("limit exceeded: worker memory of 256 MiB"), "{reason}");
    assert!(!reason.contains("RUST_BACKTRACE") && !reason.contains("note:"), "runtime noise in {reason}");
}

/// A worker keeps the name models once it has analysed a text, and has that much less room for the next file: a
/// file that runs out of memory beside them is read again as it was asked, without the analysis, and loses nothing.
#[test]
fn a_file_that_does_not_fit_beside_the_name_models_is_read_again_without_them() {
    let env = Env::new();
    let input = env.input("models");
    std::fs::write(input.join("dossier-test-fault:oom-if-analysed.txt"), "ИНН 7707083893").expect("write");
    let output = env
        .command()
        .args(["ingest", input.to_str().expect("UTF-8"), "-c", "models", "--json", "--memory-limit", "256"])
        .env(dossier_sandbox::TEST_FAULTS_ENV, "1")
        .output()
        .expect("dossier runs");
    crate::util::assert_success(&output, &["ingest models"]);
    let list = env.run_json(&["list", "-c", "models", "--json", "--text"]);
    let doc = &list[0];
    assert_eq!((doc["state"].as_str(), doc["text"].as_str()), (Some("partial"), Some("ИНН 7707083893")), "{doc}");
    let diagnostics = doc["diagnostics"].to_string();
    assert!(diagnostics.contains("with the name models loaded; read again without them"), "{diagnostics}");
    assert!(!diagnostics.contains("cheaper mode"), "nothing else was given up: {diagnostics}");
    assert_eq!(env.run_json(&["entities", "-c", "models", "--json"]), serde_json::json!([]));
    let summary = env.run_json(&["reanalyse", "--json"]);
    assert_eq!(summary["documents_analysed"].as_u64(), Some(1), "{summary}");
    let entities = env.run_json(&["entities", "-c", "models", "--json"]).to_string();
    assert!(entities.contains("7707083893"), "{entities}");
}

#[test]
fn a_zip_bomb_is_refused_with_the_limit_it_broke() {
    let env = Env::new();
    let input = env.input("bomb");
    let file = std::fs::File::create(input.join("harmless.zip")).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("zeros.bin", options).expect("entry");
    let block = vec![0u8; 1 << 20];
    for _ in 0..300 {
        zip.write_all(&block).expect("write");
    }
    zip.finish().expect("finish");

    env.ingest(&input, "bomb", &[]);
    let failures = env.run_json(&["failures", "-c", "bomb", "--json"]);
    let failures = failures.as_array().expect("list");
    assert_eq!(failures.len(), 1);
    assert!(failures[0]["path"].as_str().expect("path").ends_with("harmless.zip"));
    assert_eq!(failures[0]["reason"], "limit exceeded: compression ratio");
}

/// Regression: ../shared/corpus/hostile/zip-bomb/Challenge9.zip nests zips in zips so that no single archive breaks
/// its own budget while the tree as a whole grows without bound. The tree is budgeted against its top-level file.
#[test]
fn a_nested_zip_bomb_is_refused_by_the_tree_budget() {
    let env = Env::new();
    let input = env.input("nested");
    // A 60 MiB member stays under the per-file ratio floor (64 MiB), so each inner zip is fine on its own.
    let inner = zip_of(&[("zeros.bin", &vec![0u8; 60 << 20])], zip::CompressionMethod::Deflated);
    let members: Vec<(String, Vec<u8>)> = (0..4).map(|i| (format!("part-{i}.zip"), inner.clone())).collect();
    let members: Vec<(&str, &[u8])> = members.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    std::fs::write(input.join("outer.zip"), zip_of(&members, zip::CompressionMethod::Stored)).expect("write");

    env.ingest(&input, "nested", &[]);
    let failures = env.run_json(&["failures", "-c", "nested", "--json"]);
    let reasons: Vec<&str> =
        failures.as_array().expect("list").iter().map(|f| f["reason"].as_str().expect("reason")).collect();
    assert!(reasons.contains(&"limit exceeded: tree compression ratio"), "{failures}");
    let status = env.run_json(&["status", "--json"]);
    assert!(status["documents"].as_u64().expect("count") < 10, "the tree stopped growing: {status}");
}

fn zip_of(members: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in members {
        zip.start_file(*name, options).expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}
