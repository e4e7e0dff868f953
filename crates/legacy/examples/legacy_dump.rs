//! Prints what a legacy reader makes of one file: `cargo run -p dossier-legacy --example legacy_dump -- FILE`.

use std::path::PathBuf;

fn main() {
    let Some(path) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: legacy_dump FILE");
        std::process::exit(2);
    };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    let read: dossier_document::ReadFn = match ext.as_str() {
        "xls" | "xlt" => dossier_legacy::read_xls,
        "ppt" | "pps" | "pot" => dossier_legacy::read_ppt,
        _ => dossier_legacy::read_doc,
    };
    let (result, children) = dossier_document::golden::run(read, &path);
    print!("{}", dossier_document::golden::dump(&result, &children));
}
