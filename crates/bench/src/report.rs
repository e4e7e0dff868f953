//! Percentiles and the Markdown report.

use std::fmt::Write as _;
use std::time::Duration;

use crate::corpus::Paragraphs;
use crate::queries::BenchQuery;

/// The four timed modes, in the order [`QueryTimes::record`] takes them.
pub const MODES: [&str; 4] = [
    "dossier full (count+top10+3 snippets+facets)",
    "dossier ranking only (snippets 0, facets false)",
    "FTS5 full (count(*) + top10 with snippet)",
    "FTS5 ranking only (top10 by bm25)",
];

pub struct IndexingFigures {
    pub docs: u64,
    pub text_bytes: u64,
    pub generation: Duration,
    pub dossier: Duration,
    pub fts: Duration,
    pub fts_optimize: Duration,
    pub dossier_bytes: u64,
    pub fts_bytes: u64,
}

pub struct QueryTimes {
    /// Per query, per mode, every timed repetition.
    pub samples: Vec<[Vec<Duration>; 4]>,
    /// Per query: (dossier total, FTS5 count).
    pub hits: Vec<(u64, u64)>,
}

impl QueryTimes {
    pub fn new(queries: usize) -> QueryTimes {
        QueryTimes { samples: (0..queries).map(|_| Default::default()).collect(), hits: vec![(0, 0); queries] }
    }

    pub fn record(&mut self, query: usize, durations: [Duration; 4]) {
        for (mode, duration) in durations.into_iter().enumerate() {
            self.samples[query][mode].push(duration);
        }
    }

    fn all(&self, mode: usize) -> Vec<Duration> {
        self.samples.iter().flat_map(|modes| modes[mode].iter().copied()).collect()
    }
}

pub struct ScaleResult {
    pub indexing: IndexingFigures,
    pub times: QueryTimes,
    pub repetitions: usize,
}

/// The `p`-th percentile (nearest rank) of unsorted samples.
pub fn percentile(samples: &[Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(duration: Duration) -> String {
    let ms = duration.as_secs_f64() * 1000.0;
    if ms < 10.0 { format!("{ms:.2}") } else { format!("{ms:.1}") }
}

fn ratio(fts: Duration, dossier: Duration) -> String {
    if dossier.is_zero() { "-".into() } else { format!("{:.2}x", fts.as_secs_f64() / dossier.as_secs_f64()) }
}

pub fn scale_summary(result: &ScaleResult) -> String {
    let mut out = format!("{} documents:", result.indexing.docs);
    for (mode, name) in MODES.iter().enumerate() {
        let all = result.times.all(mode);
        let _ = write!(out, "\n  {name}: p50 {} ms, p99 {} ms", ms(percentile(&all, 50.0)), ms(percentile(&all, 99.0)));
    }
    out
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

/// The figures the goals are stated in, one line each.
pub fn headlines(results: &[ScaleResult]) -> Vec<String> {
    let Some(largest) = results.last() else { return Vec::new() };
    let p99 = |mode| percentile(&largest.times.all(mode), 99.0);
    let p50 = |mode| percentile(&largest.times.all(mode), 50.0);
    vec![format!(
        "Search at {} documents: dossier p50 {} ms, p99 {} ms (goal p99 < 50 ms); SQLite FTS5 p50 {} ms, p99 {} ms: \
         FTS5 takes {} the time at p50, {} at p99 (goal >= 3x).",
        largest.indexing.docs,
        ms(p50(0)),
        ms(p99(0)),
        ms(p50(2)),
        ms(p99(2)),
        ratio(p50(2), p50(0)),
        ratio(p99(2), p99(0)),
    )]
}

pub fn markdown(mix: &[BenchQuery], results: &[ScaleResult], paragraphs: &Paragraphs) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Search: dossier's index beside SQLite FTS5\n");
    let paragraph_bytes: usize =
        [&paragraphs.ru, &paragraphs.uk, &paragraphs.en].iter().flat_map(|p| p.iter()).map(String::len).sum();
    let _ = writeln!(
        out,
        "Documents assembled from {} ru, {} uk, {} en real paragraphs ({:.1} MB) of /work/shared/corpus; \
         50% ru, 30% uk, 20% en; lengths mostly 0.5-5 KB, 10% 5-20 KB, 2% 20-80 KB, 0.2% 300-700 KB. \
         {} queries, one untimed warm-up pass, then the timed repetitions below; each sample is one query in one mode. \
         Machine: {} cores.\n",
        paragraphs.ru.len(),
        paragraphs.uk.len(),
        paragraphs.en.len(),
        mb(paragraph_bytes as u64),
        mix.len(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
    );

    let _ = writeln!(out, "### Query latency (ms, all queries x repetitions)\n");
    let _ = writeln!(out, "| docs | reps | side / mode | p50 | p95 | p99 | max |");
    let _ = writeln!(out, "|---:|---:|---|---:|---:|---:|---:|");
    for result in results {
        for (mode, name) in MODES.iter().enumerate() {
            let all = result.times.all(mode);
            let _ = writeln!(
                out,
                "| {} | {} | {name} | {} | {} | {} | {} |",
                result.indexing.docs,
                result.repetitions,
                ms(percentile(&all, 50.0)),
                ms(percentile(&all, 95.0)),
                ms(percentile(&all, 99.0)),
                ms(percentile(&all, 100.0)),
            );
        }
    }
    let _ = writeln!(out, "\n### Ratio FTS5 time / dossier time (above 1 = dossier faster)\n");
    let _ = writeln!(out, "| docs | full p50 | full p99 | ranking p50 | ranking p99 |");
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|");
    for result in results {
        let p = |mode, q| percentile(&result.times.all(mode), q);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            result.indexing.docs,
            ratio(p(2, 50.0), p(0, 50.0)),
            ratio(p(2, 99.0), p(0, 99.0)),
            ratio(p(3, 50.0), p(1, 50.0)),
            ratio(p(3, 99.0), p(1, 99.0)),
        );
    }

    let _ = writeln!(out, "\n### Indexing (cumulative up to each size)\n");
    let _ = writeln!(
        out,
        "| docs | text MB | dossier s | dossier docs/s | dossier MB/s | dossier index MB | FTS5 s (incl. optimize) | \
         FTS5 optimize s | FTS5 docs/s | FTS5 MB/s | FTS5 db MB | generation s |"
    );
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for result in results {
        let figures = &result.indexing;
        let rate = |duration: Duration| figures.docs as f64 / duration.as_secs_f64().max(1e-9);
        let throughput = |duration: Duration| mb(figures.text_bytes) / duration.as_secs_f64().max(1e-9);
        let _ = writeln!(
            out,
            "| {} | {:.0} | {:.1} | {:.0} | {:.2} | {:.0} | {:.1} | {:.1} | {:.0} | {:.2} | {:.0} | {:.1} |",
            figures.docs,
            mb(figures.text_bytes),
            figures.dossier.as_secs_f64(),
            rate(figures.dossier),
            throughput(figures.dossier),
            mb(figures.dossier_bytes),
            figures.fts.as_secs_f64(),
            figures.fts_optimize.as_secs_f64(),
            rate(figures.fts),
            throughput(figures.fts),
            mb(figures.fts_bytes),
            figures.generation.as_secs_f64(),
        );
    }

    if let Some(largest) = results.last() {
        let _ = writeln!(
            out,
            "\n### Per query at {} documents (median ms; hits = dossier total / FTS5 count)\n",
            largest.indexing.docs
        );
        let _ = writeln!(
            out,
            "| # | kind | dossier query | FTS5 MATCH | dossier hits | FTS5 hits | dossier full | dossier rank | \
             FTS5 full | FTS5 rank |"
        );
        let _ = writeln!(out, "|---:|---|---|---|---:|---:|---:|---:|---:|---:|");
        for (number, query) in mix.iter().enumerate() {
            let median = |mode: usize| ms(percentile(&largest.times.samples[number][mode], 50.0));
            let fts = match &query.fts_date {
                Some((from, to)) => format!("{} + date BETWEEN {from} AND {to}", query.fts_match),
                None => query.fts_match.clone(),
            };
            let (dossier_hits, fts_hits) = largest.times.hits[number];
            let _ = writeln!(
                out,
                "| {} | {} | `{}` | `{}` | {} | {} | {} | {} | {} | {} |",
                number + 1,
                query.kind,
                query.dossier.replace('|', "\\|"),
                fts.replace('|', "\\|"),
                dossier_hits,
                fts_hits,
                median(0),
                median(1),
                median(2),
                median(3),
            );
        }
    }
    let _ = writeln!(
        out,
        "\nFTS5 has no Russian or Ukrainian morphology (unicode61 only folds case and diacritics): it matches exact \
         word forms, so its hit counts are lower for ru/uk words and inflected forms. dossier stems (and matches \
         phrases on exact folded words), so the two sides do not do the same work on those queries. The FTS5 \
         'ranking only' mode has no count(*); dossier's always counts. FTS5 runs with a 256 MB page cache and mmap."
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&samples, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&samples, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&samples, 100.0), Duration::from_millis(100));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }
}
