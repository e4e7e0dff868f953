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

/// A dBASE III table of `records` copies of one 40-byte character record, written here rather than as a fixture
/// because its point is its size.
fn big_dbf(records: u32) -> Vec<u8> {
    let mut out = vec![0x03, 124, 1, 1];
    out.extend_from_slice(&records.to_le_bytes());
    out.extend_from_slice(&65u16.to_le_bytes());
    out.extend_from_slice(&41u16.to_le_bytes());
    out.extend_from_slice(&[0u8; 17]);
    out.push(0xC9);
    out.extend_from_slice(&[0u8; 2]);
    let mut descriptor = [0u8; 32];
    descriptor[..4].copy_from_slice(b"NAME");
    descriptor[11] = b'C';
    descriptor[16] = 40;
    out.extend_from_slice(&descriptor);
    out.push(0x0D);
    let (name, _, _) = encoding_rs::WINDOWS_1251.encode("Иванов Иван Иванович");
    let mut record = vec![b' '];
    record.extend_from_slice(&name);
    record.resize(41, b' ');
    for _ in 0..records {
        out.extend_from_slice(&record);
    }
    out
}

#[test]
fn a_large_dbf_stops_at_the_text_limit() {
    let dir = std::env::temp_dir().join(format!("dossier-records-dbf-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    let path = dir.join("big.dbf");
    std::fs::write(&path, big_dbf(50_000)).expect("write the table");
    let limits = Limits { max_text_bytes: 10_000, ..Limits::default() };
    let options = Options::default();
    let mut sink = MemorySink::new(&limits, 1);
    let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
    let extraction =
        dossier_records::read_dbf(&Source { path: &path, name: None }, &mut ctx).expect("partial, not failed");
    std::fs::remove_dir_all(&dir).ok();
    assert!(extraction.text.len() <= 10_000);
    assert!(extraction.text.starts_with("NAME\nИванов Иван Иванович\n"), "{}", &extraction.text[..100]);
    assert!(
        extraction.diagnostics.iter().any(|d| d.starts_with("limit exceeded: text cut off")),
        "{:?}",
        extraction.diagnostics
    );
}
