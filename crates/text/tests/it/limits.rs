//! Limits: files too large to load are refused before loading, and text is cut at `max_text_bytes`.

use std::io::Write;

use dossier_document::{Context, ExtractError, Extraction, Limits, MemorySink, Options, ReadFn, Source};

fn read_with(read: ReadFn, bytes: &[u8], limits: &Limits) -> Result<Extraction, ExtractError> {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(bytes).expect("temp file is writable");
    let options = Options::default();
    let mut sink = MemorySink::new(limits, bytes.len() as u64);
    let mut ctx = Context { limits, options: &options, sink: &mut sink };
    read(&Source { path: file.path(), name: None }, &mut ctx)
}

#[test]
fn files_over_the_in_memory_limit_are_refused() {
    let limits = Limits { max_in_memory_bytes: 10, ..Limits::default() };
    for read in [dossier_text::read_text as ReadFn, dossier_text::read_html, dossier_text::read_xml] {
        let err = read_with(read, b"<a>eleven bytes and more</a>", &limits).expect_err("too large");
        assert_eq!(err.to_string(), "limit exceeded: file size 28 > max_in_memory_bytes 10");
        assert!(read_with(read, b"<a>ok</a>", &limits).is_ok());
    }
}

#[test]
fn text_is_cut_at_the_text_limit_and_the_document_is_partial() {
    let limits = Limits { max_text_bytes: 12, ..Limits::default() };
    let text = read_with(dossier_text::read_text, "Привет, мир".as_bytes(), &limits).expect("readable");
    assert_eq!(text.text, "Привет");
    assert!(text.is_partial());

    let html = "<p>один</p><p>два</p><p>три</p>".as_bytes();
    let html = read_with(dossier_text::read_html, html, &limits).expect("readable");
    assert_eq!(html.text, "один\n\nд\n");
    assert!(html.is_partial());

    let xml = read_with(dossier_text::read_xml, "<a><b>один</b><b>два</b></a>".as_bytes(), &limits).expect("readable");
    assert!(xml.text.starts_with("один\nд"), "{:?}", xml.text);
    assert!(xml.is_partial());
}

#[test]
fn deeply_nested_html_and_xml_do_not_overflow_the_stack() {
    let depth = 100_000;
    let html = format!("{}текст{}", "<div>".repeat(depth), "</div>".repeat(depth));
    let extraction = read_with(dossier_text::read_html, html.as_bytes(), &Limits::default()).expect("readable");
    assert_eq!(extraction.text.trim(), "текст");
    let xml = format!("{}текст{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let extraction = read_with(dossier_text::read_xml, xml.as_bytes(), &Limits::default()).expect("readable");
    assert_eq!(extraction.text.trim(), "текст");
}
