//! Bombs stop at the sink's limits, and passwords open what they should.

use dossier_document::{Limits, Options, ReadFn};

use crate::{fixture, read_with};

fn tight_limits() -> Limits {
    Limits {
        max_unpacked_bytes: 1 << 20,
        max_ratio: 100,
        ratio_floor_bytes: 64 << 10,
        max_entries: 10,
        ..Limits::default()
    }
}

#[test]
fn small_zip_bomb_is_refused_with_tight_limits() {
    let (result, children) =
        read_with(dossier_archive::read_zip, &fixture("zip/0008_small_bomb.zip"), &tight_limits(), &Options::default());
    let err = result.expect_err("a bomb must be refused");
    assert_eq!(err.summary(), "limit exceeded: compression ratio");
    assert!(children.is_empty(), "the bomb member must not be kept");
}

#[test]
fn total_bytes_limit_stops_a_gzip_stream() {
    let limits = Limits { max_unpacked_bytes: 100, ..Limits::default() };
    let (result, _) =
        read_with(dossier_archive::read_gzip, &fixture("gz/0001_with_name.gz"), &limits, &Options::default());
    assert_eq!(result.expect_err("over the byte limit").summary(), "limit exceeded: total unpacked bytes");
}

#[test]
fn entry_limit_stops_tar_and_7z() {
    let limits = Limits { max_entries: 1, ..Limits::default() };
    for (read, path) in [
        (dossier_archive::read_tar as ReadFn, "tar/0001_long_names.tar"),
        (dossier_archive::read_7z as ReadFn, "7z/0001_solid.7z"),
        (dossier_archive::read_zip as ReadFn, "zip/0002_nested.zip"),
    ] {
        let (result, children) = read_with(read, &fixture(path), &limits, &Options::default());
        assert_eq!(result.expect_err(path).to_string(), "limit exceeded: entries 2 > 1", "{path}");
        assert_eq!(children.len(), 1, "{path}");
    }
}

#[test]
fn passwords_open_encrypted_zip_and_7z() {
    let options = Options { passwords: vec!["wrong".to_string(), "secret".to_string()], ..Options::default() };
    let cases = [
        (dossier_archive::read_zip as ReadFn, "zip/0004_all_encrypted_aes.zip", 2),
        (dossier_archive::read_zip as ReadFn, "zip/0005_some_encrypted_zipcrypto.zip", 2),
        (dossier_archive::read_7z as ReadFn, "7z/0003_encrypted_content.7z", 2),
        (dossier_archive::read_7z as ReadFn, "7z/0004_encrypted_header.7z", 2),
    ];
    for (read, path, n_children) in cases {
        let (result, children) = read_with(read, &fixture(path), &Limits::default(), &options);
        let extraction = result.unwrap_or_else(|err| panic!("{path}: {err}"));
        assert!(extraction.diagnostics.is_empty(), "{path}: {:?}", extraction.diagnostics);
        assert_eq!(children.len(), n_children, "{path}");
        for child in &children {
            assert!(
                child.content.starts_with(b"the secret")
                    || child.content.starts_with(b"locked")
                    || child.content.starts_with(b"not encrypted")
                    || child.content.starts_with("Приказ".as_bytes())
                    || child.content.starts_with(b"notes"),
                "{path}: {} has unexpected content",
                child.meta.name
            );
        }
    }
}
