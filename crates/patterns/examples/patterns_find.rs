//! Prints what `find` sees in each line of standard input, or in the files named as arguments: a quick way to look.

use std::io::Read as _;

fn main() {
    let mut text = String::new();
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        std::io::stdin().read_to_string(&mut text).expect("standard input is UTF-8");
    } else {
        for path in paths {
            text.push_str(&std::fs::read_to_string(&path).expect("file is readable UTF-8"));
            text.push('\n');
        }
    }
    for found in dossier_patterns::find(&text) {
        let checksum = found.checksum.map_or("-", |checksum| match checksum {
            dossier_patterns::Checksum::Valid => "valid",
            dossier_patterns::Checksum::Invalid => "invalid",
        });
        println!(
            "{}..{}\t{}\t{:?}\t{}\t{}\t{}",
            found.start,
            found.end,
            found.kind.as_str(),
            found.text,
            found.value,
            checksum,
            found.label.as_deref().unwrap_or("")
        );
    }
}
