//! Prints what a reader makes of one file, in the golden-file format:
//! `cargo run -p dossier-records --example records_dump -- FORMAT PATH` with FORMAT one of csv, tsv, json, ics,
//! vcf, dbf.

use std::path::Path;

use dossier_document::{ReadFn, golden};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [format, path] = args.as_slice() else {
        eprintln!("usage: records_dump FORMAT PATH");
        std::process::exit(2);
    };
    let read: ReadFn = match format.as_str() {
        "csv" => dossier_records::read_csv,
        "tsv" => dossier_records::read_tsv,
        "json" => dossier_records::read_json,
        "ics" => dossier_records::read_ics,
        "vcf" => dossier_records::read_vcf,
        "dbf" => dossier_records::read_dbf,
        other => {
            eprintln!("unknown format {other}");
            std::process::exit(2);
        }
    };
    let (result, children) = golden::run(read, Path::new(path));
    print!("{}", golden::dump(&result, &children));
}
