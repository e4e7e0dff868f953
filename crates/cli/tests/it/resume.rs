//! `kill -9` at any point of an ingest, then a re-run, gives the same catalog as an uninterrupted run.

use std::os::unix::process::ExitStatusExt;

use crate::util::{Env, write_demo};

/// Kills an ingest of the example leak at `kill_at` (`walked:N` or `extracted:N`), re-runs it, and compares the
/// collection with one ingested without interruption.
fn check(kill_at: &str) {
    let reference = Env::new();
    let input = reference.input("leak");
    write_demo(&input);
    reference.ingest(&input, "leak", &[]);
    let expected = reference.canonical_list("leak");

    let env = Env::new();
    // The same files at the same absolute paths, so that paths in the catalog compare equal.
    let output = env
        .command()
        .args(["ingest", input.to_str().expect("UTF-8"), "-c", "leak"])
        .env("DOSSIER_TEST_KILL_AFTER", kill_at)
        .output()
        .expect("dossier runs");
    assert_eq!(output.status.signal(), Some(libc_sigkill()), "ingest was killed at {kill_at}: {output:?}");

    let resumed = env.ingest(&input, "leak", &[]);
    assert_eq!(resumed["counts"]["pending"], 0);
    assert_eq!(env.canonical_list("leak"), expected, "after a kill at {kill_at}");
    let vault = env.run_json(&["verify-vault", "--json"]);
    assert_eq!(vault["problems"], serde_json::json!([]));
    // The search index caught up too: every document, each once.
    assert_eq!(search_all_paths(&env), search_all_paths(&reference), "search after a kill at {kill_at}");
}

fn search_all_paths(env: &Env) -> Vec<String> {
    let export = env.run(&["search", "", "--all"]);
    let mut paths: Vec<String> = export.lines().map(|line| line.split('\t').nth(1).unwrap_or("").to_string()).collect();
    paths.sort();
    paths
}

fn libc_sigkill() -> i32 {
    9
}

#[test]
fn kill_during_the_walk() {
    check("walked:1");
    check("walked:7");
}

#[test]
fn kill_during_extraction() {
    check("extracted:1");
    check("extracted:16");
    check("extracted:24");
}
