//! Prints what a legacy reader makes of one file: `cargo run -p dossier-legacy --example legacy_dump -- FILE [DIR]`.
//! With DIR, the children (embedded objects) are written there too, to look at or read in turn.

use std::path::PathBuf;

fn main() {
    let Some(path) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: legacy_dump FILE [CHILDREN_DIR]");
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
    if let Some(dir) = std::env::args().nth(2).map(PathBuf::from) {
        for (index, child) in children.iter().enumerate() {
            // Child names come from the file: only their last part, behind an index, names the file written.
            let name = child.meta.name.rsplit(['/', '\\']).next().unwrap_or("child");
            let target = dir.join(format!("{index}_{name}"));
            if let Err(err) = std::fs::write(&target, &child.content) {
                eprintln!("{}: {err}", target.display());
            }
        }
    }
}
