//! Where a search's time goes: each query of a file run with and without snippets and facets, over an existing
//! index (`dossier-bench search --keep` leaves one, with its `queries.txt`).
//!
//! ```text
//! cargo run --release -p dossier-index --example query_profile -- target/bench-work/.tmpXXXX/dossier \
//!     target/bench-work/.tmpXXXX/queries.txt [repetitions]
//! ```

use std::time::{Duration, Instant};

use dossier_index::{Index, SearchRequest, Sort};
use dossier_query::{ParseOptions, parse};

const MODES: [(&str, usize, bool); 4] =
    [("full", 3, true), ("no snippets", 0, true), ("no facets", 3, false), ("ranking only", 0, false)];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, queries, rest @ ..] = args.as_slice() else {
        eprintln!("usage: query_profile INDEX_DIR QUERIES_FILE [repetitions]");
        std::process::exit(2);
    };
    let repetitions: usize = rest.first().and_then(|n| n.parse().ok()).unwrap_or(5);
    let index = Index::open(std::path::Path::new(dir)).expect("open the index");
    let queries: Vec<String> =
        std::fs::read_to_string(queries).expect("read the queries").lines().map(str::to_string).collect();
    println!("{} documents, {} queries, {repetitions} repetitions", index.n_docs(), queries.len());
    let mut all: Vec<Vec<Duration>> = vec![Vec::new(); MODES.len()];
    println!("{:>5} {:>10} {:>10} {:>10} {:>10}  query", "hits", MODES[0].0, MODES[1].0, MODES[2].0, MODES[3].0);
    for text in &queries {
        let query = parse(text, &ParseOptions::default()).expect("a valid query");
        let mut medians = Vec::new();
        let mut total = 0;
        for (mode, &(_, snippets, facets)) in MODES.iter().enumerate() {
            let request =
                SearchRequest { query: query.clone(), limit: 10, offset: 0, sort: Sort::Relevance, snippets, facets };
            let mut times = Vec::new();
            for pass in 0..=repetitions {
                let started = Instant::now();
                total = index.search(&request).expect("search").total;
                if pass > 0 {
                    times.push(started.elapsed());
                }
            }
            all[mode].extend(&times);
            times.sort_unstable();
            medians.push(times[times.len() / 2]);
        }
        println!(
            "{total:>5} {:>10.2} {:>10.2} {:>10.2} {:>10.2}  {text}",
            ms(medians[0]),
            ms(medians[1]),
            ms(medians[2]),
            ms(medians[3])
        );
    }
    for (mode, samples) in all.iter_mut().enumerate() {
        samples.sort_unstable();
        let at = |p: f64| samples[((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
        println!(
            "{:>14}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            MODES[mode].0,
            ms(at(0.5)),
            ms(at(0.99)),
            ms(at(1.0))
        );
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
