//! Prints what a reader makes of one file, in the golden-file format: `cargo run -p dossier-archive --example archive_dump
//! -- FORMAT PATH` with FORMAT one of zip, tar, gz, bz2, xz, 7z, pkcs7, rar.

use std::path::Path;

use dossier_document::{ReadFn, golden};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [format, path] = args.as_slice() else {
        eprintln!("usage: dump FORMAT PATH");
        std::process::exit(2);
    };
    let read: ReadFn = match format.as_str() {
        "zip" => dossier_archive::read_zip,
        "tar" => dossier_archive::read_tar,
        "gz" => dossier_archive::read_gzip,
        "bz2" => dossier_archive::read_bzip2,
        "xz" => dossier_archive::read_xz,
        "7z" => dossier_archive::read_7z,
        "pkcs7" => dossier_archive::read_pkcs7,
        "rar" => dossier_archive::read_rar,
        other => {
            eprintln!("unknown format {other}");
            std::process::exit(2);
        }
    };
    let (result, children) = golden::run(read, Path::new(path));
    print!("{}", golden::dump(&result, &children));
}
