//! Prints what a reader makes of one file, in the golden-test format:
//! `cargo run -p dossier-office --example office_dump [--password P]... FILE...`. OLE2 files go to the encrypted-OOXML
//! reader, which tries the given passwords.

use std::path::Path;

use dossier_document::{Context, Limits, MemorySink, Options, Source};

fn main() {
    let mut options = Options::default();
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--password" {
            options.passwords.extend(args.next());
        } else {
            files.push(arg);
        }
    }
    for arg in files {
        let path = Path::new(&arg);
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_lowercase();
        let is_ole = std::fs::read(path).is_ok_and(|bytes| bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]));
        let read: dossier_document::ReadFn = match extension.as_str() {
            _ if is_ole => dossier_office::read_encrypted_ooxml,
            "docx" | "docm" => dossier_office::read_docx,
            "xlsx" | "xlsm" => dossier_office::read_xlsx,
            "xlsb" => dossier_office::read_xlsb,
            "pptx" | "pptm" => dossier_office::read_pptx,
            "odt" => dossier_office::read_odt,
            "ods" => dossier_office::read_ods,
            "odp" => dossier_office::read_odp,
            _ => {
                eprintln!("{arg}: unknown extension");
                continue;
            }
        };
        let limits = Limits::default();
        let mut sink = MemorySink::new(&limits, std::fs::metadata(path).map(|m| m.len()).unwrap_or(0));
        let result = {
            let mut ctx = Context { limits: &limits, options: &options, sink: &mut sink };
            read(&Source { path, name: None }, &mut ctx)
        };
        println!("== {arg}\n{}", dossier_document::golden::dump(&result, &sink.children));
    }
}
