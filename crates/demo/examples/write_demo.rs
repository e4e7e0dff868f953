//! Writes the demo collection into a folder, for looking at it by hand:
//! `cargo run -p dossier-demo --example write_demo -- /tmp/dossier-demo`.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args_os().nth(1).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("dossier-demo"));
    let paths = dossier_demo::write_demo_collection(&dir)?;
    let mut total_bytes = 0;
    for path in &paths {
        let size = std::fs::metadata(path)?.len();
        total_bytes += size;
        println!("{size:>8}  {}", path.display());
    }
    println!("{total_bytes:>8}  bytes in {} files", paths.len());
    Ok(())
}
