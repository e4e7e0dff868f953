//! Lists the storages and streams of an OLE2 compound file with their sizes, to see where a document keeps its
//! parts: `cargo run -p dossier-legacy --example ole_tree -- FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: ole_tree FILE");
        std::process::exit(2);
    };
    let compound = match cfb::open(&path) {
        Ok(compound) => compound,
        Err(err) => {
            eprintln!("{path}: {err}");
            std::process::exit(1);
        }
    };
    for entry in compound.walk() {
        let kind = if entry.is_storage() { "storage" } else { "stream" };
        println!("{kind:8} {:>10} {:?} {}", entry.len(), entry.path(), entry.clsid());
    }
}
