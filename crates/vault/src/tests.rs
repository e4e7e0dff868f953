//! Tests of storing and verifying blobs.

use super::*;

#[test]
fn stores_once_with_both_hashes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::open(dir.path()).expect("open");
    let first = vault.store_reader(&mut &b"abc"[..]).expect("store");
    assert!(first.newly_stored);
    assert_eq!(first.blob.size, 3);
    // Known digests of "abc".
    assert_eq!(first.blob.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(first.blob.blake3, "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85");
    let second = vault.store_reader(&mut &b"abc"[..]).expect("store again");
    assert!(!second.newly_stored);
    assert_eq!(std::fs::read(vault.path_of(&first.blob.blake3)).expect("read blob"), b"abc");
    assert_eq!(std::fs::read_dir(dir.path().join("tmp")).expect("tmp").count(), 0, "no leftovers");
}

#[test]
fn verify_finds_missing_and_tampered_blobs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = Vault::open(dir.path()).expect("open");
    let good = vault.store_reader(&mut &b"letter"[..]).expect("store").blob;
    let tampered = vault.store_reader(&mut &b"figures"[..]).expect("store").blob;
    let missing = Blob { blake3: "00".repeat(32), sha256: "00".repeat(32), size: 1 };

    let path = vault.path_of(&tampered.blake3);
    let mut permissions = std::fs::metadata(&path).expect("meta").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&path, permissions).expect("make writable");
    std::fs::write(&path, b"figures, edited").expect("tamper");

    assert_eq!(vault.verify_blob(&good), None);
    assert!(matches!(vault.verify_blob(&tampered), Some(Problem::Mismatch { found_size: 15, .. })));
    assert!(matches!(vault.verify_blob(&missing), Some(Problem::Missing { .. })));
}
