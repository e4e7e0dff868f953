//! Prints what a reader makes of one file, in the golden-test format: `cargo run -p dossier-office --example office_dump FILE`.

use std::path::Path;

fn main() {
    for arg in std::env::args().skip(1) {
        let path = Path::new(&arg);
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_lowercase();
        let read: dossier_document::ReadFn = match extension.as_str() {
            "docx" | "docm" => dossier_office::read_docx,
            "xlsx" | "xlsm" => dossier_office::read_xlsx,
            "pptx" | "pptm" => dossier_office::read_pptx,
            "odt" => dossier_office::read_odt,
            "ods" => dossier_office::read_ods,
            "odp" => dossier_office::read_odp,
            _ => {
                eprintln!("{arg}: unknown extension");
                continue;
            }
        };
        let (result, children) = dossier_document::golden::run(read, path);
        println!("== {arg}\n{}", dossier_document::golden::dump(&result, &children));
    }
}
