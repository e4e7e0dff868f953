//! Embedded OLE objects in `\objdata` reach the sink as files of their own.

use std::io::Write;

use dossier_document::{ChildKind, Context, Limits, MemorySink, Options, Source};

fn prefixed(s: &str) -> Vec<u8> {
    let mut out = ((s.len() + 1) as u32).to_le_bytes().to_vec();
    out.extend_from_slice(s.as_bytes());
    out.push(0);
    out
}

/// An OLE1 embedded object of class `class_name` around `native`.
fn ole1_object(class_name: &str, native: &[u8]) -> Vec<u8> {
    let mut data = 0x0501u32.to_le_bytes().to_vec();
    data.extend_from_slice(&2u32.to_le_bytes());
    data.extend(prefixed(class_name));
    data.extend(prefixed(""));
    data.extend(prefixed(""));
    data.extend_from_slice(&(native.len() as u32).to_le_bytes());
    data.extend_from_slice(native);
    data
}

/// An OLE1 `Package` native payload: a file dragged into a document.
fn package(name: &str, content: &[u8]) -> Vec<u8> {
    let mut native = vec![2, 0];
    native.extend_from_slice(name.as_bytes());
    native.push(0);
    native.extend_from_slice(format!("C:\\Users\\x\\{name}").as_bytes());
    native.push(0);
    native.extend_from_slice(&[0, 0, 3, 0]);
    native.extend_from_slice(&5u32.to_le_bytes());
    native.extend_from_slice(b"C:\\t\0");
    native.extend_from_slice(&(content.len() as u32).to_le_bytes());
    native.extend_from_slice(content);
    native
}

fn hex(data: &[u8]) -> String {
    let mut out = String::new();
    for (index, byte) in data.iter().enumerate() {
        if index % 32 == 0 {
            out.push('\n');
        }
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

fn read(rtf: &str) -> (dossier_document::Extraction, MemorySink) {
    let mut file = tempfile_in_target();
    file.1.write_all(rtf.as_bytes()).expect("temp file is writable");
    let limits = Limits::default();
    let options = Options::default();
    let mut sink = MemorySink::new(&limits, rtf.len() as u64);
    let extraction = {
        let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
        dossier_rtf::read_rtf(&Source { path: &file.0, name: None }, &mut ctx).expect("readable RTF")
    };
    let _ = std::fs::remove_file(&file.0);
    (extraction, sink)
}

fn tempfile_in_target() -> (std::path::PathBuf, std::fs::File) {
    let dir = std::env::temp_dir();
    let path = dir.join(format!("dossier-rtf-test-{}-{:?}.rtf", std::process::id(), std::thread::current().id()));
    let file = std::fs::File::create(&path).expect("temp dir is writable");
    (path, file)
}

#[test]
fn a_packaged_file_is_handed_over_with_its_name() {
    let object = ole1_object("Package", &package("secret.txt", b"the hidden note"));
    let rtf = format!(
        "{{\\rtf1\\ansi before {{\\object\\objemb{{\\*\\objclass Package}}{{\\*\\objdata {}}}{{\\result {{\\pict\\wmetafile8 0102}}}}}} after}}",
        hex(&object)
    );
    let (extraction, sink) = read(&rtf);
    assert_eq!(extraction.text, "before  after");
    assert!(extraction.diagnostics.is_empty(), "{:?}", extraction.diagnostics);
    assert_eq!(sink.children.len(), 1);
    assert_eq!(sink.children[0].meta.name, "secret.txt");
    assert_eq!(sink.children[0].meta.kind, ChildKind::Embedded);
    assert_eq!(sink.children[0].content, b"the hidden note");
}

#[test]
fn an_ole2_object_is_handed_over_as_its_native_data() {
    let native = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 pretend compound file";
    let object = ole1_object("Excel.Sheet.8", native);
    let rtf = format!("{{\\rtf1 {{\\object{{\\*\\objdata {}}}}}}}", hex(&object));
    let (extraction, sink) = read(&rtf);
    assert_eq!(extraction.text, "");
    assert_eq!(sink.children.len(), 1);
    assert_eq!(sink.children[0].meta.name, "object 1 (Excel.Sheet.8)");
    assert_eq!(sink.children[0].content, native);
}
