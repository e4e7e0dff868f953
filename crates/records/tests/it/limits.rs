//! Limits: a large CSV is cut at the text limit (document partial, rows counted so far), not loaded whole.

use dossier_document::{Context, Limits, MemorySink, Options, Source};

#[test]
fn a_large_csv_stops_at_the_text_limit() {
    let dir = std::env::temp_dir().join(format!("dossier-records-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    let path = dir.join("big.csv");
    let row = "12345,Иванов Иван,Москва\n";
    std::fs::write(&path, row.repeat(20_000)).expect("write the CSV");
    let limits = Limits { max_text_bytes: 10_000, ..Limits::default() };
    let options = Options::default();
    let mut sink = MemorySink::new(&limits, 1);
    let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
    let extraction =
        dossier_records::read_csv(&Source { path: &path, name: None }, &mut ctx).expect("partial, not failed");
    std::fs::remove_dir_all(&dir).ok();
    assert!(extraction.text.len() <= 10_000);
    assert!(extraction.text.starts_with("12345\tИванов Иван\tМосква\n"));
    assert!(
        extraction.diagnostics.iter().any(|d| d.starts_with("limit exceeded: text cut off")),
        "{:?}",
        extraction.diagnostics
    );
}
