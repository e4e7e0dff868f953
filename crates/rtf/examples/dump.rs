//! Prints what the RTF reader makes of the files given on the command line, in the golden-file format.
//!
//! `cargo run -p dossier-rtf --example dump -- FILE...`

fn main() {
    for path in std::env::args_os().skip(1) {
        let path = std::path::PathBuf::from(path);
        let (result, children) = dossier_document::golden::run(dossier_rtf::read_rtf, &path);
        println!("=== {}", path.display());
        print!("{}", dossier_document::golden::dump(&result, &children));
    }
}
