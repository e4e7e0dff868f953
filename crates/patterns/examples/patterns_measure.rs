//! Speed and counts of `find` over the real texts of the shared corpus, on one core:
//! `cargo run --release -p dossier-patterns --example patterns_measure [-- --samples KIND]`.
//! Reads the texts into memory first, then times only `find` (CPU time of this thread, since the shared machine is
//! often busy). With `--samples KIND`, prints every match of that kind with its context, to judge precision by eye.

#[path = "../tests/it/corpus_texts.rs"]
mod corpus_texts;

use std::collections::BTreeMap;
use std::time::Instant;

fn thread_cpu_seconds() -> f64 {
    let mut spec = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own; CLOCK_THREAD_CPUTIME_ID is always available on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut spec) };
    spec.tv_sec as f64 + spec.tv_nsec as f64 / 1e9
}

fn main() {
    let samples = std::env::args().skip_while(|arg| arg != "--samples").nth(1);
    let Some(root) = corpus_texts::corpus_root() else {
        eprintln!("the shared corpus is absent (../shared/corpus or DOSSIER_CORPUS)");
        std::process::exit(1);
    };
    let texts = corpus_texts::corpus_texts(&root);
    let n_bytes: usize = texts.iter().map(|(_, text)| text.len()).sum();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut best_cpu = f64::INFINITY;
    let mut wall = 0.0;
    for round in 0..3 {
        let started = Instant::now();
        let cpu_started = thread_cpu_seconds();
        let mut n_matches = 0;
        for (name, text) in &texts {
            let found = dossier_patterns::find(text);
            n_matches += found.len();
            if round > 0 {
                continue;
            }
            for found in found {
                let checksum = found.checksum.map_or("-", |checksum| match checksum {
                    dossier_patterns::Checksum::Valid => "valid",
                    dossier_patterns::Checksum::Invalid => "invalid",
                });
                *counts.entry(format!("{:>16} {checksum:>8}", found.kind.as_str())).or_default() += 1;
                if samples.as_deref() == Some(found.kind.as_str()) {
                    let from = text[..found.byte_start].char_indices().rev().nth(30).map_or(0, |(at, _)| at);
                    let to =
                        text[found.byte_end..].char_indices().nth(30).map_or(text.len(), |(at, _)| found.byte_end + at);
                    let context = text[from..to].replace('\n', " ");
                    println!("{}\t{}\t{:?}\t{context}", found.value, checksum, name.rsplit('/').next().unwrap_or(name));
                }
            }
        }
        best_cpu = best_cpu.min(thread_cpu_seconds() - cpu_started);
        wall = started.elapsed().as_secs_f64();
        std::hint::black_box(n_matches);
    }
    println!("{} texts, {:.1} MB", texts.len(), n_bytes as f64 / 1e6);
    for (key, count) in &counts {
        println!("{key} {count:>7}");
    }
    println!(
        "find: {:.2} s CPU (best of 3) = {:.1} MB/s on one core; last round wall {:.2} s",
        best_cpu,
        n_bytes as f64 / 1e6 / best_cpu,
        wall
    );
}
